from django.urls import path

from . import views

app_name = "mentoring"

urlpatterns = [
    path("mentoring/", views.pair_list, name="list"),
    path("communities/<int:community_pk>/mentoring/new/", views.pair_create, name="create"),
    path("mentoring/pairs/<int:pk>/", views.pair_detail, name="pair"),
    path("mentoring/pairs/<int:pk>/finish/", views.pair_finish, name="finish"),
    path("mentoring/pairs/<int:pk>/plan/", views.plan_edit, name="plan"),
    path("mentoring/pairs/<int:pk>/plan/row/", views.plan_row, name="plan_row"),
    path("mentoring/pairs/<int:pk>/plan/submit/", views.plan_submit, name="plan_submit"),
    path("mentoring/pairs/<int:pk>/plan/approve/", views.plan_approve, name="plan_approve"),
    path("mentoring/pairs/<int:pk>/sessions/new/", views.session_create, name="session_create"),
    path("mentoring/pairs/<int:pk>/reports/<str:period>/", views.report_edit, name="report_edit"),
    path("mentoring/pairs/<int:pk>/survey/", views.pair_survey_launch, name="pair_survey"),
    path("mentoring/reports/<int:pk>/", views.report_detail, name="report"),
    path("mentoring/reports/<int:pk>/seen/", views.report_seen, name="report_seen"),
    path("mentoring/analysis/", views.analysis_list, name="analysis_list"),
    path(
        "mentoring/analysis/<int:territory_pk>/<int:year>/",
        views.analysis_edit,
        name="analysis",
    ),
    path(
        "mentoring/analysis/<int:territory_pk>/<int:year>/survey/",
        views.analysis_survey_launch,
        name="analysis_survey",
    ),
    path(
        "mentoring/analysis/<int:territory_pk>/<int:year>.docx",
        views.analysis_export,
        {"fmt": "docx"},
        name="analysis_docx",
    ),
    path(
        "mentoring/analysis/<int:territory_pk>/<int:year>.pdf",
        views.analysis_export,
        {"fmt": "pdf"},
        name="analysis_pdf",
    ),
    path(
        "communities/<int:community_pk>/mentoring/<int:year>/",
        views.analysis_edit,
        name="community_analysis",
    ),
    path(
        "communities/<int:community_pk>/mentoring/<int:year>.docx",
        views.analysis_export,
        {"fmt": "docx"},
        name="community_analysis_docx",
    ),
    path(
        "communities/<int:community_pk>/mentoring/<int:year>.pdf",
        views.analysis_export,
        {"fmt": "pdf"},
        name="community_analysis_pdf",
    ),
]
