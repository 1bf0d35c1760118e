"""The app's REST endpoints, mounted under /api/v1/ by collegium/api_urls.py."""

from django.urls import path

from .api import SearchView

urlpatterns = [path("search/", SearchView.as_view(), name="api-search")]
