"""Teacher import: read a school's teacher list (XLSX or CSV), check every row, write all or none.

Parsing (`parse_teacher_file`) turns the bytes of a file into rows that each carry their physical
row number (as Excel shows it) and the reasons they are bad. `import_teachers` matches the rows to
people already in the database, reports what would be created, updated or left unchanged, and -
unless it is a dry run and only when every row is good - writes them in one transaction through
the people services. `run_import` does the same for a stored TeacherImport and keeps its progress
and report; the command, the pages and the API all go through it.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import os
import re
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.db.models.functions import Lower
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import uploads
from core.text import search_key
from organisations.models import Organisation

from . import services
from .models import Person, Position, QualificationCategory, TeacherImport, TeacherProfile
from .permissions import editable_person_ids
from .selectors import categories_for

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
# A path, the bytes, or an open file (an upload, a stored FieldFile, a django File).
ImportSource = str | os.PathLike | bytes | IO[bytes]

DEFAULT_POSITION = "Учитель"  # data, not UI text: the same whatever language the uploader uses
PROGRESS_EVERY = 100
HEADER_SCAN_ROWS = 30
MAX_COLUMNS = 256
MAX_EXPERIENCE_YEARS = 70
MAX_WORKLOAD = Decimal("60")

PERSON_FIELDS = ("last_name", "first_name", "middle_name", "email", "phone")
PROFILE_FIELDS = (
    "education",
    "education_institution",
    "specialty",
    "qualification_category",
    "category_assigned_on",
    "experience_total",
    "experience_teaching",
    "subjects",
    "workload_hours",
    "classes_taught",
    "self_education_topic",
)
PROFILE_TEXT_FIELDS = (
    "education",
    "education_institution",
    "specialty",
    "subjects",
    "classes_taught",
    "self_education_topic",
)

# Columns the import understands, with their names for the report.
FIELD_LABELS = {
    "full_name": gettext_lazy("Full name"),
    "last_name": gettext_lazy("Surname"),
    "first_name": gettext_lazy("First name"),
    "middle_name": gettext_lazy("Patronymic"),
    "position": gettext_lazy("Position"),
    "email": gettext_lazy("Email"),
    "phone": gettext_lazy("Phone"),
    "education": gettext_lazy("Education"),
    "education_institution": gettext_lazy("Institution graduated"),
    "specialty": gettext_lazy("Specialty by diploma"),
    "qualification_category": gettext_lazy("Qualification category"),
    "category_assigned_on": gettext_lazy("Category assigned on"),
    "experience_total": gettext_lazy("Total experience"),
    "experience_teaching": gettext_lazy("Teaching experience"),
    "subjects": gettext_lazy("Subjects taught"),
    "workload_hours": gettext_lazy("Workload, hours"),
    "classes_taught": gettext_lazy("Classes"),
    "self_education_topic": gettext_lazy("Self-education topic"),
}

# Header aliases, tried in this order against the normalised header text (lower case, "ё" as
# "е", punctuation as spaces). Order matters: "Дата присвоения категории" is a date, not a
# category; "Тема самообразования" is not "Образование"; "Фамилия, имя, отчество" is one column.
_HEADER_PATTERNS: list[tuple[str, re.Pattern]] = [
    (key, re.compile(rx))
    for key, rx in [
        ("number", r"^(№|#|n|no|nn|нн|п п|номер)( ?п ?п)?$|^№ ?п ?п$|^порядковый номер$"),
        (
            "category_assigned_on",
            r"\bдат\w*\b.*\b(присво|аттестац|категор)|\bприсво\w*\b.*\bдат|"
            r"\b(category|attestation)\b.*\b(date|assigned)\b|\bdate\b.*\b(category|assigned)\b|"
            r"^assigned on$",
        ),
        (
            "experience_teaching",
            r"\b(педагогическ\w*|пед)\b.*\bстаж|\bстаж\b.*\b(педагогическ\w*|пед)\b|"
            r"\bteaching experience\b|\bexperience\b.*\bteaching\b",
        ),
        (
            "experience_total",
            r"\bобщ\w*\b.*\bстаж|\bстаж\b.*\bобщ\w*\b|^стаж( работы)?( лет)?$|"
            r"\btotal experience\b|\bexperience\b.*\btotal\b|^experience$",
        ),
        (
            "full_name",
            r"\bфио\b|\bф и о\b|\bфамилия\b.*\bимя\b.*\bотчество\b|\bфамилия имя\b|"
            r"\bfull name\b|^name$|^teacher$|^педагог$",
        ),
        ("last_name", r"^фамилия\b|\blast name\b|\bsurname\b|\bfamily name\b"),
        ("first_name", r"^имя\b|\bfirst name\b|\bgiven name\b"),
        ("middle_name", r"^отчество\b|\bmiddle name\b|\bpatronymic\b"),
        ("position", r"\bдолжност\w*\b|\bposition\b|\bjob title\b"),
        ("self_education_topic", r"самообразовани|\bself ?education\b|\bметодическ\w* тем"),
        ("email", r"\be ?mail\b|\bэлектронн\w* почт|\bэл почт|^почта$|\bемейл\b|\bимейл\b"),
        ("phone", r"\bтелефон\w*\b|^тел\b|\bphone\b|\bmobile\b"),
        (
            "education_institution",
            r"\bучебн\w* заведени|\bокончил|\bвуз\b|\bобразовательн\w* (учреждени|организаци)|"
            r"\binstitution\b|\buniversity\b",
        ),
        ("specialty", r"\bспециальност|\bspecialt(y|ies)\b|\bspeciality\b"),
        ("education", r"\bобразовани|\beducation\b"),
        ("qualification_category", r"\bкатегори|\bcategory\b"),
        ("subjects", r"\bпредмет|\bдисциплин|\bsubjects?\b"),
        ("workload_hours", r"\bнагрузк|\bworkload\b|\bчасов в неделю\b|\bhours\b"),
        ("classes_taught", r"^класс(ы)?\b|\bклассы\b|\bв каких классах\b|\bclasses\b|\bgrades\b"),
    ]
]

_SUMMARY_WORDS = ("итого", "всего", "total")
_CATEGORY_STOP_WORDS = {
    "категория",
    "категории",
    "квалификационная",
    "квалификационной",
    "кв",
    "кат",
    "category",
    "qualification",
}
_CATEGORY_NONE = {"", "нет", "без", "отсутствует", "не имеет", "не аттестован", "none", "no"}
_CATEGORY_ALIASES = {"сзд": "соответствие занимаемой должности", "1": "первая", "2": "вторая"}

_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    # Kazakh letters, for schools outside Russia
    "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
}  # fmt: skip


class ImportFileError(Exception):
    """The file as a whole cannot be imported (too large, not a spreadsheet, no header row)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- report ----------------------------------------------------------------------------------


