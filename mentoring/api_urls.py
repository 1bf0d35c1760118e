"""The app's REST endpoints, mounted under /api/v1/ by collegium/api_urls.py."""

from rest_framework.routers import SimpleRouter

from .api import PairViewSet, ReportViewSet, SessionViewSet

router = SimpleRouter()
router.register("mentoring/pairs", PairViewSet, basename="mentoring-pair")
router.register("mentoring/sessions", SessionViewSet, basename="mentoring-session")
router.register("mentoring/reports", ReportViewSet, basename="mentoring-report")

urlpatterns = router.urls
