"""Pages: classes doing innovative work against the others (of a school, a network, a
territory), the rows behind each figure, and the school administration's marking form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.views import paginate

from . import innovation, permissions, selectors
from .indicators import INDICATORS
from .innovation_forms import InnovativeClassFormSet
from .models import AssessmentPeriod
from .views import place_or_403, requested_year, school_or_403


def _comparison_page(
    request, *, condition: Q, country: str, place, rows_url: str, back: str, mark_url: str = ""
):
    year = requested_year(request)
    return render(
        request,
        "results/innovation.html",
        {
            "place": place,
            "year": year,
            "comparison": innovation.innovation_comparison(condition, year, country),
            "marks": paginate(request, innovation.marked_classes(condition, year)),
            "indicators": list(INDICATORS.values()),
            "rows_url": rows_url,
            "back": back,
            "mark_url": mark_url,
        },
    )


def _rows_page(request, *, condition: Q, country: str, place, back: str):
    year = requested_year(request)
    period = AssessmentPeriod.objects.filter(
        country_code=country, code=request.GET.get("period", "")
    ).first()
    group = request.GET.get("group", "")
    if group not in innovation.GROUPS:
        group = innovation.INNOVATIVE
    rows = innovation.innovation_rows(condition, school_year=year, period=period, group=group)
    return render(
        request,
        "results/innovation_rows.html",
        {
            "place": place,
            "page": paginate(request, rows),
            "year": year,
            "period": period,
            "group": innovation.GROUPS[group],
            "back": back,
        },
    )


@login_required
@require_safe
def school_comparison(request, org_pk: int):
    organisation = school_or_403(request, org_pk, permissions.can_view_school_results)
    may_mark = permissions.can_mark_innovative_classes(request.user, organisation)
    return _comparison_page(
        request,
        condition=selectors.row_condition(selectors.school_scope(organisation)),
        country=organisation.territory.country_code,
        place=organisation,
        rows_url=reverse("results:innovation-school-rows", args=[organisation.pk]),
        back=reverse("results:school", args=[organisation.pk]),
        mark_url=reverse("results:innovation-mark", args=[organisation.pk]) if may_mark else "",
    )


@login_required
@require_safe
def school_rows(request, org_pk: int):
    organisation = school_or_403(request, org_pk, permissions.can_view_school_results)
    return _rows_page(
        request,
        condition=selectors.row_condition(selectors.school_scope(organisation)),
        country=organisation.territory.country_code,
        place=organisation,
        back=reverse("results:innovation-school", args=[organisation.pk]),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def mark(request, org_pk: int):
    organisation = school_or_403(request, org_pk, permissions.can_mark_innovative_classes)
    year = requested_year(request)
    classes = paginate(request, innovation.classes_of_year(organisation, year), per_page=100)
    existing = {
        (m.grade, m.letter): m
        for m in innovation.marked_classes(Q(organisation=organisation), year).filter(subject="")
    }
    initial = [
        {
            "grade": grade,
            "letter": letter,
            "marked": (grade, letter) in existing,
            "innovation": getattr(existing.get((grade, letter)), "innovation", ""),
            "community": getattr(existing.get((grade, letter)), "community_id", None),
        }
        for grade, letter in classes
    ]
    choices = list(innovation.communities_for(organisation).values_list("pk", "name"))
    formset = InnovativeClassFormSet(
        request.POST if request.method == "POST" else None,
        initial=initial,
        form_kwargs={"community_choices": choices},
    )
    if request.method == "POST" and formset.is_valid():
        lines = [f.cleaned_data for f in formset if f.cleaned_data]
        try:
            innovation.mark_classes(
                actor=request.user,
                organisation=organisation,
                school_year=year,
                marks=[
                    innovation.Mark(
                        line["grade"], line["letter"], line["innovation"], line["community"]
                    )
                    for line in lines
                    if line["marked"]
                ],
                unmark=[(line["grade"], line["letter"]) for line in lines if not line["marked"]],
            )
        except innovation.MarkError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The classes doing innovative work are saved."))
            return redirect(
                reverse("results:innovation-school", args=[organisation.pk]) + f"?year={year}"
            )
    elif request.method == "POST":
        messages.error(request, _("Correct the lines marked below."))
    return render(
        request,
        "results/innovation_mark.html",
        {
            "place": organisation,
            "year": year,
            "formset": formset,
            "page": classes,
            "back": reverse("results:innovation-school", args=[organisation.pk]),
        },
    )


@login_required
@require_safe
def network_comparison(request, pk: int):
    network = place_or_403(request, "network", pk)
    return _comparison_page(
        request,
        condition=selectors.row_condition(selectors.network_scope(network)),
        country=network.territory.country_code,
        place=network,
        rows_url=reverse("results:innovation-network-rows", args=[network.pk]),
        back=reverse("results:network", args=[network.pk]),
    )


@login_required
@require_safe
def network_rows(request, pk: int):
    network = place_or_403(request, "network", pk)
    return _rows_page(
        request,
        condition=selectors.row_condition(selectors.network_scope(network)),
        country=network.territory.country_code,
        place=network,
        back=reverse("results:innovation-network", args=[network.pk]),
    )


@login_required
@require_safe
def territory_comparison(request, pk: int):
    territory = place_or_403(request, "territory", pk)
    return _comparison_page(
        request,
        condition=selectors.row_condition(selectors.territory_scope(territory)),
        country=territory.country_code,
        place=territory,
        rows_url=reverse("results:innovation-territory-rows", args=[territory.pk]),
        back=reverse("results:territory", args=[territory.pk]),
    )


@login_required
@require_safe
def territory_rows(request, pk: int):
    territory = place_or_403(request, "territory", pk)
    return _rows_page(
        request,
        condition=selectors.row_condition(selectors.territory_scope(territory)),
        country=territory.country_code,
        place=territory,
        back=reverse("results:innovation-territory", args=[territory.pk]),
    )
