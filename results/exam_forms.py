from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.schoolyear import school_year_of
from people.imports import ImportFileError, check_file

from .models import YEARS, AssessmentKind


class ExamImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File of pupils' scores"))
    kind = forms.ModelChoiceField(
        label=gettext_lazy("Kind of assessment"), queryset=AssessmentKind.objects.none()
    )
    held_on = forms.DateField(
        label=gettext_lazy("Date held"), widget=forms.DateInput(attrs={"type": "date"})
    )
    school_year = forms.IntegerField(
        label=gettext_lazy("School year (the year it starts in)"), validators=YEARS
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Dry run: only check the file, write nothing"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, country_code: str = "RU", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = AssessmentKind.objects.filter(country_code=country_code)
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