@dataclass
class RowError:
    row: int | None
    message: str


@dataclass
class ImportReport:
    dry_run: bool
    rows_checked: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    file_error: str = ""
    applied: bool = False
    header_row: int | None = None
    sheet: str = ""
    columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_error

    @property
    def bad_rows(self) -> int:
        """A row with several problems counts once."""
        return len({e.row for e in self.errors})

    def to_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "rows_checked": self.rows_checked,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "bad_rows": self.bad_rows,
            "errors": [{"row": e.row, "message": e.message} for e in self.errors],
            "file_error": self.file_error,
            "applied": self.applied,
            "header_row": self.header_row,
            "sheet": self.sheet,
            "columns": list(self.columns),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None, *, dry_run: bool = True) -> ImportReport:
        data = data or {}
        return cls(
            dry_run=data.get("dry_run", dry_run),
            rows_checked=data.get("rows_checked", 0),
            created=data.get("created", 0),
            updated=data.get("updated", 0),
            unchanged=data.get("unchanged", 0),
            errors=[RowError(e.get("row"), e.get("message", "")) for e in data.get("errors", [])],
            file_error=data.get("file_error", ""),
            applied=data.get("applied", False),
            header_row=data.get("header_row"),
            sheet=data.get("sheet", ""),
            columns=list(data.get("columns", [])),
        )


# --- reading the file ------------------------------------------------------------------------


def _too_large(size: int) -> ImportFileError:
    return ImportFileError(
        _("The file is too large (%(size)s); the limit is %(limit)s.")
        % {"size": filesizeformat(size), "limit": filesizeformat(settings.MAX_UPLOAD_BYTES)}
    )


def read_file_bytes(file: ImportSource) -> bytes:
    """The content of a path, bytes, an uploaded or a stored file; refuses oversize files."""
    limit = settings.MAX_UPLOAD_BYTES
    if isinstance(file, bytes | bytearray):
        data = bytes(file)
    elif isinstance(file, str | os.PathLike):
        size = os.path.getsize(file)
        if size > limit:
            raise _too_large(size)
        data = Path(file).read_bytes()
    else:
        size = getattr(file, "size", None)
        if isinstance(size, int) and size > limit:
            raise _too_large(size)
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(limit + 1)
        if hasattr(file, "seek"):
            file.seek(0)
    if len(data) > limit:
        raise _too_large(len(data))
    if not data:
        raise ImportFileError(_("The file is empty."))
    return data


def _not_a_table() -> ImportFileError:
    return ImportFileError(
        _(
            "The file is neither an Excel workbook (.xlsx) nor a CSV text file. Save the list "
            "as .xlsx or CSV and upload it again."
        )
    )


def _looks_like_text(text: str) -> bool:
    sample = text[:65536]
    if not sample.strip():
        return False
    controls = sum(
        1 for ch in sample if ch not in "\t\r\n" and unicodedata.category(ch) in ("Cc", "Cs", "Co")
    )
    return controls <= len(sample) * 0.01


