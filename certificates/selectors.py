"""Reads of certificates."""

from __future__ import annotations

from django.db.models import QuerySet

from . import permissions
from .models import Certificate


def held_by(user) -> QuerySet[Certificate]:
    """A person's own certificates, newest first (revoked ones too: they say so)."""
    return Certificate.objects.filter(permissions.held_q(user)).order_by("-issued_at", "-id")


def of_event(event) -> QuerySet[Certificate]:
    return (
        Certificate.objects.filter(event=event)
        .select_related("holder")
        .order_by("revoked_at", "role", "holder_name", "id")
    )


def by_token(token: str) -> Certificate | None:
    if not token or len(token) > 40:
        return None
    return Certificate.objects.filter(token=token).first()


def certificate(pk) -> Certificate:
    return Certificate.objects.select_related("event", "holder").get(pk=pk)


def badge_certificate(key: str) -> Certificate | None:
    """A certificate of the BadgeClass `key` (event and role); any one says the same."""
    return Certificate.objects.filter(badge_key=key).order_by("-id").first() if key else None


def issuer_certificate(key: str) -> Certificate | None:
    return Certificate.objects.filter(issuer_key=key).order_by("-id").first() if key else None
