from django.urls import path

from . import views

app_name = "rating"

urlpatterns = [
    path("rating/me/", views.my_rating, name="mine"),
    path("rating/schools/<int:org_pk>/", views.school_rating, name="school"),
    path("rating/schools/<int:org_pk>/rating.xlsx", views.school_export, name="school_xlsx"),
    path("rating/schools/<int:org_pk>/scheme/", views.scheme_edit, name="scheme"),
    path("rating/schools/<int:org_pk>/scheme/copy/", views.scheme_copy, name="scheme_copy"),
    path("rating/communities/<int:pk>/", views.community_rating, name="community"),
    path("rating/communities/<int:pk>/rating.xlsx", views.community_export, name="community_xlsx"),
]