def _decodings(data: bytes) -> Iterator[tuple[str, str]]:
    """Plausible decodings of a text file, most likely first (decoded lazily)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            return
        if _looks_like_text(text):
            yield "utf-16", text
        return
    if b"\x00" in data[:65536]:
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    else:
        if _looks_like_text(text):
            yield "utf-8", text
        return
    # Not UTF-8: most likely Windows-1251 (what Russian Excel saves as CSV); the header row
    # decides between it and the other Cyrillic code pages.
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    guess = [best.encoding] if best is not None and best.encoding else []
    tried = set()
    for encoding in ["cp1251", *guess, "koi8_r", "cp866", "mac_cyrillic"]:
        name = codecs.lookup(encoding).name
        if name in tried:
            continue
        tried.add(name)
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if _looks_like_text(text):
            yield name, text


def sniff_format(data: bytes) -> str:
    """ "xlsx" or "csv" judged by the content, whatever the file is called."""
    if not data:
        raise ImportFileError(_("The file is empty."))
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise ImportFileError(
            _(
                "This is an old Excel file (.xls) or a password-protected workbook. Save it "
                "as .xlsx without a password, or as CSV, and upload it again."
            )
        )
    if data.startswith(b"PK\x03\x04"):
        # Before openpyxl inflates anything: a zip bomb is refused from its directory alone.
        try:
            kind = uploads.archive_kind(io.BytesIO(data))
        except ValidationError as exc:
            if exc.code == "damaged":
                raise ImportFileError(
                    _("The Excel file could not be read; it may be damaged.")
                ) from exc
            raise ImportFileError(exc.messages[0]) from exc
        if kind == "xlsx":
            return "xlsx"
        raise _not_a_table()
    if next(_decodings(data), None) is not None:
        return "csv"
    raise _not_a_table()


def check_file(file: ImportSource) -> str:
    """Quick check for forms and the API: size and real type. Returns "xlsx" or "csv".

    An uploaded file also passes the checks every upload does (its name must agree with its
    content, and nothing in its head may look like a web page).
    """
    kind = sniff_format(read_file_bytes(file))
    if not isinstance(file, str | os.PathLike | bytes | bytearray) and getattr(file, "name", None):
        try:
            uploads.check_upload(file, allowed=uploads.TABLE_KINDS)
        except ValidationError as exc:
            raise ImportFileError(exc.messages[0]) from exc
    return kind


@dataclass
class _Merge:
    value: Any
    min_row: int
    max_row: int
    min_col: int
    max_col: int

    @property
    def spans_rows(self) -> bool:
        return self.max_row > self.min_row

    @property
    def spans_cols(self) -> bool:
        return self.max_col > self.min_col


@dataclass
class _Table:
    # Physical row number, cell values (0-based columns; None for a blank cell).
    rows: list[tuple[int, list[Any]]]
    merges: dict[tuple[int, int], _Merge] = field(default_factory=dict)
    sheet: str = ""

    def __post_init__(self) -> None:
        self._by_row = {number: values for number, values in self.rows}

    def raw(self, row: int, col: int) -> Any:
        values = self._by_row.get(row, [])
        value = values[col] if col < len(values) else None
        return None if _blank(value) else value

    def filled(self, row: int, col: int) -> Any:
        """The value a user sees: merged cells show the value of the merge."""
        value = self.raw(row, col)
        if value is None and (row, col) in self.merges:
            return self.merges[(row, col)].value
        return value

    @property
    def width(self) -> int:
        return max((len(v) for _n, v in self.rows[: HEADER_SCAN_ROWS + 2]), default=0)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# The sheet XML is streamed cell by cell rather than loaded through openpyxl's worksheet model:
# building a Cell object (and, for inline strings, a rich-text tree) per cell cost more than all
# the checks of a 5,000-row list. openpyxl still reads everything around the cells - the
# workbook's sheets and their order, shared strings, which styles are dates, the date epoch.
_SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW_TAG = f"{_SHEET_NS}row"
_CELL_TAG = f"{_SHEET_NS}c"
_VALUE_TAG = f"{_SHEET_NS}v"
_INLINE_TAG = f"{_SHEET_NS}is"
_TEXT_TAG = f"{_SHEET_NS}t"
_RUN_TAG = f"{_SHEET_NS}r"
_MERGE_TAG = f"{_SHEET_NS}mergeCell"
_DIGITS = "0123456789"


@dataclass
class _Workbook:
    reader: Any  # openpyxl's ExcelReader: the archive, shared strings and the parsed workbook
    sheets: list[tuple[str, str]]  # (title, part name) of each worksheet, the active one first


def _open_xlsx(data: bytes) -> _Workbook:
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
            reader.read_manifest()
            reader.read_strings()
            reader.read_workbook()
            apply_stylesheet(reader.archive, reader.wb)
            found = list(reader.parser.find_sheets())
        except Exception as exc:  # openpyxl raises many kinds of errors on broken files
            raise ImportFileError(
                _("The Excel file could not be read; it may be damaged.")
            ) from exc
    # The sheet Excel opens on comes first; its index counts every sheet, charts included.
    index = reader.wb._active_sheet_index
    active = found[index][1].target if 0 <= index < len(found) else None
    parts = [
        (sheet.name, rel.target)
        for sheet, rel in found
        if rel.target in reader.valid_files and "worksheet" in rel.Type
    ]
    parts.sort(key=lambda part: part[1] != active)
    return _Workbook(reader=reader, sheets=parts)


def _read_xlsx(data: bytes) -> Iterator[_Table]:
    """The workbook's worksheets, the active one first, each read only when asked for."""
    book = _open_xlsx(data)
    for title, part in book.sheets:
        try:
            with book.reader.archive.open(part) as source:
                table = _sheet_table(source, book.reader.wb, book.reader.shared_strings)
        except ImportFileError:
            raise
        except Exception as exc:  # a damaged part: bad XML, a missing shared string, …
            raise ImportFileError(
                _("The Excel file could not be read; it may be damaged.")
            ) from exc
        table.sheet = title
        yield table


