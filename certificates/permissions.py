"""Who may issue, revoke and see certificates.

An event's certificates are issued (once it is held) and revoked by those who may manage the
event (``events.permissions.may_manage``). A certificate is seen by its holder and by those who
manage its event. Everyone, signed in or not, may check one through its unguessable public
link, which shows only the holder's name, the event, the role and the date.
"""

from __future__ import annotations

from django.db.models import Q

from events.models import Event
from events.permissions import may_manage

from .models import Certificate


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


def can_see_event_certificates(user, event) -> bool:
    return _signed_in(user) and may_manage(user, event)


def can_issue(user, event) -> bool:
    """Once the event is held (attendance closed), by those who manage it."""
    return event.status == Event.Status.HELD and can_see_event_certificates(user, event)


def can_manage_certificate(user, certificate: Certificate) -> bool:
    """Those who manage the certificate's event; of an event since deleted, the superuser."""
    if not _signed_in(user):
        return False
    if certificate.event_id is None:
        return user.is_superuser
    return may_manage(user, certificate.event)


def can_revoke(user, certificate: Certificate) -> bool:
    return not certificate.is_revoked and can_manage_certificate(user, certificate)


def can_view(user, certificate: Certificate) -> bool:
    """The holder, and those who manage the event (they issued it)."""
    if not _signed_in(user):
        return False
    return certificate.holder_id == user.pk or can_manage_certificate(user, certificate)


def held_q(user) -> Q:
    """A person's own certificates, for querysets ("my certificates")."""
    if not _signed_in(user):
        return Q(pk__in=[])
    return Q(holder_id=user.pk)
