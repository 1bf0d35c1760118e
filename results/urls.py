from django.urls import path

from . import innovation_views, views

app_name = "results"

# The indicator, rows and schools pages of every kind of place are one view each, told the kind
# (views.PLACES).
urlpatterns = [
    path("results/schools/<int:pk>/", views.indicators, {"kind": "school"}, name="school"),
    path("results/schools/<int:pk>/rows/", views.rows, {"kind": "school"}, name="school-rows"),
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
    path(
        "results/communities/<int:pk>/", views.indicators, {"kind": "community"}, name="community"
    ),
    path(
        "results/communities/<int:pk>/rows/",
        views.rows,
        {"kind": "community"},
        name="community-rows",
    ),
    path("results/networks/<int:pk>/", views.indicators, {"kind": "network"}, name="network"),
    path("results/networks/<int:pk>/rows/", views.rows, {"kind": "network"}, name="network-rows"),
    path(
        "results/networks/<int:pk>/schools/",
        views.schools,
        {"kind": "network"},
        name="network-schools",
    ),
    path(
        "results/territories/<int:pk>/", views.indicators, {"kind": "territory"}, name="territory"
    ),
    path(
        "results/territories/<int:pk>/rows/",
        views.rows,
        {"kind": "territory"},
        name="territory-rows",
    ),
    path(
        "results/territories/<int:pk>/schools/",
        views.schools,
        {"kind": "territory"},
        name="territory-schools",
    ),
]

# Classes doing innovative work against the others (results.innovation_views).
urlpatterns += [
    path(
        "results/schools/<int:org_pk>/innovative/",
        innovation_views.school_comparison,
        name="innovation-school",
    ),
    path(
        "results/schools/<int:org_pk>/innovative/rows/",
        innovation_views.school_rows,
        name="innovation-school-rows",
    ),
    path(
        "results/schools/<int:org_pk>/innovative/mark/",
        innovation_views.mark,
        name="innovation-mark",
    ),
    path(
        "results/networks/<int:pk>/innovative/",
        innovation_views.network_comparison,
        name="innovation-network",
    ),
    path(
        "results/networks/<int:pk>/innovative/rows/",
        innovation_views.network_rows,
        name="innovation-network-rows",
    ),
    path(
        "results/territories/<int:pk>/innovative/",
        innovation_views.territory_comparison,
        name="innovation-territory",
    ),
    path(
        "results/territories/<int:pk>/innovative/rows/",
        innovation_views.territory_rows,
        name="innovation-territory-rows",
    ),
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
