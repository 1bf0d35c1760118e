"""The app's REST endpoints, mounted under /api/v1/ by collegium/api_urls.py."""

from django.urls import path

from .api import IndicatorsView, ResultImportCreateView, ResultImportDetailView, ResultRowListView

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

from .api import ExamResultListView, ExamsView  # noqa: E402

urlpatterns += [
    path("results/exams/", ExamsView.as_view(), name="results-exams"),
    path("results/exam-rows/", ExamResultListView.as_view(), name="results-exam-rows"),
]

from .api import ExamImportCreateView, ExamImportDetailView  # noqa: E402

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
