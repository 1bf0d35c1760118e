from django.contrib import admin
from django.db.models import Q

from core.admin import PolicyAdmin

from . import permissions
from .models import (
    Announcement,
    ChatMessage,
    CodeOfConduct,
    Comment,
    ModerationAction,
    Mute,
    PlannedPublication,
    Poll,
    PollOption,
    Post,
    PostRevision,
    Reply,
    Report,
    Status,
    Topic,
)

# Bodies are read-only here: the pages render them to HTML once (markup) when they are written,
# so an edit in the admin would leave the shown text stale. Nothing is added here either: the
# pages and their services tell the members.


class FeedRowAdmin(PolicyAdmin):
    """A row of a community's feed or forum: read by the feed's readers, mended by its
    moderators. `community_path` leads from the row to its community."""

    community_path = "community"
    readonly_fields = ["body", "body_html"]

    def _community_of(self, obj):
        for name in self.community_path.split("__"):
            obj = getattr(obj, name)
        return obj

    def policy_q(self, user) -> Q:
        feeds = permissions.feed_communities(user).values("pk")
        return Q(**{f"{self.community_path}__in": feeds})

    def may_view(self, user, obj) -> bool:
        return permissions.can_read_feed(user, self._community_of(obj))

    def may_change(self, user, obj) -> bool:
        return permissions.can_moderate(user, self._community_of(obj))


@admin.register(Post)
class PostAdmin(PolicyAdmin):
    list_display = ["__str__", "community", "author", "kind", "status", "pinned", "published_at"]
    list_filter = ["kind", "status", "pinned"]
    raw_id_fields = ["community", "author", "announcement", "deleted_by"]
    readonly_fields = ["body", "body_html", "comment_count"]
    search_fields = ["title", "body"]

    def policy_q(self, user) -> Q:
        return permissions.visible_posts_q(user)

    def may_view(self, user, obj) -> bool:
        return permissions.can_view_post(user, obj)

    def may_change(self, user, obj) -> bool:
        return obj.status == Status.PUBLISHED and permissions.can_moderate(user, obj.community)

    def may_delete(self, user, obj) -> bool:
        return permissions.can_delete(user, obj)


@admin.register(PostRevision)
class PostRevisionAdmin(PolicyAdmin):
    """The history of a post's text: read, never rewritten."""

    list_display = ["post", "edited_by", "edited_at"]
    raw_id_fields = ["post", "edited_by"]

    def policy_q(self, user) -> Q:
        return Q(post__in=Post.objects.filter(permissions.visible_posts_q(user)).values("pk"))


@admin.register(Comment)
class CommentAdmin(FeedRowAdmin):
    list_display = ["__str__", "post", "author", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["post", "author"]
    # The shared fields of ModeratedMessage would come first; the row's own place leads.
    fields = [
        "post",
        "author",
        "status",
        "hidden_reason",
        "token",
        "edited_at",
        "body",
        "body_html",
    ]
    community_path = "post__community"

    def may_delete(self, user, obj) -> bool:
        return permissions.can_delete_comment(user, obj)


@admin.register(Announcement)
class AnnouncementAdmin(PolicyAdmin):
    list_display = ["title", "author", "created_at"]
    raw_id_fields = ["author"]

    def policy_q(self, user) -> Q:
        posts = Post.objects.filter(permissions.visible_posts_q(user), announcement__isnull=False)
        return Q(author_id=user.pk) | Q(pk__in=posts.values("announcement_id"))

    def may_change(self, user, obj) -> bool:
        return obj.author_id == user.pk and permissions.can_announce_to_audience(user)


@admin.register(Topic)
class TopicAdmin(FeedRowAdmin):
    list_display = ["title", "community", "author", "status", "reply_count", "last_reply_at"]
    list_filter = ["status"]
    raw_id_fields = ["community", "author"]


@admin.register(Reply)
class ReplyAdmin(FeedRowAdmin):
    list_display = ["__str__", "topic", "author", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["topic", "author", "quote"]
    fields = ["topic", "author", "quote", "status", "hidden_reason", "token", "body", "body_html"]
    community_path = "topic__community"


class PollOptionInline(admin.TabularInline):
    model = PollOption
    fields = ["text", "position", "votes"]
    readonly_fields = ["votes"]
    extra = 0


@admin.register(Poll)
class PollAdmin(FeedRowAdmin):
    """Counts only: who chose what is not shown here (an anonymous poll does not even keep it)."""

    list_display = ["question", "multiple", "anonymous", "results", "closes_at", "voter_count"]
    list_filter = ["anonymous", "multiple", "results"]
    raw_id_fields = ["post", "closed_by"]
    readonly_fields = ["question", "voter_count"]
    inlines = [PollOptionInline]
    community_path = "post__community"


@admin.register(ChatMessage)
class ChatMessageAdmin(FeedRowAdmin):
    list_display = ["__str__", "community", "author", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["community", "author"]
    fields = ["community", "author", "status", "hidden_reason", "token", "body", "body_html"]

    def may_delete(self, user, obj) -> bool:
        return permissions.can_delete_chat_message(user, obj)


class ModerationRowAdmin(FeedRowAdmin):
    """Moderation's own rows (rules, reports, the log, mutes): seen and mended by the community's
    moderators only; the pages write them."""

    readonly_fields = []

    def policy_q(self, user) -> Q:
        return Q(community__in=permissions.moderated_communities(user).values("pk"))

    def may_view(self, user, obj) -> bool:
        return permissions.can_moderate(user, obj.community)


@admin.register(CodeOfConduct)
class CodeOfConductAdmin(ModerationRowAdmin):
    list_display = ["community", "updated_by", "updated_at"]
    raw_id_fields = ["community", "updated_by"]
    readonly_fields = ["body", "body_html"]


@admin.register(Report)
class ReportAdmin(ModerationRowAdmin):
    list_display = ["__str__", "community", "reporter", "state", "created_at"]
    list_filter = ["state", "reason", "target"]
    raw_id_fields = [
        "community", "reporter", "closed_by", "post", "comment", "topic", "reply", "chat",
    ]  # fmt: skip


@admin.register(ModerationAction)
class ModerationActionAdmin(ModerationRowAdmin):
    list_display = ["action", "target", "object_id", "community", "actor", "person", "created_at"]
    list_filter = ["action", "target"]
    raw_id_fields = [
        "community", "actor", "person", "post", "comment", "topic", "reply", "chat",
    ]  # fmt: skip


@admin.register(Mute)
class MuteAdmin(ModerationRowAdmin):
    list_display = ["person", "community", "until", "lifted_at", "muted_by"]
    raw_id_fields = ["community", "person", "muted_by"]


@admin.register(PlannedPublication)
class PlannedPublicationAdmin(FeedRowAdmin):
    """The publication schedule: read by the feed's readers, mended by its moderators (the
    schedule page plans lines and tells the responsible member)."""

    list_display = ["due_on", "title", "community", "responsible", "post"]
    raw_id_fields = ["community", "responsible", "post", "created_by"]
    readonly_fields = []
