from django.urls import path

from . import views_import

app_name = "imports"

urlpatterns = [
    path("organisations/<int:org_pk>/import/", views_import.upload, name="upload"),
    path("organisations/<int:org_pk>/imports/<int:pk>/", views_import.status, name="status"),
    path("organisations/<int:org_pk>/imports/<int:pk>/apply/", views_import.apply, name="apply"),
    path("organisations/<int:org_pk>/imports/<int:pk>/rerun/", views_import.rerun, name="rerun"),
    path(
        "organisations/<int:org_pk>/imports/<int:pk>/file/",
        views_import.uploaded_file,
        name="file",
    ),
]
