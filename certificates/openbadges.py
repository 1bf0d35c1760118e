"""Open Badges 2.0 hosted verification: the JSON-LD documents of an Issuer (Profile), a
BadgeClass (one per event and role) and an Assertion (one per certificate).

Every document's `id` is the absolute URL it is served at (settings.SITE_URL), which hosted
verification requires: a validator fetches the assertion from its id and checks that the issuer
lives on the same origin. The recipient is published only as a salted SHA-256 of the holder's
e-mail. A revoked certificate's assertion answers 410 Gone with `"revoked": true`.
"""

from __future__ import annotations

import base64
import hashlib
from xml.sax.saxutils import escape

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Certificate
from .services import check_url

CONTEXT = "https://w3id.org/openbadges/v2"
COLOURS = {
    Certificate.Role.PARTICIPANT: "#2f6db5",
    Certificate.Role.SPEAKER: "#b5562f",
    Certificate.Role.ORGANISER: "#3d8b4f",
}


def _absolute(name: str, key: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=[key])


def assertion_url(certificate: Certificate) -> str:
    return _absolute("certificates:ob_assertion", certificate.token)


def badge_url(certificate: Certificate) -> str:
    return _absolute("certificates:ob_badge", certificate.badge_key)


def issuer_url(certificate: Certificate) -> str:
    return _absolute("certificates:ob_issuer", certificate.issuer_key)


def hashed_email(email: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


def badge_name(certificate: Certificate) -> str:
    return f"{Certificate.Role(certificate.role).label}: {certificate.event_title}"


def badge_image(certificate: Certificate) -> str:
    """A round SVG emblem in the role's colour, as a data URI (allowed for a BadgeClass)."""
    label = escape(str(Certificate.Role(certificate.role).label))
    colour = COLOURS.get(certificate.role, "#2f6db5")
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">'
        f'<circle cx="128" cy="128" r="120" fill="{colour}"/>'
        '<circle cx="128" cy="128" r="100" fill="none" stroke="#fff" stroke-width="6"/>'
        '<text x="128" y="120" font-family="sans-serif" font-size="26" fill="#fff" '
        'text-anchor="middle">Collegium</text>'
        '<text x="128" y="156" font-family="sans-serif" font-size="20" fill="#fff" '
        f'text-anchor="middle">{label}</text></svg>'
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def issuer_document(certificate: Certificate) -> dict:
    return {
        "@context": CONTEXT,
        "type": "Issuer",
        "id": issuer_url(certificate),
        "name": certificate.organiser_name,
        "url": settings.SITE_URL.rstrip("/") + "/",
        "email": settings.DEFAULT_FROM_EMAIL,
    }


def badge_document(certificate: Certificate) -> dict:
    role = str(Certificate.Role(certificate.role).label).lower()
    return {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": badge_url(certificate),
        "name": badge_name(certificate),
        "description": _("%(role)s of «%(event)s», %(date)s, organised by %(organiser)s.")
        % {
            "role": Certificate.Role(certificate.role).label,
            "event": certificate.event_title,
            "date": certificate.event_date.strftime("%d.%m.%Y"),
            "organiser": certificate.organiser_name,
        },
        "image": badge_image(certificate),
        "criteria": {
            "narrative": _("Awarded to the event's %(role)s, as its organiser records.")
            % {"role": role}
        },
        "issuer": issuer_url(certificate),
    }


def assertion_document(certificate: Certificate) -> dict:
    """The hosted assertion; a revoked one is only `{"id", "revoked": true}` (served as 410)."""
    if certificate.is_revoked:
        return {
            "@context": CONTEXT,
            "type": "Assertion",
            "id": assertion_url(certificate),
            "revoked": True,
        }
    return {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": assertion_url(certificate),
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": certificate.salt,
            "identity": hashed_email(certificate.holder.email, certificate.salt),
        },
        "badge": badge_url(certificate),
        "verification": {"type": "hosted"},
        "issuedOn": certificate.issued_at.isoformat(),
        "evidence": check_url(certificate),
    }
