"""Pages: exams and control works of a school, network or territory (per kind and subject, with
the rows behind every figure) and a school's import of an exam's pupils' scores."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.views import paginate

from . import exams, permissions
from .exam_forms import ExamImportForm
from .imports import exams as exam_imports
from .imports.exams import EXAM_LABELS
from .models import AssessmentKind, ExamImport
from .views import place_or_403, requested_year, school_or_403


def _kind(request, kinds: list[AssessmentKind]) -> AssessmentKind | None:
    code = request.GET.get("kind", "")
    return next((k for k in kinds if k.code == code), None)


def _exams_page(
    request, *, condition, country: str, place, rows_url: str, results_url: str, import_url=""
):
    year = requested_year(request)
    kinds = exams.kinds_for(country)
    kind = _kind(request, kinds)
    return render(
        request,
        "results/exams.html",
        {
            "place": place,
            "year": year,
            "kinds": kinds,
            "kind": kind,
            "lines": exams.exam_lines(condition, year, kinds, kind),
            "figures": list(exams.EXAM_FIGURES.values()),
            "rows_url": rows_url,
            "import_url": import_url,
            "results_url": results_url,
        },
    )


def _rows_page(request, *, condition, country: str, place, back: str):
    year = requested_year(request)
    kind = _kind(request, exams.kinds_for(country))
    subject = request.GET.get("subject", "")[:200]
    rows = exams.exam_rows(condition, school_year=year, kind=kind, subject=subject)
    page = paginate(request, rows)
    for row in page:
        row.figure_values = exams.figure_values(row)
    return render(
        request,
        "results/exam_rows.html",
        {
            "place": place,
            "page": page,
            "year": year,
            "kind": kind,
            "subject": subject,
            "back": back,
        },
    )


@login_required
@require_safe
def school_exams(request, org_pk: int):
    organisation = school_or_403(request, org_pk, permissions.can_view_school_results)
    can_import = permissions.can_import_results(request.user, organisation)
    return _exams_page(
        request,
        condition=exams.school_condition(organisation),
        country=organisation.territory.country_code,
        place=organisation,
        rows_url=reverse("results:school-exam-rows", args=[organisation.pk]),
        results_url=reverse("results:school", args=[organisation.pk]),
        import_url=reverse("results:exam-import", args=[organisation.pk]) if can_import else "",
    )


@login_required
@require_safe
def school_exam_rows(request, org_pk: int):
    organisation = school_or_403(request, org_pk, permissions.can_view_school_results)
    return _rows_page(
        request,
        condition=exams.school_condition(organisation),
        country=organisation.territory.country_code,
        place=organisation,
        back=reverse("results:school-exams", args=[organisation.pk]),
    )


@login_required
@require_safe
def network_exams(request, pk: int):
    network = place_or_403(request, "network", pk)
    return _exams_page(
        request,
        condition=exams.network_condition(network),
        country=network.territory.country_code,
        place=network,
        rows_url=reverse("results:network-exam-rows", args=[network.pk]),
        results_url=reverse("results:network", args=[network.pk]),
    )


@login_required
@require_safe
def network_exam_rows(request, pk: int):
    network = place_or_403(request, "network", pk)
    return _rows_page(
        request,
        condition=exams.network_condition(network),
        country=network.territory.country_code,
        place=network,
        back=reverse("results:network-exams", args=[network.pk]),
    )


@login_required
@require_safe
def territory_exams(request, pk: int):
    territory = place_or_403(request, "territory", pk)
    return _exams_page(
        request,
        condition=exams.territory_condition(territory),
        country=territory.country_code,
        place=territory,
        rows_url=reverse("results:territory-exam-rows", args=[territory.pk]),
        results_url=reverse("results:territory", args=[territory.pk]),
    )


@login_required
@require_safe
def territory_exam_rows(request, pk: int):
    territory = place_or_403(request, "territory", pk)
    return _rows_page(
        request,
        condition=exams.territory_condition(territory),
        country=territory.country_code,
        place=territory,
        back=reverse("results:territory-exams", args=[territory.pk]),
    )


@login_required
def exam_upload(request, org_pk: int):
    organisation = school_or_403(request, org_pk, permissions.can_import_results)
    form = ExamImportForm(
        request.POST or None,
        request.FILES or None,
        country_code=organisation.territory.country_code,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        record = exam_imports.create_exam_import(
            organisation=organisation,
            school_year=data["school_year"],
            kind=data["kind"],
            held_on=data["held_on"],
            file=data["file"],
            dry_run=data["dry_run"],
            actor=request.user,
        )
        exam_imports.start_exam_import(record)
        return redirect("results:exam-import-status", org_pk=organisation.pk, pk=record.pk)
    recent = ExamImport.objects.filter(organisation=organisation).select_related(
        "created_by", "kind"
    )[:10]
    labels = {k: EXAM_LABELS[k] for k in ("class", "subject", "score", "mark", "teacher")}
    return render(
        request,
        "results/exam_import_upload.html",
        {"organisation": organisation, "form": form, "recent": recent, "labels": labels},
    )


@login_required
def exam_import_status(request, org_pk: int, pk: int):
    organisation = school_or_403(request, org_pk, permissions.can_import_results)
    record = get_object_or_404(
        ExamImport.objects.select_related("organisation", "created_by", "kind"),
        pk=pk,
        organisation=organisation,
    )
    if exam_imports.fail_stale_exam_imports(ExamImport.objects.filter(pk=record.pk)):
        record.refresh_from_db()
    report = exam_imports.ExamReport.from_dict(record.report, dry_run=record.dry_run)
    percent = int(record.rows_done * 100 / record.rows_total) if record.rows_total else 0
    context = {
        "organisation": organisation,
        "record": record,
        "report": report,
        "running": record.status in ExamImport.ACTIVE,
        "percent": min(percent, 100),
        "columns": [EXAM_LABELS.get(c, c) for c in report.columns],
        "can_apply": exam_imports.can_apply_exam(record),
        "apply_url": reverse("results:exam-import-apply", args=[organisation.pk, record.pk]),
        "upload_url": reverse("results:exam-import", args=[organisation.pk]),
    }
    template = (
        "results/_exam_import_status.html" if request.htmx else "results/exam_import_status.html"
    )
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_POST
def exam_import_apply(request, org_pk: int, pk: int):
    organisation = school_or_403(request, org_pk, permissions.can_import_results)
    source = get_object_or_404(
        ExamImport.objects.select_related("kind"), pk=pk, organisation=organisation
    )
    if not exam_imports.can_apply_exam(source):
        messages.error(request, _("Only a checked file without bad rows can be applied."))
        return redirect("results:exam-import-status", org_pk=organisation.pk, pk=source.pk)
    record = exam_imports.create_apply_exam_import(source=source, actor=request.user)
    exam_imports.start_exam_import(record)
    return redirect("results:exam-import-status", org_pk=organisation.pk, pk=record.pk)
