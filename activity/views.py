"""The statistics page of a community and its CSV/XLSX exports (parse, ask the policy, render)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from communities import permissions as community_permissions
from communities.models import Community
from core.documents import XLSX, attachment

from . import charts, documents, permissions, selectors
from .forms import RangeForm

# Visitors of several periods do not add up (a person may come in each): no total for them.
TOTALS = ("views", "actions", "feedback")


def community_for(user, pk) -> Community:
    """The community if the user may see its statistics; hidden ones are not found."""
    community = get_object_or_404(Community, pk=pk)
    if not community_permissions.can_view(user, community):
        raise Http404
    if not permissions.can_view_statistics(user, community):
        raise PermissionDenied
    return community


def _chosen(request, community):
    form = RangeForm(request.GET)
    kind, first, last = form.chosen()
    return form, kind, first, last, selectors.statistics(community.pk, kind, first, last)


@login_required
@require_safe
def statistics(request, pk: int):
    community = community_for(request.user, pk)
    form, kind, first, last, rows = _chosen(request, community)
    if not form.errors:  # show the range used, defaults included
        form = RangeForm(initial={"period": kind, "from": first, "to": last})
    query = f"period={kind}&from={first:%Y-%m-%d}&to={last:%Y-%m-%d}"
    return render(
        request,
        "activity/statistics.html",
        {
            "community": community,
            "form": form,
            "rows": [(charts.period_label(row), row) for row in rows],
            "charts": charts.charts(rows),
            "query": query,
            "totals": {
                m: sum(getattr(r, m) for r in rows) for m in ("views", "actions", "feedback")
            },
        },
    )


def _title(community, kind, first, last) -> str:
    return _("Activity statistics: %(community)s, %(first)s – %(last)s") % {
        "community": community.name,
        "first": f"{first:%d.%m.%Y}",
        "last": f"{last:%d.%m.%Y}",
    }


@login_required
@require_safe
def export_csv(request, pk: int):
    community = community_for(request.user, pk)
    _form, kind, first, last, rows = _chosen(request, community)
    return attachment(
        documents.csv_bytes(_title(community, kind, first, last), rows),
        "text/csv; charset=utf-8",
        f"activity-{community.pk}-{kind}.csv",
    )


@login_required
@require_safe
def export_xlsx(request, pk: int):
    community = community_for(request.user, pk)
    _form, kind, first, last, rows = _chosen(request, community)
    return attachment(
        documents.xlsx(_title(community, kind, first, last), rows),
        XLSX,
        f"activity-{community.pk}-{kind}.xlsx",
    )
