"""A results file read into class rows: a counts table as it is, a journal export aggregated.

A journal export has one row per pupil and mark; its rows are counted into one record per
class, subject and period as they are read, and the pupil's name is never read at all (its
column is only recognised so it is not mistaken for the teacher's), so no pupil's name can
reach the database, the stored report or a log.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from people.imports.files import read_file_bytes
from people.imports.headers import _locate, _norm_label, _text
from people.imports.report import ImportFileError, ImportSource
from people.imports.rows import _is_numbering_row, parse_int
from people.imports.tables import _blank

from ..models import AssessmentPeriod, GradingScale, ResultRow
from .fields import (
    COUNT_COLUMNS,
    FIELD_LABELS,
    HEADER_PATTERNS,
    MAX_COUNT,
    MAX_TEXT_ECHO,
    NOT_ASSESSED,
    period_key,
)

COUNTS_HEADER = ["Класс", "Предмет", "Учитель", "Период", "5", "4", "3", "2", "н/а"]
COUNTS = "counts"
JOURNAL = "journal"

_CLASS = re.compile(
    r"(\d{1,2})\s*(?:-|–|—|\s)?\s*(?:класс|кл\.?)?\s*[«\"'(]?\s*([^\W\d_]{0,3})\s*[»\"')]?"
    r"\s*(?:класс|кл\.?)?",
    re.IGNORECASE,
)
_FORMULA_START = ("=", "+", "-", "@")
_SUMMARY = ("итого", "всего", "total")


def _required(columns: dict[str, int]) -> bool:
    has_class = "class" in columns or "grade" in columns
    has_marks = "mark" in columns or any(k in columns for k in COUNT_COLUMNS)
    return has_class and "subject" in columns and has_marks


def _no_header() -> ImportFileError:
    return ImportFileError(
        _(
            "Could not find the header row of the table. The table must have the columns "
            "“Класс” (class) and “Предмет” (subject), and either the counts of marks "
            "(“5”, “4”, “3”, “2”, “н/а”) or, for a journal export, the column “Отметка” (mark)."
        )
    )


def _echo(value: str) -> str:
    return value if len(value) <= MAX_TEXT_ECHO else value[:MAX_TEXT_ECHO] + "…"


@dataclass
class Record:
    """One class's marks in one subject and period, with the file rows it came from."""

    row: int  # the first physical row
    grade: int
    letter: str
    subject: str
    period: AssessmentPeriod
    teacher_name: str = ""
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ResultRow.COUNT_FIELDS, 0))
    teachers: Counter = field(default_factory=Counter)

    @property
    def key(self) -> tuple:
        return (self.period.pk, self.grade, self.letter, self.subject.lower())

    @property
    def class_name(self) -> str:
        return f"{self.grade}{self.letter}"


@dataclass
class Parsed:
    records: list[Record]
    errors: list[tuple[int, str]]
    rows_read: int
    header_row: int
    columns: list[str]
    file_format: str  # COUNTS or JOURNAL
    sheet: str = ""


class _Reader:
    def __init__(
        self,
        labels: dict[str, str],
        periods: Iterable[AssessmentPeriod],
        default_period: AssessmentPeriod | None,
        scale: GradingScale,
    ):
        self.labels = labels
        self.periods = {(p.kind, p.number): p for p in periods}
        self.period_codes = {p.code: p for p in self.periods.values()}
        self.period_names = ", ".join(p.name for p in self.periods.values())
        self.default_period = default_period
        self.scale = scale
        self.errors: list[str] = []

    def label(self, key: str) -> str:
        return self.labels.get(key) or str(FIELD_LABELS.get(key, key))

    def fail(self, key: str, message: str) -> None:
        self.errors.append(f"{self.label(key)}: {message}")

    def text(self, key: str, value: Any, limit: int) -> str:
        """A text cell, refused when it holds control characters, a formula or too much."""
        raw = "" if value is None else str(value)
        if any(unicodedata.category(ch) == "Cc" and ch not in "\t\r\n" for ch in raw):
            self.fail(key, _("the cell contains control characters; type the value again."))
            return ""
        text = _text(value)
        if text.startswith(_FORMULA_START):
            self.fail(
                key,
                _("“%(value)s” looks like a formula; write the value itself.")
                % {"value": _echo(text)},
            )
            return ""
        if len(text) > limit:
            self.fail(
                key,
                _("at most %(limit)s characters (the cell has %(length)s).")
                % {"limit": limit, "length": len(text)},
            )
            return ""
        return text

    def school_class(self, get: Callable[[str], Any]) -> tuple[int, str] | None:
        if get("grade") is not None or "class" not in self.labels:
            grade = parse_int(get("grade"))
            letter = self.text("letter", get("letter"), 10).upper()
            if grade is None or not 1 <= grade <= 12:
                self.fail(
                    "grade",
                    _("“%(value)s” is not a grade from 1 to 12.")
                    % {"value": _echo(_text(get("grade")))},
                )
                return None
            return grade, letter
        text = self.text("class", get("class"), 40)
        if not text:
            if not self.errors:
                self.fail("class", _("the class is empty."))
            return None
        match = _CLASS.fullmatch(text)
        grade = int(match.group(1)) if match else 0
        if not match or not 1 <= grade <= 12:
            self.fail(
                "class",
                _("“%(value)s” is not a class; write it as 5А or 10 «Б».") % {"value": _echo(text)},
            )
            return None
        return grade, match.group(2).upper()

    def period(self, get: Callable[[str], Any]) -> AssessmentPeriod | None:
        value = get("period")
        if _blank(value):
            if self.default_period is None:
                self.fail(
                    "period",
                    _("the period is empty; name it in the file or choose it for the import."),
                )
            return self.default_period
        text = self.text("period", value, 100)
        if not text:
            return None
        found = self.period_codes.get(text.lower())
        if found is None:
            key = period_key(text)
            found = self.periods.get(key) if key else None
        if found is None:
            self.fail(
                "period",
                _("“%(value)s” is not a period of this country's schools; use one of: %(known)s.")
                % {"value": _echo(text), "known": self.period_names},
            )
        return found

    def count(self, key: str, value: Any) -> int:
        if _blank(value):
            return 0
        number = parse_int(value)
        if number is None:
            self.fail(
                key,
                _("“%(value)s” is not a whole number.") % {"value": _echo(_text(value))},
            )
            return 0
        if number < 0:
            self.fail(key, _("the number cannot be negative."))
            return 0
        if number > MAX_COUNT:
            self.fail(
                key,
                _("%(value)s marks of one kind in one class is not plausible (at most %(max)s).")
                % {"value": number, "max": MAX_COUNT},
            )
            return 0
        return number

    def mark(self, value: Any) -> str | None:
        """The count field a journal's mark goes to."""
        text = _text(value).lower()
        if text in NOT_ASSESSED:
            return "count_na"
        number = parse_int(value)
        scale = self.scale
        if number is not None and scale.worst_mark <= number <= scale.best_mark:
            return f"count_{number}"
        self.fail(
            "mark",
            _("“%(value)s” is not a mark; write a mark from %(worst)s to %(best)s or “н/а”.")
            % {"value": _echo(_text(value)), "worst": scale.worst_mark, "best": scale.best_mark},
        )
        return None


