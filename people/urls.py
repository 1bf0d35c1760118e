from django.urls import path

from . import views, views_growth

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
    # Attestation and growth (issue 8)
    path("attestation/", views_growth.centre_attestation, name="centre_attestation"),
    path(
        "attestation/attestation.xlsx",
        views_growth.centre_attestation_export,
        name="centre_attestation_export",
    ),
    path(
        "organisations/<int:pk>/attestation/",
        views_growth.organisation_attestation,
        name="organisation_attestation",
    ),
    path(
        "organisations/<int:pk>/attestation.xlsx",
        views_growth.organisation_attestation_export,
        name="organisation_attestation_export",
    ),
    path("people/<int:pk>/portfolio/", views_growth.portfolio, name="portfolio"),
    path("people/<int:pk>/portfolio.pdf", views_growth.portfolio_pdf, name="portfolio_pdf"),
    path("people/<int:pk>/course-support/", views_growth.course_support, name="course_support"),
    path(
        "people/<int:pk>/course-support/<int:support_pk>/delete/",
        views_growth.course_support_delete,
        name="course_support_delete",
    ),
]
