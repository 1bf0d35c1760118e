"""The app's REST endpoints, mounted under /api/v1/ by collegium/api_urls.py."""

from rest_framework.routers import SimpleRouter

router = SimpleRouter()

urlpatterns = router.urls
