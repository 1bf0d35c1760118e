from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("c/<str:token>/", views.check, name="check"),
    path("certificates/", views.my_certificates, name="mine"),
    path("certificates/<int:pk>/certificate.pdf", views.certificate_pdf, name="pdf"),
    path("certificates/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("events/<int:event_pk>/certificates/", views.event_certificates, name="event"),
    path("events/<int:event_pk>/certificates/issue/", views.event_issue, name="issue"),
    path("openbadges/assertions/<str:token>.json", views.ob_assertion, name="ob_assertion"),
    path("openbadges/badges/<str:key>.json", views.ob_badge, name="ob_badge"),
    path("openbadges/issuers/<str:key>.json", views.ob_issuer, name="ob_issuer"),
]
