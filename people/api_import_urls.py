from django.urls import path

from .api_import import TeacherImportCreateView, TeacherImportDetailView, TeacherImportRerunView

urlpatterns = [
    path("imports/teachers/", TeacherImportCreateView.as_view(), name="teacher-import-create"),
    path(
        "imports/teachers/<int:pk>/",
        TeacherImportDetailView.as_view(),
        name="teacher-import-detail",
    ),
    path(
        "imports/teachers/<int:pk>/rerun/",
        TeacherImportRerunView.as_view(),
        name="teacher-import-rerun",
    ),
]
