from django.contrib import admin
from django.db.models import Q

from core.admin import PolicyAdmin, ReferenceAdmin

from . import permissions
from .models import ConsultationRequest, ConsultationTopic, FaqEntry


@admin.register(ConsultationTopic)
class ConsultationTopicAdmin(ReferenceAdmin):
    list_display = ["name", "name_en", "code", "order"]

    def may_manage(self, user) -> bool:
        return permissions.can_manage_topics(user)


@admin.register(ConsultationRequest)
class ConsultationRequestAdmin(PolicyAdmin):
    """Requests are asked, taken and answered on the site (the asker and responders are told);
    here those who oversee them read them and mend a wrong field."""

    list_display = ["topic", "addressee", "status", "urgency", "created_at", "due_by"]
    list_filter = ["status", "addressee", "urgency", "topic"]
    raw_id_fields = ["asker", "organisation", "community", "responder", "taken_by", "territory"]
    readonly_fields = ["digest"]

    def policy_q(self, user) -> Q:
        return permissions.visible_q(user)

    def may_view(self, user, obj) -> bool:
        return permissions.can_view(user, obj)

    def may_change(self, user, obj) -> bool:
        return permissions.oversees(user, obj)

    def may_delete(self, user, obj) -> bool:
        return False  # the record of who asked what stays (only superusers delete)


@admin.register(FaqEntry)
class FaqEntryAdmin(PolicyAdmin):
    list_display = ["question", "topic", "published_at"]
    list_filter = ["topic"]
    raw_id_fields = ["source", "published_by"]

    def policy_q(self, user) -> Q:
        return Q()  # the FAQ is public

    def may_view(self, user, obj) -> bool:
        return True

    def may_change(self, user, obj) -> bool:
        if obj.source_id is not None:
            return permissions.can_publish_faq(user, obj.source)
        return obj.published_by_id == user.pk and permissions.can_publish_faq(user)

    def may_add(self, user) -> bool:
        return permissions.can_publish_faq(user)
