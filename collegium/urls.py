from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core import views as core_views
from meetings.urls import plan_evidence_urlpatterns
from people import views as people_views
from planning.urls import urlpatterns as planning_urlpatterns
from portal import views as portal_views

urlpatterns = [
    path("", portal_views.dashboard, name="dashboard"),
    path("health/", core_views.health, name="health"),
    # Browsers ask for /favicon.ico whatever the page's <link rel="icon"> says.
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("accounts/login/", core_views.login, name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    # The language switch also remembers the choice on the person's account (their e-mails).
    path("i18n/setlang/", people_views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("", include("organisations.urls")),
    path("", include("communities.urls")),
    path("", include("people.urls")),
    # A plan item's evidence page is served by meetings (evidence is a meeting attachment) but
    # keeps its name in the planning namespace: planning sits below meetings and cannot route it.
    path("", include(([*planning_urlpatterns, *plan_evidence_urlpatterns], "planning"))),
    path("", include("meetings.urls")),
    path("", include("events.urls")),
    path("", include("certificates.urls")),
    path("", include("surveys.urls")),
    path("", include("lesson_study.urls")),
    path("", include("mentoring.urls")),
    path("", include("results.urls")),
    path("", include("consultations.urls")),
    path("", include("discussions.urls")),
    path("", include("resources.urls")),
    path("", include("reports.urls")),
    path("", include("rating.urls")),
    path("", include("notifications.urls")),
    path("", include("activity.urls")),
    path("", include("people.urls_import")),
    path("", include("search.urls")),
    path("api/v1/", include("collegium.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger's set-up script as a file: the CSP allows no inline scripts.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="schema", template_name="core/swagger_ui.html"
        ),
        name="api-docs",
    ),
]

handler404 = "core.views.not_found"

# MEDIA_URL is deliberately not served, not even with DEBUG: uploads are reached only through
# the download views, which ask the permission of the object a file belongs to.
