from django.contrib import admin

from .models import Announcement, Comment, Poll, PollOption, Post, PostRevision, Reply, Topic


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["__str__", "community", "author", "kind", "status", "pinned", "published_at"]
    list_filter = ["kind", "status", "pinned"]
    raw_id_fields = ["community", "author", "announcement", "deleted_by"]
    readonly_fields = ["body_html", "comment_count"]
    search_fields = ["title", "body"]


@admin.register(PostRevision)
class PostRevisionAdmin(admin.ModelAdmin):
    list_display = ["post", "edited_by", "edited_at"]
    raw_id_fields = ["post", "edited_by"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "post", "author", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["post", "author"]


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ["title", "author", "created_at"]
    raw_id_fields = ["author"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["title", "community", "author", "status", "reply_count", "last_reply_at"]
    list_filter = ["status"]
    raw_id_fields = ["community", "author"]


@admin.register(Reply)
class ReplyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "topic", "author", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["topic", "author", "quote"]


class PollOptionInline(admin.TabularInline):
    model = PollOption
    fields = ["text", "position", "votes"]
    readonly_fields = ["votes"]
    extra = 0


@admin.register(Poll)
class PollAdmin(admin.ModelAdmin):
    """Counts only: who chose what is not shown here (an anonymous poll does not even keep it)."""

    list_display = ["question", "multiple", "anonymous", "results", "closes_at", "voter_count"]
    list_filter = ["anonymous", "multiple", "results"]
    raw_id_fields = ["post", "closed_by"]
    readonly_fields = ["voter_count"]
    inlines = [PollOptionInline]
