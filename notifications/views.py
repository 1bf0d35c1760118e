from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.views import paginate

from . import services
from .forms import PreferencesForm
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


@login_required
@require_safe
def notification_open(request, pk):
    """Follow a notice's link, marking it read on the way."""
    notification = services.open_notification(person=request.user, pk=pk)
    if notification is None:
        raise Http404
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect("notifications:list")
    return redirect(target)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request):
    """Each kind of notice: in the app only, e-mailed at once, or in the daily digest."""
    form = PreferencesForm(
        request.POST or None, initial_choices=services.preferences_of(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_preferences(person=request.user, choices=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:settings")
    return render(request, "notifications/preferences.html", {"form": form})


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
