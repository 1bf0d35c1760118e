"""Import of pupils' results (a counts table or a journal export) with the teacher import's
discipline, reusing its generic pieces (people.imports: files, tables, headers, report)."""

from .jobs import (
    ResultReport,
    can_apply,
    create_apply_import,
    create_import,
    fail_stale_imports,
    import_results,
    run_import,
    start_import,
)
from .parsing import COUNTS, JOURNAL, parse_results_file

__all__ = [
    "COUNTS",
    "JOURNAL",
    "ResultReport",
    "can_apply",
    "create_apply_import",
    "create_import",
    "fail_stale_imports",
    "import_results",
    "parse_results_file",
    "run_import",
    "start_import",
]
