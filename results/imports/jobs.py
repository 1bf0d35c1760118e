"""The service: check a results file and write its rows - all or none - then the summaries;
a stored import with its progress and report, run in the request or in the background."""

from __future__ import annotations

import csv
import io
import logging
import os
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.text import search_key
from organisations.models import Organisation
from people.imports.jobs import fail_stale, run_stored
from people.imports.report import ImportFileError, ImportReport, ImportSource, Progress, RowError
from people.models import Person

from .. import permissions
from ..models import AssessmentPeriod, GradingScale, ResultImport, ResultRow
from ..summaries import rebuild_summaries
from .parsing import COUNTS_HEADER, JOURNAL, Parsed, Record, parse_results_file

logger = logging.getLogger(__name__)


@dataclass
class ResultReport(ImportReport):
    """The teacher import's report with what only results have: the file's kind, the records
    the rows made, and the teachers the file names but the school's staff list lacks."""

    file_format: str = ""
    records: int = 0
    teachers_not_found: list[str] = field(default_factory=list)
    # A journal export counted into a counts table (not stored in the report): what is kept of
    # the upload in place of the pupils' rows.
    counts_table: bytes = field(default=b"", repr=False)

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        data.update(
            file_format=self.file_format,
            records=self.records,
            teachers_not_found=list(self.teachers_not_found),
        )
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None, *, dry_run: bool = True) -> ResultReport:
        base = ImportReport.from_dict(data, dry_run=dry_run)
        data = data or {}
        return cls(
            **base.__dict__,
            file_format=data.get("file_format", ""),
            records=data.get("records", 0),
            teachers_not_found=list(data.get("teachers_not_found", [])),
        )


def country_of(organisation: Organisation) -> str:
    return organisation.territory.country_code


def periods_for(country: str):
    return AssessmentPeriod.objects.filter(country_code=country)


def scale_for(country: str) -> GradingScale:
    scale = GradingScale.objects.filter(country_code=country, is_default=True).first()
    if scale is None:
        raise ImportFileError(
            _("No grading scale is set for the country %(country)s.") % {"country": country}
        )
    return scale


def _staff(organisation: Organisation) -> tuple[dict[str, int], dict[str, list[int]]]:
    """The school's people by full name, and by surname with initials ("иванова а п")."""
    by_name: dict[str, int] = {}
    by_initials: dict[str, list[int]] = {}
    people = Person.objects.filter(positions__organisation=organisation).distinct()
    for pk, last, first, middle in people.values_list(
        "pk", "last_name", "first_name", "middle_name"
    ):
        by_name.setdefault(search_key(f"{last} {first} {middle}"), pk)
        by_name.setdefault(search_key(f"{last} {first}"), pk)
        initials = " ".join(p[:1] for p in (first, middle) if p)
        by_initials.setdefault(search_key(f"{last} {initials}"), []).append(pk)
    return by_name, by_initials


def _teacher_id(name: str, staff) -> int | None:
    by_name, by_initials = staff
    key = search_key(name.replace(".", ". "))
    if key in by_name:
        return by_name[key]
    parts = key.replace(".", " ").split()
    if len(parts) >= 2:
        found = by_initials.get(" ".join([parts[0], *(p[:1] for p in parts[1:3])]), [])
        if len(found) == 1:
            return found[0]
    return None


