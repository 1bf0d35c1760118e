"""The service: an import of a stored file with its progress and report, run, re-run or failed
when its worker died; the command, the pages and the API all go through it."""

from __future__ import annotations

import logging
import os
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import IntegrityError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from organisations.models import Organisation

from ..models import Person, TeacherImport
from ..selectors import categories_for
from .matching import _plan
from .report import ImportFileError, ImportReport, ImportSource, Progress, RowError
from .rows import parse_teacher_file
from .writing import _write

logger = logging.getLogger(__name__)


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


def start_import(record: TeacherImport, language: str | None = None) -> TeacherImport:
    """Run a stored import: within the request when its file is small, else in the background.

    The pages and the API start every import (upload, apply, re-run) here, so a list runs the
    same way whichever way it came: a school's list of a hundred teachers answers at once, a
    region's list of thousands shows its progress.
    """
    if record.file.size <= settings.IMPORT_INLINE_MAX_BYTES:
        return run_import(record.pk)
    from core import background

    from ..tasks import run_teacher_import

    background.run(run_teacher_import, record.pk, language or translation.get_language())
    return record


def can_apply(record: TeacherImport) -> bool:
    """A finished dry run without bad rows can be applied."""
    report = ImportReport.from_dict(record.report)
    return (
        record.dry_run
        and record.status == TeacherImport.Status.CHECKED
        and report.ok
        and report.rows_checked > 0
    )


def run_stored(model, import_id: int, *, related, importer, report_class, label, finish=None):
    """Run a stored import of any kind (teachers, pupils' results), keeping its status, progress
    and report up to date. `importer(record, file, progress)` returns the report; `finish(record,
    report, status)` may change the record before it is saved and names the fields it changed."""
    record = model.objects.select_related(*related).get(pk=import_id)
    model.objects.filter(pk=record.pk).update(
        status=model.Status.RUNNING, heartbeat_at=timezone.now()
    )

    def progress(done: int, total: int) -> None:
        model.objects.filter(pk=record.pk).update(
            rows_done=done, rows_total=total, heartbeat_at=timezone.now()
        )

    try:
        with record.file.open("rb") as fh:
            report = importer(record, fh, progress)
    except Exception:  # the job must end with a status, whatever went wrong
        logger.exception("%s %s failed", label, record.pk)
        report = report_class(
            dry_run=record.dry_run,
            file_error=_("The import failed because of an internal error; nothing was written."),
        )
    if report.applied:
        status = model.Status.APPLIED
    elif record.dry_run and not report.file_error:
        status = model.Status.CHECKED
    else:
        status = model.Status.FAILED
    changed = list(finish(record, report, status)) if finish else []
    record.status = status
    record.report = report.to_dict()
    record.rows_total = record.rows_done = report.rows_checked
    record.heartbeat_at = timezone.now()
    record.save(
        update_fields=["status", "report", "rows_total", "rows_done", "heartbeat_at", *changed]
    )
    return record


def fail_stale(model, report_class, queryset=None) -> int:
    """Mark imports whose worker died (no sign of life in time) as failed; nothing was written.

    Applying is one transaction, so a killed worker leaves no rows behind; what is left is to say
    so and let the file be run again.
    """
    from core.background import stale_cutoff

    queryset = model.objects.all() if queryset is None else queryset
    stale = queryset.filter(model.stale_q(model.ACTIVE, stale_cutoff()))
    failed = 0
    with translation.override(settings.LANGUAGE_CODE):
        message = _(
            "The import was interrupted (the server stopped while it ran); nothing was written. "
            "Run it again."
        )
        for dry_run in (True, False):
            report = report_class(dry_run=dry_run, file_error=message).to_dict()
            failed += stale.filter(dry_run=dry_run).update(
                status=model.Status.FAILED, report=report
            )
    return failed


def run_import(import_id: int) -> TeacherImport:
    """Run a stored import, keeping its status, progress and report up to date."""

    def importer(record, fh, progress):
        return import_teachers(
            organisation=record.organisation,
            file=fh,
            dry_run=record.dry_run,
            actor=record.created_by,
            progress=progress,
        )

    return run_stored(
        TeacherImport, import_id, related=("organisation__territory", "created_by"),
        importer=importer, report_class=ImportReport, label="teacher import",
    )  # fmt: skip


def fail_stale_imports(queryset=None) -> int:
    return fail_stale(TeacherImport, ImportReport, queryset)


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
