from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.db import connection, models
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe
from django_ratelimit.decorators import ratelimit
from rest_framework.exceptions import NotFound

from .forms import apply_errors, flash_errors

PAGE_SIZE = 25
T = TypeVar("T")


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def visible_or_404(found, visible: bool | Callable[[Any], bool], *, pk=None):
    """The object, or 404 when the person may not see it: pages answer like the API, so
    nobody learns by the status that something hidden exists.

    `found` is the object itself, a model or queryset to look `pk` up in, or a function of
    `pk` that raises DoesNotExist; `visible` is the policy's answer, or a function of the
    object asking it. What the person sees but may not do is refused by the view itself
    (PermissionDenied, 403), after this.
    """
    if isinstance(found, models.Model):
        obj = found
    elif callable(found) and not isinstance(found, type):
        try:
            obj = found(pk)
        except ObjectDoesNotExist as exc:
            raise Http404 from exc
    else:
        obj = get_object_or_404(found, pk=pk)
    if not (visible(obj) if callable(visible) else visible):
        raise Http404
    return obj


def form_action(
    request,
    form,
    action: Callable[[dict], T],
    *,
    success: str,
    then: Callable[[T], HttpResponse],
) -> HttpResponse | None:
    """A page's form sent: run the service on the cleaned data, say `success` and go on with
    `then(result)`. None when the form is to be drawn again (not sent, invalid, or refused by
    the service — its ValidationError put on the named fields)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        done = action(form.cleaned_data)
    except ValidationError as exc:
        apply_errors(form, exc)
        return None
    messages.success(request, success)
    return then(done)


def in_page_action(
    request, form, action: Callable[[dict], Any], *, success: str, back: HttpResponse
) -> HttpResponse:
    """A small form on an object's page (a new file, a decision): run the service and return
    to the page, its errors shown as the page's messages."""
    if not form.is_valid():
        flash_errors(request, form)
        return back
    try:
        action(form.cleaned_data)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, success)
    return back


def _login_rate(group, request) -> str:
    return settings.LOGIN_RATE


# Axes locks one login name after failures; this limits one address whatever names it tries.
login = ratelimit(key="ip", rate=_login_rate, method="POST", block=True)(
    auth_views.LoginView.as_view()
)


def too_many_requests(request, exception=None):
    """What a rate-limited page answers: 429 with a message in the user's language."""
    return render(
        request,
        "core/too_many_requests.html",
        {"message": _("Too many attempts from your address. Wait a minute and try again.")},
        status=429,
    )


def not_found(request, exception=None):
    """An address under /api/ that names nothing answers like the API's own 404s (JSON), so
    clients parse one kind of error body; everything else gets the site's page."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
    return defaults.page_not_found(request, exception)


@require_GET
@never_cache
def health(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means the database is not answering
        return JsonResponse(
            {"status": "error", "database": "unavailable", "error": exc.__class__.__name__},
            status=503,
        )
    return JsonResponse({"status": "ok", "database": "ok", "vendor": connection.vendor})


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page's <link rel="icon"> says. Not a permanent
    redirect: the icon's hashed name changes when it does."""
    return redirect(static("img/favicon.svg"))