def _cell_reader(wb, shared_strings: list[str]) -> Callable[[Any], Any]:
    """A cell's value as openpyxl gives it with data_only=True (cached results of formulas)."""
    from openpyxl.utils.datetime import from_excel, from_ISO8601

    # openpyxl keeps which cell styles are dates only on the workbook's private attributes.
    date_styles = {str(s) for s in wb._date_formats}
    timedelta_styles = {str(s) for s in wb._timedelta_formats}
    epoch = wb.epoch

    def value(cell) -> Any:
        kind = cell.get("t")
        if kind == "inlineStr":
            for part in cell:
                if part.tag == _INLINE_TAG:
                    # Plain text and rich-text runs; phonetic hints (rPh) are not the value.
                    return "".join(
                        (item.text or "")
                        if item.tag == _TEXT_TAG
                        else "".join(t.text or "" for t in item.iterchildren(_TEXT_TAG))
                        for item in part
                        if item.tag in (_TEXT_TAG, _RUN_TAG)
                    )
            return None
        text = None
        for part in cell:
            if part.tag == _VALUE_TAG:
                text = part.text
                break
        if not text:
            return None
        if kind is None or kind == "n":
            number: Any = float(text) if ("." in text or "e" in text or "E" in text) else int(text)
            style = cell.get("s")
            if style in date_styles:
                try:
                    return from_excel(number, epoch, timedelta=style in timedelta_styles)
                except (OverflowError, ValueError):
                    return "#VALUE!"
            return number
        if kind == "s":
            return shared_strings[int(text)]
        if kind == "b":
            return bool(int(text))
        if kind == "d":
            return from_ISO8601(text)
        return text  # "str" (a formula's text result) and "e" (an error such as #N/A)

    return value


def _sheet_table(source: IO[bytes], wb, shared_strings: list[str]) -> _Table:
    from lxml import etree
    from openpyxl.utils.cell import column_index_from_string, range_boundaries

    cells: dict[tuple[int, int], Any] = {}
    ranges: list[tuple[int, int, int, int]] = []
    columns: dict[str, int] = {}  # "AB" → 28, computed once per column
    row_number = 0
    cell_value = _cell_reader(wb, shared_strings)
    parser = etree.iterparse(
        source,
        events=("end",),
        tag=(_ROW_TAG, _MERGE_TAG),
        resolve_entities=False,
        no_network=True,
    )
    for _event, element in parser:
        if element.tag == _MERGE_TAG:
            ref = element.get("ref")
            if ref:
                ranges.append(range_boundaries(ref))
            continue
        given = element.get("r")
        row_number = int(given) if given else row_number + 1
        col = 0
        for cell in element.iterchildren(_CELL_TAG):
            ref = cell.get("r")
            if ref:
                letters = ref.rstrip(_DIGITS)
                col = columns.get(letters) or columns.setdefault(
                    letters, column_index_from_string(letters)
                )
            else:
                col += 1  # cells without a reference follow one another
            if col > MAX_COLUMNS:
                continue
            value = cell_value(cell)
            if not _blank(value):
                cells[(row_number, col - 1)] = value
        # Stream: drop the rows already read so memory stays flat however long the sheet.
        element.clear()
        while element.getprevious() is not None:
            del element.getparent()[0]
    merges: dict[tuple[int, int], _Merge] = {}
    for min_col, min_row, max_col, max_row in ranges:
        area = (max_row - min_row + 1) * (max_col - min_col + 1)
        if area > 10_000 or min_col > MAX_COLUMNS:
            continue  # page layout, not table data
        merge = _Merge(
            cells.get((min_row, min_col - 1)),
            min_row,
            max_row,
            min_col - 1,
            min(max_col, MAX_COLUMNS) - 1,
        )
        for r in range(merge.min_row, merge.max_row + 1):
            for c in range(merge.min_col, merge.max_col + 1):
                merges[(r, c)] = merge
    if not cells:
        return _Table(rows=[], merges=merges)
    max_row = max(r for r, _c in cells)
    width = max(c for _r, c in cells) + 1
    rows = [(r, [cells.get((r, c)) for c in range(width)]) for r in range(1, max_row + 1)]
    return _Table(rows=rows, merges=merges)


