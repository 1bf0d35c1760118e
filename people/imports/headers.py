"""Finding the header row (perhaps under title rows, perhaps two rows merged) and its columns.

The teacher list's words and required columns are the defaults; another import (pupils'
results) passes its own header patterns, its test of a usable header and its message.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _

from .fields import _HEADER_PATTERNS, HEADER_SCAN_ROWS
from .files import _decodings, sniff_format
from .report import ImportFileError
from .tables import _delimiters, _read_csv, _read_xlsx, _Table


def _text(value: Any) -> str:
    """A cell as text with whitespace (line breaks, non-breaking spaces) collapsed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return " ".join(str(value).split())


def _norm_label(text: str) -> str:
    text = text.lower().replace("ё", "е")
    text = re.sub(r"[^\w№#]+", " ", text)
    return " ".join(text.split())


Patterns = Sequence[tuple[str, re.Pattern]]


def match_header(label: str, patterns: Patterns | None = None) -> str | None:
    """The field a header cell names, or None."""
    normalised = _norm_label(label)
    if not normalised:
        return None
    for key, pattern in _HEADER_PATTERNS if patterns is None else patterns:
        if pattern.search(normalised):
            return key
    return None


@dataclass
class _Header:
    columns: dict[str, int]  # field → column
    labels: dict[str, str]  # field → header text as in the file
    first_row: int
    last_row: int
    texts: dict[int, set[str]] = field(default_factory=dict)  # normalised header text by column


def _map_columns(
    candidates: list[list[str]], patterns: Patterns | None = None
) -> tuple[dict[str, int], dict[str, str]]:
    """For each column, the first of its candidate labels that names a field; first column wins."""
    columns: dict[str, int] = {}
    labels: dict[str, str] = {}
    for col, options in enumerate(candidates):
        for label in options:
            key = match_header(label, patterns) if label else None
            if key:
                if key not in columns:
                    columns[key] = col
                    labels[key] = label
                break
    return columns, labels


def _score(columns: dict[str, int]) -> int:
    return len([k for k in columns if k != "number"])


def _name_ok(columns: dict[str, int]) -> bool:
    return "full_name" in columns or ("last_name" in columns and "first_name" in columns)


def _is_subheader(table: _Table, top: int, below: int, width: int) -> bool:
    """Whether the row below may hold sub-headers of a group header (merged or left blank above)."""
    for col in range(width):
        if table.raw(below, col) is None:
            continue
        if table.raw(top, col) is None:
            return True
        merge = table.merges.get((top, col))
        if merge is not None and merge.spans_cols:
            return True
    return False


def _find_header(
    table: _Table,
    patterns: Patterns | None = None,
    required: Callable[[dict[str, int]], bool] = _name_ok,
) -> _Header | None:
    """The first row (with the row below it when that holds sub-headers) naming the `required`
    columns, among the first HEADER_SCAN_ROWS rows."""
    width = table.width
    scan = table.rows[:HEADER_SCAN_ROWS]
    for index, (top, _values) in enumerate(scan):
        top_labels = [_text(table.filled(top, c)) for c in range(width)]
        columns, labels = _map_columns([[label] for label in top_labels], patterns)
        if _score(columns) < 2 and not required(columns):
            continue
        last_row = top
        if index + 1 < len(table.rows):
            below = table.rows[index + 1][0]
            if _is_subheader(table, top, below, width):
                options = []
                for c in range(width):
                    group, sub = top_labels[c], _text(table.filled(below, c))
                    combined = group if not sub or sub == group else f"{group} {sub}".strip()
                    options.append([sub, combined] if sub and sub != group else [combined])
                columns2, labels2 = _map_columns(options, patterns)
                if required(columns2) and _score(columns2) > _score(columns):
                    columns, labels, last_row = columns2, labels2, below
        if not required(columns):
            continue
        texts = {
            c: {_norm_label(_text(table.filled(r, c))) for r in range(top, last_row + 1)} - {""}
            for c in range(width)
        }
        # A header cell merged down over more rows pushes the start of the data further down.
        for c in range(width):
            for r in range(top, last_row + 1):
                merge = table.merges.get((r, c))
                if merge is not None and merge.min_row >= top:
                    last_row = max(last_row, merge.max_row)
        return _Header(
            columns=columns, labels=labels, first_row=top, last_row=last_row, texts=texts
        )
    return None


def _no_header() -> ImportFileError:
    return ImportFileError(
        _(
            "Could not find the header row of the table. The table must have a column with "
            "the full name (“ФИО”) or the columns “Фамилия” (surname) and “Имя” (first name); "
            "other columns are optional."
        )
    )


def _locate(
    data: bytes,
    patterns: Patterns | None = None,
    required: Callable[[dict[str, int]], bool] = _name_ok,
    no_header: Callable[[], ImportFileError] = _no_header,
) -> tuple[_Table, _Header, str]:
    """The table and its header; the first sheet, encoding and separator that have one."""
    kind = sniff_format(data)
    if kind == "xlsx":
        empty = True
        for table in _read_xlsx(data):
            header = _find_header(table, patterns, required)
            if header is not None:
                return table, header, kind
            empty = empty and not table.rows
        if empty:
            raise ImportFileError(_("The workbook is empty."))
        raise no_header()
    for _encoding, text in _decodings(data):
        for delimiter in _delimiters(text):
            head = _read_csv(text, delimiter, limit=HEADER_SCAN_ROWS + 2)
            header = _find_header(head, patterns, required)
            if header is not None:
                return _read_csv(text, delimiter), header, kind
    raise no_header()
