"""The app's REST endpoints, mounted under /api/v1/ by collegium/api_urls.py."""

from rest_framework.routers import SimpleRouter

from .api import CycleViewSet, ObservationSheetViewSet

router = SimpleRouter()
router.register("lesson-study/cycles", CycleViewSet, basename="lesson-study-cycle")
router.register(
    "lesson-study/observation-sheets", ObservationSheetViewSet, basename="observation-sheet"
)

urlpatterns = router.urls
