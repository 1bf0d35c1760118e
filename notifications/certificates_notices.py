"""Notices of the certificates app's signals (connected in NotificationsConfig.ready)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from certificates import signals

from .delivery import Notice, deliver
from .models import Notification


def on_certificate_issued(sender, *, certificate, actor=None, **kwargs) -> None:
    """The holder is told, with the link to download the certificate."""
    title = certificate.event_title
    notice = Notice(
        Notification.Kind.CERTIFICATE_ISSUED,
        f"certificate-{certificate.pk}",
        lambda: _("Your certificate of «%(event)s» is ready to download") % {"event": title},
        reverse("certificates:pdf", args=[certificate.pk]),
    )
    deliver([certificate.holder], notice, actor=actor)


def on_certificate_revoked(sender, *, certificate, reason="", actor=None, **kwargs) -> None:
    """The holder is told which certificate was revoked and why (the organiser who revoked it is
    not, should it be their own); the link is their list of certificates."""
    title, number = certificate.event_title, certificate.number
    reason = reason or certificate.revoke_reason
    notice = Notice(
        Notification.Kind.CERTIFICATE_REVOKED,
        f"certificate-revoked-{certificate.pk}",
        lambda: (
            _("Your certificate %(number)s of «%(event)s» was revoked. Reason: %(reason)s")
            % {"number": number, "event": title, "reason": reason}
        ),
        reverse("certificates:mine"),
    )
    deliver([certificate.holder], notice, actor=actor)


def connect() -> None:
    """Connect this module's receivers to the certificates app's signals."""
    signals.certificate_issued.connect(
        on_certificate_issued, dispatch_uid="notifications.certificate_issued"
    )
    signals.certificate_revoked.connect(
        on_certificate_revoked, dispatch_uid="notifications.certificate_revoked"
    )
