"""The import of an exam's or control work's results: a file with a row per pupil (class,
subject, score and, where given, mark), summed into one row per class and subject as it is read.

The pupil's column is recognised only so it is not read; after a run the stored upload is
replaced by the same rows without any name (or removed when it cannot be applied), so the
discipline of the results import holds: dry run, bad rows named, all or none, idempotent.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organisations.models import Organisation
from people.imports.files import read_file_bytes
from people.imports.headers import _locate, _norm_label, _text
from people.imports.jobs import fail_stale, run_stored
from people.imports.report import ImportFileError, ImportSource, Progress, RowError
from people.imports.rows import _is_numbering_row, parse_int
from people.models import Person

from .. import permissions
from ..exams import band_of
from ..models import AssessmentKind, ExamImport, ExamResult
from .fields import FIELD_LABELS, HEADER_PATTERNS
from .jobs import ResultReport, _staff, _teacher_id, scale_for
from .parsing import _SUMMARY, _echo, _Reader

logger = logging.getLogger(__name__)

SCORES_HEADER = ["Класс", "Предмет", "Учитель", "Балл", "Отметка"]
MAX_SCORE = 1000  # a kind without a maximum: more is not a score

EXAM_LABELS = {**FIELD_LABELS, "score": gettext_lazy("Score")}

# The results import's words, less the counts and the period, with the score ("балл") before
# the mark ("отметка", "оценка").
EXAM_PATTERNS = [
    (key, rx)
    for key, rx in HEADER_PATTERNS
    if key in ("number", "pupil", "teacher", "subject", "grade", "letter", "class")
] + [
    (
        "score",
        re.compile(r"^(набранн\w* |тестов\w* |первичн\w* |итогов\w* )?балл|^score$|^points$"),
    ),
    ("mark", re.compile(r"^(итогов\w* )?(отметк|оценк)|^mark$")),
]


def _required(columns: dict[str, int]) -> bool:
    has_class = "class" in columns or "grade" in columns
    return has_class and "subject" in columns and "score" in columns


def _no_header() -> ImportFileError:
    return ImportFileError(
        _(
            "Could not find the header row of the table. An exam's file must have the columns "
            "“Класс” (class), “Предмет” (subject) and “Балл” (score), one row per pupil; "
            "“Отметка” (mark) and “Учитель” (teacher) may be added."
        )
    )


@dataclass
class ExamRecord:
    """One class's results in one subject, summed from its pupils' rows."""

    row: int
    grade: int
    letter: str
    subject: str
    sums: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ExamResult.SUM_FIELDS, 0))
    teachers: Counter = field(default_factory=Counter)
    teacher_name: str = ""

    @property
    def key(self) -> tuple:
        return (self.grade, self.letter, self.subject.lower())


def _score(reader: _Reader, value: Any, kind: AssessmentKind) -> int | None:
    number = parse_int(value)
    if number is None:
        reader.fail(
            "score",
            _("“%(value)s” is not a score; write a whole number.") % {"value": _echo(_text(value))},
        )
        return None
    top = kind.max_score or MAX_SCORE
    if not 0 <= number <= top:
        reader.fail(
            "score",
            _("%(value)s is not a score of “%(kind)s”: from 0 to %(max)s.")
            % {"value": number, "kind": kind.name, "max": top},
        )
        return None
    return number


@dataclass
class ParsedExam:
    records: list[ExamRecord]
    errors: list[tuple[int, str]]
    rows_read: int
    header_row: int
    columns: list[str]
    scores_table: bytes
    sheet: str = ""


def parse_exam_file(
    file: ImportSource,
    *,
    kind: AssessmentKind,
    progress: Progress | None = None,
) -> ParsedExam:
    """Read and check a pupils' scores file; raises ImportFileError when it cannot be used."""
    data = read_file_bytes(file)
    table, header, _format = _locate(data, EXAM_PATTERNS, _required, _no_header)
    columns = header.columns
    reader = _Reader(header.labels, [], None, scale_for(kind.country_code))
    reader.label = lambda key: header.labels.get(key) or str(EXAM_LABELS.get(key, key))
    content = [c for k, c in columns.items() if k not in ("number", "pupil")]
    records: dict[tuple, ExamRecord] = {}
    errors: list[tuple[int, str]] = []
    kept = io.StringIO()  # the rows without the pupil, what is stored of the upload
    writer = csv.writer(kept, delimiter=";")
    writer.writerow(SCORES_HEADER)
    rows_read = 0
    first = True
    data_rows = [(n, v) for n, v in table.rows if n > header.last_row]
    for index, (number, values) in enumerate(data_rows):
        if progress is not None and index % 1000 == 0:
            progress(index, len(data_rows))
        width = len(values)
        if not any(c < width and values[c] is not None for c in content):
            continue
        if first:
            first = False
            if _is_numbering_row(values):
                continue
        head = values[columns["subject"]] if columns["subject"] < width else None
        if isinstance(head, str) and _norm_label(head) in header.texts.get(columns["subject"], ()):
            continue

        def get(key: str, values: list[Any] = values) -> Any:
            col = columns.get(key)
            return values[col] if col is not None and col < len(values) else None

        if _text(get("class") if "class" in columns else get("grade")).lower().startswith(_SUMMARY):
            continue
        rows_read += 1
        reader.errors = []
        school_class = reader.school_class(get)
        subject = reader.text("subject", get("subject"), 200)
        if not subject and not reader.errors:
            reader.fail("subject", _("the subject is empty."))
        teacher = reader.text("teacher", get("teacher"), 300)
        score = _score(reader, get("score"), kind)
        mark_value = get("mark")
        mark = None if _text(mark_value) == "" else reader.mark(mark_value)
        if reader.errors or school_class is None or score is None or not subject:
            errors.extend((number, message) for message in reader.errors)
            continue
        subject = subject[0].upper() + subject[1:]
        record = ExamRecord(number, school_class[0], school_class[1], subject)
        record = records.setdefault(record.key, record)
        sums = record.sums
        sums["sat"] += 1
        sums["score_sum"] += score
        marked = mark is not None and mark != "count_na"
        if marked:
            sums[mark] += 1
        if kind.pass_score is not None:
            sums["judged"] += 1
            sums["passed"] += score >= kind.pass_score
        elif marked:
            sums["judged"] += 1
            sums["passed"] += mark != "count_2"
        if kind.max_score:
            sums[f"band_{band_of(score, kind.max_score)}"] += 1
        if teacher:
            record.teachers[teacher] += 1
        writer.writerow(
            [f"{record.grade}{record.letter}", subject, teacher, score, _text(mark_value)]
        )
    for record in records.values():
        if record.teachers:
            record.teacher_name = record.teachers.most_common(1)[0][0]
    ordered = sorted(columns, key=columns.get)
    return ParsedExam(
        records=list(records.values()),
        errors=errors,
        rows_read=rows_read,
        header_row=header.first_row,
        columns=[k for k in ordered if k not in ("number", "pupil")],
        scores_table=kept.getvalue().encode("utf-8"),
        sheet=table.sheet,
    )


