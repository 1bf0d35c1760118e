"""Reads for meetings, minutes and decisions."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from communities.models import Membership

from . import permissions
from .models import Decision, Meeting, Participant


def meetings_of(community) -> QuerySet[Meeting]:
    return community.meetings.select_related("chair", "minutes").order_by("-starts_at", "-id")


def meeting_detail(pk: int) -> Meeting:
    return (
        Meeting.objects.select_related(
            "community__kind", "community__territory", "community__leader", "chair",
            "planned__plan", "minutes__signed_by", "minutes__secretary", "time_agreed_by",
        )
        .prefetch_related(
            "questions",
            Prefetch("participants", queryset=Participant.objects.select_related("person")),
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("assignee", "question").prefetch_related(
                    "attachments"
                ),
            ),
            "minutes__addenda__author",
            "changes__actor",
        )
        .get(pk=pk)
    )  # fmt: skip


def usual_secretary(meeting: Meeting) -> int | None:
    """The invitee who is the community's secretary, offered when the minutes are first written."""
    return (
        Membership.objects.filter(
            community_id=meeting.community_id,
            role=Membership.Role.SECRETARY,
            person__meeting_invitations__meeting=meeting,
        )
        .values_list("person_id", flat=True)
        .first()
    )


def decisions_for(person) -> QuerySet[Decision]:
    """What a person has to do, nearest due date first; late ones are marked by is_overdue.

    Only of communities they still may see: a removed member's tasks there are no longer theirs.
    """
    return (
        Decision.objects.filter(assignee=person)
        .filter(permissions.visible_decisions_q(person))
        .exclude(status=Decision.Status.DONE)
        .select_related("community", "meeting")
        .order_by("due_on", "id")
    )


def overdue_q() -> Q:
    return Q(due_on__lt=timezone.localdate()) & ~Q(status=Decision.Status.DONE)


def minutes_to_write_for(user, limit: int = 20) -> list[Meeting]:
    """Meetings that have started (not cancelled) and have no minutes, of communities whose
    minutes this person may write (`permissions.minutes_writers_q`)."""
    if not (user and user.is_authenticated):
        return []
    return list(
        Meeting.objects.filter(
            permissions.minutes_writers_q(user),
            community__kind__minutes_required=True,
            starts_at__lte=timezone.now(),
            minutes__isnull=True,
        )
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("community")
        .order_by("starts_at", "id")[:limit]
    )


def minutes_to_sign_for(user, limit: int = 20) -> list[Meeting]:
    """Meetings whose minutes are written but not signed, of communities this person leads
    (`permissions.minutes_signers_q`)."""
    if not (user and user.is_authenticated):
        return []
    return list(
        Meeting.objects.filter(
            permissions.minutes_signers_q(user),
            minutes__isnull=False,
            minutes__signed_at__isnull=True,
        )
        .select_related("community", "minutes")
        .order_by("starts_at", "id")[:limit]
    )


def times_to_agree_for(user, limit: int = 20) -> list[Meeting]:
    """Scheduled meetings whose time and place wait for this person's agreement, as the host
    school's administration (`permissions.time_agreers_q`, 004 §3.3)."""
    if not (user and user.is_authenticated):
        return []
    return list(
        Meeting.objects.filter(permissions.time_agreers_q(user))
        .select_related("community")
        .order_by("starts_at", "id")[:limit]
    )


def overdue_decisions_led_by(user, limit: int = 20) -> list[Decision]:
    """Late decisions of the communities this person leads."""
    if not (user and user.is_authenticated):
        return []
    return list(
        Decision.objects.filter(overdue_q(), community__leader=user)
        .select_related("community", "assignee")
        .order_by("due_on", "id")[:limit]
    )


def open_decisions_of(community) -> QuerySet[Decision]:
    return (
        community.decisions.exclude(status=Decision.Status.DONE)
        .select_related("assignee", "meeting")
        .order_by("due_on", "id")
    )


def decisions_of(community) -> QuerySet[Decision]:
    return community.decisions.select_related("assignee", "meeting").order_by("due_on", "id")


def upcoming_for(person, limit: int = 10) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(
            participants__person=person,
            status=Meeting.Status.SCHEDULED,
            starts_at__gte=timezone.now(),
        )
        .filter(permissions.visible_meetings_q(person))
        .select_related("community")
        .order_by("starts_at")[:limit]
    )


def feed_meetings(feed) -> QuerySet[Meeting]:
    """What a calendar link shows: from three months back on, of what its owner may still see."""
    since = timezone.now() - dt.timedelta(days=90)
    if feed.community_id:
        qs = Meeting.objects.filter(community_id=feed.community_id)
    else:
        qs = Meeting.objects.filter(participants__person_id=feed.person_id)
    return (
        qs.filter(starts_at__gte=since)
        .filter(permissions.visible_meetings_q(feed.owner))
        .select_related("community")
        .prefetch_related("questions")
        .order_by("starts_at")[:500]
    )
