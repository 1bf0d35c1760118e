"""The app's REST endpoints, mounted under /api/v1/ by collegium/api_urls.py."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import (
    ChatReportCreateView,
    ChatViewSet,
    CommentReportCreateView,
    PostCommentViewSet,
    PostViewSet,
    PublicationScheduleViewSet,
    ReplyReportCreateView,
    ReportCreateView,
    TopicReplyViewSet,
    TopicReportCreateView,
    TopicViewSet,
)

router = SimpleRouter()
router.register("posts", PostViewSet, basename="post")
router.register("topics", TopicViewSet, basename="topic")
router.register("schedule", PublicationScheduleViewSet, basename="planned-publication")

replies = TopicReplyViewSet.as_view({"get": "list", "post": "create"})

comments = PostCommentViewSet.as_view({"get": "list", "post": "create"})

chat = ChatViewSet.as_view({"get": "list", "post": "create"})

urlpatterns = [
    *router.urls,
    path("posts/<int:post_pk>/comments/", comments, name="post-comments"),
    path("communities/<int:community_pk>/chat/", chat, name="community-chat"),
    path("posts/<int:pk>/report/", ReportCreateView.as_view(), name="post-report"),
    path("comments/<int:pk>/report/", CommentReportCreateView.as_view(), name="comment-report"),
    path("chat/<int:pk>/report/", ChatReportCreateView.as_view(), name="chat-report"),
    path("topics/<int:topic_pk>/replies/", replies, name="topic-replies"),
    path("topics/<int:pk>/report/", TopicReportCreateView.as_view(), name="topic-report"),
    path("replies/<int:pk>/report/", ReplyReportCreateView.as_view(), name="reply-report"),
]
