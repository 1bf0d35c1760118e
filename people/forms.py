from django import forms
from django.forms import inlineformset_factory

from core.forms import DateInput

from .models import Achievement, Award, Course, Person, QualificationRecord, TeacherProfile
from .services import PROFILE_FIELDS


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["last_name", "first_name", "middle_name", "email", "phone"]


class TeacherProfileForm(forms.ModelForm):
    class Meta:
        model = TeacherProfile
        fields = list(PROFILE_FIELDS)
        widgets = {
            "category_assigned_on": DateInput(),
            "next_attestation_on": DateInput(),
            "experience_generalisation": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, categories=None, **kwargs):
        super().__init__(*args, **kwargs)
        if categories is not None:
            self.fields["qualification_category"].queryset = categories
            self.fields["category_sought"].queryset = categories


def _formset(model, fields, widgets=None):
    return inlineformset_factory(
        TeacherProfile, model, fields=fields, extra=1, can_delete=True, widgets=widgets or {}
    )


CourseFormSet = _formset(
    Course, ["title", "kind", "provider", "hours", "completed_on"], {"completed_on": DateInput()}
)
AwardFormSet = _formset(Award, ["title", "level", "year"])
AchievementFormSet = _formset(Achievement, ["kind", "year", "description", "level"])
QualificationFormSet = _formset(
    QualificationRecord,
    ["category", "assigned_on", "order_reference"],
    {"assigned_on": DateInput()},
)
