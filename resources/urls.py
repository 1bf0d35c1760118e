from django.urls import path

from . import views

app_name = "resources"

urlpatterns = [
    path("resources/", views.bank, name="bank"),
    path("resources/mine/", views.mine, name="mine"),
    path("resources/new/", views.create, name="create"),
    path("resources/review/", views.queue, name="queue"),
    path("resources/<int:pk>/", views.detail, name="detail"),
    path("resources/<int:pk>/edit/", views.edit, name="edit"),
    path("resources/<int:pk>/versions/", views.add_version, name="add_version"),
    path("resources/<int:pk>/submit/", views.submit, name="submit"),
    path("resources/<int:pk>/review/", views.review, name="review"),
    path("resources/<int:pk>/unpublish/", views.unpublish, name="unpublish"),
    path("resources/<int:pk>/collect/", views.collect, name="collect"),
    path("resources/versions/<int:pk>/file/", views.version_file, name="version_file"),
    path("resources/versions/<int:pk>/preview/", views.version_preview, name="version_preview"),
    path("resources/versions/<int:pk>/pdf/", views.version_pdf, name="version_pdf"),
    path("resources/collections/", views.collection_list, name="collections"),
    path("resources/collections/new/", views.collection_create, name="collection_create"),
    path("resources/collections/<int:pk>/", views.collection_detail, name="collection"),
    path("communities/<int:pk>/resources/", views.community_resources, name="community"),
    path(
        "communities/<int:pk>/documents/",
        views.community_documents,
        name="community_documents",
    ),
    path(
        "communities/documents/<int:pk>/versions/",
        views.document_version,
        name="document_version",
    ),
    path("communities/documents/files/<int:pk>/", views.document_file, name="document_file"),
]
