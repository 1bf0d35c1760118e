"""Pages: a school's results import, and the indicators of a school and a community with the
rows behind every figure."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from communities.models import Community
from core.schoolyear import school_year_of
from core.views import paginate
from organisations.models import Network, Organisation, Territory

from . import imports, permissions, selectors
from .forms import ResultImportForm
from .imports.fields import FIELD_LABELS
from .indicators import INDICATORS
from .models import AssessmentPeriod, ResultImport


def _school(request, org_pk: int, check) -> Organisation:
    organisation = get_object_or_404(Organisation.objects.select_related("territory"), pk=org_pk)
    if not check(request.user, organisation):
        raise PermissionDenied
    return organisation


@login_required
def upload(request, org_pk: int):
    organisation = _school(request, org_pk, permissions.can_import_results)
    form = ResultImportForm(
        request.POST or None,
        request.FILES or None,
        country_code=organisation.territory.country_code,
    )
    if request.method == "POST" and form.is_valid():
        record = imports.create_import(
            organisation=organisation,
            school_year=form.cleaned_data["school_year"],
            period=form.cleaned_data["period"],
            file=form.cleaned_data["file"],
            dry_run=form.cleaned_data["dry_run"],
            actor=request.user,
        )
        imports.start_import(record)
        return redirect("results:import-status", org_pk=organisation.pk, pk=record.pk)
    recent = ResultImport.objects.filter(organisation=organisation).select_related("created_by")[
        :10
    ]
    return render(
        request,
        "results/import_upload.html",
        {"organisation": organisation, "form": form, "recent": recent, "labels": FIELD_LABELS},
    )


@login_required
def import_status(request, org_pk: int, pk: int):
    organisation = _school(request, org_pk, permissions.can_import_results)
    record = get_object_or_404(
        ResultImport.objects.select_related("organisation", "created_by"),
        pk=pk,
        organisation=organisation,
    )
    if imports.fail_stale_imports(ResultImport.objects.filter(pk=record.pk)):
        record.refresh_from_db()
    report = imports.ResultReport.from_dict(record.report, dry_run=record.dry_run)
    percent = int(record.rows_done * 100 / record.rows_total) if record.rows_total else 0
    context = {
        "organisation": organisation,
        "record": record,
        "report": report,
        "running": record.status in ResultImport.ACTIVE,
        "percent": min(percent, 100),
        "columns": [FIELD_LABELS.get(c, c) for c in report.columns],
        "can_apply": imports.can_apply(record),
        "apply_url": reverse("results:import-apply", args=[organisation.pk, record.pk]),
        "upload_url": reverse("results:import", args=[organisation.pk]),
    }
    template = "results/_import_status.html" if request.htmx else "results/import_status.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_POST
def import_apply(request, org_pk: int, pk: int):
    organisation = _school(request, org_pk, permissions.can_import_results)
    source = get_object_or_404(ResultImport, pk=pk, organisation=organisation)
    if not imports.can_apply(source):
        messages.error(request, _("Only a checked file without bad rows can be applied."))
        return redirect("results:import-status", org_pk=organisation.pk, pk=source.pk)
    record = imports.create_apply_import(source=source, actor=request.user)
    imports.start_import(record)
    return redirect("results:import-status", org_pk=organisation.pk, pk=record.pk)


def _year(request, default: int) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


def _indicators_page(request, *, scope, country: str, heading, place, rows_url: str):
    default = school_year_of(timezone.localdate())
    year = _year(request, default)
    table = selectors.indicator_table(scope, year, country)
    return render(
        request,
        "results/indicators.html",
        {
            "place": place,
            "heading": heading,
            "table": table,
            "year": year,
            "indicators": list(INDICATORS.values()),
            "rows_url": rows_url,
        },
    )


def _rows_page(request, *, scope, country: str, place, back: str):
    year = _year(request, school_year_of(timezone.localdate()))
    period = AssessmentPeriod.objects.filter(
        country_code=country, code=request.GET.get("period", "")
    ).first()
    subject = request.GET.get("subject", "")[:200]
    rows = selectors.rows_behind(
        selectors.row_condition(scope), school_year=year, period=period, subject=subject
    )
    return render(
        request,
        "results/rows.html",
        {
            "place": place,
            "page": paginate(request, rows),
            "year": year,
            "period": period,
            "subject": subject,
            "back": back,
        },
    )


@login_required
@require_safe
def school_indicators(request, org_pk: int):
    organisation = _school(request, org_pk, permissions.can_view_school_results)
    return _indicators_page(
        request,
        scope=selectors.school_scope(organisation),
        country=organisation.territory.country_code,
        heading=_("Pupils' results"),
        place=organisation,
        rows_url=reverse("results:school-rows", args=[organisation.pk]),
    )


@login_required
@require_safe
def school_rows(request, org_pk: int):
    organisation = _school(request, org_pk, permissions.can_view_school_results)
    return _rows_page(
        request,
        scope=selectors.school_scope(organisation),
        country=organisation.territory.country_code,
        place=organisation,
        back=reverse("results:school", args=[organisation.pk]),
    )


def _community(request, pk: int) -> Community:
    community = get_object_or_404(Community.objects.select_related("territory", "kind"), pk=pk)
    if not permissions.can_view_community_results(request.user, community):
        raise PermissionDenied
    return community


@login_required
@require_safe
def community_indicators(request, pk: int):
    community = _community(request, pk)
    return _indicators_page(
        request,
        scope=selectors.community_scope(community),
        country=community.territory.country_code,
        heading=_("Results of the members' classes"),
        place=community,
        rows_url=reverse("results:community-rows", args=[community.pk]),
    )


@login_required
@require_safe
def community_rows(request, pk: int):
    community = _community(request, pk)
    return _rows_page(
        request,
        scope=selectors.community_scope(community),
        country=community.territory.country_code,
        place=community,
        back=reverse("results:community", args=[community.pk]),
    )


def _network(request, pk: int) -> Network:
    network = get_object_or_404(Network.objects.select_related("territory"), pk=pk)
    if not permissions.can_view_network_results(request.user, network):
        raise PermissionDenied
    return network


@login_required
@require_safe
def network_indicators(request, pk: int):
    network = _network(request, pk)
    return _indicators_page(
        request,
        scope=selectors.network_scope(network),
        country=network.territory.country_code,
        heading=_("Results of the network's schools"),
        place=network,
        rows_url=reverse("results:network-rows", args=[network.pk]),
    )


@login_required
@require_safe
def network_rows(request, pk: int):
    network = _network(request, pk)
    return _rows_page(
        request,
        scope=selectors.network_scope(network),
        country=network.territory.country_code,
        place=network,
        back=reverse("results:network", args=[network.pk]),
    )


def _territory(request, pk: int) -> Territory:
    territory = get_object_or_404(Territory, pk=pk)
    if not permissions.can_view_territory_results(request.user, territory):
        raise PermissionDenied
    return territory


@login_required
@require_safe
def territory_indicators(request, pk: int):
    territory = _territory(request, pk)
    return _indicators_page(
        request,
        scope=selectors.territory_scope(territory),
        country=territory.country_code,
        heading=_("Results of the territory's schools"),
        place=territory,
        rows_url=reverse("results:territory-rows", args=[territory.pk]),
    )


@login_required
@require_safe
def territory_rows(request, pk: int):
    territory = _territory(request, pk)
    return _rows_page(
        request,
        scope=selectors.territory_scope(territory),
        country=territory.country_code,
        place=territory,
        back=reverse("results:territory", args=[territory.pk]),
    )
