"""Writes of the year's reports: start, edit the narrative, build files, submit, accept, return.

Each takes the person acting and asks reports.permissions inside its transaction."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import background
from core.actions import announce, require
from core.text import clean_text

from . import permissions, render, rules, selectors, signals
from .models import Owner, Receiver, Report, ReportFile, Submission

log = logging.getLogger(__name__)

NARRATIVE_LIMIT = 20000
FIELD = {
    Owner.COMMUNITY: "community",
    Owner.SCHOOL: "organisation",
    Owner.NETWORK: "network",
    Owner.CENTRE: "territory",
}


def start_report(*, actor, owner_type: str, owner, school_year: int) -> Report:
    """The owner's report of the year, made once with its narrative drafted from the records."""
    require(actor, lambda: permissions.can_write_for(actor, owner_type, owner))
    if not 2000 <= school_year <= 2100:
        raise ValidationError({"school_year": _("Give a school year between 2000 and 2100.")})
    with transaction.atomic():
        existing = selectors.find_report(owner_type, owner, school_year)
        if existing is not None:
            return existing
        report = Report(owner_type=owner_type, school_year=school_year, created_by=actor)
        setattr(report, FIELD[owner_type], owner)
        texts = selectors.prefill(selectors.collect(report))
        report.analysis, report.problems, report.tasks = (
            texts["analysis"],
            texts["problems"],
            texts["tasks"],
        )
        report.updated_by = actor
        report.save()
    return report


def save_narrative(*, actor, report: Report, version: int | None, **texts) -> Report:
    require(actor, lambda: permissions.can_edit(actor, report))
    if not report.is_editable:
        raise ValidationError(_("A submitted report cannot be changed until it is returned."))
    errors = {}
    cleaned = {}
    for key in ("analysis", "problems", "tasks"):
        value = clean_text(texts.get(key, getattr(report, key)) or "")
        if len(value) > NARRATIVE_LIMIT:
            errors[key] = _("Keep it under %(n)s characters.") % {"n": NARRATIVE_LIMIT}
        cleaned[key] = value
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if version is not None and version != locked.version:
            raise ValidationError(
                {"version": _("Someone changed this report meanwhile; reload and edit again.")}
            )
        for key, value in cleaned.items():
            setattr(report, key, value)
        report.version = locked.version + 1
        report.updated_by = actor
        report.save(update_fields=[*cleaned, "version", "updated_by", "updated_at"])
    return report


def _author_role(report: Report) -> str:
    return {
        Owner.COMMUNITY: _("Leader of the community"),
        Owner.SCHOOL: _("Director"),
        Owner.NETWORK: _("Network coordinator"),
        Owner.CENTRE: _("Methodological centre"),
    }[report.owner_type]


def snapshot_of(report: Report, actor, progress=None) -> dict:
    receiver = rules.receiver_of(report)
    data = selectors.collect(report, progress)
    return {
        "owner": selectors.owner_title(report),
        "owner_type": report.owner_type,
        "organisation": selectors.organisation_header(report),
        "school_year": report.school_year_label,
        "receiver": str(Receiver(receiver).label) if receiver else "",
        "author": actor.full_name if actor else "",
        "author_role": _author_role(report),
        "date": f"{timezone.localdate():%d.%m.%Y}",
        "narrative": {k: getattr(report, k) for k in ("analysis", "problems", "tasks")},
        **data,
    }


def submit(*, actor, report: Report) -> Submission:
    """Freeze the report as it is now (data, narrative, files) and send it to the receiver."""
    require(actor, lambda: permissions.can_submit(actor, report))
    if not rules.receiver_of(report):
        raise ValidationError(_("The rule names nobody to receive this report."))
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if not locked.is_editable:
            raise ValidationError(_("This report is already submitted."))
        due = rules.due_of(report)
        last = locked.submissions.order_by("-number").values_list("number", flat=True).first()
        submission = Submission.objects.create(
            report=report,
            number=(last or 0) + 1,
            snapshot=snapshot_of(report, actor),
            submitted_by=actor,
            due_on=due,
            late=bool(due and timezone.localdate() > due),
        )
        report.status = Report.Status.SUBMITTED
        report.version = locked.version + 1
        report.save(update_fields=["status", "version", "updated_at"])
        jobs = [
            ReportFile.objects.create(
                report=report, submission=submission, format=fmt, requested_by=actor
            )
            for fmt in ReportFile.Format.values
        ]
        language = translation.get_language()
        for job in jobs:
            transaction.on_commit(lambda job=job: _run(job.pk, language), robust=True)
        announce(signals.report_submitted, Report, report=report, submission=submission,
                 actor=actor)  # fmt: skip
    return submission


