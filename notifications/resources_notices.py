"""Notices of the resource bank's signals (connected in NotificationsConfig.ready)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from resources import permissions as resource_permissions
from resources import signals as resource_signals
from resources.models import Resource, ResourceReview

from .delivery import Notice, deliver
from .models import Notification


def _fresh(resource: Resource) -> Resource:
    return Resource.objects.select_related(
        "community__kind", "community__territory", "territory"
    ).get(pk=resource.pk)


def on_resource_submitted(sender, *, resource: Resource, actor=None, **kwargs):
    """Its moderators are asked to review it; the dashboard lists the same resources
    (resources.permissions.moderated_q)."""
    resource = _fresh(resource)
    title = resource.title
    stamp = f"{resource.submitted_at:%Y%m%d%H%M%S}" if resource.submitted_at else ""
    notice = Notice(
        Notification.Kind.RESOURCE_TO_REVIEW,
        f"resource-{resource.pk}-submitted-{stamp}",
        lambda: _("Please review the resource «%(title)s»") % {"title": title},
        reverse("resources:detail", args=[resource.pk]),
    )
    deliver(resource_permissions.moderators(resource), notice, actor=actor)


def on_resource_reviewed(sender, *, resource: Resource, review: ResourceReview, actor=None, **kw):
    resource = _fresh(resource)
    title = resource.title
    decision = review.decision

    def text():
        if decision == ResourceReview.Decision.PUBLISH:
            return _("Your resource «%(title)s» is published") % {"title": title}
        if decision == ResourceReview.Decision.UNPUBLISH:
            return _("Your resource «%(title)s» is taken down") % {"title": title}
        return _("Your resource «%(title)s» is returned for changes") % {"title": title}

    notice = Notice(
        Notification.Kind.RESOURCE_REVIEWED,
        f"resource-review-{review.pk}",
        text,
        reverse("resources:detail", args=[resource.pk]),
    )
    authors = {resource.created_by, *resource.authors.all()}
    deliver(authors, notice, actor=actor)


def connect() -> None:
    """Connect this module's receivers to the resource bank's signals."""
    resource_signals.resource_submitted.connect(
        on_resource_submitted, dispatch_uid="notifications.on_resource_submitted"
    )
    resource_signals.resource_reviewed.connect(
        on_resource_reviewed, dispatch_uid="notifications.on_resource_reviewed"
    )
