from django import forms
from django.utils.translation import gettext_lazy as _

from core.pickers import PickerField

from . import selectors
from .models import Network, NetworkMembership, Organisation, Territory


def _organisation_picker(**kwargs) -> PickerField:
    return PickerField(
        queryset=selectors.organisations_to_pick(),
        source="organisations:pick",
        search=selectors.search_organisations,
        label_of=selectors.organisation_label,
        **kwargs,
    )


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "short_name",
            "kind",
            "territory",
            "address",
            "email",
            "phone",
            "website",
            "low_results",
            "difficult_conditions",
            "high_results",
            "is_active",
        ]

    def __init__(self, *args, territories=None, **kwargs):
        super().__init__(*args, **kwargs)
        if territories is not None:
            self.fields["territory"].queryset = territories


class NetworkForm(forms.ModelForm):
    class Meta:
        model = Network
        fields = [
            "name",
            "territory",
            "lead_school",
            "description",
            "methodological_theme",
            "theme_start_year",
            "theme_end_year",
        ]

    def __init__(self, *args, territories=None, **kwargs):
        super().__init__(*args, **kwargs)
        if territories is not None:
            self.fields["territory"].queryset = territories
        # A region has thousands of schools: the lead school is found by name as one types.
        self.fields["lead_school"] = _organisation_picker(
            label=self.fields["lead_school"].label,
            required=self.fields["lead_school"].required,
        )


class NetworkSchoolForm(forms.Form):
    organisation = _organisation_picker(label=_("School"))
    role = forms.ChoiceField(label=_("role"), choices=NetworkMembership.Role.choices)


class TerritoryForm(forms.ModelForm):
    class Meta:
        model = Territory
        fields = ["name", "kind", "parent", "country_code", "language"]

    def __init__(self, *args, parents=None, **kwargs):
        super().__init__(*args, **kwargs)
        if parents is not None:
            self.fields["parent"].queryset = parents