def _read_csv(text: str, delimiter: str, limit: int | None = None) -> _Table:
    rows: list[tuple[int, list[Any]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        # One record is one row as Excel shows it, even with line breaks inside quotes.
        for number, record in enumerate(reader, start=1):
            rows.append((number, [None if _blank(v) else v for v in record[:MAX_COLUMNS]]))
            if limit and number >= limit:
                break
    except csv.Error as exc:
        raise ImportFileError(
            _("The CSV file could not be read: %(error)s") % {"error": exc}
        ) from exc
    return _Table(rows=rows)


def _delimiters(text: str) -> list[str]:
    candidates = [";", ",", "\t", "|"]
    sample = "\n".join(text.splitlines()[:50])
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters="".join(candidates)).delimiter
    except csv.Error:
        # Fall back on counting: the separator is the character most lines use most.
        counts = {d: sum(line.count(d) for line in sample.splitlines()) for d in candidates}
        sniffed = max(counts, key=counts.get)
    return [sniffed] + [d for d in candidates if d != sniffed]


# --- the header row --------------------------------------------------------------------------


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


def match_header(label: str) -> str | None:
    """The field a header cell names, or None."""
    normalised = _norm_label(label)
    if not normalised:
        return None
    for key, pattern in _HEADER_PATTERNS:
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


def _map_columns(candidates: list[list[str]]) -> tuple[dict[str, int], dict[str, str]]:
    """For each column, the first of its candidate labels that names a field; first column wins."""
    columns: dict[str, int] = {}
    labels: dict[str, str] = {}
    for col, options in enumerate(candidates):
        for label in options:
            key = match_header(label) if label else None
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


def _find_header(table: _Table) -> _Header | None:
    width = table.width
    scan = table.rows[:HEADER_SCAN_ROWS]
    for index, (top, _values) in enumerate(scan):
        top_labels = [_text(table.filled(top, c)) for c in range(width)]
        columns, labels = _map_columns([[label] for label in top_labels])
        if _score(columns) < 2 and not _name_ok(columns):
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
                columns2, labels2 = _map_columns(options)
                if _name_ok(columns2) and _score(columns2) > _score(columns):
                    columns, labels, last_row = columns2, labels2, below
        if not _name_ok(columns):
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


def _locate(data: bytes) -> tuple[_Table, _Header, str]:
    """The table and its header; the first sheet, encoding and separator that have one."""
    kind = sniff_format(data)
    if kind == "xlsx":
        empty = True
        for table in _read_xlsx(data):
            header = _find_header(table)
            if header is not None:
                return table, header, kind
            empty = empty and not table.rows
        if empty:
            raise ImportFileError(_("The workbook is empty."))
        raise _no_header()
    for _encoding, text in _decodings(data):
        for delimiter in _delimiters(text):
            head = _read_csv(text, delimiter, limit=HEADER_SCAN_ROWS + 2)
            header = _find_header(head)
            if header is not None:
                return _read_csv(text, delimiter), header, kind
    raise _no_header()


# --- rows ------------------------------------------------------------------------------------


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


# --- matching and planning -------------------------------------------------------------------


@dataclass
class _Plan:
    row: ParsedRow
    person: Person | None = None
    person_changes: dict[str, Any] = field(default_factory=dict)
    profile_changes: dict[str, Any] = field(default_factory=dict)
    create_profile: bool = False
    add_position: bool = False
    is_main: bool = True

    @property
    def action(self) -> str:
        if self.person is None:
            return "created"
        if self.person_changes or self.profile_changes or self.create_profile or self.add_position:
            return "updated"
        return "unchanged"


def _chunks(items: list[str], size: int = 500) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class _Existing:
    """People the rows may be: by lower-cased email anywhere; by name among the staff here."""

    by_email: dict[str, list[Person]] = field(default_factory=dict)
    by_name: dict[str, list[Person]] = field(default_factory=dict)
    by_short_name: dict[str, list[Person]] = field(default_factory=dict)


def _short_key(last_name: str, first_name: str) -> str:
    return name_key(f"{last_name} {first_name}")


def _existing(organisation: Organisation, rows: list[ParsedRow]) -> _Existing:
    here = Prefetch(
        "positions", queryset=Position.objects.filter(organisation=organisation), to_attr="here"
    )
    base = (
        Person.objects.select_related("teacher_profile")
        .prefetch_related(here)
        .annotate(
            has_main_position=Exists(Position.objects.filter(person=OuterRef("pk"), is_main=True))
        )
    )
    existing = _Existing()
    emails = sorted({r.email.lower() for r in rows if r.email})
    for chunk in _chunks(emails):
        qs = base.annotate(email_lower=Lower("email")).filter(email_lower__in=chunk)
        for person in qs:
            existing.by_email.setdefault(person.email_lower, []).append(person)
    # A school's staff is a few hundred people at most: load them once.
    for person in base.filter(positions__organisation=organisation).distinct():
        existing.by_name.setdefault(person.search_name, []).append(person)
        short = _short_key(person.last_name, person.first_name)
        existing.by_short_name.setdefault(short, []).append(person)
    return existing


def _same_word(a: str, b: str) -> bool:
    return name_key(a) == name_key(b)


def _match(row: ParsedRow, existing: _Existing) -> Person | None:
    """By email (any case) if the row has one; otherwise - or if nobody has that email - by full
    name among the people working at the organisation, unless they have another email. A row
    without a patronymic matches by surname and first name."""
    email = row.email.lower()
    if email:
        found = existing.by_email.get(email, [])
        if len(found) > 1:
            raise ValidationError(
                _("Several people have the email %(email)s; the row cannot be matched.")
                % {"email": row.email}
            )
        if found:
            person = found[0]
            # A changed surname is fine; a different surname and first name is a wrong email.
            if person.last_name and not (
                _same_word(person.last_name, row.person["last_name"])
                or _same_word(person.first_name, row.person["first_name"])
            ):
                raise ValidationError(
                    _("The email %(email)s belongs to %(name)s, not to this person.")
                    % {"email": row.email, "name": person.full_name}
                )
            return person
    candidates = existing.by_name.get(row.name_key, [])
    if not candidates and not row.person.get("middle_name"):
        short = _short_key(row.person["last_name"], row.person["first_name"])
        candidates = existing.by_short_name.get(short, [])
    found = [p for p in candidates if not email or not p.email or p.email.lower() == email]
    if len(found) > 1:
        raise ValidationError(
            _(
                "Several people at this organisation are called %(name)s; add their emails to "
                "tell them apart."
            )
            % {"name": row.full_name}
        )
    return found[0] if found else None


class _FieldCheck:
    """The model fields' own validation of the values rows set, as full_clean does it for them.

    Only the fields a row sets are checked - the other fields of a new person or profile hold
    defaults, those of a stored one were valid when saved - and without building model
    instances. A value many rows share (an education, a subject, a category date) is checked
    once per import.
    """

    def __init__(self) -> None:
        self.labels = {f: str(FIELD_LABELS[f]) for f in (*PERSON_FIELDS, *PROFILE_FIELDS)}
        self.seen: dict[tuple[type, str, Any], list[str]] = {}

    def errors(self, model: type, values: dict[str, Any]) -> list[str]:
        found: list[str] = []
        for name, value in values.items():
            key = (model, name, value)
            if key not in self.seen:
                messages: list[str] = []
                try:
                    model._meta.get_field(name).clean(value, None)
                except ValidationError as exc:
                    prefix = self.labels.get(name)
                    messages = [f"{prefix}: {m}" if prefix else m for m in exc.messages]
                self.seen[key] = messages
            found.extend(self.seen[key])
        return found


def _plan_row(row: ParsedRow, person: Person | None, check: _FieldCheck) -> _Plan:
    plan = _Plan(row=row, person=person)
    values = {k: v for k, v in row.person.items() if v}
    if person is None:
        person_errors = check.errors(Person, values)
        profile = None
    else:
        for name, value in values.items():
            current = getattr(person, name) or ""
            same = current.lower() == value.lower() if name == "email" else current == value
            if not same:
                plan.person_changes[name] = value
        person_errors = check.errors(Person, plan.person_changes)
        titles = {p.title for p in person.here}
        plan.add_position = row.position not in titles if row.position_given else not titles
        if plan.add_position and not titles:
            plan.is_main = not person.has_main_position
        profile = getattr(person, "teacher_profile", None)
        plan.create_profile = profile is None
        for name, value in row.profile.items():
            current = getattr(profile, name) if profile is not None else None
            if name == "qualification_category":
                same = (current.pk if current else None) == (value.pk if value else None)
            else:
                same = current == value
            if not same:
                plan.profile_changes[name] = value
        # A next attestation before the newly assigned category is out of date.
        assigned = plan.profile_changes.get("category_assigned_on")
        next_on = profile.next_attestation_on if profile is not None else None
        if assigned and next_on and next_on < assigned:
            plan.profile_changes["next_attestation_on"] = None
    if person is None:
        plan.add_position = True
    row.errors.extend(m for m in person_errors if m not in row.errors)

    def after(name: str) -> Any:
        """The profile's value once the row is written."""
        if person is None:
            return row.profile.get(name)
        if name in plan.profile_changes:
            return plan.profile_changes[name]
        return getattr(profile, name) if profile is not None else None

    total, teaching = after("experience_total"), after("experience_teaching")
    if total is not None and teaching is not None and teaching > total:
        message = _("Teaching experience cannot exceed total experience.")
        if message not in row.errors:
            row.errors.append(message)
    # The category was looked up among the territory's own while parsing; validating the key
    # again would cost a query per row.
    changes = row.profile if person is None else plan.profile_changes
    profile_errors = check.errors(
        TeacherProfile, {k: v for k, v in changes.items() if k != "qualification_category"}
    )
    row.errors.extend(m for m in profile_errors if m not in row.errors)
    return plan


def _plan(
    organisation: Organisation,
    rows: list[ParsedRow],
    actor: Person | None,
    progress: Progress | None,
) -> list[_Plan]:
    existing = _existing(organisation, rows)
    matches: list[Person | None] = []
    for row in rows:
        person = None
        if not row.errors:
            try:
                person = _match(row, existing)
            except ValidationError as exc:
                row.errors.extend(exc.messages)
        matches.append(person)
    # People who work elsewhere may be changed only by those who may edit them: asked of all
    # of them at once rather than row by row.
    elsewhere = {p.pk for p in matches if p is not None and not p.here}
    editable = (
        elsewhere if actor is None or not elsewhere else editable_person_ids(actor, elsewhere)
    )
    plans: list[_Plan] = []
    matched: dict[int, int] = {}
    check = _FieldCheck()
    total = len(rows)
    for done, (row, person) in enumerate(zip(rows, matches, strict=True), start=1):
        if not row.errors:
            if person is not None:
                if person.pk in matched:
                    row.errors.append(
                        _("The same person is already in row %(row)s.")
                        % {"row": matched[person.pk]}
                    )
                elif person.pk in elsewhere and person.pk not in editable:
                    row.errors.append(
                        _(
                            "%(email)s belongs to a person who does not work at this "
                            "organisation; ask the methodological centre to add them."
                        )
                        % {"email": row.email}
                    )
                matched.setdefault(person.pk, row.row)
            if not row.errors:
                plans.append(_plan_row(row, person, check))
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
            progress(done, total)
    return plans


# --- writing ---------------------------------------------------------------------------------


def transliterate(text: str) -> str:
    out = "".join(_TRANSLIT.get(ch, ch) for ch in text.lower())
    out = unicodedata.normalize("NFKD", out).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9-]+", "", out).strip("-")


