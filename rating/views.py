"""Pages: the scheme editor, the rating of a school's teachers and of a community's members (and
their spreadsheets), and the teacher's own rating. Views of others' rows are logged as databank
views (people.DatabankAccess), as the databank's are."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from communities.models import Community
from core.documents import XLSX, attachment
from core.schoolyear import school_year_of
from core.views import paginate
from organisations.models import Organisation
from people.services import log_databank_access

from . import documents, permissions, selectors, services
from .forms import CriterionFormSet, rows_of


def year_of(request) -> int:
    default = school_year_of(timezone.localdate())
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


def _school(request, org_pk: int, check) -> Organisation:
    organisation = get_object_or_404(Organisation, pk=org_pk)
    if not check(request.user, organisation):
        raise PermissionDenied
    return organisation


def _community(request, pk: int, check) -> Community:
    community = get_object_or_404(Community.objects.select_related("organisation"), pk=pk)
    if not check(request.user, community):
        raise PermissionDenied
    return community


def _table_page(request, *, organisation, people, place, year, export_url, back):
    scheme = selectors.scheme_for(organisation, year) if organisation else None
    page = table = None
    if scheme is not None:
        table = selectors.rating(scheme, people)
        page = paginate(request, table.rows)
        log_databank_access(viewer=request.user, subjects=[r.person for r in page], action="view")
    return render(
        request,
        "rating/rating.html",
        {
            "place": place,
            "back": back,
            "organisation": organisation,
            "year": year,
            "scheme": scheme,
            "table": table,
            "page": page,
            "export_url": f"{export_url}?year={year}",
            "may_edit": organisation is not None
            and permissions.can_edit_scheme(request.user, organisation),
        },
    )


def _export(request, *, organisation, people, title, filename, year):
    scheme = selectors.scheme_for(organisation, year) if organisation else None
    if scheme is None:
        messages.error(request, _("The school has no rating scheme for this school year."))
        return redirect(request.path.rsplit("/", 1)[0] + f"/?year={year}")
    table = selectors.rating(scheme, people)
    log_databank_access(
        viewer=request.user, subjects=[r.person for r in table.rows], action="export"
    )
    title = f"{title}, {year}/{year + 1}"
    return attachment(documents.rating_xlsx(table, title), XLSX, filename)


@login_required
@require_safe
def school_rating(request, org_pk: int):
    organisation = _school(request, org_pk, permissions.can_view_school_rating)
    return _table_page(
        request,
        organisation=organisation,
        people=selectors.teachers_of(organisation),
        place=organisation,
        year=year_of(request),
        export_url=reverse("rating:school_xlsx", args=[organisation.pk]),
        back=reverse("organisations:detail", args=[organisation.pk]),
    )


@login_required
@require_safe
def school_export(request, org_pk: int):
    organisation = _school(request, org_pk, permissions.can_export_school_rating)
    return _export(
        request,
        organisation=organisation,
        people=selectors.teachers_of(organisation),
        title=_("Teachers' rating: %(place)s") % {"place": organisation},
        filename=f"rating-{organisation.pk}.xlsx",
        year=year_of(request),
    )


@login_required
@require_safe
def community_rating(request, pk: int):
    community = _community(request, pk, permissions.can_view_community_rating)
    return _table_page(
        request,
        organisation=selectors.community_school(community),
        people=selectors.members_of(community),
        place=community,
        year=year_of(request),
        export_url=reverse("rating:community_xlsx", args=[community.pk]),
        back=reverse("communities:detail", args=[community.pk]),
    )


@login_required
@require_safe
def community_export(request, pk: int):
    community = _community(request, pk, permissions.can_export_community_rating)
    return _export(
        request,
        organisation=selectors.community_school(community),
        people=selectors.members_of(community),
        title=_("Teachers' rating: %(place)s") % {"place": community},
        filename=f"rating-community-{community.pk}.xlsx",
        year=year_of(request),
    )


@login_required
@require_safe
def my_rating(request):
    year = year_of(request)
    organisation = selectors.school_of(request.user)
    scheme = selectors.scheme_for(organisation, year) if organisation else None
    table = row = None
    if scheme is not None:
        table, row = selectors.person_rating(scheme, request.user)
    return render(
        request,
        "rating/mine.html",
        {
            "organisation": organisation,
            "year": year,
            "scheme": scheme,
            "table": table,
            "row": row,
            "page": table.rows if table else [],
        },
    )


@login_required
def scheme_edit(request, org_pk: int):
    organisation = _school(request, org_pk, permissions.can_edit_scheme)
    year = year_of(request)
    scheme = selectors.scheme_for(organisation, year)
    initial = [
        {"id": c.pk, "measure": c.measure, "weight": c.weight, "cap": c.cap}
        for c in (scheme.criteria.all() if scheme else [])
    ]
    formset = CriterionFormSet(request.POST or None, initial=initial, prefix="criteria")
    problems: list[str] = []
    if request.method == "POST":
        if formset.is_valid():
            try:
                services.save_scheme(
                    organisation=organisation,
                    school_year=year,
                    rows=rows_of(formset),
                    actor=request.user,
                )
            except ValidationError as exc:
                problems = exc.messages
            else:
                messages.success(request, _("The rating scheme is saved."))
                return redirect(f"{reverse('rating:school', args=[organisation.pk])}?year={year}")
        else:
            for n, form in enumerate(formset.forms, start=1):
                for name, errors in form.errors.items():
                    label = form.fields[name].label if name in form.fields else ""
                    problems += [
                        _("Row %(n)s: %(field)s: %(error)s") % {"n": n, "field": label, "error": e}
                        for e in errors
                    ]
            problems += formset.non_form_errors()
    return render(
        request,
        "rating/scheme_edit.html",
        {
            "organisation": organisation,
            "year": year,
            "scheme": scheme,
            "formset": formset,
            "problems": problems,
            "previous": None if scheme else selectors.previous_scheme(organisation, year),
            "measures": selectors.measures.all_measures(),
        },
    )


@login_required
@require_POST
def scheme_copy(request, org_pk: int):
    organisation = _school(request, org_pk, permissions.can_edit_scheme)
    year = year_of(request)
    try:
        services.copy_scheme(organisation=organisation, school_year=year, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The scheme is copied from the previous year; check it."))
    return redirect(f"{reverse('rating:scheme', args=[organisation.pk])}?year={year}")
