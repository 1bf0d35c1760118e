"""Data rows turned into clean values, each row with the reasons it cannot be imported."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from core.text import search_key

from ..models import Person, Position, QualificationCategory, TeacherProfile
from .fields import (
    _CATEGORY_ALIASES,
    _CATEGORY_NONE,
    _CATEGORY_STOP_WORDS,
    _SUMMARY_WORDS,
    DEFAULT_POSITION,
    FIELD_LABELS,
    MAX_EXPERIENCE_YEARS,
    MAX_WORKLOAD,
    PROFILE_TEXT_FIELDS,
)
from .files import read_file_bytes
from .headers import _Header, _locate, _norm_label, _text
from .report import ImportSource
from .tables import _blank, _Table


@dataclass
class ParsedRow:
    """One data row: its physical number, cleaned values and what is wrong with it."""

    row: int
    person: dict[str, str] = field(default_factory=dict)
    position: str = DEFAULT_POSITION
    position_given: bool = False  # False: the default title, added only to people without one
    profile: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def full_name(self) -> str:
        parts = [self.person.get(f, "") for f in ("last_name", "first_name", "middle_name")]
        return " ".join(p for p in parts if p)

    @property
    def name_key(self) -> str:
        return name_key(self.full_name)

    @property
    def email(self) -> str:
        return self.person.get("email", "")


@dataclass
class ParseResult:
    rows: list[ParsedRow]
    header_row: int
    columns: list[str]
    sheet: str = ""
    file_format: str = ""


def name_key(full_name: str) -> str:
    """The same key as Person.search_name."""
    return search_key(full_name)


def _category_key(text: str) -> str:
    words = _norm_label(text).split()
    key = " ".join(w for w in words if w not in _CATEGORY_STOP_WORDS)
    return _CATEGORY_ALIASES.get(key, key)


def _category_map(categories: Iterable[QualificationCategory]) -> dict[str, QualificationCategory]:
    # Current categories and those of the most specific territory win a clash of names.
    ordered = sorted(categories, key=lambda c: (c.is_current, len(c.territory.path or "")))
    return {_category_key(c.name): c for c in ordered}


class _RowParser:
    def __init__(
        self,
        header: _Header,
        categories: Iterable[QualificationCategory],
        today: date,
    ):
        self.header = header
        self.categories = _category_map(categories)
        self.category_names = ", ".join(sorted({c.name for c in self.categories.values()}))
        self.today = today

    def label(self, key: str) -> str:
        return self.header.labels.get(key) or str(FIELD_LABELS.get(key, key))

    def parse(self, number: int, get: Callable[[str], Any]) -> ParsedRow | None:
        """None for rows to skip silently (subtotals, a repeated header)."""
        row = ParsedRow(row=number)
        if not self._name(row, get):
            return None
        position = _text(get("position"))
        if position:
            row.position, row.position_given = position, True
            self._length(row, "position", position, Position._meta.get_field("title").max_length)
        email = _text(get("email"))
        if email:
            email = email.removeprefix("mailto:").strip()
            try:
                validate_email(email)
            except ValidationError:
                row.errors.append(_("“%(value)s” is not a valid email address.") % {"value": email})
            else:
                row.person["email"] = email
        phone = _text(get("phone"))
        if phone:
            self._length(row, "phone", phone, Person._meta.get_field("phone").max_length)
            row.person["phone"] = phone
        for key in PROFILE_TEXT_FIELDS:
            value = _text(get(key))
            if value:
                max_length = TeacherProfile._meta.get_field(key).max_length
                if self._length(row, key, value, max_length):
                    row.profile[key] = value
        self._category(row, get("qualification_category"))
        self._date(row, "category_assigned_on", get("category_assigned_on"))
        self._experience(row, get)
        self._workload(row, get("workload_hours"))
        return row

    def _name(self, row: ParsedRow, get: Callable[[str], Any]) -> bool:
        columns = self.header.columns
        full = _text(get("full_name")) if "full_name" in columns else ""
        if full:
            source = full
            parts = full.split()
            last, first, middle = parts[0], " ".join(parts[1:2]), " ".join(parts[2:])
        else:
            last, first, middle = (
                _text(get(k)) for k in ("last_name", "first_name", "middle_name")
            )
            source = " ".join(p for p in (last, first, middle) if p)
        lowered = source.lower()
        if lowered.startswith(_SUMMARY_WORDS):
            return False
        row.person.update(last_name=last, first_name=first, middle_name=middle)
        if not source:
            row.errors.append(_("The name is empty."))
        elif not first or not last:
            row.errors.append(_("The name must contain a surname and a first name."))
        elif re.search(r"\d", source):
            row.errors.append(_("The name must not contain digits."))
        elif re.fullmatch(r"(\w\.\s*)+|\w", first):
            row.errors.append(_("Write the first name in full, not as an initial."))
        for field_name, value in (
            ("last_name", last),
            ("first_name", first),
            ("middle_name", middle),
        ):
            limit = Person._meta.get_field(field_name).max_length
            if len(value) > limit:
                row.errors.append(
                    _("%(column)s: at most %(limit)s characters.")
                    % {"column": FIELD_LABELS[field_name], "limit": limit}
                )
        return True

    def _length(self, row: ParsedRow, key: str, value: str, limit: int | None) -> bool:
        if limit and len(value) > limit:
            row.errors.append(
                _("%(column)s: at most %(limit)s characters.")
                % {"column": self.label(key), "limit": limit}
            )
            return False
        return True

    def _category(self, row: ParsedRow, value: Any) -> None:
        text = _text(value)
        if not text:
            return
        key = _category_key(text)
        if key in self.categories:
            row.profile["qualification_category"] = self.categories[key]
        elif key in _CATEGORY_NONE:
            row.profile["qualification_category"] = None
        else:
            row.errors.append(
                _("Unknown qualification category “%(value)s”. Known categories: %(known)s.")
                % {"value": text, "known": self.category_names or "—"}
            )

    def _date(self, row: ParsedRow, key: str, value: Any) -> None:
        if _blank(value):
            return
        parsed = parse_date(value)
        if parsed is None:
            row.errors.append(
                _("%(column)s: “%(value)s” is not a date; write it as dd.mm.yyyy.")
                % {"column": self.label(key), "value": _text(value)}
            )
        elif parsed > self.today:
            row.errors.append(
                _("%(column)s: the date %(value)s is in the future.")
                % {"column": self.label(key), "value": parsed.strftime("%d.%m.%Y")}
            )
        else:
            row.profile[key] = parsed

    def _experience(self, row: ParsedRow, get: Callable[[str], Any]) -> None:
        for key in ("experience_total", "experience_teaching"):
            value = get(key)
            if _blank(value):
                continue
            number = parse_int(value)
            if number is None:
                row.errors.append(
                    _("%(column)s: “%(value)s” is not a whole number of years.")
                    % {"column": self.label(key), "value": _text(value)}
                )
            elif number < 0:
                row.errors.append(
                    _("%(column)s: the number cannot be negative.") % {"column": self.label(key)}
                )
            elif number > MAX_EXPERIENCE_YEARS:
                row.errors.append(_("Experience of more than 70 years is not plausible."))
            else:
                row.profile[key] = number
        total = row.profile.get("experience_total")
        teaching = row.profile.get("experience_teaching")
        if total is not None and teaching is not None and teaching > total:
            row.errors.append(_("Teaching experience cannot exceed total experience."))

    def _workload(self, row: ParsedRow, value: Any) -> None:
        if _blank(value):
            return
        hours = parse_decimal(value)
        if hours is None:
            row.errors.append(
                _("%(column)s: “%(value)s” is not a number of hours.")
                % {"column": self.label("workload_hours"), "value": _text(value)}
            )
        elif not (0 <= hours <= MAX_WORKLOAD):
            row.errors.append(_("Workload must be between 0 and 60 hours a week."))
        elif hours != hours.quantize(Decimal("0.1")):
            row.errors.append(
                _("%(column)s: at most one decimal place.")
                % {"column": self.label("workload_hours")}
            )
        else:
            row.profile["workload_hours"] = hours.quantize(Decimal("0.1"))


_DATE_DMY = re.compile(
    r"(\d{1,2})[./\-](\d{1,2})[./\-](\d{4}|\d{2})(?:\s*г\.?)?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
)
_DATE_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?")
_INT = re.compile(r"([+-]?\d+)(?:[.,]0+)?\s*(?:лет|года?|г\.?|л\.?|years?)?")
_DECIMAL = re.compile(r"([+-]?\d+(?:[.,]\d+)?)\s*(?:ч\.?|час\w*|h|hours?)?")


def parse_date(value: Any) -> date | None:
    """Excel dates, dd.mm.yyyy (also with / or -, two-digit years) and yyyy-mm-dd."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 10_000 <= value <= 80_000:  # a date serial in a cell formatted as a number
            from openpyxl.utils.datetime import from_excel

            return from_excel(value).date()
        return None
    text = _text(value)
    try:
        if match := _DATE_DMY.fullmatch(text):
            day, month, year = (int(g) for g in match.groups())
            if year < 100:
                year += 2000 if year <= date.today().year % 100 else 1900
            return date(year, month, day)
        if match := _DATE_ISO.fullmatch(text):
            year, month, day = (int(g) for g in match.groups())
            return date(year, month, day)
    except ValueError:
        return None
    return None


