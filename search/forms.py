"""The search box and its filters (page and API read the same form). They parse; the selectors
decide what is found."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.text import parse_id

from .models import Entry
from .selectors import MAX_QUERY_LENGTH, MIN_QUERY_LENGTH, Filters


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=MAX_QUERY_LENGTH, required=False)
    kind = forms.ChoiceField(
        label=_("What"),
        choices=[("", _("Everything")), *Entry.Kind.choices],
        required=False,
    )
    subject = forms.CharField(label=_("subject"), max_length=200, required=False)
    community = forms.CharField(label=_("community"), max_length=40, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The query string says from= and to= ("from" is a Python keyword).
        self.fields["from"] = forms.DateField(
            label=_("from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
        )
        self.fields["to"] = forms.DateField(
            label=_("to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
        )

    def clean_q(self) -> str:
        q = " ".join(self.cleaned_data["q"].split())
        if q and len(q) < MIN_QUERY_LENGTH:
            raise forms.ValidationError(
                _("Type at least %(n)d characters.") % {"n": MIN_QUERY_LENGTH}
            )
        return q

    def clean_community(self) -> int | None:
        value = self.cleaned_data["community"].strip()
        if not value:
            return None
        community_id = parse_id(value)
        if community_id is None:
            raise forms.ValidationError(_("Choose a community from the list."))
        return community_id

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            self.add_error("to", _("The end date is before the start date."))
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            kind=data.get("kind") or "",
            subject=(data.get("subject") or "").strip(),
            community=data.get("community"),
            date_from=data.get("from"),
            date_to=data.get("to"),
        )
