from django.urls import path

from . import moderation_views, views, views_chat, views_publications

app_name = "discussions"

urlpatterns = [
    path("communities/<int:pk>/feed/", views.feed, name="feed"),
    path("communities/<int:pk>/feed/new/", views.post_create, name="create"),
    path("communities/<int:pk>/feed/poll/", views.poll_create, name="poll_create"),
    path("posts/drafts/", views.drafts, name="drafts"),
    path("posts/announce/", views.announce, name="announce"),
    path("posts/<int:pk>/", views.post_detail, name="detail"),
    path("posts/<int:pk>/edit/", views.post_edit, name="edit"),
    path("posts/<int:pk>/delete/", views.post_delete, name="delete"),
    path("posts/<int:pk>/pin/", views.post_pin, name="pin"),
    path("posts/files/<int:pk>/", views.attachment, name="attachment"),
    path("posts/files/<int:pk>/remove/", views.attachment_remove, name="attachment_remove"),
    path("posts/<int:pk>/comments/", views.comment_create, name="comment"),
    path("posts/<int:pk>/react/", views.react, name="react"),
    path("posts/<int:pk>/vote/", views.poll_vote, name="vote"),
    path("posts/<int:pk>/close-poll/", views.poll_close, name="poll_close"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment_delete"),
    path("communities/<int:pk>/forum/", views.forum, name="forum"),
    path("communities/<int:pk>/forum/new/", views.topic_create, name="topic_create"),
    path("topics/<int:pk>/", views.topic_detail, name="topic"),
    path("topics/<int:pk>/reply/", views.topic_reply, name="reply"),
    path("communities/<int:pk>/chat/", views_chat.chat, name="chat"),
    path("communities/<int:pk>/schedule/", views_publications.schedule, name="schedule"),
    path("schedule/<int:pk>/remove/", views_publications.schedule_remove, name="schedule_remove"),
    path("communities/<int:pk>/publications/", views_publications.register, name="register"),
    path(
        "communities/<int:pk>/publications.xlsx",
        views_publications.register_xlsx,
        name="register_xlsx",
    ),
    path("communities/<int:pk>/chat/since/", views_chat.chat_since, name="chat_since"),
    path("chat/<int:pk>/delete/", views_chat.chat_delete, name="chat_delete"),
    # Moderation (discussions/moderation_views.py)
    path("moderation/", moderation_views.queue, name="moderation"),
    path("moderation/log/", moderation_views.log, name="moderation_log"),
    path("moderation/<str:target>/<int:pk>/report/", moderation_views.report, name="report"),
    path("moderation/<str:target>/<int:pk>/hide/", moderation_views.hide, name="hide"),
    path("moderation/<str:target>/<int:pk>/restore/", moderation_views.restore, name="restore"),
    path("moderation/<str:target>/<int:pk>/lock/", moderation_views.lock, name="lock"),
    path("moderation/reports/<int:pk>/dismiss/", moderation_views.dismiss, name="dismiss"),
    path("communities/<int:pk>/conduct/", moderation_views.conduct, name="conduct"),
    path("communities/<int:pk>/conduct/edit/", moderation_views.conduct_edit, name="conduct_edit"),
    path("communities/<int:pk>/mutes/", moderation_views.mutes, name="mutes"),
    path("mutes/<int:pk>/lift/", moderation_views.unmute, name="unmute"),
]