def parse_results_file(
    file: ImportSource,
    *,
    periods: Iterable[AssessmentPeriod],
    scale: GradingScale,
    default_period: AssessmentPeriod | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Parsed:
    """Read and check a results file; raises ImportFileError when it cannot be used at all."""
    data = read_file_bytes(file)
    table, header, _kind = _locate(data, HEADER_PATTERNS, _required, _no_header)
    columns = header.columns
    file_format = JOURNAL if "mark" in columns else COUNTS
    reader = _Reader(header.labels, periods, default_period, scale)
    # The pupil's column is never read; it only must not count as content of the row.
    content = [c for k, c in columns.items() if k not in ("number", "pupil")]
    merges = table.merges
    records: dict[tuple, Record] = {}
    errors: list[tuple[int, str]] = []
    rows_read = 0
    first = True
    data_rows = [(n, v) for n, v in table.rows if n > header.last_row]
    total = len(data_rows)
    for index, (number, values) in enumerate(data_rows):
        if progress is not None and index % 1000 == 0:
            progress(index, total)
        width = len(values)
        if not any(c < width and values[c] is not None for c in content):
            continue
        if first:
            first = False
            if _is_numbering_row(values):
                continue
        head = values[columns["subject"]] if columns["subject"] < width else None
        if isinstance(head, str) and _norm_label(head) in header.texts.get(columns["subject"], ()):
            continue  # the header printed again on a new page

        def get(key: str, number: int = number, values: list[Any] = values) -> Any:
            col = columns.get(key)
            if col is None:
                return None
            value = values[col] if col < len(values) else None
            if value is None and merges:
                merge = merges.get((number, col))
                if merge is not None and merge.spans_rows and merge.min_row > header.last_row:
                    value = merge.value  # a class or teacher merged down over its rows
            return value

        first_cell = _text(get("class") if "class" in columns else get("grade")).lower()
        if first_cell.startswith(_SUMMARY):
            continue
        rows_read += 1
        reader.errors = []
        school_class = reader.school_class(get)
        subject = reader.text(
            "subject", get("subject"), ResultRow._meta.get_field("subject").max_length
        )
        if not subject and not any(m.startswith(reader.label("subject")) for m in reader.errors):
            reader.fail("subject", _("the subject is empty."))
        teacher = reader.text("teacher", get("teacher"), 300)
        period = reader.period(get)
        if file_format == COUNTS:
            counts = {k: reader.count(k, get(k)) for k in ResultRow.COUNT_FIELDS}
        else:
            target = reader.mark(get("mark"))
            counts = {target: 1} if target else {}
        if reader.errors or school_class is None or period is None or not subject:
            errors.extend((number, message) for message in reader.errors)
            continue
        subject = subject[0].upper() + subject[1:]
        record = Record(number, school_class[0], school_class[1], subject, period)
        existing = records.get(record.key)
        if existing is None:
            records[record.key] = record
        elif file_format == COUNTS:
            errors.append(
                (
                    number,
                    _(
                        "Class %(class)s, subject “%(subject)s”, period “%(period)s” is already "
                        "in row %(row)s."
                    )
                    % {
                        "class": record.class_name,
                        "subject": _echo(subject),
                        "period": period.name,
                        "row": existing.row,
                    },
                )
            )
            continue
        else:
            record = existing
        for key, value in counts.items():
            record.counts[key] += value
        if teacher:
            record.teachers[teacher] += 1
    for record in records.values():
        if record.teachers:
            # Several teachers of one class and subject (a class split into groups): the one
            # with the most marks is named.
            record.teacher_name = record.teachers.most_common(1)[0][0]
    ordered = sorted(columns, key=columns.get)
    return Parsed(
        records=list(records.values()),
        errors=errors,
        rows_read=rows_read,
        header_row=header.first_row,
        columns=[k for k in ordered if k not in ("number", "pupil")],
        file_format=file_format,
        sheet=table.sheet,
    )
