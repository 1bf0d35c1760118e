"""Certificates of events, checked by anyone through an unguessable link (and its QR code).

What a certificate says (the event's title, date and organiser, the holder's name) is copied
when it is issued: renaming the event or the person later does not change a document already
printed and handed out.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    """The public check link's key: 128 random bits, so the pages cannot be walked through."""
    return secrets.token_urlsafe(16)


def new_salt() -> str:
    return secrets.token_hex(8)


class Certificate(models.Model):
    class Role(models.TextChoices):
        PARTICIPANT = "participant", _("Participant")
        SPEAKER = "speaker", _("Speaker")
        ORGANISER = "organiser", _("Organiser")

    class Level(models.TextChoices):
        SCHOOL = "school", _("school level")
        MUNICIPAL = "municipal", _("municipal level")
        REGIONAL = "regional", _("regional level")

    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("holder"),
        on_delete=models.CASCADE,
        related_name="certificates",
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    # "СЕРТ-2026-000123": what people read out and type; not a key to anything public.
    number = models.CharField(_("number"), max_length=30, unique=True, null=True, editable=False)
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    # Open Badges: the recipient's e-mail is published only as sha256(email + salt).
    salt = models.CharField(max_length=32, default=new_salt, editable=False)
    # The snapshot printed on the certificate.
    holder_name = models.CharField(_("holder's name"), max_length=300)
    event_title = models.CharField(_("event"), max_length=500)
    event_kind = models.CharField(_("kind of event"), max_length=200, blank=True)
    event_date = models.DateField(_("date of the event"))
    organiser_name = models.CharField(_("organiser"), max_length=500)
    organiser_level = models.CharField(
        _("level"), max_length=10, choices=Level.choices, default=Level.SCHOOL
    )
    signer_name = models.CharField(_("signed by"), max_length=300, blank=True)
    # Unguessable keys of the Open Badges BadgeClass (event and role) and Issuer (organiser).
    badge_key = models.CharField(max_length=40, editable=False, db_index=True)
    issuer_key = models.CharField(max_length=40, editable=False, db_index=True)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    revoke_reason = models.CharField(_("reason for revocation"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "-id"]
        constraints = [
            # One valid certificate per person, event and role; a revoked one may be reissued.
            models.UniqueConstraint(
                fields=["event", "holder", "role"],
                condition=models.Q(revoked_at__isnull=True),
                name="uniq_valid_certificate",
            )
        ]

    def __str__(self) -> str:
        return self.number or self.token

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
