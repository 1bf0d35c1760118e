"""Counting a view, action or feedback: one INSERT, nothing read.

Other apps call `record(community_id, kind, person_or_request)`, or connect a signal in
`receivers.COUNTED`. A view of a page that belongs to a community but whose URL does not say so
(a discussion, a resource) is counted when its view sets ``request.activity_community = <id>``.
"""

from __future__ import annotations

import hashlib
import hmac
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Hit, Kind

log = logging.getLogger(__name__)

VISITOR_LENGTH = 32


def visitor_key(person_or_request, day) -> str:
    """A keyed hash of the person (or an anonymous visitor's session) that changes every month:
    distinct people can be counted, but nobody can be named or followed from month to month."""
    subject = ""
    user = getattr(person_or_request, "user", None)
    if user is not None:  # a request
        if user.is_authenticated:
            subject = f"person:{user.pk}"
        else:
            session = getattr(person_or_request, "session", None)
            if session is not None:
                if session.session_key is None:
                    # An anonymous visitor gets a (first-party) session so their next pages
                    # count them once; setting a key makes the session middleware send it.
                    session["activity"] = True
                    session.save()
                subject = f"session:{session.session_key}"
    elif person_or_request is not None and getattr(person_or_request, "pk", None) is not None:
        subject = f"person:{person_or_request.pk}"
    if not subject:
        return ""
    message = f"{day:%Y-%m}|{subject}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()
    return digest[:VISITOR_LENGTH]


def record(community_id: int | None, kind: str, person_or_request=None) -> None:
    """Count one `kind` (a `models.Kind`) for the community; never raises: a statistic is not
    worth a failed page or action."""
    if not community_id or kind not in Kind.values:
        return
    try:
        day = timezone.localdate()
        visitor = visitor_key(person_or_request, day)
        # A savepoint: a failed insert must not spoil the caller's transaction.
        with transaction.atomic():
            Hit.objects.create(community_id=community_id, day=day, kind=kind, visitor=visitor)
    except Exception:
        log.exception("activity: a %s of community %s was not recorded", kind, community_id)
