from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.report_list, name="list"),
    path("reports/start/", views.report_start, name="start"),
    path("reports/board/", views.board, name="board"),
    path("reports/<int:pk>/", views.report_detail, name="detail"),
    path("reports/<int:pk>/submit/", views.report_submit, name="submit"),
    path("reports/<int:pk>/decide/", views.report_decide, name="decide"),
    path("reports/<int:pk>/build/", views.report_build, name="build"),
    path("reports/<int:pk>/report.docx", views.report_download, {"fmt": "docx"}, name="docx"),
    path("reports/<int:pk>/report.pdf", views.report_download, {"fmt": "pdf"}, name="pdf"),
    path("reports/files/<int:pk>/", views.file_status, name="file"),
    path("reports/files/<int:pk>/download/", views.file_download, name="file_download"),
]
