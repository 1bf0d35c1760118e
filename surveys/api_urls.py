"""The app's REST endpoints, mounted under /api/v1/ by collegium/api_urls.py."""

from rest_framework.routers import SimpleRouter

from .api import SurveyViewSet

router = SimpleRouter()
router.register("surveys", SurveyViewSet, basename="survey")

urlpatterns = router.urls
