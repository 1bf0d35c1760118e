"""Forms of attestation and growth: the attestation list's filters, post-course support."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, PastedTextField
from core.pickers import PickerField

from . import selectors
from .models import Course, CourseSupport
from .selectors import AttestationStatus

MONTHS = [(3, "3"), (6, "6"), (12, "12"), (24, "24")]
LEVEL_CHOICES = [
    ("", _("all")),
    ("yes", _("completed level courses")),
    ("no", _("did not complete level courses")),
]


class AttestationFilterForm(forms.Form):
    q = forms.CharField(label=_("Surname"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Show"), choices=AttestationStatus.choices, required=False)
    months = forms.TypedChoiceField(
        label=_("Within, months"), choices=MONTHS, coerce=int, required=False
    )
    category = forms.ChoiceField(label=_("Category held"), required=False)
    level = forms.ChoiceField(label=_("Level programme"), choices=LEVEL_CHOICES, required=False)

    def __init__(self, *args, categories: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("any")), *[(c, c) for c in categories]]

    def params(self) -> dict:
        """The selector's arguments; a bad value falls back to its default, never a 500."""
        data: dict = {}
        if self.is_bound:
            self.is_valid()  # a field with a bad value is left out; the valid ones still apply
            data = self.cleaned_data
        level = data.get("level") or ""
        return {
            "q": data.get("q") or "",
            "status": data.get("status") or AttestationStatus.DUE,
            "months": data.get("months") or 12,
            "category": data.get("category") or "",
            "level_trained": {"yes": True, "no": False}.get(level),
        }


class LevelFilterForm(forms.Form):
    level = forms.ChoiceField(label=_("Level programme"), choices=LEVEL_CHOICES, required=False)

    def level_trained(self) -> bool | None:
        level = self.cleaned_data.get("level") if self.is_bound and self.is_valid() else ""
        return {"yes": True, "no": False}.get(level or "")


class CourseSupportForm(forms.ModelForm):
    supporter = PickerField(
        selectors.people_to_pick(),
        source="people:pick",
        search=selectors.search_people_or_login,
        label_of=selectors.person_label,
        label=_("who supports"),
        required=False,
    )
    plan = PastedTextField(label=_("plan of support"), widget=forms.Textarea(attrs={"rows": 3}))
    notes = PastedTextField(
        label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    class Meta:
        model = CourseSupport
        fields = ["course", "supporter", "plan", "started_on", "follow_up_on", "notes"]
        widgets = {"started_on": DateInput(), "follow_up_on": DateInput()}

    def __init__(self, *args, profile=None, **kwargs):
        super().__init__(*args, **kwargs)
        courses = Course.objects.none()
        if profile is not None and profile.pk:
            courses = Course.objects.filter(profile=profile)
        self.fields["course"].queryset = courses
        self.fields["course"].label_from_instance = lambda c: f"{c.title} ({c.get_kind_display()})"