@dataclass
class ExamReport(ResultReport):
    scores_table: bytes = field(default=b"", repr=False)


def _plan(organisation, school_year: int, kind: AssessmentKind, held_on: date, records):
    existing = {
        (r.grade, r.letter, r.subject.lower()): r
        for r in ExamResult.objects.filter(
            organisation=organisation, school_year=school_year, kind=kind, held_on=held_on
        )
    }
    staff = _staff(organisation)
    create, update, unchanged, missing = [], [], 0, set()
    for record in records:
        teacher_id = _teacher_id(record.teacher_name, staff) if record.teacher_name else None
        if record.teacher_name and teacher_id is None:
            missing.add(record.teacher_name)
        values = {
            **record.sums,
            "teacher_id": teacher_id,
            "teacher_name": record.teacher_name,
            "subject": record.subject,
        }
        row = existing.get(record.key)
        if row is None:
            create.append(
                ExamResult(
                    organisation=organisation,
                    school_year=school_year,
                    kind=kind,
                    held_on=held_on,
                    grade=record.grade,
                    letter=record.letter,
                    **values,
                )
            )
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            update.append(row)
        else:
            unchanged += 1
    return create, update, unchanged, sorted(missing)


def import_exam_results(
    *,
    organisation: Organisation,
    school_year: int,
    kind: AssessmentKind,
    held_on: date,
    file: ImportSource,
    dry_run: bool,
    source: ExamImport | None = None,
    progress: Progress | None = None,
) -> ExamReport:
    """Check an exam's file and, unless `dry_run`, write its class rows - every one or none.

    A class and subject already there for the same kind and date is replaced, so importing the
    same file again changes nothing; classes the file does not name are kept.
    """
    report = ExamReport(dry_run=dry_run)
    if kind.country_code != organisation.territory.country_code:
        report.file_error = _("“%(kind)s” is not an assessment of this school's country.") % {
            "kind": kind.name
        }
        return report
    try:
        parsed = parse_exam_file(file, kind=kind, progress=progress)
    except ImportFileError as exc:
        report.file_error = exc.message
        return report
    report.rows_checked = parsed.rows_read
    report.header_row = parsed.header_row
    report.sheet = parsed.sheet
    report.columns = parsed.columns
    report.records = len(parsed.records)
    report.scores_table = parsed.scores_table
    report.errors = [RowError(row, message) for row, message in parsed.errors]
    if not parsed.rows_read:
        report.file_error = _("The table has no rows below the header.")
        return report
    create, update, unchanged, missing = _plan(
        organisation, school_year, kind, held_on, parsed.records
    )
    report.created, report.updated, report.unchanged = len(create), len(update), unchanged
    report.teachers_not_found = missing
    if report.errors or dry_run:
        return report
    try:
        with transaction.atomic():
            for row in create:
                row.source = source
            ExamResult.objects.bulk_create(create, batch_size=1000)
            now = timezone.now()
            for row in update:
                row.source, row.updated_at = source, now
            ExamResult.objects.bulk_update(
                update,
                [*ExamResult.SUM_FIELDS, "teacher", "teacher_name", "subject", "source"]
                + ["updated_at"],
                batch_size=1000,
            )
    except (IntegrityError, ValidationError):
        logger.exception("exam results import into organisation %s", organisation.pk)
        report.file_error = _(
            "The results could not be saved because the data changed meanwhile; nothing was "
            "written. Run the import again."
        )
    else:
        report.applied = True
    return report


