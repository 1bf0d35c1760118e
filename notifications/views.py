from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from core.views import paginate

from . import services
from .models import Notification


@login_required
@require_safe
def notification_list(request):
    qs = Notification.objects.filter(recipient=request.user).order_by("-created_at", "-id")
    return render(request, "notifications/list.html", {"page": paginate(request, qs)})


@login_required
@require_POST
def mark_all_read(request):
    services.mark_read(person=request.user)
    return redirect("notifications:list")


def unread(request):
    """Context processor: the unread count for the navigation bar (one query)."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}
    return {
        "unread_notifications": Notification.objects.filter(
            recipient=user, read_at__isnull=True
        ).count()
    }
