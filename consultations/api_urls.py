"""The app's REST endpoints, mounted under /api/v1/ by collegium/api_urls.py."""

from rest_framework.routers import SimpleRouter

from .api import ConsultationViewSet

router = SimpleRouter()
router.register("consultations", ConsultationViewSet, basename="consultation")

urlpatterns = router.urls
