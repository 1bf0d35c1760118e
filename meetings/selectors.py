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
            "planned__plan", "minutes__signed_by", "minutes__secretary",
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
