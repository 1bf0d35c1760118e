"""Forms of consultation requests: they parse input; the services judge it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import MultipleFileField

from . import selectors
from .models import ConsultationRequest, ConsultationTopic

Request = ConsultationRequest


class AskForm(forms.Form):
    addressee = forms.ChoiceField(label=_("Whom to ask"), choices=Request.Addressee.choices)
    community = forms.ModelChoiceField(
        label=_("Council or association"),
        queryset=None,
        required=False,
        help_text=_("For a question to a consultative council or an inter-school association"),
    )
    responder = forms.ModelChoiceField(
        label=_("Curator"),
        queryset=None,
        required=False,
        help_text=_("For a question to a curator"),
    )
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=ConsultationTopic.objects.all())
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=Request.Urgency.choices,
        initial=Request.Urgency.NORMAL,
        help_text=_("An answer is due within 10 days, an urgent one within 3 days"),
    )
    question = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 8}))
    files = MultipleFileField(label=_("Attachments"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        councils = selectors.councils_for(user)
        associations = selectors.associations_for(user)
        self.fields["community"].queryset = (councils | associations).distinct()
        self.fields["responder"].queryset = selectors.curators_for(selectors.organisation_of(user))
        pair = selectors.mentor_pair_of(user)
        choices = []
        for value, label in Request.Addressee.choices:
            if value == Request.Addressee.MENTOR and pair is not None:
                label = f"{label} ({pair.mentor.full_name})"
            choices.append((value, label))
        self.fields["addressee"].choices = choices


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Answer"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    event = forms.ModelChoiceField(
        label=_("Or a consultation event"),
        queryset=None,
        required=False,
        help_text=_("A group or individual consultation you organise (create it under Events)"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = selectors.consultation_events_for(user)


class RateForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Rating"),
        coerce=int,
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class FaqForm(forms.Form):
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=ConsultationTopic.objects.all())
    question = forms.CharField(
        label=_("Question"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Rewrite it so that neither the asker nor the school can be recognised"),
    )
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 8}))
    confirmed = forms.BooleanField(
        label=_("I confirm the text contains no personal data"),
        error_messages={"required": _("Confirm that the text contains no personal data.")},
    )


class BoardFilter(forms.Form):
    status = forms.ChoiceField(
        label=_("status"),
        required=False,
        choices=[("", _("All")), ("open", _("Open")), *Request.Status.choices],
    )
    topic = forms.ModelChoiceField(
        label=_("topic"), required=False, queryset=ConsultationTopic.objects.all()
    )
    addressee = forms.ChoiceField(
        label=_("addressed to"),
        required=False,
        choices=[("", _("All")), *Request.Addressee.choices],
    )
