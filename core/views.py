from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe
from django_ratelimit.decorators import ratelimit
from rest_framework.exceptions import NotFound

PAGE_SIZE = 25


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


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
