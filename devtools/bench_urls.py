"""The site's URLs plus the benchmark's floor views; used only while `manage.py bench` measures."""

from django.urls import path

from collegium.urls import urlpatterns as site_urlpatterns
from devtools.bench import floor_view

urlpatterns = [
    *site_urlpatterns,
    path("bench-floor/<slug:name>/", floor_view, name="bench_floor"),
]
