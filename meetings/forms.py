import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass

from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, PastedTextField
from core.pickers import MultiPickerField
from people import selectors as people_selectors
from people.models import Person

from .models import Decision, Participant
from .services import time_warning


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ConfirmTimeMixin:
    """A time in the past or outside school hours shows a warning and a "confirm" checkbox; the
    form is valid once it is ticked (the service asks the same, services.time_warning)."""

    def _add_confirm_field(self):
        self.fields["confirm"] = forms.BooleanField(
            label=_("Yes, this time is meant"), required=False, widget=forms.HiddenInput
        )

    def clean(self):
        data = super().clean()
        warning = time_warning(data.get("starts_at"), data.get("ends_at"))
        if warning:
            self.fields["confirm"].widget = forms.CheckboxInput()
            if not data.get("confirm"):
                self.add_error("starts_at", warning)
        return data


class MeetingForm(ConfirmTimeMixin, forms.Form):
    title = forms.CharField(label=_("title"), max_length=500)
    starts_at = forms.DateTimeField(label=_("starts at"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("ends at"), widget=DateTimeInput(), required=False)
    place = forms.CharField(label=_("place"), max_length=300, required=False)
    online_url = forms.URLField(label=_("online link"), required=False)
    chair = forms.ModelChoiceField(label=_("chair"), queryset=Person.objects.none(), required=False)
    planned = forms.ModelChoiceField(
        label=_("from the plan"), queryset=None, required=False, empty_label=_("Not in the plan")
    )
    questions = forms.CharField(
        label=_("Agenda: one question a line"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Left empty, the agenda is taken from the plan."),
    )
    guests = MultiPickerField(
        label=_("Guests from other communities"),
        queryset=people_selectors.people_to_pick(),
        source="people:pick",
        search=people_selectors.search_people_or_login,
        label_of=people_selectors.person_label,
        required=False,
    )
    # Made when the form is shown: sending the same form twice schedules one meeting.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)

    def __init__(self, *args, members=None, planned=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", secrets.token_urlsafe(24))
        self.fields["chair"].queryset = members
        self.fields["planned"].queryset = planned
        self._add_confirm_field()

    def clean_questions(self):
        return [q.strip() for q in self.cleaned_data["questions"].splitlines() if q.strip()]


class MoveForm(ConfirmTimeMixin, forms.Form):
    starts_at = forms.DateTimeField(label=_("starts at"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("ends at"), widget=DateTimeInput(), required=False)
    place = forms.CharField(label=_("place"), max_length=300, required=False)
    online_url = forms.URLField(label=_("online link"), required=False)
    reason = forms.CharField(
        label=_("reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The people invited are told the reason."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_confirm_field()


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ReplyForm(forms.Form):
    reply = forms.ChoiceField(choices=Participant.Reply.choices)


# A row's key names its inputs: an existing row's id, or "n" and a random tag for a new one.
ROW_KEY = re.compile(r"(?:[1-9][0-9]{0,17}|n[0-9a-f]{8,16})")
MAX_QUESTIONS = 60
MAX_DECISIONS = 200
ROW_KINDS = ("question", "decision")


def new_key() -> str:
    return "n" + secrets.token_hex(5)


class MinutesRowForm(forms.Form):
    """One row of the minutes (a question or a decision); `remove` drops it when saved."""

    remove = forms.BooleanField(label=_("Remove"), required=False, label_suffix="")


class QuestionRowForm(MinutesRowForm):
    title = PastedTextField(label=_("question"), max_length=500)
    speakers = PastedTextField(label=_("speakers"), max_length=500, required=False)
    summary = PastedTextField(
        label=_("summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    field_order = ["title", "speakers", "summary", "remove"]


class DecisionRowForm(MinutesRowForm):
    text = PastedTextField(label=_("decision"), widget=forms.Textarea(attrs={"rows": 2}))
    question = forms.TypedChoiceField(
        label=_("on question"), coerce=int, required=False, empty_value=None
    )
    # The invited people, read once for every row (a ModelChoiceField would query per row).
    assignee = forms.TypedChoiceField(
        label=_("assignee"), coerce=int, required=False, empty_value=None
    )
    due_on = forms.DateField(label=_("due"), widget=DateInput(), required=False)
    field_order = ["text", "question", "assignee", "due_on", "remove"]

    def __init__(self, *args, choices: "RowChoices", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].choices = choices.questions
        self.fields["assignee"].choices = choices.people


@dataclass
class RowChoices:
    """What every decision row offers: the invited people and the question numbers."""

    people: list[tuple]
    questions: list[tuple]
    by_id: dict[int, Person]

    @classmethod
    def build(cls, people, titles: list[str]) -> "RowChoices":
        people = list(people)
        # The page's questions by their number; a few more for questions added in the page.
        numbers = [
            (n, f"{n + 1}. {Truncator(titles[n]).chars(60)}" if n < len(titles) else str(n + 1))
            for n in range(max(len(titles) + 5, 10))
        ]
        return cls(
            people=[("", "—")] + [(p.pk, p.full_name) for p in people],
            questions=[("", "—"), *numbers],
            by_id={p.pk: p for p in people},
        )


@dataclass
class MinutesRow:
    kind: str  # "question" or "decision"
    key: str
    form: MinutesRowForm

    @property
    def id(self) -> int | None:
        return int(self.key) if self.key.isdigit() else None

    @property
    def removed(self) -> bool:
        return bool(self.form["remove"].value())

    @property
    def skipped(self) -> bool:
        """Ticked for removal, or a new row nobody typed into (an "add" clicked once too often)."""
        return self.removed or (self.id is None and not self.form.has_changed())


def _row_form(kind: str, key: str, choices: RowChoices, data=None, initial=None):
    prefix = f"{kind[0]}-{key}"
    if kind == "question":
        return QuestionRowForm(data, prefix=prefix, initial=initial)
    return DecisionRowForm(data, prefix=prefix, initial=initial, choices=choices)


def blank_row(kind: str, choices: RowChoices) -> MinutesRow:
    key = new_key()
    form = _row_form(kind, key, choices)
    # The row was asked for just now: its first input takes the focus (htmx honours it too).
    next(iter(form.fields.values())).widget.attrs["autofocus"] = True
    return MinutesRow(kind, key, form)


class MinutesEditor:
    """The minutes page's rows: its questions and decisions, each a small form named by its key.

    Each row posts its key in a hidden input (`question`, `decision`) before its fields, so the
    rows come back in the page's order. A decision names its question by the question's number
    on the page (rows ticked for removal keep their number, so the others do not shift).
    """

    def __init__(self, meeting, people, data=None):
        self.problems: list[str] = []
        if data is None:
            questions = list(meeting.questions.all())
            titles = [q.title for q in questions]
        else:
            question_keys = self._keys(data, "question", MAX_QUESTIONS)
            titles = [str(data.get(f"q-{k}-title", "")) for k in question_keys]
        self.choices = RowChoices.build(people, titles)
        if data is None:
            index = {q.pk: n for n, q in enumerate(questions)}
            self.questions = [
                MinutesRow(
                    "question",
                    str(q.pk),
                    _row_form(
                        "question",
                        str(q.pk),
                        self.choices,
                        initial={"title": q.title, "speakers": q.speakers, "summary": q.summary},
                    ),
                )  # fmt: skip
                for q in questions
            ]
            if not self.questions:  # minutes need a question: one to fill in
                self.questions.append(blank_row("question", self.choices))
                self.questions[0].form.fields["title"].widget.attrs.pop("autofocus")
            self.decisions = [
                MinutesRow(
                    "decision",
                    str(d.pk),
                    _row_form(
                        "decision",
                        str(d.pk),
                        self.choices,
                        initial={
                            "text": d.text,
                            "question": index.get(d.question_id),
                            "assignee": d.assignee_id,
                            "due_on": d.due_on,
                        },
                    ),
                )  # fmt: skip
                for d in meeting.decisions.all()
            ]
            return
        self.questions = [
            MinutesRow("question", k, _row_form("question", k, self.choices, data))
            for k in question_keys
        ]
        self.decisions = [
            MinutesRow("decision", k, _row_form("decision", k, self.choices, data))
            for k in self._keys(data, "decision", MAX_DECISIONS)
        ]

    def _keys(self, data, name: str, limit: int) -> list[str]:
        keys = list(dict.fromkeys(data.getlist(name)))
        if not all(ROW_KEY.fullmatch(k) for k in keys):
            self.problems.append(gettext("The form was damaged on its way; reload the page."))
            keys = [k for k in keys if ROW_KEY.fullmatch(k)]
        if len(keys) > limit:
            message = gettext("The minutes hold at most %(n)s such rows.")
            self.problems.append(message % {"n": limit})
            keys = keys[:limit]
        return keys

    def live_rows(self) -> Iterator[MinutesRow]:
        yield from (r for r in self.questions if not r.skipped)
        yield from (r for r in self.decisions if not r.skipped)

    def is_valid(self) -> bool:
        valid = not self.problems
        for row in self.live_rows():
            valid = row.form.is_valid() and valid
        return valid

    def errors(self) -> list[tuple[str, str, str]]:
        """The rows' errors as (where, message, input id), for the summary at the page's top."""
        out = [("", p, "") for p in self.problems]
        for rows, title in (
            (self.questions, gettext("Question %(n)s")),
            (self.decisions, gettext("Decision %(n)s")),
        ):
            for n, row in enumerate(rows, start=1):
                if not row.form.is_bound or row.skipped:
                    continue
                where = title % {"n": n}
                for name, errors in row.form.errors.items():
                    bound = row.form[name] if name in row.form.fields else None
                    label = f"{where}: {bound.label}" if bound else where
                    out += [(label, e, bound.auto_id if bound else "") for e in errors]
        return out

    # -- what the service saves --------------------------------------------------------------

    def question_rows(self) -> list[dict]:
        return [
            {"id": r.id} | {f: r.form.cleaned_data[f] for f in ("title", "speakers", "summary")}
            for r in self.questions
            if not r.skipped
        ]

    def decision_rows(self) -> list[dict]:
        # A decision names a question by its number on the page; the service counts kept rows.
        kept = [n for n, r in enumerate(self.questions) if not r.skipped]
        position = {n: k for k, n in enumerate(kept)}
        rows = []
        for r in self.decisions:
            if r.skipped:
                continue
            data = r.form.cleaned_data
            rows.append(
                {
                    "id": r.id,
                    "text": data["text"],
                    "assignee": self.choices.by_id.get(data["assignee"]),
                    "due_on": data["due_on"],
                    "question": position.get(data["question"]),
                }
            )
        return rows

    # -- adding a row without JavaScript -----------------------------------------------------

    def add(self, kind: str) -> None:
        """Add a blank row (the page's button without JavaScript), keeping what was typed;
        nothing is saved and no errors are shown yet."""
        for row in [*self.questions, *self.decisions]:
            form = row.form
            if form.is_bound:
                initial = {name: form[name].value() for name in form.fields}
                row.form = _row_form(row.kind, row.key, self.choices, initial=initial)
        if kind in ROW_KINDS:
            rows = self.questions if kind == "question" else self.decisions
            rows.append(blank_row(kind, self.choices))


class DecisionUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=Decision.Status.choices)
    evidence = forms.CharField(
        label=_("evidence"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class SecretaryForm(forms.Form):
    """Who kept the minutes: one of the meeting's invitees (a bounded list, so a plain select)."""

    secretary = forms.ModelChoiceField(
        label=_("secretary"), queryset=Person.objects.none(), required=False
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["secretary"].queryset = people


class AddendumForm(forms.Form):
    text = forms.CharField(label=_("Addendum"), widget=forms.Textarea(attrs={"rows": 3}))


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=300, required=False)
    file = forms.FileField(label=_("file"), required=False)
    url = forms.URLField(label=_("link"), required=False)
