"""Pages of the year's reports: parse the request, ask the policy what to draw, call a service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from communities.models import Community
from core import background
from core.documents import DOCX, PDF, attachment
from core.downloads import serve_upload
from core.forms import flash_errors
from core.text import parse_id
from core.views import paginate
from organisations.models import Network, Organisation, Territory

from . import permissions, rules, selectors, services
from . import render as drawing
from .models import Owner, Receiver, Report, ReportFile

OWNER_MODELS = {
    Owner.COMMUNITY: Community,
    Owner.SCHOOL: Organisation,
    Owner.NETWORK: Network,
    Owner.CENTRE: Territory,
}


def _report(request, pk) -> Report:
    try:
        report = selectors.report_detail(pk)
    except Report.DoesNotExist as exc:
        raise Http404 from exc
    if not permissions.can_view(request.user, report):
        raise PermissionDenied
    return report


def _year(value, default: int) -> int:
    year = parse_id(value)
    return year if year and 2000 <= year <= 2100 else default


@login_required
@require_safe
def report_list(request):
    page = paginate(request, selectors.visible_reports(request.user))
    return render(
        request,
        "reports/list.html",
        {
            "page": page,
            "owed": selectors.reports_owed_by(request.user, 20),
            "owners": selectors.owners_for(request.user),
            "year": selectors.last_school_year(),
            "may_see_board": permissions.may_see_board(request.user),
        },
    )


@login_required
@require_POST
def report_start(request):
    owner_type = request.POST.get("owner_type", "")
    model = OWNER_MODELS.get(owner_type)
    owner_id = parse_id(request.POST.get("owner"))
    owner = model.objects.filter(pk=owner_id).first() if model and owner_id else None
    if owner is None:
        raise Http404
    year = _year(request.POST.get("school_year"), selectors.last_school_year())
    if not permissions.can_write_for(request.user, owner_type, owner):
        raise PermissionDenied
    report = services.start_report(
        actor=request.user, owner_type=owner_type, owner=owner, school_year=year
    )
    return redirect("reports:detail", report.pk)


def _shown_data(report: Report, submission) -> tuple[dict, bool]:
    """A draft shows the records as they are now; a sent version shows what was sent."""
    if submission is not None and not report.is_editable:
        return submission.snapshot, True
    return selectors.collect(report), False


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_detail(request, pk):
    report = _report(request, pk)
    may_edit = permissions.can_edit(request.user, report)
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        try:
            services.save_narrative(
                actor=request.user,
                report=report,
                version=parse_id(request.POST.get("version")),
                analysis=request.POST.get("analysis", ""),
                problems=request.POST.get("problems", ""),
                tasks=request.POST.get("tasks", ""),
            )
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("The report is saved."))
        return redirect("reports:detail", report.pk)
    submission = selectors.latest_submission(report)
    data, frozen = _shown_data(report, submission)
    return render(
        request,
        "reports/detail.html",
        {
            "report": report,
            "owner_name": selectors.owner_title(report),
            "sections": data["sections"],
            "frozen": frozen,
            "narrative": drawing.narrative_titles(),
            "submission": submission,
            "submissions": selectors.submissions_of(report),
            "due": rules.due_of(report),
            "receiver": rules.receiver_of(report),
            "receiver_label": Receiver(rules.receiver_of(report)).label
            if rules.receiver_of(report)
            else "",
            "may_edit": may_edit,
            "may_submit": permissions.can_submit(request.user, report),
            "may_decide": submission is not None
            and permissions.can_decide(request.user, report, submission.submitted_by_id),
        },
    )


@login_required
@require_POST
def report_submit(request, pk):
    report = _report(request, pk)
    if not permissions.can_submit(request.user, report):
        raise PermissionDenied
    try:
        services.submit(actor=request.user, report=report)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("The report is submitted."))
    return redirect("reports:detail", report.pk)


@login_required
@require_POST
def report_decide(request, pk):
    report = _report(request, pk)
    submission = selectors.latest_submission(report)
    if submission is None or not permissions.can_decide(
        request.user, report, submission.submitted_by_id
    ):
        raise PermissionDenied
    accept = request.POST.get("decision") == "accept"
    try:
        services.decide(
            actor=request.user, report=report, accept=accept, comment=request.POST.get("comment")
        )
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(
            request, _("The report is accepted.") if accept else _("The report is returned.")
        )
    return redirect("reports:detail", report.pk)


@login_required
@require_safe
def report_download(request, pk, fmt):
    """A community's or a school's report at once; a network's or the centre's is built in the
    background (POST to build)."""
    report = _report(request, pk)
    if report.is_big:
        return redirect("reports:detail", report.pk)
    content = services.draft_bytes(report, request.user, fmt)
    name = f"report-{report.school_year}-{report.pk}.{fmt}"
    return attachment(content, DOCX if fmt == "docx" else PDF, name)


@login_required
@require_POST
def report_build(request, pk):
    report = _report(request, pk)
    fmt = request.POST.get("format", "")
    try:
        job = services.request_file(actor=request.user, report=report, fmt=fmt)
    except ValidationError as exc:
        flash_errors(request, exc)
        return redirect("reports:detail", report.pk)
    return redirect("reports:file", job.pk)


def _job(request, pk) -> ReportFile:
    try:
        job = selectors.file_job(pk)
    except ReportFile.DoesNotExist as exc:
        raise Http404 from exc
    if not permissions.can_view(request.user, selectors.report_detail(job.report_id)):
        raise PermissionDenied
    return job


@login_required
@require_safe
def file_status(request, pk):
    job = _job(request, pk)
    running = job.status in (ReportFile.Status.QUEUED, ReportFile.Status.RUNNING)
    # A job whose worker gave no sign of life for long is shown as failed (build it again).
    stale = running and (job.heartbeat_at or job.created_at) < background.stale_cutoff()
    context = {"job": job, "running": running and not stale, "stale": stale}
    if request.htmx:
        return render(request, "reports/_file_status.html", context)
    return render(request, "reports/file.html", context)


@login_required
@require_safe
def file_download(request, pk):
    job = _job(request, pk)
    if job.status != ReportFile.Status.DONE or not job.file:
        raise Http404
    return serve_upload(job.file, filename=f"report-{job.report.school_year}.{job.format}")


@login_required
@require_safe
def board(request):
    if not permissions.may_see_board(request.user):
        raise PermissionDenied
    year = _year(request.GET.get("year"), selectors.last_school_year())
    state = request.GET.get("state", "")
    of = request.GET.get("of", "")
    of = of if of in selectors.BOARD_OWNERS else Owner.COMMUNITY
    today = timezone.localdate()
    if of == Owner.COMMUNITY:
        owners = selectors.board_communities(request.user, year)
        if state in selectors.BOARD_STATES:
            owners = owners.filter(selectors.state_q(state, year, today))
        page = paginate(request, owners)
        rows = [selectors.board_state(c, year, today) for c in page]
    else:
        due = selectors.owner_due(of, year)
        owners = selectors.board_owners(request.user, of, year)
        if state in selectors.BOARD_STATES:
            owners = owners.filter(selectors.owner_state_q(state, due, today))
        page = paginate(request, owners)
        rows = [selectors.owner_state(o, due, today) for o in page]
    return render(
        request,
        "reports/board.html",
        {
            "page": page,
            "rows": rows,
            "year": year,
            "year_label": f"{year}/{year + 1}",
            "state": state,
            "of": of,
            "owner_tabs": [(o, Owner(o).label) for o in selectors.BOARD_OWNERS],
            "states": [(s, selectors.state_label(s)) for s in selectors.BOARD_STATES],
            "reviews": selectors.reviews_waiting_for(request.user, 20),
        },
    )