def decide(*, actor, report: Report, accept: bool, comment: str = "") -> Submission:
    """The receiver accepts the submitted version or returns it with comments."""
    submission = report.submissions.order_by("-number").first()
    require(
        actor,
        lambda: (
            submission is not None
            and permissions.can_decide(actor, report, submission.submitted_by_id)
        ),
    )
    comment = clean_text(comment or "").strip()
    if not accept and not comment:
        raise ValidationError({"comment": _("Say what to change when returning a report.")})
    if len(comment) > NARRATIVE_LIMIT:
        raise ValidationError(
            {"comment": _("Keep it under %(n)s characters.") % {"n": NARRATIVE_LIMIT}}
        )
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if locked.status != Report.Status.SUBMITTED or submission is None:
            raise ValidationError(_("This report waits for no decision."))
        submission.decision = (
            Submission.Decision.ACCEPTED if accept else Submission.Decision.RETURNED
        )
        submission.decided_by = actor
        submission.decided_at = timezone.now()
        submission.comment = comment
        submission.save(update_fields=["decision", "decided_by", "decided_at", "comment"])
        report.status = Report.Status.ACCEPTED if accept else Report.Status.RETURNED
        report.version = locked.version + 1
        report.save(update_fields=["status", "version", "updated_at"])
        announce(signals.report_decided, Report, report=report, submission=submission,
                 actor=actor)  # fmt: skip
    return submission


def request_file(*, actor, report: Report, fmt: str) -> ReportFile:
    """A DOCX or PDF of the draft as it is now, built in the background (a network's or the
    centre's report) with a progress page."""
    require(actor, lambda: permissions.can_view(actor, report))
    if fmt not in ReportFile.Format.values:
        raise ValidationError({"format": _("Choose DOCX or PDF.")})
    job = ReportFile.objects.create(report=report, format=fmt, requested_by=actor)
    language = translation.get_language()
    transaction.on_commit(lambda: _run(job.pk, language), robust=True)
    return job


def _run(file_id: int, language: str | None) -> None:
    from .tasks import build_report_file

    background.run(build_report_file, file_id, language)


def draft_bytes(report: Report, actor, fmt: str) -> bytes:
    """A small report's file at once, for a download within the request."""
    snapshot = snapshot_of(report, actor)
    return render.to_docx(snapshot) if fmt == "docx" else render.to_pdf(snapshot)


def build_file(file_id: int) -> None:
    job = ReportFile.objects.select_related("report", "submission", "requested_by").get(pk=file_id)
    if job.status == ReportFile.Status.DONE:
        return
    report = selectors.report_detail(job.report_id)

    def progress(value: int) -> None:
        ReportFile.objects.filter(pk=job.pk).update(
            progress=min(value, 99), heartbeat_at=timezone.now()
        )

    ReportFile.objects.filter(pk=job.pk).update(
        status=ReportFile.Status.RUNNING, heartbeat_at=timezone.now()
    )
    try:
        if job.submission_id:
            snapshot = job.submission.snapshot
        else:
            snapshot = snapshot_of(report, job.requested_by, lambda v: progress(v // 2))
        draw = render.to_docx if job.format == ReportFile.Format.DOCX else render.to_pdf
        content = draw(snapshot, progress)
        name = f"report-{report.pk}.{job.format}"
        job.file.save(name, ContentFile(content), save=False)
        job.status = ReportFile.Status.DONE
        job.progress = 100
        job.save(update_fields=["file", "status", "progress"])
    except Exception as exc:  # noqa: BLE001 - the job shows it failed; the error is logged
        log.exception("Building report file %s failed", file_id)
        ReportFile.objects.filter(pk=job.pk).update(
            status=ReportFile.Status.FAILED, error=str(exc)[:500]
        )
