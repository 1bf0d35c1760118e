from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("communities/<int:community_pk>/meetings/", views.meeting_list, name="list"),
    path("communities/<int:community_pk>/meetings/new/", views.meeting_create, name="create"),
    path(
        "communities/<int:community_pk>/decisions/",
        views.community_decisions,
        name="community_decisions",
    ),
    path("meetings/<int:pk>/", views.meeting_detail, name="detail"),
    path("meetings/<int:pk>/reply/", views.meeting_reply, name="reply"),
    path("meetings/<int:pk>/move/", views.meeting_move, name="move"),
    path("meetings/<int:pk>/cancel/", views.meeting_cancel, name="cancel"),
    path("meetings/<int:pk>/agree-time/", views.meeting_agree_time, name="agree_time"),
    path("meetings/<int:pk>/minutes/", views.minutes_edit, name="minutes"),
    path("meetings/<int:pk>/minutes/row/", views.minutes_row, name="minutes_row"),
    path("meetings/<int:pk>/minutes/sign/", views.minutes_sign, name="sign"),
    path("meetings/<int:pk>/minutes/addenda/", views.minutes_addendum, name="addendum"),
    path(
        "communities/<int:community_pk>/decisions.xlsx",
        views.decisions_export,
        name="decisions_export",
    ),
    path(
        "meetings/<int:pk>/minutes.docx", views.minutes_export, {"fmt": "docx"}, name="minutes_docx"
    ),
    path("meetings/<int:pk>/minutes.pdf", views.minutes_export, {"fmt": "pdf"}, name="minutes_pdf"),
    path("calendar/", views.calendar_links, name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("decisions/", views.my_decisions, name="my_decisions"),
    path("communities/behind/", views.behind, name="behind"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision"),
    path("evidence/<int:pk>/file/", views.attachment_file, name="attachment_file"),
]

# Routed in the planning namespace by collegium/urls.py: the page belongs to a plan item, while
# the evidence it holds is this app's Attachment.
plan_evidence_urlpatterns = [
    path("plan-items/<int:item_pk>/evidence/", views.plan_item_evidence, name="item_evidence"),
]