def username_base(last_name: str, first_name: str, middle_name: str = "") -> str:
    """ivanov.ii for Иванов Иван Игоревич."""
    last = transliterate(last_name)[:120] or "teacher"
    initials = (transliterate(first_name)[:1] + transliterate(middle_name)[:1]) or ""
    return f"{last}.{initials}" if initials else last


def _username_candidates(base: str, start: int, count: int) -> list[str]:
    """base, base2, base3, … - the n-th candidate for n in [start, start + count)."""
    return [base if n == 1 else f"{base}{n}" for n in range(start, start + count)]


def assign_usernames(bases: list[str]) -> list[str]:
    """A free login for each base, in order: the base itself, else base2, base3, …

    Taken logins are compared case-insensitively. Every row's candidates are checked at once
    (a few queries per chunk of rows on the lower(username) index), so the cost per row stays
    flat however many people share a surname; only bases whose candidates all turn out taken
    ask again, with twice as many.
    """
    needed: dict[str, int] = {}
    for base in bases:
        needed[base] = needed.get(base, 0) + 1
    free: dict[str, list[str]] = {base: [] for base in needed}
    claimed: set[str] = set()  # two bases can share a candidate (an "ivanov" and an "ivanov2")
    window = dict(needed)  # how many candidates to try next, per base
    start = dict.fromkeys(needed, 1)  # the next n to try, per base
    short = dict(needed)
    while short:
        candidates: dict[str, str] = {}
        for base in short:
            for candidate in _username_candidates(base, start[base], window[base]):
                if candidate.lower() not in claimed:
                    candidates.setdefault(candidate.lower(), base)
            start[base] += window[base]
        taken: set[str] = set()
        for chunk in _chunks(sorted(candidates)):
            taken.update(
                Person.objects.annotate(username_lower=Lower("username"))
                .filter(username_lower__in=chunk)
                .values_list("username_lower", flat=True)
            )
        for candidate, base in candidates.items():
            if candidate not in taken and len(free[base]) < needed[base]:
                free[base].append(candidate)
                claimed.add(candidate)
        short = {}
        for base, count in needed.items():
            missing = count - len(free[base])
            if missing > 0:
                short[base] = missing
                window[base] = max(missing, window[base]) * 2
    queues = {base: iter(names) for base, names in free.items()}
    return [next(queues[base]) for base in bases]