def create_exam_import(
    *,
    organisation: Organisation,
    school_year: int,
    kind: AssessmentKind,
    held_on: date,
    file: File | IO[bytes],
    dry_run: bool,
    actor: Person | None = None,
) -> ExamImport:
    """Store an upload as a pending import; the actor must be allowed to import for the school."""
    if actor is not None and not permissions.can_import_results(actor, organisation):
        raise PermissionDenied
    name = os.path.basename(getattr(file, "name", "") or "exam")
    record = ExamImport(
        organisation=organisation,
        school_year=school_year,
        kind=kind,
        held_on=held_on,
        created_by=actor,
        dry_run=dry_run,
        original_name=name[:255],
    )
    record.file.save(name, file if isinstance(file, File) else File(file, name=name), save=False)
    record.save()
    return record


def can_apply_exam(record: ExamImport) -> bool:
    report = ExamReport.from_dict(record.report)
    return (
        record.dry_run
        and bool(record.file)
        and record.status == ExamImport.Status.CHECKED
        and report.ok
        and report.rows_checked > 0
    )


def create_apply_exam_import(*, source: ExamImport, actor: Person | None = None) -> ExamImport:
    """A real import of the (name-free) file a dry run checked."""
    if actor is not None and not permissions.can_import_results(actor, source.organisation):
        raise PermissionDenied
    if not can_apply_exam(source):
        raise ValidationError(_("Only a checked file without bad rows can be applied."))
    return ExamImport.objects.create(
        organisation=source.organisation,
        school_year=source.school_year,
        kind=source.kind,
        held_on=source.held_on,
        created_by=actor,
        dry_run=False,
        original_name=source.original_name,
        file=source.file.name,
    )


def _forget_pupils(record: ExamImport, report: ExamReport, status: str) -> None:
    """Keep of an upload only its rows without the pupils, or nothing when it cannot be applied."""
    old = record.file.name
    if not old:
        return
    if status == ExamImport.Status.FAILED or report.errors or not report.scores_table:
        record.file.name = ""
    else:
        base = os.path.splitext(os.path.basename(old))[0]
        record.file.save(f"{base}-scores.csv", ContentFile(report.scores_table), save=False)
    if not ExamImport.objects.filter(file=old).exclude(pk=record.pk).exists():
        record.file.storage.delete(old)


def run_exam_import(import_id: int) -> ExamImport:
    def importer(record, fh, progress):
        return import_exam_results(
            organisation=record.organisation,
            school_year=record.school_year,
            kind=record.kind,
            held_on=record.held_on,
            file=fh,
            dry_run=record.dry_run,
            source=record,
            progress=progress,
        )

    def finish(record, report, status) -> list[str]:
        _forget_pupils(record, report, status)
        return ["file"]

    return run_stored(
        ExamImport, import_id, related=("organisation__territory", "kind"),
        importer=importer, report_class=ExamReport, label="exam results import", finish=finish,
    )  # fmt: skip


def start_exam_import(record: ExamImport, language: str | None = None) -> ExamImport:
    """Run a stored import: in the request when its file is small, else in the background."""
    if record.file.size <= settings.IMPORT_INLINE_MAX_BYTES:
        return run_exam_import(record.pk)
    from core import background

    from ..tasks import run_exam_results_import

    background.run(run_exam_results_import, record.pk, language or translation.get_language())
    return record


def fail_stale_exam_imports(queryset=None) -> int:
    return fail_stale(ExamImport, ExamReport, queryset)
