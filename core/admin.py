"""The admin asks the apps' policies too.

Django's model permissions say which tables a staff user may open; they know nothing of
territories, communities or authorship. A staff account of one school would otherwise read and
change every region's rows. `PolicyAdmin` narrows each list to what the app's policy lets the
person see and asks it before each change, delete and add. Superusers see and do everything.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q


class PolicyAdmin(admin.ModelAdmin):
    """A ModelAdmin whose rows and rights come from the app's policy (`<app>/permissions.py`).

    Subclasses answer with the policy's functions; the defaults refuse, so a subclass that says
    nothing leaves the model to superusers.
    """

    def policy_q(self, user) -> Q:
        """The rows the person may see in the list: the policy's list form."""
        return Q(pk__in=[])

    def may_view(self, user, obj) -> bool:
        return self.model._default_manager.filter(self.policy_q(user), pk=obj.pk).exists()

    def may_change(self, user, obj) -> bool:
        return False

    def may_delete(self, user, obj) -> bool:
        return self.may_change(user, obj)

    def may_add(self, user) -> bool:
        return False

    def get_actions(self, request):
        # "Delete selected" asks once for the whole table, not row by row.
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            actions.pop("delete_selected", None)
        return actions

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        if request.user.is_superuser:
            return rows
        return rows.filter(self.policy_q(request.user))

    def has_view_permission(self, request, obj=None):
        if not super().has_view_permission(request, obj):
            return False
        return obj is None or request.user.is_superuser or self.may_view(request.user, obj)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or request.user.is_superuser or self.may_change(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or request.user.is_superuser or self.may_delete(request.user, obj)

    def has_add_permission(self, request):
        if not super().has_add_permission(request):
            return False
        return request.user.is_superuser or self.may_add(request.user)


class ReferenceAdmin(PolicyAdmin):
    """Reference data (kinds, topics): everyone with the model's permission reads it; who
    changes it is the subclass's `may_manage`."""

    def policy_q(self, user) -> Q:
        return Q()

    def may_view(self, user, obj) -> bool:
        return True

    def may_manage(self, user) -> bool:
        return False

    def may_change(self, user, obj) -> bool:
        return self.may_manage(user)

    def may_add(self, user) -> bool:
        return self.may_manage(user)
