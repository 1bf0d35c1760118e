from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput

from .models import PeriodKind
from .selectors import LATEST, default_range


class RangeForm(forms.Form):
    """The period kind and the range, as the page and the API take them (?period=&from=&to=)."""

    period = forms.ChoiceField(label=_("Figures by"), choices=PeriodKind.choices, required=False)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        # "from" is a Python keyword: the fields get their public names here.
        self.fields["from"] = forms.DateField(label=_("From"), required=False)
        self.fields["to"] = forms.DateField(label=_("To"), required=False)
        for name in ("from", "to"):
            self.fields[name].widget = DateInput()

    def clean(self):
        data = super().clean()
        first, last = default_range()
        data["period"] = data.get("period") or PeriodKind.MONTH
        data["from"] = data.get("from") or first
        data["to"] = data.get("to") or last
        too_late = [name for name in ("from", "to") if data[name] > LATEST]
        for name in too_late:
            self.add_error(
                name,
                _("Choose a date no later than %(date)s.") % {"date": f"{LATEST:%d.%m.%Y}"},
            )
        if too_late:
            return data
        if data["from"] > data["to"]:
            self.add_error("to", _("The end of the range is before its start."))
        return data

    def chosen(self) -> tuple[str, object, object]:
        """The valid choice, or the default one when the input is not."""
        if self.is_valid():
            return self.cleaned_data["period"], self.cleaned_data["from"], self.cleaned_data["to"]
        first, last = default_range()
        return PeriodKind.MONTH, first, last
