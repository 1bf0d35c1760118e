"""Reads of the statistics: from `CommunityPeriod` only, so a page costs the same whatever the
traffic (one query for the periods)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from .aggregation import period_start
from .models import CommunityPeriod, PeriodKind

MEASURES = ("visitors", "views", "actions", "feedback")
MAX_PERIODS = 120
# The last day a range may reach: a week or a month is extended to its next start, and the one
# after 31.12.9999 does not exist (OverflowError, a 500). A year short keeps every step inside.
LATEST = dt.date(9998, 12, 31)


@dataclass(frozen=True)
class Row:
    start: dt.date
    kind: str
    visitors: int = 0
    views: int = 0
    actions: int = 0
    feedback: int = 0

    @property
    def end(self) -> dt.date:
        return next_start(self.kind, self.start) - dt.timedelta(days=1)


def next_start(kind: str, start: dt.date) -> dt.date:
    if kind == PeriodKind.WEEK:
        return start + dt.timedelta(days=7)
    return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def default_range(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The last six months, the current one included."""
    today = today or timezone.localdate()
    start = today.replace(day=1)
    for _ in range(5):
        start = (start - dt.timedelta(days=1)).replace(day=1)
    return start, today


def period_starts(kind: str, first: dt.date, last: dt.date) -> list[dt.date]:
    starts, current = [], period_start(kind, first)
    while current <= last and len(starts) < MAX_PERIODS:
        starts.append(current)
        current = next_start(kind, current)
    return starts


def statistics(community_id: int, kind: str, first: dt.date, last: dt.date) -> list[Row]:
    """Every period from `first` to `last` in order; a period without activity shows zeros."""
    starts = period_starts(kind, first, last)
    if not starts:
        return []
    found = {
        row["start"]: row
        for row in CommunityPeriod.objects.filter(
            community_id=community_id, kind=kind, start__gte=starts[0], start__lte=starts[-1]
        ).values("start", *MEASURES)
    }
    return [
        Row(start=start, kind=kind, **{m: found.get(start, {}).get(m, 0) for m in MEASURES})
        for start in starts
    ]
