from django.urls import path

from . import views, views_online

app_name = "communities"

urlpatterns = [
    path("communities/", views.community_list, name="list"),
    path("communities/new/", views.community_create, name="create"),
    path("communities/parents/pick/", views.parent_picker, name="parent_pick"),
    path("communities/kinds/", views.kind_list, name="kinds"),
    path("communities/kinds/<slug:country>/<slug:code>/edit/", views.kind_edit, name="kind_edit"),
    path("communities/<int:pk>/", views.community_detail, name="detail"),
    path("communities/<int:pk>/team/", views.community_team, name="team"),
    path("communities/<int:pk>/attestation/", views.community_attestation, name="attestation"),
    path(
        "communities/<int:pk>/attestation.xlsx",
        views.community_attestation_export,
        name="attestation_export",
    ),
    path("communities/<int:pk>/composition/", views.community_composition, name="composition"),
    path("communities/<int:pk>/edit/", views.community_edit, name="edit"),
    path("communities/<int:pk>/abolish/", views.community_abolish, name="abolish"),
    path("communities/<int:pk>/reorganise/", views.community_reorganise, name="reorganise"),
    path("communities/<int:pk>/members/add/", views.member_add, name="member_add"),
    path("communities/<int:pk>/members/invite/", views.member_invite, name="member_invite"),
    path(
        "communities/<int:pk>/members/<int:person_pk>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path("communities/<int:pk>/join/", views.join, name="join"),
    path("communities/<int:pk>/online/", views_online.online_page, name="online_page"),
    path("communities/<int:pk>/members/list/", views_online.member_list, name="member_list"),
    path("groups/", views_online.groups_directory, name="groups"),
    path("requests/<int:request_pk>/decide/", views.request_decide, name="request_decide"),
]
