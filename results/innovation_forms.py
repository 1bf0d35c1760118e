"""The form marking a school's classes as doing innovative work: one line per class."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .innovation import INNOVATION_MAX


class InnovativeClassLineForm(forms.Form):
    grade = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=12)
    letter = forms.CharField(widget=forms.HiddenInput, required=False, max_length=10)
    marked = forms.BooleanField(label=gettext_lazy("Doing innovative work"), required=False)
    innovation = forms.CharField(
        label=gettext_lazy("What the innovative work is"),
        required=False,
        max_length=INNOVATION_MAX,
    )
    # Choices, not a ModelChoiceField: the communities are read once for all the lines.
    community = forms.TypedChoiceField(
        label=gettext_lazy("Community running it"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, community_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].choices = [("", "—"), *community_choices]

    @property
    def class_name(self) -> str:
        return f"{self.initial.get('grade', '')}{self.initial.get('letter', '')}"

    def clean(self):
        data = super().clean()
        if data.get("marked") and not (data.get("innovation") or "").strip():
            self.add_error("innovation", _("Say what innovative work the class does."))
        return data


InnovativeClassFormSet = forms.formset_factory(
    InnovativeClassLineForm, extra=0, max_num=200, validate_max=True
)
