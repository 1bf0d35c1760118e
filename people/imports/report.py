"""What an import says about a file: its rows' problems, what it would change, what it did."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

Progress = Callable[[int, int], None]
# A path, the bytes, or an open file (an upload, a stored FieldFile, a django File).
ImportSource = str | os.PathLike | bytes | IO[bytes]


class ImportFileError(Exception):
    """The file as a whole cannot be imported (too large, not a spreadsheet, no header row)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


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
