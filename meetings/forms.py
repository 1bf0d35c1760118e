import secrets

from django import forms
from django.forms import BaseFormSet, formset_factory
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
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
    guests = forms.CharField(
        label=_("Guests from other communities"),
        required=False,
        help_text=_("Logins or emails, separated by commas"),
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

    def clean_guests(self):
        people = []
        for token in [t.strip() for t in self.cleaned_data["guests"].split(",") if t.strip()]:
            person = (
                Person.objects.filter(username=token).first()
                or Person.objects.filter(email__iexact=token).first()
            )
            if person is None:
                raise forms.ValidationError(
                    _("No one with the login or email «%(value)s».") % {"value": token}
                )
            people.append(person)
        return people

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


class QuestionForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("question"), max_length=500)
    speakers = forms.CharField(label=_("speakers"), max_length=500, required=False)
    summary = forms.CharField(
        label=_("summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class DecisionForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(label=_("decision"), widget=forms.Textarea(attrs={"rows": 2}))
    question = forms.TypedChoiceField(
        label=_("on question"), coerce=int, required=False, empty_value=None
    )
    assignee = forms.ModelChoiceField(
        label=_("assignee"), queryset=Person.objects.none(), required=False
    )
    due_on = forms.DateField(label=_("due"), widget=DateInput(), required=False)

    def __init__(self, *args, people=None, assignee_choices=None, question_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        assignee = self.fields["assignee"]
        if people is not None:
            assignee.queryset = people  # what a sent row is checked against
        if assignee_choices is not None:
            assignee.choices = assignee_choices
        self.fields["question"].choices = question_choices or _question_choices(0)


def _question_choices(question_count: int) -> list[tuple]:
    return [("", "—")] + [(n, str(n + 1)) for n in range(max(question_count, 10))]


class BaseDecisionFormSet(BaseFormSet):
    """Every row offers the same people and question numbers: both lists are built once for
    the formset, where each row's ModelChoiceField would query the people again."""

    def __init__(self, *args, people=None, question_count: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people
        self.question_count = question_count

    @cached_property
    def _shared_choices(self) -> dict:
        choices: dict = {"question_choices": _question_choices(self.question_count)}
        if self.people is not None:
            field = forms.ModelChoiceField(queryset=self.people, required=False)
            # iter() first: list() would ask the choices' length, which counts them in SQL.
            choices |= {"people": self.people, "assignee_choices": list(iter(field.choices))}
        return choices

    def get_form_kwargs(self, index):
        return super().get_form_kwargs(index) | self._shared_choices


QuestionFormSet = formset_factory(QuestionForm, extra=1, can_delete=True)
DecisionFormSet = formset_factory(
    DecisionForm, formset=BaseDecisionFormSet, extra=2, can_delete=True
)


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
