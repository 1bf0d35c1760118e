from django.contrib import admin

from .models import (
    Announcement,
    CodeOfConduct,
    Comment,
    ModerationAction,
    Mute,
    Post,
    PostRevision,
    Reply,
    Report,
    Topic,
)


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


@admin.register(CodeOfConduct)
class CodeOfConductAdmin(admin.ModelAdmin):
    list_display = ["community", "updated_by", "updated_at"]
    raw_id_fields = ["community", "updated_by"]
    readonly_fields = ["body_html"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "community", "reporter", "state", "created_at"]
    list_filter = ["state", "reason", "target"]
    raw_id_fields = ["community", "reporter", "closed_by", "post", "comment", "topic", "reply"]


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    list_display = ["action", "target", "object_id", "community", "actor", "person", "created_at"]
    list_filter = ["action", "target"]
    raw_id_fields = ["community", "actor", "person", "post", "comment", "topic", "reply"]


@admin.register(Mute)
class MuteAdmin(admin.ModelAdmin):
    list_display = ["person", "community", "until", "lifted_at", "muted_by"]
    raw_id_fields = ["community", "person", "muted_by"]
