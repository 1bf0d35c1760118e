"""Issuing and revoking certificates. Each function is one transaction."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.actions import announce, require
from core.text import clean_text
from events.selectors import certificate_holders
from people import services as people_services

from . import permissions, signals
from .models import Certificate

Role = Certificate.Role
Level = Certificate.Level
REASON_LENGTH = 500
# Organisations that act for a territory rather than as a school.
TERRITORIAL = ("methodological_centre", "education_department")


def _key(*parts) -> str:
    """A stable unguessable key for a public Open Badges document (a BadgeClass, an Issuer)."""
    message = ":".join(str(p) for p in parts).encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()
    return digest[:32]


def _territory_level(territory) -> str:
    if territory is None:
        return Level.REGIONAL
    return Level.REGIONAL if territory.kind in ("region", "country") else Level.MUNICIPAL


def _host_level(organisation=None, network=None, territory=None) -> str:
    if organisation is not None:
        if organisation.kind in TERRITORIAL:
            return _territory_level(organisation.territory)
        return Level.SCHOOL
    if network is not None:
        return _territory_level(network.territory)
    return _territory_level(territory)


def organiser_of(event) -> tuple[str, str, str]:
    """The event's organiser as printed: its name, its level (school, municipal, regional) and
    a stable identity (the Open Badges issuer)."""
    if event.organiser_community_id:
        community = event.organiser_community
        level = _host_level(community.organisation, community.network, community.territory)
        host = community.organisation or community.network
        name = f"{community.name} ({host.name})" if host is not None else community.name
        return name, level, f"community:{community.pk}"
    if event.organiser_organisation_id:
        organisation = event.organiser_organisation
        return (
            organisation.name,
            _host_level(organisation=organisation),
            (f"organisation:{organisation.pk}"),
        )
    if event.organiser_network_id:
        network = event.organiser_network
        return network.name, _host_level(network=network), f"network:{network.pk}"
    territory = event.organiser_territory or event.territory
    return territory.name, _host_level(territory=territory), f"territory:{territory.pk}"


def check_url(certificate: Certificate) -> str:
    """The absolute public check link printed under the QR code."""
    return settings.SITE_URL.rstrip("/") + reverse("certificates:check", args=[certificate.token])


def _achievement_text(certificate: Certificate) -> str:
    texts = {
        Role.PARTICIPANT: _("Participant's certificate: %(event)s"),
        Role.SPEAKER: _("Talk: %(event)s"),
        Role.ORGANISER: _("Organiser's certificate: %(event)s"),
    }
    return texts[certificate.role] % {"event": certificate.event_title}


def _record_in_databank(certificate: Certificate) -> None:
    """The holder's databank gets the achievement without anyone typing it (004 doc. 2)."""
    with translation.override(settings.LANGUAGE_CODE):
        people_services.record_achievement(
            person=certificate.holder,
            source=f"certificate:{certificate.number}",
            year=certificate.event_date.year,
            description=_achievement_text(certificate),
            level=str(Level(certificate.organiser_level).label),
            url=check_url(certificate),
        )


def _signer_name(event, signer) -> str:
    """Who signs: the event's responsible organiser, else the person issuing."""
    person = event.responsible if event.responsible_id else signer
    return person.full_name if person is not None else ""


def _snapshot(event, holder, role: str, signer) -> Certificate:
    name, level, identity = organiser_of(event)
    starts_at = event.starts_at
    kind = getattr(event, "kind", None)
    return Certificate(
        event=event,
        holder=holder,
        role=role,
        holder_name=(holder.full_name or holder.get_username())[:300],
        event_title=event.title[:500],
        event_kind=(getattr(kind, "name", "") or "")[:200],
        event_date=timezone.localdate(starts_at) if timezone.is_aware(starts_at) else starts_at,
        organiser_name=name[:500],
        organiser_level=level,
        signer_name=_signer_name(event, signer)[:300],
        badge_key=_key("badge", event.pk, role),
        issuer_key=_key("issuer", identity),
        issued_by=signer,
    )


def _valid(event, holder, role: str) -> Certificate | None:
    return Certificate.objects.filter(
        event=event, holder=holder, role=role, revoked_at__isnull=True
    ).first()


def _issue(event, holder, role: str, signer) -> tuple[Certificate, bool]:
    existing = _valid(event, holder, role)
    if existing is not None:
        return existing, False
    certificate = _snapshot(event, holder, role, signer)
    try:
        # A second request issuing the same certificate at the same moment loses here.
        with transaction.atomic():
            certificate.save()
    except IntegrityError:
        existing = _valid(event, holder, role)
        if existing is None:
            raise
        return existing, False
    certificate.number = f"СЕРТ-{certificate.issued_at.year}-{certificate.pk:06d}"
    Certificate.objects.filter(pk=certificate.pk).update(number=certificate.number)
    _record_in_databank(certificate)
    return certificate, True


@transaction.atomic
def issue(*, event, person, role: str, actor, signer=None) -> tuple[Certificate, bool]:
    """Issue `person` the certificate of `role` at `event`, once: a repeat (a double submit, the
    automatic issue after a manual one) returns the valid certificate already there. Returns
    the certificate and whether it was made now."""
    require(actor, lambda: permissions.can_issue(actor, event))
    if role not in Role.values:
        raise ValidationError({"role": _("Choose one of the roles.")})
    certificate, created = _issue(event, person, role, signer or actor)
    if created:
        announce(signals.certificate_issued, Certificate, certificate=certificate,
                 actor=actor or signer)  # fmt: skip
    return certificate, created


@transaction.atomic
def issue_for_event(*, event, actor, signer=None) -> list[Certificate]:
    """Issue every certificate the event owes (participants marked present, speakers, the
    organiser: ``events.selectors.certificate_holders``) that is not issued yet. Returns the
    certificates made now."""
    require(actor, lambda: permissions.can_issue(actor, event))
    made = []
    for person, role in certificate_holders(event):
        certificate, created = _issue(event, person, role, signer or actor)
        if created:
            made.append(certificate)
            # Whoever made it happen (also by marking the event held) is not told of it.
            announce(signals.certificate_issued, Certificate, certificate=certificate,
                     actor=actor or signer)  # fmt: skip
    return made


@transaction.atomic
def revoke(*, certificate: Certificate, actor, reason: str) -> Certificate:
    """Revoke a certificate: its public check says so from now on, its Open Badges assertion
    answers 410, and the achievement leaves the holder's databank."""
    # Only the certificate's row is locked: PostgreSQL locks no nullable side of a join.
    certificate = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("event")
        .get(pk=certificate.pk)
    )
    require(actor, lambda: permissions.can_manage_certificate(actor, certificate))
    reason = clean_text(reason or "").strip()
    if certificate.is_revoked:
        raise ValidationError(_("This certificate is already revoked."))
    if not reason:
        raise ValidationError({"reason": _("Give the reason for revoking the certificate.")})
    if len(reason) > REASON_LENGTH:
        raise ValidationError({"reason": _("At most %(n)s characters.") % {"n": REASON_LENGTH}})
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = actor
    certificate.revoke_reason = reason
    certificate.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    people_services.withdraw_achievement(source=f"certificate:{certificate.number}")
    announce(signals.certificate_revoked, Certificate, certificate=certificate, actor=actor,
             reason=reason)  # fmt: skip
    return certificate


def on_event_held(sender, *, event, actor=None, **kwargs) -> None:
    """Connected to ``events.signals.event_held`` (apps.ready): the certificates follow at once.
    The event's own action already asked its policy, so this is a trusted call."""
    issue_for_event(event=event, actor=None, signer=actor)
