"""The app's REST endpoints, mounted under /api/v1/ by collegium/api_urls.py."""

from django.urls import path

from . import innovation_api
from .api import (
    ExamImportCreateView,
    ExamImportDetailView,
    ExamResultListView,
    ExamsView,
    IndicatorsView,
    ResultImportCreateView,
    ResultImportDetailView,
    ResultRowListView,
)

urlpatterns = [
    path("results/imports/", ResultImportCreateView.as_view(), name="results-import-create"),
    path(
        "results/imports/<int:pk>/",
        ResultImportDetailView.as_view(),
        name="results-import-detail",
    ),
    path("results/indicators/", IndicatorsView.as_view(), name="results-indicators"),
    path("results/rows/", ResultRowListView.as_view(), name="results-rows"),
]

# Classes doing innovative work (results.innovation_api).
urlpatterns += [
    path(
        "results/innovation/",
        innovation_api.InnovationComparisonView.as_view(),
        name="results-innovation",
    ),
    path(
        "results/innovative-classes/",
        innovation_api.InnovativeClassListView.as_view(),
        name="results-innovative-classes",
    ),
    path(
        "results/innovative-classes/<int:pk>/",
        innovation_api.InnovativeClassDetailView.as_view(),
        name="results-innovative-class",
    ),
]

urlpatterns += [
    path("results/exams/", ExamsView.as_view(), name="results-exams"),
    path("results/exam-rows/", ExamResultListView.as_view(), name="results-exam-rows"),
]

urlpatterns += [
    path(
        "results/exam-imports/", ExamImportCreateView.as_view(), name="results-exam-import-create"
    ),
    path(
        "results/exam-imports/<int:pk>/",
        ExamImportDetailView.as_view(),
        name="results-exam-import-detail",
    ),
]