def counts_table(records: list[Record]) -> bytes:
    """Records as a counts table (CSV, UTF-8) the import reads back: no pupil is in it."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(COUNTS_HEADER)
    for r in records:
        c = r.counts
        writer.writerow(
            [r.class_name, r.subject, r.teacher_name, r.period.name]
            + [c["count_5"], c["count_4"], c["count_3"], c["count_2"], c["count_na"]]
        )
    return out.getvalue().encode("utf-8")


def _forget_pupils(record: ResultImport, report: ResultReport, status: str) -> None:
    """Keep of an upload no more than the import needs: a file that cannot be applied is
    removed, and a journal export (which names pupils) is replaced by its counts, which is what
    applying a dry run then imports. Pupils' names thus stay on disk only while a run reads them.
    """
    old = record.file.name
    if not old:
        return
    if status == ResultImport.Status.FAILED or report.errors:
        record.file.name = ""
    elif report.file_format == JOURNAL:
        base = os.path.splitext(os.path.basename(old))[0]
        record.file.save(f"{base}-counts.csv", ContentFile(report.counts_table), save=False)
    else:
        return
    if not ResultImport.objects.filter(file=old).exclude(pk=record.pk).exists():
        record.file.storage.delete(old)  # a dry run and its apply share one stored file


def _plan(organisation: Organisation, school_year: int, records: list[Record]):
    """Each record as a row to create, a row to update or a row left as it is."""
    existing = {
        (r.period_id, r.grade, r.letter, r.subject.lower()): r
        for r in ResultRow.objects.filter(
            organisation=organisation,
            school_year=school_year,
            period_id__in={r.period.pk for r in records},
        )
    }
    staff = _staff(organisation)
    create, update, unchanged, missing = [], [], 0, set()
    for record in records:
        teacher_id = _teacher_id(record.teacher_name, staff) if record.teacher_name else None
        if record.teacher_name and teacher_id is None:
            missing.add(record.teacher_name)
        values = {
            **record.counts,
            "teacher_id": teacher_id,
            "teacher_name": record.teacher_name,
            "subject": record.subject,
        }
        row = existing.get(record.key)
        if row is None:
            create.append(
                ResultRow(
                    organisation=organisation,
                    school_year=school_year,
                    period=record.period,
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


def import_results(
    *,
    organisation: Organisation,
    school_year: int,
    file: ImportSource,
    dry_run: bool,
    period: AssessmentPeriod | None = None,
    source: ResultImport | None = None,
    progress: Progress | None = None,
) -> ResultReport:
    """Check a results file and, unless `dry_run`, write it - every row or none.

    A row already there for the same class, subject and period is replaced, so importing the
    same file again changes nothing; rows of classes the file does not name are kept.
    """
    report = ResultReport(dry_run=dry_run)
    country = country_of(organisation)
    try:
        parsed: Parsed = parse_results_file(
            file,
            periods=periods_for(country),
            scale=scale_for(country),
            default_period=period,
            progress=progress,
        )
    except ImportFileError as exc:
        report.file_error = exc.message
        return report
    report.rows_checked = parsed.rows_read
    report.header_row = parsed.header_row
    report.sheet = parsed.sheet
    report.columns = parsed.columns
    report.file_format = parsed.file_format
    report.records = len(parsed.records)
    if parsed.file_format == JOURNAL:
        report.counts_table = counts_table(parsed.records)
    report.errors = [RowError(row, message) for row, message in parsed.errors]
    if not parsed.rows_read:
        report.file_error = _("The table has no rows below the header.")
        return report
    create, update, unchanged, missing = _plan(organisation, school_year, parsed.records)
    report.created, report.updated, report.unchanged = len(create), len(update), unchanged
    report.teachers_not_found = missing
    if report.errors or dry_run:
        return report
    try:
        with transaction.atomic():
            for row in create:
                row.source = source
            ResultRow.objects.bulk_create(create, batch_size=1000)
            for row in update:
                row.source = source
                row.updated_at = timezone.now()
            ResultRow.objects.bulk_update(
                update,
                [
                    *ResultRow.COUNT_FIELDS,
                    "teacher",
                    "teacher_name",
                    "subject",
                    "source",
                    "updated_at",
                ],
                batch_size=1000,
            )
            if create or update:
                periods = {r.period.pk for r in parsed.records}
                rebuild_summaries(organisation.pk, school_year, periods)
    except (IntegrityError, ValidationError):
        logger.exception("results import into organisation %s", organisation.pk)
        report.file_error = _(
            "The results could not be saved because the data changed meanwhile; nothing was "
            "written. Run the import again."
        )
    else:
        report.applied = True
    return report


def create_import(
    *,
    organisation: Organisation,
    school_year: int,
    file: File | IO[bytes],
    dry_run: bool,
    actor: Person | None = None,
    period: AssessmentPeriod | None = None,
) -> ResultImport:
    """Store an upload as a pending import; the actor must be allowed to import for the school."""
    if actor is not None and not permissions.can_import_results(actor, organisation):
        raise PermissionDenied
    name = os.path.basename(getattr(file, "name", "") or "results")
    record = ResultImport(
        organisation=organisation,
        school_year=school_year,
        period=period,
        created_by=actor,
        dry_run=dry_run,
        original_name=name[:255],
    )
    record.file.save(name, file if isinstance(file, File) else File(file, name=name), save=False)
    record.save()
    return record


def create_apply_import(*, source: ResultImport, actor: Person | None = None) -> ResultImport:
    """A real import of the file a dry run checked."""
    if actor is not None and not permissions.can_import_results(actor, source.organisation):
        raise PermissionDenied
    if not can_apply(source):
        raise ValidationError(_("Only a checked file without bad rows can be applied."))
    return ResultImport.objects.create(
        organisation=source.organisation,
        school_year=source.school_year,
        period=source.period,
        created_by=actor,
        dry_run=False,
        original_name=source.original_name,
        file=source.file.name,
    )


def can_apply(record: ResultImport) -> bool:
    report = ResultReport.from_dict(record.report)
    return (
        record.dry_run
        and bool(record.file)
        and record.status == ResultImport.Status.CHECKED
        and report.ok
        and report.rows_checked > 0
    )


def start_import(record: ResultImport, language: str | None = None) -> ResultImport:
    """Run a stored import: in the request when its file is small, else in the background."""
    if record.file.size <= settings.IMPORT_INLINE_MAX_BYTES:
        return run_import(record.pk)
    from core import background

    from ..tasks import run_results_import

    background.run(run_results_import, record.pk, language or translation.get_language())
    return record


def run_import(import_id: int) -> ResultImport:
    """Run a stored import, keeping its status, progress and report up to date."""

    def importer(record, fh, progress):
        return import_results(
            organisation=record.organisation,
            school_year=record.school_year,
            file=fh,
            dry_run=record.dry_run,
            period=record.period,
            source=record,
            progress=progress,
        )

    def finish(record, report, status) -> list[str]:
        _forget_pupils(record, report, status)
        return ["file"]

    return run_stored(
        ResultImport, import_id, related=("organisation__territory", "period"),
        importer=importer, report_class=ResultReport, label="results import", finish=finish,
    )  # fmt: skip


def fail_stale_imports(queryset=None) -> int:
    """Imports whose worker died are failed; applying is one transaction, nothing was written."""
    return fail_stale(ResultImport, ResultReport, queryset)