def _write(organisation: Organisation, plans: list[_Plan]) -> None:
    """Write every plan in one transaction, a few queries per chunk of rows; all or nothing."""
    new_plans = [p for p in plans if p.person is None]
    old_plans = [p for p in plans if p.person is not None]
    with transaction.atomic():
        usernames = assign_usernames(
            [
                username_base(
                    p.row.person["last_name"],
                    p.row.person["first_name"],
                    p.row.person.get("middle_name", ""),
                )
                for p in new_plans
            ]
        )
        created = services.create_people(
            people=[
                Person(
                    username=username,
                    **{f: p.row.person.get(f, "").strip() for f in services.PERSON_FIELDS},
                )
                for p, username in zip(new_plans, usernames, strict=True)
            ]
        )

        changed_people: list[Person] = []
        person_fields: set[str] = set()
        for plan in old_plans:
            if plan.person_changes:
                for name, value in plan.person_changes.items():
                    setattr(plan.person, name, value.strip() if isinstance(value, str) else value)
                person_fields.update(plan.person_changes)
                changed_people.append(plan.person)
        services.update_people(people=changed_people, fields=person_fields)

        services.add_positions(
            positions=[
                Position(person=person, organisation=organisation, title=p.row.position)
                for p, person in zip(new_plans, created, strict=True)
            ]
            + [
                Position(
                    person=p.person,
                    organisation=organisation,
                    title=p.row.position,
                    is_main=p.is_main,
                )
                for p in old_plans
                if p.add_position
            ]
        )

        new_profiles: list[TeacherProfile] = []
        changed_profiles: list[TeacherProfile] = []
        profile_fields: set[str] = set()
        for plan, person in zip(new_plans, created, strict=True):
            new_profiles.append(TeacherProfile(person=person, **plan.row.profile))
        for plan in old_plans:
            if plan.create_profile:
                new_profiles.append(TeacherProfile(person=plan.person, **plan.profile_changes))
            elif plan.profile_changes:
                profile = plan.person.teacher_profile
                for name, value in plan.profile_changes.items():
                    setattr(profile, name, value)
                profile_fields.update(plan.profile_changes)
                changed_profiles.append(profile)
        services.save_profiles(
            created=new_profiles, changed=changed_profiles, fields=profile_fields
        )


# --- the service -----------------------------------------------------------------------------


