"""A community's publication schedule and its register of publications (004, meetings 1 and 4:
«график публикаций в сетевом сообществе», «журнал регистрации публикаций»)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.documents import XLSX, attachment
from core.forms import apply_errors
from core.views import paginate

from . import documents, permissions, selectors, services
from .forms import PlanPublicationForm
from .models import PlannedPublication
from .views import community_or_404


def _readable(request, pk):
    """The community whose schedule and register the person may read, else 403."""
    community = community_or_404(pk)
    if not permissions.can_view_schedule(request.user, community):
        raise PermissionDenied
    return community


@login_required
@require_http_methods(["GET", "POST"])
def schedule(request, pk):
    community = _readable(request, pk)
    user = request.user
    may_plan = permissions.can_plan_publications(user, community)
    form = None
    if may_plan:
        members = permissions.may_be_responsible(community)
        form = PlanPublicationForm(request.POST or None, members=members)
    elif request.method == "POST":
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.plan_publication(
                actor=user, community=community, title=data["title"],
                responsible=data["responsible"], due_on=data["due_on"],
                token=data.get("token", ""),
            )  # fmt: skip
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Planned; the responsible member is told."))
            return redirect("discussions:schedule", community.pk)
    page = paginate(request, selectors.publication_schedule(community))
    today = timezone.localdate()
    return render(
        request,
        "discussions/schedule.html",
        {
            "community": community,
            "page": page,
            "rows": [
                {
                    "planned": p,
                    "overdue": p.is_overdue(today),
                    "may_write": permissions.can_fulfil(user, p, community),
                    "may_remove": permissions.can_remove_planned(user, p, community),
                }
                for p in page
            ],
            "form": form,
        },
    )


@login_required
@require_POST
def schedule_remove(request, pk):
    planned = get_object_or_404(
        PlannedPublication.objects.select_related("community__kind", "community__territory"),
        pk=pk,
    )
    if not permissions.can_view_schedule(request.user, planned.community):
        raise PermissionDenied
    services.remove_planned(actor=request.user, planned=planned)
    messages.success(request, _("Taken off the schedule."))
    return redirect("discussions:schedule", planned.community_id)


@login_required
@require_safe
def register(request, pk):
    community = _readable(request, pk)
    return render(
        request,
        "discussions/register.html",
        {
            "community": community,
            "page": paginate(request, selectors.publication_register(community)),
        },
    )


@login_required
@require_safe
def register_xlsx(request, pk):
    community = _readable(request, pk)
    content = documents.register_xlsx(community, selectors.publication_register(community))
    return attachment(content, XLSX, f"publications-{community.pk}.xlsx")
