"""Counting a view, action or feedback: one INSERT, nothing read.

Other apps call `record(community_id, kind, person_or_request)`, or connect a signal in
`receivers.COUNTED`. A view of a page that belongs to a community but whose URL does not say so
(a discussion, a resource) is counted when its view sets ``request.activity_community = <id>``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Hit, Kind

log = logging.getLogger(__name__)

VISITOR_LENGTH = 32


def _subject(person_or_request) -> str:
    user = getattr(person_or_request, "user", None)
    if user is not None:  # a request
        if user.is_authenticated:
            return f"person:{user.pk}"
        session = getattr(person_or_request, "session", None)
        if session is None:
            return ""
        if session.session_key is None:
            # An anonymous visitor gets a (first-party) session so their next pages count them
            # once; setting a key makes the session middleware send it.
            session["activity"] = True
            session.save()
        return f"session:{session.session_key}"
    if person_or_request is not None and getattr(person_or_request, "pk", None) is not None:
        return f"person:{person_or_request.pk}"
    return ""


def _hash(period: str, subject: str) -> str:
    message = f"{period}|{subject}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[
        :VISITOR_LENGTH
    ]


def visitor_keys(person_or_request, day) -> tuple[str, str]:
    """Keyed hashes of the person (or an anonymous visitor's session) for the day's month and
    for its week: distinct people can be counted in either, but nobody can be named, and no
    key lives longer than its period, so nobody is followed from one period to the next."""
    subject = _subject(person_or_request)
    if not subject:
        return "", ""
    monday = day - dt.timedelta(days=day.weekday())
    return _hash(f"month:{day:%Y-%m}", subject), _hash(f"week:{monday}", subject)


def visitor_key(person_or_request, day) -> str:
    """The month's key (see `visitor_keys`)."""
    return visitor_keys(person_or_request, day)[0]


def record(community_id: int | None, kind: str, person_or_request=None) -> None:
    """Count one `kind` (a `models.Kind`) for the community; never raises: a statistic is not
    worth a failed page or action."""
    if not community_id or kind not in Kind.values:
        return
    try:
        day = timezone.localdate()
        visitor, week_visitor = visitor_keys(person_or_request, day)
        # A savepoint: a failed insert must not spoil the caller's transaction.
        with transaction.atomic():
            Hit.objects.create(
                community_id=community_id,
                day=day,
                kind=kind,
                visitor=visitor,
                week_visitor=week_visitor,
            )
    except Exception:
        log.exception("activity: a %s of community %s was not recorded", kind, community_id)
