"""This app's rows of the permission matrix (core/tests/test_permission_matrix.py).

A held event of the school PLC (its leader responsible, the PLC member marked present) has the
member's participant and the leader's organiser certificates; a second held event owes the
member a certificate not issued yet. Those who may manage the PLC's events (its leader, school
A's administration, the region's centre, the superuser) issue and revoke; the holder sees their
own; the public check and the Open Badges documents answer everyone.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from certificates import services
from certificates.models import Certificate
from core.tests.matrix import (
    EVERYONE,
    MEMBER,
    PLC_MANAGERS,
    REDIRECT,
    SIGNED_IN,
    Endpoint,
    World,
    api,
    page,
)
from events.models import Event, Registration
from events.tests.factories import EventFactory

HOLDER_OR_MANAGER = [MEMBER, *PLC_MANAGERS]


def _held(w: World, title: str) -> Event:
    event = EventFactory(
        organiser_community=w.plc,
        territory=w.plc.territory,
        title=title,
        status=Event.Status.HELD,
        starts_at=timezone.now() - dt.timedelta(days=2),
        responsible=w.leader,
    )
    Registration.objects.create(event=event, person=w.member, attended=True)
    return event


def state(w: World) -> dict:
    """Made once per test (the world's writes are rolled back after each; the random token
    tells a kept object from one that is gone)."""
    kept = getattr(w, "_certificates", None)
    if kept and Certificate.objects.filter(token=kept["certificate"].token).exists():
        return kept
    event = _held(w, "Matrix seminar")
    services.issue_for_event(event=event, actor=None)
    kept = {
        "event": event,
        "certificate": Certificate.objects.get(event=event, holder=w.member),
        "owing": _held(w, "Matrix seminar without certificates"),
    }
    w._certificates = kept
    return kept


def _certificate(w: World) -> Certificate:
    return state(w)["certificate"]


def _revoked_at(w: World):
    return Certificate.objects.get(pk=_certificate(w).pk).revoked_at


def _owed_issued(w: World) -> int:
    return Certificate.objects.filter(event=state(w)["owing"]).count()


ENDPOINTS: list[Endpoint] = [
    page("certificate check", "get", lambda w: f"/c/{_certificate(w).token}/", EVERYONE),
    page(
        "certificate assertion (Open Badges)",
        "get",
        lambda w: f"/openbadges/assertions/{_certificate(w).token}.json",
        EVERYONE,
    ),
    page(
        "certificate badge class (Open Badges)",
        "get",
        lambda w: f"/openbadges/badges/{_certificate(w).badge_key}.json",
        EVERYONE,
    ),
    page(
        "certificate issuer (Open Badges)",
        "get",
        lambda w: f"/openbadges/issuers/{_certificate(w).issuer_key}.json",
        EVERYONE,
    ),
    page("my certificates", "get", lambda w: "/certificates/", SIGNED_IN),
    page(
        "certificate PDF",
        "get",
        lambda w: f"/certificates/{_certificate(w).pk}/certificate.pdf",
        HOLDER_OR_MANAGER,
    ),
    page(
        "event certificates",
        "get",
        lambda w: f"/events/{state(w)['event'].pk}/certificates/",
        PLC_MANAGERS,
    ),
    page(
        "event certificates issue",
        "post",
        lambda w: f"/events/{state(w)['owing'].pk}/certificates/issue/",
        PLC_MANAGERS,
        REDIRECT,
        changed=_owed_issued,
    ),
    page(
        "certificate revoke",
        "post",
        lambda w: f"/certificates/{_certificate(w).pk}/revoke/",
        PLC_MANAGERS,
        REDIRECT,
        data=lambda w: {"reason": "Ошибка в ФИО"},
        changed=_revoked_at,
    ),
    api("certificates list", "get", lambda w: "/certificates/", SIGNED_IN),
    api(
        "certificate detail",
        "get",
        lambda w: f"/certificates/{_certificate(w).pk}/",
        HOLDER_OR_MANAGER,
    ),
    api(
        "certificate revoke",
        "post",
        lambda w: f"/certificates/{_certificate(w).pk}/revoke/",
        PLC_MANAGERS,
        data=lambda w: {"reason": "Ошибка в ФИО"},
        changed=_revoked_at,
    ),
]
