"""Pages: a school's results import; the indicators of a school, a community, a network and a
territory with their charts and the rows behind every figure; the schools of a network or a
territory compared for one period and subject."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from communities.models import Community
from core.documents import XLSX, attachment
from core.schoolyear import school_year_of
from core.views import PAGE_SIZE, paginate
from organisations.models import Network, Organisation, Territory

from . import charts, documents, imports, permissions, selectors
from .forms import BySchoolForm, ResultImportForm
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


def requested_year(request) -> int:
    """The school year a page asks for (?year=), this one by default."""
    return _year(request, school_year_of(timezone.localdate()))


def school_or_403(request, org_pk: int, check) -> Organisation:
    return _school(request, org_pk, check)


def place_or_403(request, kind: str, pk: int):
    """A network or territory (or school, community) by the policy of PLACES: 404 or 403."""
    return _place(request, kind, pk)[1]


def _year(request, default: int) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


@dataclass(frozen=True)
class Place:
    """A kind of place whose results are read: how its pages find it, who may see them, which
    rows are its, and its pages' URL names."""

    objects: Callable[[], QuerySet]
    may_view: Callable[[object, Model], bool]
    scope: Callable[[Model], tuple]
    country: Callable[[Model], str]
    heading: Promise
    page: str
    rows: str
    schools: str = ""  # the schools compared, for places of many schools
    innovation: str = ""  # the innovative classes against the others (results.innovation_views)


PLACES = {
    "school": Place(
        objects=lambda: Organisation.objects.select_related("territory"),
        may_view=permissions.can_view_school_results,
        scope=selectors.school_scope,
        country=lambda o: o.territory.country_code,
        heading=gettext_lazy("Pupils' results"),
        page="results:school",
        rows="results:school-rows",
        innovation="results:innovation-school",
    ),
    "community": Place(
        objects=lambda: Community.objects.select_related("territory", "kind"),
        may_view=permissions.can_view_community_results,
        scope=selectors.community_scope,
        country=lambda c: c.territory.country_code,
        heading=gettext_lazy("Results of the members' classes"),
        page="results:community",
        rows="results:community-rows",
    ),
    "network": Place(
        objects=lambda: Network.objects.select_related("territory"),
        may_view=permissions.can_view_network_results,
        scope=selectors.network_scope,
        country=lambda n: n.territory.country_code,
        heading=gettext_lazy("Results of the network's schools"),
        page="results:network",
        rows="results:network-rows",
        schools="results:network-schools",
        innovation="results:innovation-network",
    ),
    "territory": Place(
        objects=lambda: Territory.objects.all(),
        may_view=permissions.can_view_territory_results,
        scope=selectors.territory_scope,
        country=lambda t: t.country_code,
        heading=gettext_lazy("Results of the territory's schools"),
        page="results:territory",
        rows="results:territory-rows",
        schools="results:territory-schools",
        innovation="results:innovation-territory",
    ),
}


def _place(request, kind: str, pk: int) -> tuple[Place, Model]:
    place = PLACES[kind]
    obj = get_object_or_404(place.objects(), pk=pk)
    if not place.may_view(request.user, obj):
        raise PermissionDenied
    return place, obj


@login_required
@require_safe
def indicators(request, kind: str, pk: int):
    place, obj = _place(request, kind, pk)
    year = requested_year(request)
    table = selectors.indicator_table(place.scope(obj), year, place.country(obj))
    rows_url = reverse(place.rows, args=[obj.pk])
    return render(
        request,
        "results/indicators.html",
        {
            "place": obj,
            "heading": place.heading,
            "table": table,
            "charts": charts.small_multiples(table, rows_url),
            "year": year,
            "indicators": list(INDICATORS.values()),
            "rows_url": rows_url,
            "schools_url": reverse(place.schools, args=[obj.pk]) if place.schools else "",
            "innovation_url": (
                reverse(place.innovation, args=[obj.pk]) if place.innovation else ""
            ),
        },
    )


@login_required
@require_safe
def rows(request, kind: str, pk: int):
    place, obj = _place(request, kind, pk)
    year = requested_year(request)
    period = AssessmentPeriod.objects.filter(
        country_code=place.country(obj), code=request.GET.get("period", "")[:20]
    ).first()
    subject = request.GET.get("subject", "")[:200]
    found = selectors.rows_behind(
        selectors.row_condition(place.scope(obj)), school_year=year, period=period, subject=subject
    )
    return render(
        request,
        "results/rows.html",
        {
            "place": obj,
            "page": paginate(request, found),
            "year": year,
            "period": period,
            "subject": subject,
            "back": reverse(place.page, args=[obj.pk]),
        },
    )


@login_required
@require_safe
def schools(request, kind: str, pk: int):
    """The schools of a network or territory side by side for one period and subject, best
    quality first (or worst), a page at a time; the best and the worst are named above."""
    place, obj = _place(request, kind, pk)
    scope = place.scope(obj)
    year = requested_year(request)
    periods = selectors.result_periods(scope, year, place.country(obj))
    data = request.GET.copy()  # the defaults shown as chosen on a first visit
    for name, longest in (("period", 20), ("subject", 200), ("order", 10), ("year", 10)):
        if name in data:  # an error message repeats the value: never a page-wide one
            data[name] = data[name][:longest]
    data.setdefault("year", str(year))
    if periods:
        data.setdefault("period", periods[-1].code)
    form = BySchoolForm(data, periods=periods, subjects=selectors.result_subjects(scope, year))
    code = form.value("period", periods[-1].code if periods else "")
    period = next((p for p in periods if p.code == code), None)
    subject = form.value("subject", "")
    comparison = selectors.by_school(scope, year, period, subject) if period else None
    figures = comparison.schools if comparison else []
    if form.value("order", BySchoolForm.BEST) == BySchoolForm.WORST:
        rated = [f for f in figures if f.values["quality"] is not None]
        figures = rated[::-1] + figures[len(rated) :]
    if request.GET.get("format") == "xlsx" and comparison:
        # Every school in the order chosen; their names in one query.
        selectors.attach_schools(figures)
        content = documents.schools_xlsx(
            place=str(obj),
            school_year=year,
            period=period,
            subject=subject,
            comparison=comparison,
            figures=figures,
        )
        return attachment(content, XLSX, f"schools-{kind}-{obj.pk}-{year}-{period.code}.xlsx")
    page = Paginator(figures, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    if comparison:  # the best and the worst are named whichever page is shown
        shown += [f for f in (comparison.best, comparison.worst) if f and f not in shown]
    selectors.attach_schools(shown)

    def links(figure):
        school = figure.organisation
        if school is None or not permissions.can_view_school_results(request.user, school):
            return None, None
        return (
            charts.rows_link(
                reverse("results:school-rows", args=[school.pk]), year, period.code, subject
            ),
            f"{reverse('results:school', args=[school.pk])}?year={year}",
        )

    return render(
        request,
        "results/schools.html",
        {
            "place": obj,
            "back": reverse(place.page, args=[obj.pk]),
            "form": form,
            "year": year,
            "period": period,
            "subject": subject,
            "comparison": comparison,
            "page": page,
            "bars": charts.school_bars(list(page.object_list), links),
            "indicators": list(INDICATORS.values()),
        },
    )