def parse_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    match = _INT.fullmatch(_text(value).lower())
    return int(match.group(1)) if match else None


def parse_decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return Decimal(str(value))
    match = _DECIMAL.fullmatch(_text(value).lower())
    if not match:
        return None
    try:
        return Decimal(match.group(1).replace(",", "."))
    except InvalidOperation:
        return None


def _repeats_header(header: _Header, values: list[Any]) -> bool:
    """The name cell holds its column's header text (as when the header is printed per page)."""
    col = header.columns.get("full_name", header.columns.get("last_name"))
    value = values[col] if col is not None and col < len(values) else None
    return isinstance(value, str) and _norm_label(value) in header.texts.get(col, set())


def _is_numbering_row(values: list[Any]) -> bool:
    """The row of column numbers (1, 2, 3…) printed under many Russian table headers."""
    numbers = [parse_int(v) for v in values if not _blank(v)]
    return len(numbers) >= 2 and numbers == list(range(1, len(numbers) + 1))


def parse_teacher_file(
    file: ImportSource,
    *,
    categories: Iterable[QualificationCategory] = (),
    today: date | None = None,
) -> ParseResult:
    """Read and check a teacher list. Raises ImportFileError when the file cannot be used.

    Every returned row carries its physical row number and its errors; empty rows, subtotals
    and repeated headers are left out. Duplicates within the file are errors of the later row.
    """
    data = read_file_bytes(file)
    table, header, file_format = _locate(data)
    parser = _RowParser(header, categories, today or timezone.localdate())
    columns = header.columns
    content_columns = [c for k, c in columns.items() if k != "number"]
    header_width = 1 + max((c for c, texts in header.texts.items() if texts), default=0)
    rows: list[ParsedRow] = []
    merges = table.merges
    first = True
    for number, values in table.rows:
        if number <= header.last_row:
            continue
        # Both readers keep blank cells as None, so a row's own list answers for table.raw().
        width = len(values)
        present = [c for c in content_columns if c < width and values[c] is not None]
        if not present:
            continue
        if _repeats_header(header, values):
            continue  # the header printed again on a new page
        if first:
            first = False
            if _is_numbering_row(values):
                continue
        if len(present) == 1:
            merge = table.merges.get((number, present[0]))
            if merge is not None and merge.spans_cols and not merge.spans_rows:
                continue  # a section heading ("Начальная школа") merged across the table

        def get(key: str, number: int = number, values: list[Any] = values) -> Any:
            col = columns.get(key)
            if col is None:
                return None
            value = values[col] if col < len(values) else None
            if value is None and merges:
                merge = merges.get((number, col))
                # A cell merged down over several teachers (the same position, say) counts
                # for each of them.
                if merge is not None and merge.spans_rows and merge.min_row > header.last_row:
                    value = merge.value
            return value

        parsed = parser.parse(number, get)
        if parsed is not None:
            if table.delimiter and width > header_width:
                extra = [c for c in range(header_width, width) if values[c] is not None]
                if extra:
                    parsed.errors.insert(0, _split_value(extra[-1] + 1, header_width, table))
            rows.append(parsed)
    _mark_duplicates(rows)
    ordered = sorted(columns, key=columns.get)
    return ParseResult(
        rows=rows,
        header_row=header.first_row,
        columns=[k for k in ordered if k != "number"],
        sheet=table.sheet,
        file_format=file_format,
    )


def _split_value(cells: int, columns: int, table: _Table) -> str:
    return _(
        "The row has %(cells)s cells but the header only %(columns)s: a value probably contains "
        "the separator “%(separator)s” without quotes around it, so it was split in two and the "
        "cells after it moved right. Put such values in double quotes, or save the list from "
        "Excel again."
    ) % {"cells": cells, "columns": columns, "separator": table.delimiter}


def _mark_duplicates(rows: list[ParsedRow]) -> None:
    seen_email: dict[str, int] = {}
    seen_name: dict[str, int] = {}
    for row in rows:
        if not row.full_name:
            continue
        email = row.email.lower()
        earlier = seen_email.get(email) if email else None
        if earlier is None and not email:
            earlier = seen_name.get(row.name_key)
        if earlier is not None:
            row.errors.append(_("The same person is already in row %(row)s.") % {"row": earlier})
            continue
        if email:
            seen_email[email] = row.row
        seen_name.setdefault(row.name_key, row.row)
