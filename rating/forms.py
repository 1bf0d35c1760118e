"""The scheme editor's rows: a formset whose rows keep their ids (core.rows.match_rows)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from people import measures


class CriterionForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    measure = forms.ChoiceField(label=_("measure"), required=False)
    weight = forms.DecimalField(
        label=_("weight"), required=False, max_digits=7, decimal_places=2, localize=True
    )
    cap = forms.DecimalField(
        label=_("counted up to"),
        required=False,
        max_digits=9,
        decimal_places=2,
        min_value=0,
        localize=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = [("", "—"), *measures.choices()]

    @property
    def empty(self) -> bool:
        data = self.cleaned_data
        return not data.get("measure") and data.get("weight") is None and not data.get("id")


CriterionFormSet = forms.formset_factory(
    CriterionForm, extra=2, can_delete=True, max_num=30, validate_max=True, absolute_max=30
)


def rows_of(formset) -> list[dict]:
    """The kept rows in the submitted order, each with its id when it had one."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE") or form.empty:
            continue
        row = {"measure": data.get("measure"), "weight": data.get("weight"), "cap": data.get("cap")}
        if data.get("id"):
            row["id"] = data["id"]
        rows.append(row)
    return rows
