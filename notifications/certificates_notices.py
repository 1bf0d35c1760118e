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


def connect() -> None:
    """Connect this module's receivers to the certificates app's signals."""
    signals.certificate_issued.connect(
        on_certificate_issued, dispatch_uid="notifications.certificate_issued"
    )
