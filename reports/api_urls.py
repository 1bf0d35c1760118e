"""The app's REST endpoints, mounted under /api/v1/ by collegium/api_urls.py."""

from rest_framework.routers import SimpleRouter

from .api import YearReportViewSet

router = SimpleRouter()
router.register("year-reports", YearReportViewSet, basename="year-report")

urlpatterns = router.urls
