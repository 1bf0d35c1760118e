"""Reads of consultation requests: who a person may ask, their requests, the board, the FAQ."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from communities.models import Community, Membership
from core.scopes import scopes_for
from events.models import Event
from mentoring.models import Pair
from organisations.models import Organisation
from people.models import Person, Position, RoleAssignment

from . import permissions
from .models import ConsultationRequest, ConsultationTopic, FaqEntry

Request = ConsultationRequest
CONSULTATION_EVENT_KINDS = ("individual-consultation", "group-consultation")


def topics() -> QuerySet[ConsultationTopic]:
    return ConsultationTopic.objects.all()


def organisation_of(person) -> Organisation | None:
    """The asker's school: the main place of work (or any), else the school they administer."""
    position = (
        Position.objects.filter(person=person)
        .select_related("organisation__territory")
        .order_by("-is_main", "id")
        .first()
    )
    if position is not None:
        return position.organisation
    administered = sorted(scopes_for(person).school_admin_orgs)
    if not administered:
        return None
    return Organisation.objects.select_related("territory").filter(pk=administered[0]).first()


def councils_for(user) -> QuerySet[Community]:
    """Consultative councils the person may ask: those of their region, or one they belong to."""
    scopes = scopes_for(user)
    base = Community.objects.filter(
        kind__code=permissions.COUNCIL, status=Community.Status.ACTIVE
    ).select_related("territory")
    if scopes.is_superuser:
        return base
    mine = Membership.objects.filter(person=user).values("community_id")
    return base.filter(
        Q(pk__in=mine) | scopes.territory_q(scopes.region_paths(), "territory__path")
    ).order_by("name", "pk")


def associations_for(user) -> QuerySet[Community]:
    """Inter-school associations the person belongs to."""
    mine = Membership.objects.filter(person=user).values("community_id")
    return (
        Community.objects.filter(
            kind__code=permissions.ASSOCIATION, status=Community.Status.ACTIVE, pk__in=mine
        )
        .select_related("territory")
        .order_by("name", "pk")
    )


def mentor_pair_of(user) -> Pair | None:
    """The asker's active leaders' pair in which they are the mentee."""
    return (
        Pair.objects.filter(mentee=user, kind=Pair.Kind.LEADERS, status=Pair.Status.ACTIVE)
        .select_related("mentor", "community__territory")
        .order_by("-school_year", "-pk")
        .first()
    )


def curators_for(organisation: Organisation | None) -> QuerySet[Person]:
    """Curators of the school's territory or one above it."""
    if organisation is None:
        return Person.objects.none()
    ancestors = [int(i) for i in organisation.territory.path.strip("/").split("/") if i]
    holders = RoleAssignment.objects.filter(
        role=RoleAssignment.Role.CURATOR, territory_id__in=ancestors
    ).values("person_id")
    return Person.objects.filter(pk__in=holders, is_active=True).order_by(
        "last_name", "first_name", "pk"
    )


def consultation_events_for(user) -> QuerySet[Event]:
    """Consultation events the answerer organises (made or is responsible for), not cancelled."""
    return (
        Event.objects.filter(kind__code__in=CONSULTATION_EVENT_KINDS)
        .filter(Q(created_by_id=user.pk) | Q(responsible_id=user.pk))
        .exclude(status=Event.Status.CANCELLED)
        .select_related("kind")
        .order_by("-starts_at", "-pk")
    )


def _with_joins(qs: QuerySet[Request]) -> QuerySet[Request]:
    return qs.select_related(
        "asker", "organisation", "topic", "community", "responder", "taken_by", "territory"
    )


def visible_requests(user) -> QuerySet[Request]:
    return _with_joins(Request.objects.filter(permissions.visible_q(user)))


def my_requests(user) -> QuerySet[Request]:
    """What the person asked, and what is addressed to them."""
    return _with_joins(
        Request.objects.filter(Q(asker_id=user.pk) | permissions.responder_q(user))
    ).order_by("-created_at", "-pk")


def waiting_for(user) -> QuerySet[Request]:
    """Open requests waiting for this responder, the most urgent first."""
    return _with_joins(Request.objects.filter(permissions.waiting_q(user))).order_by(
        "due_by", "created_at", "pk"
    )


def to_rate(user) -> QuerySet[Request]:
    return _with_joins(
        Request.objects.filter(asker_id=user.pk, status=Request.Status.ANSWERED)
    ).order_by("answered_at", "pk")


def request_detail(pk: int) -> Request:
    return (
        _with_joins(Request.objects.all())
        .select_related("answer__author", "answer__event", "rating", "faq_entry")
        .prefetch_related("attachments")
        .get(pk=pk)
    )


def board_requests(
    user, *, status: str = "", topic: int | None = None, addressee: str = ""
) -> QuerySet[Request]:
    qs = Request.objects.filter(permissions.board_q(user))
    if status == "open":
        qs = qs.filter(status__in=Request.OPEN)
    elif status:
        qs = qs.filter(status=status)
    if topic:
        qs = qs.filter(topic_id=topic)
    if addressee:
        qs = qs.filter(addressee=addressee)
    return _with_joins(qs).order_by("due_by", "created_at", "pk")


@dataclass
class ResponseTimes:
    answered: int
    average_hours: float | None
    median_hours: float | None
    open_count: int
    overdue_count: int


def response_times(qs: QuerySet[Request]) -> ResponseTimes:
    """Average and median time from question to answer over the answered requests of ``qs``."""
    spans = [
        (answered - asked).total_seconds() / 3600
        for asked, answered in qs.filter(answered_at__isnull=False)
        .order_by()
        .values_list("created_at", "answered_at")
    ]
    open_qs = qs.filter(status__in=Request.OPEN).order_by()
    return ResponseTimes(
        answered=len(spans),
        average_hours=round(sum(spans) / len(spans), 1) if spans else None,
        median_hours=round(statistics.median(spans), 1) if spans else None,
        open_count=open_qs.count(),
        overdue_count=open_qs.filter(due_by__lt=timezone.localdate()).count(),
    )


def faq_entries(topic: int | None = None) -> QuerySet[FaqEntry]:
    qs = FaqEntry.objects.select_related("topic").order_by(
        F("topic__order").asc(), "-published_at", "-pk"
    )
    return qs.filter(topic_id=topic) if topic else qs
