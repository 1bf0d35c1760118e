"""Actions and feedback counted from the domain apps' signals: one row of `COUNTED` each.

A row: the signal, what it counts (`Kind`), and how to find the community and the person from
the signal's arguments. Apps added later (posts, comments, votes, downloads) join with one
line here, or call `recording.record` themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from discussions import signals as discussion_signals
from events import signals as event_signals
from resources import signals as resource_signals
from surveys import signals as survey_signals

from . import recording
from .models import Kind


@dataclass(frozen=True)
class Counted:
    signal: object
    kind: str
    community: Callable[[dict], int | None]
    person: Callable[[dict], object] = lambda kwargs: kwargs.get("actor")


def _event_community(kwargs) -> int | None:
    holder = kwargs.get("registration") or kwargs.get("feedback")
    return holder.event.organiser_community_id if holder is not None else None


def _survey_community(kwargs) -> int | None:
    return kwargs["survey"].community_id


def _poll_person(kwargs):
    # As with a survey, who answered an anonymous poll is not even hashed into a statistic.
    return None if kwargs["poll"].anonymous else kwargs.get("actor")


def _survey_person(kwargs):
    # Who answered an anonymous survey is not even hashed into a statistic.
    return None if kwargs["survey"].anonymous else kwargs.get("actor")


COUNTED: list[Counted] = [
    Counted(event_signals.registered, Kind.ACTION, _event_community),
    Counted(event_signals.feedback_left, Kind.FEEDBACK, _event_community),
    Counted(survey_signals.response_submitted, Kind.FEEDBACK, _survey_community, _survey_person),
    # Posts, comments, reactions, forum topics and replies.
    Counted(discussion_signals.contributed, Kind.ACTION, lambda kwargs: kwargs["community_id"]),
    # Answers to a poll of a community's feed ("feedback (ratings, poll answers)").
    Counted(
        discussion_signals.poll_answered,
        Kind.FEEDBACK,
        lambda kwargs: kwargs["community_id"],
        _poll_person,
    ),
    # A community's resource downloaded, or submitted to its bank.
    Counted(
        resource_signals.downloaded, Kind.ACTION, lambda kwargs: kwargs["resource"].community_id
    ),
    Counted(
        resource_signals.resource_submitted,
        Kind.ACTION,
        lambda kwargs: kwargs["resource"].community_id,
    ),
]


def _receiver(row: Counted):
    def receive(sender, **kwargs):
        recording.record(row.community(kwargs), row.kind, row.person(kwargs))

    return receive


_RECEIVERS: list = []  # signals keep weak references: the receivers live here


def connect() -> None:
    for number, row in enumerate(COUNTED):
        receive = _receiver(row)
        _RECEIVERS.append(receive)
        row.signal.connect(receive, dispatch_uid=f"activity.counted.{number}")
