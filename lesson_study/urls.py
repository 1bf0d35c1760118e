from django.urls import path

from . import views

app_name = "lesson_study"

urlpatterns = [
    path("communities/<int:pk>/cycles/", views.cycle_list, name="cycles"),
    path("communities/<int:pk>/cycles/new/", views.cycle_create, name="cycle_create"),
    path("communities/<int:pk>/lesson-visits/", views.visit_list, name="visits"),
    path("communities/<int:pk>/lesson-visits.xlsx", views.visit_export, name="visits_export"),
    path("lesson-visits/<int:pk>/delete/", views.visit_delete, name="visit_delete"),
    path("cycles/<int:pk>/", views.cycle_detail, name="cycle"),
    path("cycles/<int:pk>/edit/", views.cycle_edit, name="cycle_edit"),
    path("cycles/<int:pk>/stage/", views.cycle_stage, name="cycle_stage"),
    path("cycles/<int:pk>/plans/", views.plan_add, name="plan_add"),
    path("cycles/<int:pk>/pupils/", views.pupil_add, name="pupil_add"),
    path("cycles/<int:pk>/lessons/", views.lesson_schedule, name="lesson_schedule"),
    path("cycles/<int:pk>/report.docx", views.cycle_report_docx, name="report_docx"),
    path("cycles/<int:pk>/report.pdf", views.cycle_report_pdf, name="report_pdf"),
    path("lesson-plans/<int:pk>/file/", views.plan_file, name="plan_file"),
    path("case-pupils/<int:pk>/remove/", views.pupil_remove, name="pupil_remove"),
    path("research-lessons/<int:pk>/sheets/<int:pupil_pk>/", views.sheet_edit, name="sheet_edit"),
]
