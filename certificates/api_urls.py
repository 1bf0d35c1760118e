"""The app's REST endpoints, mounted under /api/v1/ by collegium/api_urls.py."""

from rest_framework.routers import SimpleRouter

from .api import CertificateViewSet

router = SimpleRouter()
router.register("certificates", CertificateViewSet, basename="certificate")

urlpatterns = router.urls