def import_teachers(
    *,
    organisation: Organisation,
    file: ImportSource,
    dry_run: bool,
    actor: Person | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Check a teacher list and, unless `dry_run`, write it - all rows or none.

    `file` is a path, bytes, or an uploaded/stored file. `actor` (None for the command line) may
    only change people working elsewhere if they may edit them. `progress(done, total)` is called
    every PROGRESS_EVERY rows. Re-importing the same file changes nothing.
    """
    report = ImportReport(dry_run=dry_run)
    try:
        parsed = parse_teacher_file(
            file,
            categories=categories_for(organisation.territory).select_related("territory"),
        )
    except ImportFileError as exc:
        report.file_error = exc.message
        return report
    report.rows_checked = len(parsed.rows)
    report.header_row = parsed.header_row
    report.sheet = parsed.sheet
    report.columns = parsed.columns
    if not parsed.rows:
        report.file_error = _("The table has no rows below the header.")
        return report
    if progress is not None:
        progress(0, len(parsed.rows))
    plans = _plan(organisation, parsed.rows, actor, progress)
    report.errors = [RowError(r.row, m) for r in parsed.rows for m in r.errors]
    for plan in plans:
        setattr(report, plan.action, getattr(report, plan.action) + 1)
    if report.errors or dry_run:
        return report
    try:
        _write(organisation, plans)
    except (IntegrityError, ValidationError):
        # Someone else wrote the same people or logins meanwhile; the transaction rolled back.
        logger.exception("teacher import into organisation %s", organisation.pk)
        report.file_error = _(
            "The teachers could not be saved because the data changed meanwhile; nothing was "
            "written. Run the import again."
        )
    else:
        report.applied = True
    return report


def create_import(
    *,
    organisation: Organisation,
    file: File | IO[bytes],
    dry_run: bool,
    actor: Person | None = None,
) -> TeacherImport:
    """Store an upload (an UploadedFile or a django File) as a pending TeacherImport."""
    name = os.path.basename(getattr(file, "name", "") or "teachers")
    record = TeacherImport(
        organisation=organisation,
        created_by=actor,
        dry_run=dry_run,
        original_name=name[:255],
    )
    record.file.save(name, file if isinstance(file, File) else File(file, name=name), save=False)
    record.save()
    return record


def create_apply_import(*, source: TeacherImport, actor: Person | None = None) -> TeacherImport:
    """A new, real import of the file a dry run checked."""
    return TeacherImport.objects.create(
        organisation=source.organisation,
        created_by=actor,
        dry_run=False,
        original_name=source.original_name,
        file=source.file.name,
    )


def can_apply(record: TeacherImport) -> bool:
    """A finished dry run without bad rows can be applied."""
    report = ImportReport.from_dict(record.report)
    return (
        record.dry_run
        and record.status == TeacherImport.Status.CHECKED
        and report.ok
        and report.rows_checked > 0
    )


def run_import(import_id: int) -> TeacherImport:
    """Run a stored import, keeping its status, progress and report up to date."""
    record = TeacherImport.objects.select_related("organisation__territory", "created_by").get(
        pk=import_id
    )
    TeacherImport.objects.filter(pk=record.pk).update(
        status=TeacherImport.Status.RUNNING, heartbeat_at=timezone.now()
    )

    def progress(done: int, total: int) -> None:
        TeacherImport.objects.filter(pk=record.pk).update(
            rows_done=done, rows_total=total, heartbeat_at=timezone.now()
        )

    try:
        with record.file.open("rb") as fh:
            report = import_teachers(
                organisation=record.organisation,
                file=fh,
                dry_run=record.dry_run,
                actor=record.created_by,
                progress=progress,
            )
    except Exception:  # the job must end with a status, whatever went wrong
        logger.exception("teacher import %s failed", record.pk)
        report = ImportReport(
            dry_run=record.dry_run,
            file_error=_("The import failed because of an internal error; nothing was written."),
        )
    if report.applied:
        status = TeacherImport.Status.APPLIED
    elif record.dry_run and not report.file_error:
        status = TeacherImport.Status.CHECKED
    else:
        status = TeacherImport.Status.FAILED
    record.status = status
    record.report = report.to_dict()
    record.rows_total = report.rows_checked
    record.rows_done = report.rows_checked
    record.heartbeat_at = timezone.now()
    record.save(update_fields=["status", "report", "rows_total", "rows_done", "heartbeat_at"])
    return record


def fail_stale_imports(queryset=None) -> int:
    """Mark imports whose worker died (no sign of life in time) as failed; nothing was written.

    Applying is one transaction, so a killed worker leaves no rows behind; what is left is to say
    so and let the file be run again.
    """
    from core.background import stale_cutoff

    queryset = TeacherImport.objects.all() if queryset is None else queryset
    stale = queryset.filter(TeacherImport.stale_q(TeacherImport.ACTIVE, stale_cutoff()))
    failed = 0
    with translation.override(settings.LANGUAGE_CODE):
        message = _(
            "The import was interrupted (the server stopped while it ran); nothing was written. "
            "Run it again."
        )
        for dry_run in (True, False):
            report = ImportReport(dry_run=dry_run, file_error=message).to_dict()
            failed += stale.filter(dry_run=dry_run).update(
                status=TeacherImport.Status.FAILED, report=report
            )
    return failed


def can_rerun(record: TeacherImport) -> bool:
    return record.status == TeacherImport.Status.FAILED and bool(record.file)


def rerun_import(*, source: TeacherImport, actor: Person | None = None) -> TeacherImport:
    """A new run of a failed import's file, as a check or for real as the failed one was."""
    if not can_rerun(source):
        raise ValidationError(_("Only a failed import can be run again."))
    return TeacherImport.objects.create(
        organisation=source.organisation,
        created_by=actor,
        dry_run=source.dry_run,
        original_name=source.original_name,
        file=source.file.name,
    )
