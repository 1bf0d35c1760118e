from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("people/", views.people_list, name="list"),
    path("people/pick/", views.person_picker, name="pick"),
    path("me/", views.me, name="me"),
    path("people/<int:pk>/", views.person_detail, name="detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="edit"),
    path("people/<int:pk>/databank.xlsx", views.person_export, name="export"),
    path(
        "organisations/<int:pk>/databank.xlsx",
        views.organisation_export,
        name="organisation_export",
    ),
    path(
        "organisations/<int:pk>/databank-exports/<int:export_pk>/",
        views.databank_export,
        name="databank_export",
    ),
    path(
        "organisations/<int:pk>/databank-exports/<int:export_pk>/databank.xlsx",
        views.databank_export_file,
        name="databank_export_file",
    ),
    path("organisations/<int:pk>/access-log/", views.access_log, name="access_log"),
]
