import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.utils.dates import MONTHS
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import PastedTextField, apply_errors
from core.text import plain_number

from . import indicators
from .models import AgendaItem, Plan, PlannedMeeting, ResearchPlan, Target
from .services import ITEM_FIELDS, TARGET_FIELDS


class PlanCreateForm(forms.Form):
    school_year = forms.IntegerField(
        label=_("School year starting"), min_value=2000, max_value=2100
    )
    copy_from = forms.ModelChoiceField(
        label=_("Start from"),
        queryset=Plan.objects.none(),
        required=False,
        empty_label=_("An empty plan"),
    )

    def __init__(self, *args, plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        if plans is not None:
            self.fields["copy_from"].queryset = plans
            self.fields["copy_from"].label_from_instance = lambda p: (
                f"{p.community.name}: {p.school_year_label} ({p.get_status_display()})"
            )


def _text_fields(db_field, **kwargs):
    """ModelForm fields with pasted text cleaned (Meta.formfield_callback)."""
    if db_field.get_internal_type() in ("CharField", "TextField") and not db_field.choices:
        kwargs.setdefault("form_class", PastedTextField)
    return db_field.formfield(**kwargs)


class PlanForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    # Names one rendering of the form, so a double submit of the same text is recognised.
    token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    class Meta:
        model = Plan
        fields = ["priority_directions", "theme", "goals", "tasks", "research_plan"]
        formfield_callback = _text_fields
        widgets = {
            "priority_directions": forms.Textarea(attrs={"rows": 3}),
            "goals": forms.Textarea(attrs={"rows": 3}),
            "tasks": forms.Textarea(attrs={"rows": 5}),
        }


class RowForm(forms.ModelForm):
    """One row of the plan's tables; `remove` marks it for deletion when the plan is saved."""

    remove = forms.BooleanField(label=_("Remove"), required=False, label_suffix="")


_SUBJECT_SEPARATORS = re.compile(r"[,;\n]")


class TargetRowForm(RowForm):
    """A target's row. Its source's options (the subjects and the period a pupils' results
    figure counts) are two plain fields here and one JSON object on the model."""

    class Meta:
        model = Target
        fields = [f for f in TARGET_FIELDS if f != "source_options"]
        formfield_callback = _text_fields
        localized_fields = ["baseline", "target", "actual"]
        # Text inputs so «72,5» is accepted as people write it; the phone shows digits.
        widgets = {
            f: forms.TextInput(attrs={"inputmode": "decimal", "size": 6})
            for f in ("baseline", "target", "actual")
        } | {"unit": forms.TextInput(attrs={"size": 6})}

    def __init__(self, *args, period_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"] = forms.ChoiceField(
            label=_("computed from"),
            required=False,
            choices=[("", _("Typed by hand"))] + indicators.choices(),
            help_text=_("A figure Collegium computes from its records; then it is not typed."),
        )
        self.fields["subjects"] = PastedTextField(
            label=_("subjects counted"),
            required=False,
            max_length=2000,
            help_text=_("For pupils' results: subjects separated by commas; empty for all."),
        )
        if period_choices is None:
            period_choices = indicators.option_choices("period")
        self.fields["period"] = forms.ChoiceField(
            label=_("period counted"),
            required=False,
            choices=[("", _("the year's, else the latest"))] + list(period_choices),
        )

    def clean_subjects(self) -> list[str]:
        subjects = [s.strip() for s in _SUBJECT_SEPARATORS.split(self.cleaned_data["subjects"])]
        subjects = list(dict.fromkeys(s for s in subjects if s))
        if len(subjects) > indicators.MAX_SUBJECTS:
            raise ValidationError(
                gettext("At most %(n)s subjects.") % {"n": indicators.MAX_SUBJECTS}
            )
        if any(len(s) > 200 for s in subjects):
            raise ValidationError(gettext("A subject's name is at most 200 characters."))
        return subjects

    def clean(self):
        cleaned = super().clean()
        source = cleaned.get("source") or ""
        for name in ("subjects", "period"):
            if cleaned.get(name) and not indicators.takes_option(source, name):
                self.add_error(
                    name,
                    gettext("The figure chosen in “computed from” is not narrowed by this."),
                )
        return cleaned

    @property
    def source_options(self) -> dict:
        options = {}
        if self.cleaned_data.get("subjects"):
            options["subjects"] = self.cleaned_data["subjects"]
        if self.cleaned_data.get("period"):
            options["period"] = self.cleaned_data["period"]
        return options


# The school year's months in its order, September first.
SCHOOL_MONTHS = [("", "—")] + [(m, MONTHS[m]) for m in (*range(9, 13), *range(1, 9))]


class MeetingRowForm(RowForm):
    class Meta:
        model = PlannedMeeting
        fields = ["month", "title"]
        formfield_callback = _text_fields

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = SCHOOL_MONTHS


class ItemRowForm(RowForm):
    class Meta:
        model = AgendaItem
        fields = list(ITEM_FIELDS)
        formfield_callback = _text_fields


# A row's key names its inputs: an existing row's id, or "n" and a random tag for a new one.
_KEY = re.compile(r"(?:[1-9][0-9]{0,17}|n[0-9a-f]{8,16})")
MAX_TARGETS = 100
MAX_MEETINGS = 60
MAX_ITEMS = 60


def new_key() -> str:
    return "n" + secrets.token_hex(5)


@dataclass
class Row:
    kind: str  # "target", "meeting" or "item"
    key: str
    form: RowForm
    items: list["Row"] = field(default_factory=list)  # a meeting's agenda items

    @property
    def id(self) -> int | None:
        return int(self.key) if self.key.isdigit() else None

    @property
    def removed(self) -> bool:
        return bool(self.form["remove"].value())

    @property
    def blank(self) -> bool:
        """A new row nobody typed into (an "add" clicked once too often): left out, no errors."""
        return self.id is None and not self.form.has_changed() and all(i.blank for i in self.items)

    @property
    def skipped(self) -> bool:
        return self.removed or self.blank


FORMS = {"target": TargetRowForm, "meeting": MeetingRowForm, "item": ItemRowForm}
PREFIX = {"target": "t", "meeting": "m", "item": "i"}


def blank_row(kind: str, key: str | None = None) -> Row:
    key = key or new_key()
    initial = {"unit": "%"} if kind == "target" else {}
    form = FORMS[kind](prefix=f"{PREFIX[kind]}-{key}", initial=initial)
    # The row was asked for just now: its first input takes the focus (htmx honours it too).
    next(iter(form.fields.values())).widget.attrs["autofocus"] = True
    row = Row(kind, key, form)
    if kind == "meeting":
        item = blank_row("item")
        next(iter(item.form.fields.values())).widget.attrs.pop("autofocus")
        row.items.append(item)
    return row


def _row(kind: str, obj, **form_kwargs) -> Row:
    names = {
        "target": TargetRowForm.Meta.fields,
        "meeting": ("month", "title"),
        "item": ITEM_FIELDS,
    }[kind]
    initial = {f: plain_number(getattr(obj, f)) for f in names}
    if kind == "target":
        options = obj.source_options if isinstance(obj.source_options, dict) else {}
        subjects = options.get("subjects") or []
        initial["subjects"] = ", ".join(map(str, subjects if isinstance(subjects, list) else []))
        initial["period"] = str(options.get("period") or "")
    form = FORMS[kind](prefix=f"{PREFIX[kind]}-{obj.pk}", initial=initial, **form_kwargs)
    return Row(kind, str(obj.pk), form)


class PlanEditor:
    """The plan's edit page: its text and its rows — targets, planned meetings and, under each
    meeting, its agenda items — each row a small form named by its key.

    Each row posts its key in a hidden input (`target`, `meeting`, `m-<meeting key>-item`)
    before its fields, so the order of the rows is the order of the page: moving a row in the
    page (or on the server, without JavaScript) needs no renumbering.
    """

    def __init__(self, plan: Plan, data=None):
        self.plan = plan
        self.problems: list[str] = []
        self.form = PlanForm(
            data, instance=plan, initial={"version": plan.version, "token": secrets.token_hex(16)}
        )
        # The periods offered are read once for all the targets' rows.
        periods = indicators.option_choices("period")
        if data is None:
            self.targets = [_row("target", t, period_choices=periods) for t in plan.targets.all()]
            self.meetings = []
            for m in plan.meetings.all():
                row = _row("meeting", m)
                row.items = [_row("item", i) for i in m.items.all()]
                self.meetings.append(row)
            return
        self.targets = [
            Row(
                "target",
                key,
                TargetRowForm(
                    data, prefix=f"t-{key}", initial={"unit": "%"}, period_choices=periods
                ),
            )
            for key in self._keys(data, "target", MAX_TARGETS)
        ]
        self.meetings = []
        for key in self._keys(data, "meeting", MAX_MEETINGS):
            row = Row("meeting", key, MeetingRowForm(data, prefix=f"m-{key}"))
            row.items = [
                Row("item", item, ItemRowForm(data, prefix=f"i-{item}"))
                for item in self._keys(data, f"m-{key}-item", MAX_ITEMS)
            ]
            self.meetings.append(row)

    def _keys(self, data, name: str, limit: int) -> list[str]:
        keys = list(dict.fromkeys(data.getlist(name)))
        if not all(_KEY.fullmatch(k) for k in keys):
            self.problems.append(gettext("The form was damaged on its way; reload the page."))
            keys = [k for k in keys if _KEY.fullmatch(k)]
        if len(keys) > limit:
            self.problems.append(gettext("A plan holds at most %(n)s such rows.") % {"n": limit})
            keys = keys[:limit]
        return keys

    # -- validation --------------------------------------------------------------------------

    def live_rows(self) -> Iterator[Row]:
        for row in self.targets:
            if not row.skipped:
                yield row
        for meeting in self.meetings:
            if not meeting.skipped:
                yield meeting
                yield from (i for i in meeting.items if not i.skipped)

    def is_valid(self) -> bool:
        valid = self.form.is_valid() and not self.problems
        for row in self.live_rows():
            valid = row.form.is_valid() and valid
        return valid

    def add_error(self, exc: ValidationError) -> None:
        apply_errors(self.form, exc)

    def errors(self) -> list[tuple[str, str, str]]:
        """Every error of the page as (where, message, input id), for the summary at its top."""
        out = [("", p, "") for p in self.problems]
        for name, errors in self.form.errors.items():
            bound = self.form[name] if name in self.form.fields else None
            where = str(bound.label) if bound else ""
            out += [(where, e, bound.auto_id if bound else "") for e in errors]
        for n, row in enumerate(self.targets, start=1):
            out += self._row_errors(row, gettext("Expected result %(n)s") % {"n": n})
        for n, meeting in enumerate(self.meetings, start=1):
            out += self._row_errors(meeting, gettext("Meeting %(n)s") % {"n": n})
            for k, item in enumerate(meeting.items, start=1):
                where = gettext("Meeting %(n)s, agenda item %(k)s") % {"n": n, "k": k}
                out += self._row_errors(item, where)
        return out

    @staticmethod
    def _row_errors(row: Row, where: str) -> list[tuple[str, str, str]]:
        if not row.form.is_bound or row.skipped:
            return []
        out = []
        for name, errors in row.form.errors.items():
            bound = row.form[name] if name in row.form.fields else None
            label = f"{where}: {bound.label}" if bound else where
            out += [(label, e, bound.auto_id if bound else "") for e in errors]
        return out

    # -- what the service saves --------------------------------------------------------------

    @property
    def fields(self) -> dict:
        return {f: self.form.cleaned_data[f] for f in PlanForm.Meta.fields}

    def target_rows(self) -> list[dict]:
        return [
            {"id": row.id}
            | {f: row.form.cleaned_data[f] for f in TargetRowForm.Meta.fields}
            | {"source_options": row.form.source_options}
            for row in self.targets
            if not row.skipped
        ]

    def meeting_rows(self) -> list[dict]:
        return [
            {
                "id": m.id,
                "month": m.form.cleaned_data["month"],
                "title": m.form.cleaned_data["title"],
                "items": [
                    {"id": i.id} | {f: i.form.cleaned_data[f] for f in ITEM_FIELDS}
                    for i in m.items
                    if not i.skipped
                ],
            }
            for m in self.meetings
            if not m.skipped
        ]

    # -- rearranging without JavaScript ------------------------------------------------------

    def rearrange(self, *, add: str = "", move: str = "") -> None:
        """Add a blank row or move one (the page's buttons without JavaScript), keeping what was
        typed; nothing is saved and no errors are shown yet."""
        if self.form.is_bound:
            typed = {name: self.form[name].value() for name in self.form.fields}
            self.form = PlanForm(instance=self.plan, initial=typed)
        for row in [*self.targets, *self.meetings]:
            _unbind(row)
            for item in row.items:
                _unbind(item)
        if add == "target":
            self.targets.append(blank_row("target"))
        elif add == "meeting":
            self.meetings.append(blank_row("meeting"))
        elif add.startswith("item:"):
            for meeting in self.meetings:
                if meeting.key == add[5:]:
                    meeting.items.append(blank_row("item"))
        if move.count(":") == 2:
            direction, kind, key = move.split(":")
            lists = {
                "t": [self.targets],
                "m": [self.meetings],
                "i": [m.items for m in self.meetings],
            }
            for rows in lists.get(kind, []):
                _move(rows, key, -1 if direction == "up" else 1)


def _unbind(row: Row) -> None:
    """The row as an unbound form showing what was typed, so no error shows before a save."""
    form = row.form
    if form.is_bound:
        initial = {name: form[name].value() for name in form.fields}
        row.form = type(form)(prefix=form.prefix, initial=initial)


def _move(rows: list[Row], key: str, step: int) -> None:
    for n, row in enumerate(rows):
        if row.key == key:
            if 0 <= n + step < len(rows):
                rows[n], rows[n + step] = rows[n + step], rows[n]
            return


def parse_add(value: str) -> tuple[str, str] | None:
    """An "add" button's value: ("target"|"meeting", "") or ("item", meeting key)."""
    if value in ("target", "meeting"):
        return value, ""
    if value.startswith("item:") and _KEY.fullmatch(value[5:]):
        return "item", value[5:]
    return None


class StepForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ResearchPlanForm(forms.ModelForm):
    class Meta:
        model = ResearchPlan
        fields = ["title", "theme", "start_year", "end_year", "stages"]
        widgets = {"stages": forms.Textarea(attrs={"rows": 5})}
