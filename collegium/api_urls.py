from django.urls import include, path
from rest_framework.routers import DefaultRouter

from communities.api import CommunityViewSet, MembershipViewSet
from meetings.api import DecisionViewSet, MeetingViewSet
from notifications.api import NotificationViewSet
from organisations.api import NetworkViewSet, OrganisationViewSet, TerritoryViewSet
from people.api import PersonViewSet
from planning.api import PlanViewSet

router = DefaultRouter()
router.register("territories", TerritoryViewSet, basename="territory")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("networks", NetworkViewSet, basename="network")
router.register("communities", CommunityViewSet, basename="community")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("people", PersonViewSet, basename="person")
router.register("plans", PlanViewSet, basename="plan")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("decisions", DecisionViewSet, basename="decision")
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns = [
    path("", include("activity.api_urls")),
    path("", include("search.api_urls")),
    path("", include(router.urls)),
    path("", include("people.api_import_urls")),
    path("", include("events.api_urls")),
    path("", include("certificates.api_urls")),
    path("", include("surveys.api_urls")),
    path("", include("lesson_study.api_urls")),
    path("", include("mentoring.api_urls")),
    path("", include("results.api_urls")),
    path("", include("consultations.api_urls")),
    path("", include("discussions.api_urls")),
    path("", include("resources.api_urls")),
    path("", include("reports.api_urls")),
    path("", include("rating.api_urls")),
]
