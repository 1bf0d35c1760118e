from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.schoolyear import school_year_of
from people.imports import ImportFileError, check_file

from .models import YEARS, AssessmentPeriod


class ResultImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Results file"))
    school_year = forms.IntegerField(
        label=gettext_lazy("School year (the year it starts in)"), validators=YEARS
    )
    period = forms.ModelChoiceField(
        label=gettext_lazy("Period of rows without one"),
        queryset=AssessmentPeriod.objects.none(),
        required=False,
        help_text=gettext_lazy("Only needed when the file has no period column."),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Dry run: only check the file, write nothing"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, country_code: str = "RU", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = AssessmentPeriod.objects.filter(country_code=country_code)
        self.fields["school_year"].initial = school_year_of(timezone.localdate())
        self.fields["file"].help_text = _(
            "Excel (.xlsx) or CSV (UTF-8 or Windows-1251), up to %(size)s."
        ) % {"size": filesizeformat(settings.MAX_UPLOAD_BYTES)}
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.csv,.txt"

    def clean_file(self):
        file = self.cleaned_data["file"]
        try:
            check_file(file)
        except ImportFileError as exc:
            raise forms.ValidationError(exc.message) from exc
        return file


class BySchoolForm(forms.Form):
    """The period and subject of the schools' comparison (GET). A field that does not validate
    shows its error and the page falls back to its default for it."""

    BEST, WORST = "best", "worst"

    year = forms.IntegerField(
        label=gettext_lazy("School year"), min_value=2000, max_value=2100, required=False
    )
    period = forms.ChoiceField(label=gettext_lazy("Period"), required=False)
    subject = forms.ChoiceField(label=gettext_lazy("Subject"), required=False)
    order = forms.ChoiceField(
        label=gettext_lazy("Order"),
        required=False,
        choices=[(BEST, gettext_lazy("Best first")), (WORST, gettext_lazy("Worst first"))],
    )

    def __init__(self, data, *, periods: list[AssessmentPeriod], subjects: list[str]):
        super().__init__(data)
        self.fields["period"].choices = [(p.code, p.name) for p in periods]
        self.fields["subject"].choices = [("", _("All subjects"))] + [(s, s) for s in subjects]

    def value(self, name: str, default):
        """The field's cleaned value, or the default when it is empty or did not validate."""
        if not self.is_valid() and name in self.errors:
            return default
        return self.cleaned_data.get(name) or default
