from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("territories/", views.territory_list, name="territories"),
    path("territories/new/", views.territory_create, name="territory_create"),
    path("territories/<int:pk>/edit/", views.territory_edit, name="territory_edit"),
    path("organisations/", views.organisation_list, name="list"),
    path("organisations/pick/", views.organisation_picker, name="pick"),
    path("networks/pick/", views.network_picker, name="network_pick"),
    path("organisations/new/", views.organisation_create, name="create"),
    path("organisations/<int:pk>/", views.organisation_detail, name="detail"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="edit"),
    path("networks/", views.network_list, name="network_list"),
    path("networks/new/", views.network_create, name="network_create"),
    path("networks/<int:pk>/", views.network_detail, name="network_detail"),
    path("networks/<int:pk>/edit/", views.network_edit, name="network_edit"),
    path("networks/<int:pk>/schools/", views.network_school_add, name="network_school_add"),
    path(
        "networks/<int:pk>/schools/<int:organisation_pk>/remove/",
        views.network_school_remove,
        name="network_school_remove",
    ),
]
