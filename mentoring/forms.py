import re
import secrets
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, PastedTextField
from people.models import Person

from .models import MentoringPlan, PlanGoal, PlannedSession, Report, Session
from .services import GOAL_FIELDS, MAX_ROWS, MEETING_FIELDS


class PairForm(forms.Form):
    """Appoint a mentor to a young teacher of a school PLC (004 doc. 11)."""

    mentor = forms.ModelChoiceField(label=_("mentor"), queryset=Person.objects.none())
    mentee = forms.ModelChoiceField(label=_("young teacher"), queryset=Person.objects.none())
    school_year = forms.IntegerField(
        label=_("School year starting"), min_value=2000, max_value=2100
    )
    started_on = forms.DateField(label=_("started on"), widget=DateInput())
    focus = PastedTextField(label=_("focus of the mentoring"), max_length=500, required=False)

    def __init__(self, *args, members=None, leaders: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if leaders:  # a leaders' pair takes its sides from the community's roles
            del self.fields["mentor"]
            del self.fields["mentee"]
        elif members is not None:
            self.fields["mentor"].queryset = members
            self.fields["mentee"].queryset = members
            for name in ("mentor", "mentee"):
                self.fields[name].label_from_instance = lambda p: p.full_name


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = ["held_on", "form", "topic", "remote", "notes", "next_steps"]
        field_classes = {"topic": PastedTextField, "notes": PastedTextField,
                         "next_steps": PastedTextField}  # fmt: skip
        widgets = {
            "held_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 4}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
        }


class ReportForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = ["done", "results", "difficulties", "plans"]
        field_classes = dict.fromkeys(fields, PastedTextField)
        widgets = {f: forms.Textarea(attrs={"rows": 4}) for f in fields}


class AnalysisForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    conclusions = PastedTextField(
        label=_("conclusions"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    problems = PastedTextField(
        label=_("problems"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    proposals = PastedTextField(
        label=_("proposals"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )


# -- the plan's rows ------------------------------------------------------------------------------


class GoalRowForm(forms.ModelForm):
    remove = forms.BooleanField(label=_("Remove"), required=False, label_suffix="")

    class Meta:
        model = PlanGoal
        fields = list(GOAL_FIELDS)
        field_classes = dict.fromkeys(GOAL_FIELDS, PastedTextField)


class MeetingRowForm(forms.ModelForm):
    remove = forms.BooleanField(label=_("Remove"), required=False, label_suffix="")

    class Meta:
        model = PlannedSession
        fields = list(MEETING_FIELDS)
        field_classes = {"topic": PastedTextField}
        widgets = {"planned_on": DateInput()}


ROW_FORMS = {"goal": GoalRowForm, "meeting": MeetingRowForm}
PREFIX = {"goal": "g", "meeting": "m"}
# A row's key names its inputs: an existing row's id, or "n" and a random tag for a new one.
_KEY = re.compile(r"(?:[1-9][0-9]{0,17}|n[0-9a-f]{8,16})")


def new_key() -> str:
    return "n" + secrets.token_hex(5)


@dataclass
class Row:
    kind: str
    key: str
    form: forms.ModelForm

    @property
    def id(self) -> int | None:
        return int(self.key) if self.key.isdigit() else None

    @property
    def skipped(self) -> bool:
        removed = bool(self.form["remove"].value())
        blank = self.id is None and not self.form.has_changed()
        return removed or blank


def blank_row(kind: str) -> Row:
    key = new_key()
    form = ROW_FORMS[kind](prefix=f"{PREFIX[kind]}-{key}")
    next(iter(form.fields.values())).widget.attrs["autofocus"] = True
    return Row(kind, key, form)


class PlanEditor:
    """The plan's goals and planned meetings, each row a small form named by its key; an
    existing row keeps its id (core.rows), so editing its text keeps the row."""

    def __init__(self, plan: MentoringPlan, data=None):
        self.plan = plan
        self.problems: list[str] = []
        self.version = forms.IntegerField(min_value=0)
        self.data = data
        if data is None:
            self.goals = [
                Row("goal", str(g.pk), GoalRowForm(prefix=f"g-{g.pk}", instance=g))
                for g in plan.goals.all()
            ]
            self.meetings = [
                Row("meeting", str(m.pk), MeetingRowForm(prefix=f"m-{m.pk}", instance=m))
                for m in plan.meetings.all()
            ]
            if not self.goals:
                self.goals.append(blank_row("goal"))
            return
        self.goals = [
            Row("goal", k, GoalRowForm(data, prefix=f"g-{k}")) for k in self._keys(data, "goal")
        ]
        self.meetings = [
            Row("meeting", k, MeetingRowForm(data, prefix=f"m-{k}"))
            for k in self._keys(data, "meeting")
        ]

    def _keys(self, data, name: str) -> list[str]:
        keys = list(dict.fromkeys(data.getlist(name)))
        if not all(_KEY.fullmatch(k) for k in keys):
            self.problems.append(gettext("The form was damaged on its way; reload the page."))
            keys = [k for k in keys if _KEY.fullmatch(k)]
        if len(keys) > MAX_ROWS:
            self.problems.append(gettext("A plan holds at most %(n)s such rows.") % {"n": MAX_ROWS})
            keys = keys[:MAX_ROWS]
        return keys

    @property
    def sent_version(self) -> int | None:
        try:
            return self.version.clean(self.data.get("version"))
        except ValidationError:
            return None

    def is_valid(self) -> bool:
        valid = not self.problems
        if self.sent_version is None:
            self.problems.append(gettext("The form was damaged on its way; reload the page."))
            valid = False
        for row in [*self.goals, *self.meetings]:
            if not row.skipped:
                valid = row.form.is_valid() and valid
        return valid

    def add_error(self, exc: ValidationError) -> None:
        self.problems += exc.messages

    def errors(self) -> list[tuple[str, str, str]]:
        out = [("", p, "") for p in self.problems]
        for rows, label in (
            (self.goals, gettext("Goal %(n)s")),
            (self.meetings, gettext("Planned meeting %(n)s")),
        ):
            for n, row in enumerate(rows, start=1):
                if not row.form.is_bound or row.skipped:
                    continue
                for name, errors in row.form.errors.items():
                    bound = row.form[name] if name in row.form.fields else None
                    where = label % {"n": n} + (f": {bound.label}" if bound else "")
                    out += [(where, e, bound.auto_id if bound else "") for e in errors]
        return out

    def rows(self, kind: str) -> list[dict]:
        fields = GOAL_FIELDS if kind == "goal" else MEETING_FIELDS
        source = self.goals if kind == "goal" else self.meetings
        return [
            {"id": row.id} | {f: row.form.cleaned_data[f] for f in fields}
            for row in source
            if not row.skipped
        ]
