from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import permissions, services
from .models import (
    Achievement,
    Award,
    Course,
    CourseSupport,
    DatabankAccess,
    DatabankExport,
    Person,
    Position,
    QualificationCategory,
    QualificationRecord,
    RoleAssignment,
    TeacherImport,
    TeacherProfile,
)


class PositionInline(admin.TabularInline):
    model = Position
    autocomplete_fields = ["organisation"]
    extra = 0


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    raw_id_fields = ["territory", "organisation", "network"]
    extra = 0


@admin.register(Person)
class PersonAdmin(UserAdmin):
    list_display = ["username", "last_name", "first_name", "middle_name", "email", "is_staff"]
    search_fields = ["username", "search_name", "email"]
    fieldsets = UserAdmin.fieldsets + ((None, {"fields": ("middle_name", "phone")}),)
    inlines = [PositionInline, RoleInline]
    list_per_page = 50


class ProfileItemInline(admin.TabularInline):
    extra = 0


class CourseInline(ProfileItemInline):
    model = Course


class AwardInline(ProfileItemInline):
    model = Award


class AchievementInline(ProfileItemInline):
    model = Achievement


class QualificationInline(ProfileItemInline):
    model = QualificationRecord


@admin.register(TeacherProfile)
class TeacherProfileAdmin(admin.ModelAdmin):
    """Personal data: the same rule as the pages decides, and every opened record is logged."""

    list_display = ["person", "qualification_category", "subjects"]
    search_fields = ["person__search_name"]
    list_select_related = ["person", "qualification_category"]
    autocomplete_fields = ["person"]
    inlines = [QualificationInline, CourseInline, AwardInline, AchievementInline]

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return request.user.is_superuser
        return permissions.can_view_databank(request.user, obj.person)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return request.user.is_superuser
        return permissions.can_edit_databank(request.user, obj.person)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and self.has_view_permission(request, obj):
            services.log_databank_access(
                viewer=request.user, subjects=[obj.person], action="view", channel="admin"
            )
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(QualificationCategory)
class QualificationCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "territory", "order", "is_current", "validity_years"]
    list_filter = ["is_current"]


@admin.register(DatabankAccess)
class DatabankAccessAdmin(admin.ModelAdmin):
    list_display = ["at", "viewer", "subject", "action", "channel"]
    list_filter = ["action", "channel"]
    list_select_related = ["viewer", "subject"]
    raw_id_fields = ["viewer", "subject"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DatabankExport)
class DatabankExportAdmin(admin.ModelAdmin):
    """Jobs only: the file itself is fetched through the page that asks the policy."""

    list_display = ["created_at", "organisation", "requested_by", "status", "rows_total"]
    list_filter = ["status"]
    list_select_related = ["organisation", "requested_by"]
    exclude = ["file"]
    raw_id_fields = ["organisation", "requested_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TeacherImport)
class TeacherImportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "organisation", "original_name", "dry_run", "status"]
    list_filter = ["status", "dry_run"]
    raw_id_fields = ["organisation", "created_by"]
    # Lists arrive only through the import pages and API, which check them.
    exclude = ["file"]
    readonly_fields = ["download"]

    @admin.display(description=_("file"))
    def download(self, obj):
        if not (obj and obj.file):
            return "—"
        url = reverse("imports:file", args=[obj.organisation_id, obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.original_name)

    def has_add_permission(self, request):
        return False


admin.site.register(RoleAssignment)


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["person", "organisation", "title", "is_main"]
    list_select_related = ["person", "organisation"]
    raw_id_fields = ["person", "organisation"]
    search_fields = ["person__search_name", "title"]


class DatabankItemAdmin(admin.ModelAdmin):
    """Lists of a databank record: visible on their own only to the superuser."""

    raw_id_fields = ["profile"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser


for _model in (QualificationRecord, Course, Award, Achievement):
    admin.site.register(_model, DatabankItemAdmin)


@admin.register(CourseSupport)
class CourseSupportAdmin(admin.ModelAdmin):
    list_display = ["profile", "course", "supporter", "follow_up_on"]
    list_select_related = ["profile__person", "course", "supporter"]
    raw_id_fields = ["profile", "course", "supporter"]
