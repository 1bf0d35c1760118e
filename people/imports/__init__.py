"""Teacher import: read a school's teacher list (XLSX or CSV), check every row, write all or none.

Parsing (`parse_teacher_file`) turns the bytes of a file into rows that each carry their physical
row number (as Excel shows it) and the reasons they are bad. `import_teachers` matches the rows to
people already in the database, reports what would be created, updated or left unchanged, and -
unless it is a dry run and only when every row is good - writes them in one transaction through
the people services. `run_import` does the same for a stored TeacherImport and keeps its progress
and report; the command, the pages and the API all go through it.

The package is split by concern, in the order a file goes through it: `files` (bytes, kind,
encoding), `tables` (worksheets and CSV as rows of cells), `headers` (the header row and its
columns), `rows` (clean values and each row's problems), `matching` (who is already there and
what would change), `writing` (one transaction), `jobs` (stored imports, progress, re-runs).
`fields` and `report` are the vocabulary they share.
"""

from .fields import FIELD_LABELS
from .files import check_file, read_file_bytes, sniff_format
from .headers import match_header
from .jobs import (
    can_apply,
    can_rerun,
    create_apply_import,
    create_import,
    fail_stale_imports,
    import_teachers,
    rerun_import,
    run_import,
    start_import,
)
from .report import ImportFileError, ImportReport, RowError
from .rows import ParsedRow, ParseResult, parse_date, parse_decimal, parse_int, parse_teacher_file
from .writing import assign_usernames, transliterate, username_base

__all__ = [
    "FIELD_LABELS",
    "ImportFileError",
    "ImportReport",
    "ParseResult",
    "ParsedRow",
    "RowError",
    "assign_usernames",
    "can_apply",
    "can_rerun",
    "check_file",
    "create_apply_import",
    "create_import",
    "fail_stale_imports",
    "import_teachers",
    "match_header",
    "parse_date",
    "parse_decimal",
    "parse_int",
    "parse_teacher_file",
    "read_file_bytes",
    "rerun_import",
    "run_import",
    "sniff_format",
    "start_import",
    "transliterate",
    "username_base",
]
