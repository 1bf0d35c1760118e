"""The one way pages (ours and the meetings app's) open a plan: 404 if missing, 403 unless seen."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from . import permissions, selectors
from .models import Plan


def plan_or_403(user, pk) -> Plan:
    try:
        plan = selectors.plan_detail(pk)
    except Plan.DoesNotExist as exc:
        raise Http404 from exc
    if not permissions.can_view(user, plan):
        raise PermissionDenied
    return plan
