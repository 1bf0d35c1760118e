"""The app's REST endpoints, mounted under /api/v1/ by collegium/api_urls.py."""

from django.urls import path

from .api import RowListView, SchemeView

urlpatterns = [
    path("rating/scheme/", SchemeView.as_view(), name="rating-scheme"),
    path("rating/rows/", RowListView.as_view(), name="rating-rows"),
]
