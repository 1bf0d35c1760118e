"""Choosing a person, organisation or network by typing its name, never its internal number.

A picker is a search box and a group of radio buttons: as the person types, htmx asks the
model's search page for the best matches and puts them in the group; the radio button chosen is
the field's value. Without JavaScript the typed name is looked up when the form is sent: one
match is taken, several are offered as radio buttons with a message, none is an error on the
field. The search page answers only what the picker's queryset holds, so a form can never be
sent with an object its user could not have found.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django import forms
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.text import clean_text, parse_id

MATCHES = 15
MAX_CHOSEN = 50
QUERY_SUFFIX = "__q"
_FIELD_NAME = re.compile(r"^[A-Za-z0-9_-]{1,80}$")

Search = Callable[[QuerySet, str], QuerySet]
Label = Callable[[Model], str]


def _plain_label(obj: Model) -> str:
    return str(obj)


class SearchPicker(forms.Widget):
    template_name = "collegium/widgets/picker.html"

    def __init__(
        self, source: str, label: Label = _plain_label, attrs=None, *, multiple: bool = False
    ):
        super().__init__(attrs)
        self.source = source
        self.label = label
        self.multiple = multiple
        self.candidates: list[Model] = []
        self.queryset: QuerySet | None = None

    def id_for_label(self, id_: str) -> str:
        # The field's <label> names the search box: that is where the person types.
        return f"{id_}{QUERY_SUFFIX}" if id_ else id_

    def value_from_datadict(self, data, files, name):
        if self.multiple:
            sent = [str(v).strip() for v in data.getlist(name)] if hasattr(data, "getlist") else []
            ids = [v for v in sent if parse_id(v) is not None]
            typed = ", ".join(
                [v for v in sent if v and parse_id(v) is None]
                + [clean_text(data.get(name + QUERY_SUFFIX, "")).strip()]
            ).strip(", ")
            return Picks(ids, typed)
        chosen = str(data.get(name) or "").strip()
        if parse_id(chosen) is not None:
            return chosen
        # A login, e-mail or name sent in the field itself (an older form, a script) is looked
        # up like a typed name.
        typed = clean_text(chosen or data.get(name + QUERY_SUFFIX, "")).strip()
        return Typed(typed) if typed else None

    def value_omitted_from_data(self, data, files, name):
        return name not in data and name + QUERY_SUFFIX not in data

    def _chosen(self, value) -> list[str]:
        if isinstance(value, Picks):
            return list(value.ids)
        if self.multiple:
            values = value if isinstance(value, list | tuple) else []
            return [str(getattr(v, "pk", v)) for v in values if parse_id(getattr(v, "pk", v))]
        return [] if isinstance(value, Typed) or parse_id(value) is None else [str(value)]

    def _options(self, value) -> list[dict[str, Any]]:
        chosen = self._chosen(value)
        shown: list[Model] = list(self.candidates)
        missing = [pk for pk in chosen if pk not in {str(o.pk) for o in shown}]
        if missing and self.queryset is not None:
            shown = list(self.queryset.filter(pk__in=missing)[:MAX_CHOSEN]) + shown
        return [
            {"value": str(o.pk), "label": self.label(o), "checked": str(o.pk) in chosen}
            for o in shown
        ]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["options"] = self._options(value)
        widget["typed"] = (
            value.typed
            if isinstance(value, Picks)
            else str(value)
            if isinstance(value, Typed)
            else ""
        )
        widget["input_type"] = "checkbox" if self.multiple else "radio"
        widget["query_name"] = name + QUERY_SUFFIX
        widget["source"] = reverse(self.source)
        widget["text"] = {
            "hint": _("Type a part of the name and choose from the matches."),
            "matches": _("Matches"),
            "search": _("Find"),
        }
        return context


class Typed(str):
    """A name typed into a picker and sent without choosing a match (no JavaScript)."""


class Picks:
    """What a picker of several sent: the ids ticked, and names typed without choosing."""

    def __init__(self, ids: list[str], typed: str):
        self.ids, self.typed = ids, typed

    def __bool__(self) -> bool:
        return bool(self.ids or self.typed)


class PickerField(forms.ModelChoiceField):
    """A ModelChoiceField drawn as a SearchPicker; `search` narrows the queryset by typed text."""

    default_error_messages = {
        "none": gettext_lazy("Nothing matches «%(typed)s»."),
        "several": gettext_lazy("Several match «%(typed)s»: choose one."),
    }

    def __init__(
        self, queryset, *, source: str, search: Search, label_of: Label = _plain_label, **kw
    ):
        self.search = search
        kw.setdefault("widget", SearchPicker(source, label_of))
        super().__init__(queryset, **kw)
        self.widget.queryset = self.queryset

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        if isinstance(getattr(self, "widget", None), SearchPicker):
            self.widget.queryset = self.queryset

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.widget.queryset = result.queryset
        return result

    def to_python(self, value):
        if isinstance(value, Typed):
            matches = list(self.search(self.queryset, value)[: MATCHES + 1])
            if len(matches) == 1:
                return matches[0]
            self.widget.candidates = matches[:MATCHES]
            code = "several" if matches else "none"
            raise forms.ValidationError(
                self.error_messages[code], code=code, params={"typed": value[:100]}
            )
        if value not in self.empty_values and parse_id(value) is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class MultiPickerField(forms.Field):
    """Several people (or schools) chosen by typing: ticked matches, or names, logins or e-mails
    typed and separated by commas, each of which must match exactly one."""

    default_error_messages = {
        "none": gettext_lazy("Nothing matches «%(typed)s»."),
        "several": gettext_lazy("Several match «%(typed)s»: tick the one you mean."),
        "invalid_choice": gettext_lazy("Choose from the matches offered."),
        "too_many": gettext_lazy("Choose at most %(n)d."),
    }

    def __init__(
        self, queryset, *, source: str, search: Search, label_of: Label = _plain_label, **kw
    ):
        self.queryset, self.search = queryset, search
        kw.setdefault("widget", SearchPicker(source, label_of, multiple=True))
        super().__init__(**kw)
        self.widget.queryset = queryset

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.widget.queryset = result.queryset
        return result

    def clean(self, value):
        value = value if isinstance(value, Picks) else Picks([], "")
        if not value and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        ids = list(dict.fromkeys(value.ids))
        if len(ids) > MAX_CHOSEN:
            raise forms.ValidationError(
                self.error_messages["too_many"], code="too_many", params={"n": MAX_CHOSEN}
            )
        found = list(self.queryset.filter(pk__in=ids))
        if len(found) != len(ids):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        for token in [t.strip() for t in value.typed.split(",") if t.strip()][:MAX_CHOSEN]:
            matches = list(self.search(self.queryset, token)[: MATCHES + 1])
            if any(str(m.pk) in ids for m in matches):
                continue  # the search words left in the box after ticking their match
            if len(matches) != 1:
                self.widget.candidates = matches[:MATCHES]
                code = "several" if matches else "none"
                raise forms.ValidationError(
                    self.error_messages[code], code=code, params={"typed": token[:100]}
                )
            found.append(matches[0])
        return list({obj.pk: obj for obj in found}.values())


def picker_options(
    request: HttpRequest, queryset: QuerySet, search: Search, label: Label = _plain_label
) -> HttpResponse:
    """The search page of a picker: the best matches for the typed text, as radio buttons."""
    name = request.GET.get("picker", "")
    if not _FIELD_NAME.match(name):
        return HttpResponseBadRequest(_("Unknown field."))
    typed = clean_text(request.GET.get(name + QUERY_SUFFIX, "")).strip()[:200]
    multiple = request.GET.get("multiple") == "1"
    chosen = [parse_id(v) for v in request.GET.getlist(name)[:MAX_CHOSEN]]
    chosen = [pk for pk in chosen if pk is not None][: MAX_CHOSEN if multiple else 1]
    options: list[dict[str, Any]] = [
        {"value": str(o.pk), "label": label(o), "checked": True}
        for o in queryset.filter(pk__in=chosen)
    ]
    if typed:
        taken = {o["value"] for o in options}
        options += [
            {"value": str(o.pk), "label": label(o), "checked": False}
            for o in search(queryset, typed)[:MATCHES]
            if str(o.pk) not in taken
        ]
    return render(
        request,
        "core/picker_options.html",
        {
            "name": name,
            "options": options,
            "typed": typed,
            "input_type": "checkbox" if multiple else "radio",
        },
    )
