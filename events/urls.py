from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("events/", views.event_list, name="list"),
    path("events/new/", views.event_create, name="create"),
    path("events/mine/", views.my_events, name="mine"),
    path("events/calendar.ics", views.region_feed, name="region_feed"),
    path("events/feed/<str:token>.ics", views.person_feed, name="person_feed"),
    path("events/<int:pk>/", views.event_detail, name="detail"),
    path("events/<int:pk>/edit/", views.event_edit, name="edit"),
    path("events/<int:pk>/announce/", views.event_announce, name="announce"),
    path("events/<int:pk>/cancel/", views.event_cancel, name="cancel"),
    path("events/<int:pk>/register/", views.register, name="register"),
    path("events/<int:pk>/unregister/", views.unregister, name="unregister"),
    path("events/<int:pk>/attendance/", views.attendance_page, name="attendance"),
    path("events/<int:pk>/attendance/live/", views.attendance_live, name="attendance_live"),
    path("events/<int:pk>/attendance/close/", views.close_attendance, name="close"),
    path("events/<int:pk>/check-in/", views.check_in, name="check_in"),
    path("events/<int:pk>/feedback/", views.feedback, name="feedback"),
    path("events/<int:pk>/analysis/", views.analysis, name="analysis"),
    path("events/<int:pk>/materials/", views.material_add, name="material_add"),
    path("events/materials/<int:pk>/remove/", views.material_remove, name="material_remove"),
    path("events/materials/<int:pk>/file/", views.material_file, name="material_file"),
    path("events/<int:pk>/protocol/", views.protocol, name="protocol"),
    *[
        path(
            f"events/<int:pk>/protocol.{fmt}",
            views.protocol_download,
            {"fmt": fmt},
            name=f"protocol_{fmt}",
        )
        for fmt in views.PROTOCOL_FORMATS
    ],
    path("events/<int:pk>/report.docx", views.report_docx, name="report_docx"),
    path("events/<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
]
