"""The databank as XLSX: one sheet of teachers, one row each, with related lists joined."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from core.documents import collection_paused, xlsx_bytes, xlsx_cell, xlsx_workbook
from core.uploads import discard_files_on_commit
from organisations.models import Organisation

from . import selectors, services
from .models import DatabankExport, Person

logger = logging.getLogger(__name__)


def _columns():
    return [
        (_("Full name"), lambda p, t: p.full_name),
        (
            _("Position"),
            lambda p, t: "; ".join(f"{pos.title} ({pos.organisation})" for pos in p.positions_here),
        ),
        (_("Email"), lambda p, t: p.email),
        (_("Phone"), lambda p, t: p.phone),
        (_("Education"), lambda p, t: t and t.education),
        (_("Institution graduated"), lambda p, t: t and t.education_institution),
        (_("Specialty by diploma"), lambda p, t: t and t.specialty),
        (
            _("Qualification category"),
            lambda p, t: t and t.qualification_category and str(t.qualification_category),
        ),
        (_("Category assigned on"), lambda p, t: t and t.category_assigned_on),
        (_("Next attestation"), lambda p, t: t and t.next_attestation_on),
        (_("Total experience, years"), lambda p, t: t and t.experience_total),
        (_("Teaching experience, years"), lambda p, t: t and t.experience_teaching),
        (_("Subjects taught"), lambda p, t: t and t.subjects),
        (_("Workload, hours a week"), lambda p, t: t and t.workload_hours),
        (_("Classes taught"), lambda p, t: t and t.classes_taught),
        (
            _("Courses"),
            lambda p, t: (
                t
                and "; ".join(
                    f"{c.title}{f' ({c.completed_on:%d.%m.%Y})' if c.completed_on else ''}"
                    for c in t.course_list
                )
            ),
        ),
        (_("Generalisation of experience"), lambda p, t: t and t.experience_generalisation),
        (
            _("Teacher's achievements"),
            lambda p, t: (
                t
                and "; ".join(
                    f"{a.year}: {a.description}" for a in t.achievement_list if a.kind == "teacher"
                )
            ),
        ),
        (
            _("Pupils' achievements"),
            lambda p, t: (
                t
                and "; ".join(
                    f"{a.year}: {a.description}" for a in t.achievement_list if a.kind == "pupils"
                )
            ),
        ),
        (
            _("Awards"),
            lambda p, t: (
                t
                and "; ".join(f"{a.title}{f' ({a.year})' if a.year else ''}" for a in t.award_list)
            ),
        ),
        (_("Honorary titles"), lambda p, t: t and t.titles),
        (_("Self-education topic"), lambda p, t: t and t.self_education_topic),
    ]


def databank_workbook(
    people: Iterable[Person],
    title: str,
    progress: Callable[[int], None] | None = None,
) -> bytes:
    """`progress` is told how many rows are written, now and then, for a long export."""
    columns = _columns()
    workbook = xlsx_workbook()
    sheet = workbook.create_sheet(_("Teachers")[:31])
    for index in range(1, len(columns) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 22
    sheet.freeze_panes = "B3"
    sheet.append([xlsx_cell(sheet, title, bold=True, size=13)])
    sheet.append([xlsx_cell(sheet, name, bold=True, wrap=True) for name, _getter in columns])
    done = 0
    for person in people:
        profile = getattr(person, "teacher_profile", None)
        sheet.append([xlsx_cell(sheet, getter(person, profile)) for _name, getter in columns])
        done += 1
        if progress is not None and done % 200 == 0:
            progress(done)
    if progress is not None:
        progress(done)
    return xlsx_bytes(workbook)


def organisation_title(organisation: Organisation) -> str:
    return _("Teacher databank: %(organisation)s, %(date)s") % {
        "organisation": organisation.name,
        "date": timezone.localdate().strftime("%d.%m.%Y"),
    }


def build_databank_export(export_id: int) -> None:
    """The background job: write the file, report progress, log who exported whose records."""
    export = DatabankExport.objects.select_related("organisation__territory", "requested_by").get(
        pk=export_id
    )
    rows = DatabankExport.objects.filter(pk=export_id)
    try:
        with collection_paused():
            _build(export, rows)
    except Exception:
        # A background job has nobody to show a 500 to; the progress page shows the failure.
        logger.exception("Databank export %s failed", export_id)
        rows.update(status=DatabankExport.Status.FAILED)


def _build(export: DatabankExport, rows) -> None:
    people = list(selectors.organisation_databank(export.organisation))
    rows.update(
        status=DatabankExport.Status.RUNNING,
        rows_total=len(people),
        heartbeat_at=timezone.now(),
    )
    content = databank_workbook(
        people,
        organisation_title(export.organisation),
        progress=lambda done: rows.update(rows_done=done, heartbeat_at=timezone.now()),
    )
    # The log entries and the finished file appear together: a failed export logs nothing.
    with transaction.atomic():
        services.log_databank_access(viewer=export.requested_by, subjects=people, action="export")
        export.file.save(f"{uuid.uuid4().hex}.xlsx", ContentFile(content), save=False)
        rows.update(status=DatabankExport.Status.DONE, rows_done=len(people), file=export.file.name)


def remove_expired_exports(now: dt.datetime | None = None) -> int:
    """Finished exports older than DATABANK_EXPORT_KEEP_HOURS go, with their files.

    The file is a copy of personal data made for one download; it is not kept around for ever.
    """
    cutoff = (now or timezone.now()) - dt.timedelta(hours=settings.DATABANK_EXPORT_KEEP_HOURS)
    finished = (DatabankExport.Status.DONE, DatabankExport.Status.FAILED)
    removed = 0
    while True:
        with transaction.atomic():
            batch = list(
                DatabankExport.objects.select_for_update(skip_locked=True)
                .filter(status__in=finished, created_at__lt=cutoff)
                .only("pk", "file")[:500]
            )
            if not batch:
                return removed
            DatabankExport.objects.filter(pk__in=[e.pk for e in batch]).delete()
            discard_files_on_commit(e.file for e in batch)
        removed += len(batch)


def fail_stale_exports(queryset=None) -> int:
    """Exports whose worker died (no sign of life in time) are failed; the admin can ask again."""
    from core.background import stale_cutoff

    queryset = DatabankExport.objects.all() if queryset is None else queryset
    active = (DatabankExport.Status.PENDING, DatabankExport.Status.RUNNING)
    return queryset.filter(DatabankExport.stale_q(active, stale_cutoff())).update(
        status=DatabankExport.Status.FAILED
    )
