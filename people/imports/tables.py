"""A worksheet or CSV file as rows of cells, merged cells included, read in a stream."""

from __future__ import annotations

import csv
import io
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _

from .fields import HEADER_SCAN_ROWS, MAX_COLUMNS
from .report import ImportFileError


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
    delimiter: str = ""  # of a CSV file

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
# the checks of a 5,000-row list. openpyxl's public classes still read everything around the
# cells - the workbook's sheets and their order, shared strings, which styles are dates, the
# date epoch - and none of its private attributes is used.
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
    archive: Any  # the zip archive of the file
    shared_strings: list[str]
    styles: _Styles
    sheets: list[tuple[str, str]]  # (title, part name) of each worksheet, the active one first


@dataclass
class _Styles:
    """Which cell styles show numbers as dates or durations, and the workbook's date epoch."""

    dates: set[str]
    durations: set[str]
    epoch: Any


def _styles(archive, epoch) -> _Styles:
    from openpyxl.styles.stylesheet import Stylesheet
    from openpyxl.xml.constants import ARC_STYLE
    from openpyxl.xml.functions import fromstring

    try:
        source = archive.read(ARC_STYLE)
    except KeyError:  # a workbook without styles has no date cells
        return _Styles(set(), set(), epoch)
    stylesheet = Stylesheet.from_tree(fromstring(source))
    return _Styles(
        {str(s) for s in stylesheet.date_formats},
        {str(s) for s in stylesheet.timedelta_formats},
        epoch,
    )


def _open_xlsx(data: bytes) -> _Workbook:
    from openpyxl.reader.excel import ExcelReader

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
            reader.read_manifest()
            reader.read_strings()
            reader.read_workbook()
            styles = _styles(reader.archive, reader.wb.epoch)
            found = list(reader.parser.find_sheets())
        except Exception as exc:  # openpyxl raises many kinds of errors on broken files
            raise ImportFileError(
                _("The Excel file could not be read; it may be damaged.")
            ) from exc
    # The sheet Excel opens on comes first; its index counts every sheet, charts included.
    index = next((v.activeTab for v in reader.wb.views if v.activeTab is not None), 0)
    active = found[index][1].target if 0 <= index < len(found) else None
    parts = [
        (sheet.name, rel.target)
        for sheet, rel in found
        if rel.target in reader.valid_files and "worksheet" in rel.Type
    ]
    parts.sort(key=lambda part: part[1] != active)
    return _Workbook(
        archive=reader.archive,
        shared_strings=reader.shared_strings,
        styles=styles,
        sheets=parts,
    )


def _read_xlsx(data: bytes) -> Iterator[_Table]:
    """The workbook's worksheets, the active one first, each read only when asked for."""
    book = _open_xlsx(data)
    for title, part in book.sheets:
        try:
            with book.archive.open(part) as source:
                table = _sheet_table(source, book.styles, book.shared_strings)
        except ImportFileError:
            raise
        except Exception as exc:  # a damaged part: bad XML, a missing shared string, …
            raise ImportFileError(
                _("The Excel file could not be read; it may be damaged.")
            ) from exc
        table.sheet = title
        yield table


def _cell_reader(styles: _Styles, shared_strings: list[str]) -> Callable[[Any], Any]:
    """A cell's value as openpyxl gives it with data_only=True (cached results of formulas)."""
    from openpyxl.utils.datetime import from_excel, from_ISO8601

    date_styles, timedelta_styles, epoch = styles.dates, styles.durations, styles.epoch

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


def _sheet_table(source: IO[bytes], styles: _Styles, shared_strings: list[str]) -> _Table:
    from lxml import etree
    from openpyxl.utils.cell import column_index_from_string, range_boundaries

    cells: dict[tuple[int, int], Any] = {}
    ranges: list[tuple[int, int, int, int]] = []
    columns: dict[str, int] = {}  # "AB" → 28, computed once per column
    row_number = 0
    cell_value = _cell_reader(styles, shared_strings)
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
    return _Table(rows=rows, delimiter=delimiter)


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
