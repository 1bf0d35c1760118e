from django.urls import path

from . import views

app_name = "results"

urlpatterns = [
    path("results/schools/<int:org_pk>/", views.school_indicators, name="school"),
    path("results/schools/<int:org_pk>/rows/", views.school_rows, name="school-rows"),
    path("results/schools/<int:org_pk>/import/", views.upload, name="import"),
    path(
        "results/schools/<int:org_pk>/imports/<int:pk>/",
        views.import_status,
        name="import-status",
    ),
    path(
        "results/schools/<int:org_pk>/imports/<int:pk>/apply/",
        views.import_apply,
        name="import-apply",
    ),
    path("results/communities/<int:pk>/", views.community_indicators, name="community"),
    path("results/communities/<int:pk>/rows/", views.community_rows, name="community-rows"),
    path("results/networks/<int:pk>/", views.network_indicators, name="network"),
    path("results/networks/<int:pk>/rows/", views.network_rows, name="network-rows"),
    path("results/territories/<int:pk>/", views.territory_indicators, name="territory"),
    path("results/territories/<int:pk>/rows/", views.territory_rows, name="territory-rows"),
]

# Exams and control works (results.exam_views).
from . import exam_views  # noqa: E402

urlpatterns += [
    path("results/schools/<int:org_pk>/exams/", exam_views.school_exams, name="school-exams"),
    path(
        "results/schools/<int:org_pk>/exams/rows/",
        exam_views.school_exam_rows,
        name="school-exam-rows",
    ),
    path("results/schools/<int:org_pk>/exams/import/", exam_views.exam_upload, name="exam-import"),
    path(
        "results/schools/<int:org_pk>/exams/imports/<int:pk>/",
        exam_views.exam_import_status,
        name="exam-import-status",
    ),
    path(
        "results/schools/<int:org_pk>/exams/imports/<int:pk>/apply/",
        exam_views.exam_import_apply,
        name="exam-import-apply",
    ),
    path("results/networks/<int:pk>/exams/", exam_views.network_exams, name="network-exams"),
    path(
        "results/networks/<int:pk>/exams/rows/",
        exam_views.network_exam_rows,
        name="network-exam-rows",
    ),
    path("results/territories/<int:pk>/exams/", exam_views.territory_exams, name="territory-exams"),
    path(
        "results/territories/<int:pk>/exams/rows/",
        exam_views.territory_exam_rows,
        name="territory-exam-rows",
    ),
]
