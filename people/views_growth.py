"""Attestation and growth (issue 8): upcoming attestations, the portfolio, post-course support.

`attestation_page` and `attestation_export` are also called by the communities app for a
community's list, with the people it may show (see communities.views.community_attestation).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.documents import PDF, XLSX, attachment, collection_paused
from core.forms import apply_errors
from core.views import paginate
from organisations.models import Organisation

from . import documents_growth, permissions, selectors, services
from .forms_growth import AttestationFilterForm, CourseSupportForm
from .models import CourseSupport, Person
from .views import _organisation, _person


def attestation_page(
    request,
    people: QuerySet[Person],
    *,
    title: str,
    parent: tuple[str, str] | None,
    export_url: str,
    territory=None,
):
    """The list of who is due for attestation among `people` (all of whom the viewer may see)."""
    form = AttestationFilterForm(
        request.GET or None, categories=selectors.category_names(territory)
    )
    params = form.params()
    page = paginate(request, selectors.attestations(people, **params))
    services.log_databank_access(
        viewer=request.user, subjects=[r.person for r in page], action="view"
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "people/attestation_list.html",
        {
            "title": title,
            "parent": parent,
            "form": form,
            "page": page,
            "today": timezone.localdate(),
            "months": params["months"],
            "export_url": f"{export_url}?{query.urlencode()}" if query else export_url,
        },
    )


def attestation_export(
    request, people: QuerySet[Person], *, title: str, filename: str, territory=None
):
    form = AttestationFilterForm(
        request.GET or None, categories=selectors.category_names(territory)
    )
    with collection_paused():
        rows = list(selectors.attestations(people, **form.params()))
        services.log_databank_access(
            viewer=request.user, subjects=[r.person for r in rows], action="export"
        )
        content = documents_growth.attestation_workbook(rows, title)
    return attachment(content, XLSX, filename)


def _organisation_title(organisation: Organisation) -> str:
    return _("Teacher attestation: %(name)s") % {"name": organisation.name}


@login_required
@require_safe
def organisation_attestation(request, pk):
    organisation = _organisation(pk)
    if not permissions.can_view_organisation_attestations(request.user, organisation):
        raise PermissionDenied
    return attestation_page(
        request,
        selectors.people_of_organisation(organisation),
        title=_organisation_title(organisation),
        parent=(reverse("organisations:detail", args=[organisation.pk]), organisation.name),
        export_url=reverse("people:organisation_attestation_export", args=[organisation.pk]),
        territory=organisation.territory,
    )


@login_required
@require_safe
def organisation_attestation_export(request, pk):
    organisation = _organisation(pk)
    if not permissions.can_view_organisation_attestations(request.user, organisation):
        raise PermissionDenied
    return attestation_export(
        request,
        selectors.people_of_organisation(organisation),
        title=_organisation_title(organisation),
        filename=f"attestation-organisation-{organisation.pk}.xlsx",
        territory=organisation.territory,
    )


@login_required
@require_safe
def centre_attestation(request):
    if not permissions.can_view_centre_attestations(request.user):
        raise PermissionDenied
    return attestation_page(
        request,
        selectors.people_of_territories(permissions.centre_paths_of(request.user)),
        title=_("Teacher attestation in the territory"),
        parent=None,
        export_url=reverse("people:centre_attestation_export"),
    )


@login_required
@require_safe
def centre_attestation_export(request):
    if not permissions.can_view_centre_attestations(request.user):
        raise PermissionDenied
    return attestation_export(
        request,
        selectors.people_of_territories(permissions.centre_paths_of(request.user)),
        title=_("Teacher attestation in the territory"),
        filename="attestation-territory.xlsx",
    )


# The portfolio ---------------------------------------------------------------------------------


def _portfolio(request, pk, action: str):
    person = _person(pk)
    allowed = (
        permissions.can_export_portfolio if action == "export" else permissions.can_view_portfolio
    )
    if not allowed(request.user, person):
        raise PermissionDenied
    services.log_databank_access(viewer=request.user, subjects=[person], action=action)
    return selectors.portfolio(person, viewer=request.user)


@login_required
@require_safe
def portfolio(request, pk):
    folio = _portfolio(request, pk, "view")
    return render(
        request,
        "people/portfolio.html",
        {
            "folio": folio,
            "person": folio.person,
            "facts": documents_growth.portfolio_facts(folio),
            "tables": documents_growth.portfolio_tables(folio),
        },
    )


@login_required
@require_safe
def portfolio_pdf(request, pk):
    folio = _portfolio(request, pk, "export")
    return attachment(
        documents_growth.portfolio_pdf(folio), PDF, f"portfolio-{folio.person.pk}.pdf"
    )


# Post-course support ---------------------------------------------------------------------------


@login_required
def course_support(request, pk):
    """The support records of a teacher, and a new one (or a change to one: ``?edit=<id>``)."""
    person = _person(pk)
    if not permissions.can_manage_course_support(request.user, person):
        raise PermissionDenied
    record = selectors.databank_record(person)
    supports = list(selectors.course_supports(record)) if record else []
    editing = None
    if request.GET.get("edit"):
        editing = next((s for s in supports if str(s.pk) == request.GET["edit"]), None)
        if editing is None:
            raise Http404
    form = CourseSupportForm(request.POST or None, instance=editing, profile=record)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_course_support(
                person=person, actor=request.user, support=editing, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The support record has been saved."))
            return redirect(reverse("people:detail", args=[person.pk]) + "#course-support")
    return render(
        request,
        "people/course_support.html",
        {"person": person, "form": form, "supports": supports, "editing": editing},
    )


@login_required
@require_POST
def course_support_delete(request, pk, support_pk):
    person = _person(pk)
    support = get_object_or_404(
        CourseSupport.objects.select_related("profile__person"),
        pk=support_pk,
        profile__person=person,
    )
    if not permissions.can_manage_course_support(request.user, person):
        raise PermissionDenied
    services.delete_course_support(support=support, actor=request.user)
    messages.success(request, _("The support record has been deleted."))
    return redirect(reverse("people:detail", args=[person.pk]) + "#course-support")
