"""The app's REST endpoints, mounted under /api/v1/ by collegium/api_urls.py."""

from django.urls import path

from .api import CommunityActivityView

urlpatterns = [
    path(
        "communities/<int:pk>/activity/",
        CommunityActivityView.as_view(),
        name="community-activity",
    ),
]
