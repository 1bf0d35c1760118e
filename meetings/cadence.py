"""Does a community keep its kind's minimum of meetings? (004 §3.3, 001 §3, 003 app. 4)

A period (term, quarter) that has ended without a held meeting puts the community behind; a
current period with nothing held or scheduled that ends within WARN_DAYS gives a warning.
The same rules run in SQL for lists of communities, so a centre sees every one that is behind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Community, CommunityKind
from core.schoolyear import quarters, school_year_of, term_bounds

from .models import Meeting

WARN_DAYS = 14
Cadence = CommunityKind.Cadence


def periods(cadence: str, school_year: int) -> list[tuple[dt.date, dt.date]]:
    if cadence == Cadence.TERM:
        return [term_bounds(school_year, n) for n in range(1, 5)]
    if cadence == Cadence.QUARTER:
        # Calendar quarters: a September meeting keeps July–September, not the autumn after it.
        return quarters(school_year)
    return []


def year_bounds(school_year: int) -> tuple[dt.date, dt.date]:
    return dt.date(school_year, 9, 1), dt.date(school_year + 1, 5, 31)


def expected_by(kind: CommunityKind, school_year: int, today: dt.date) -> int:
    """Meetings a year-count rule expects by today, spread evenly over September–May."""
    if not kind.min_meetings_per_year:
        return 0
    start, end = year_bounds(school_year)
    if today < start:
        return 0
    elapsed = min((today - start).days, (end - start).days) / (end - start).days
    return int(kind.min_meetings_per_year * elapsed)


@dataclass
class CadenceStatus:
    level: str  # "ok", "warning", "behind", "none"
    messages: list[str]


def _day(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date()


def status_of(community: Community, today: dt.date | None = None) -> CadenceStatus:
    kind = community.kind
    today = today or timezone.localdate()
    if not community.is_active or not (kind.meeting_cadence or kind.min_meetings_per_year):
        return CadenceStatus("none", [])
    school_year = school_year_of(today)
    start, end = year_bounds(school_year)
    meetings = list(
        Meeting.objects.filter(
            community=community,
            starts_at__date__gte=start - dt.timedelta(days=1),
            starts_at__date__lte=end + dt.timedelta(days=31),
        ).exclude(status=Meeting.Status.CANCELLED)
    )
    held = [_day(m.starts_at) for m in meetings if m.status == Meeting.Status.HELD]
    planned = [_day(m.starts_at) for m in meetings if m.status == Meeting.Status.SCHEDULED]
    behind, warnings = [], []
    for first, last in periods(kind.meeting_cadence, school_year):
        if any(first <= d <= last for d in held):
            continue
        if last < today:
            behind.append(
                _("No meeting was held between %(first)s and %(last)s.")
                % {"first": f"{first:%d.%m.%Y}", "last": f"{last:%d.%m.%Y}"}
            )
        elif first <= today and (last - today).days <= WARN_DAYS:
            if not any(today <= d <= last for d in planned):
                warnings.append(
                    _("Hold a meeting by %(last)s, or the community falls behind.")
                    % {"last": f"{last:%d.%m.%Y}"}
                )
    needed = expected_by(kind, school_year, today)
    done = sum(1 for d in held if start <= d <= end)
    if done < needed:
        behind.append(
            _("%(done)s of the %(n)s meetings a year held; %(needed)s were due by now.")
            % {"done": done, "n": kind.min_meetings_per_year, "needed": needed}
        )
    if behind:
        return CadenceStatus("behind", behind + warnings)
    if warnings:
        return CadenceStatus("warning", warnings)
    return CadenceStatus("ok", [])


def behind_in_sql(qs: QuerySet[Community], today: dt.date | None = None) -> QuerySet[Community]:
    """Communities of `qs` that are behind their cadence now, decided by the database."""
    today = today or timezone.localdate()
    school_year = school_year_of(today)
    held = Q(meetings__status=Meeting.Status.HELD)
    annotations, behind = {}, Q(pk__in=[])
    for cadence in (Cadence.TERM, Cadence.QUARTER):
        for n, (first, last) in enumerate(periods(cadence, school_year)):
            if last >= today:
                continue
            name = f"held_{cadence}_{n}"
            annotations[name] = Count(
                "meetings", filter=held & Q(meetings__starts_at__date__range=(first, last))
            )
            behind |= Q(kind__meeting_cadence=cadence, **{name: 0})
    start, end = year_bounds(school_year)
    annotations["held_year"] = Count(
        "meetings", filter=held & Q(meetings__starts_at__date__range=(start, end))
    )
    qs = qs.filter(status=Community.Status.ACTIVE).annotate(**annotations)
    kinds = CommunityKind.objects.filter(min_meetings_per_year__gt=0)
    for kind in kinds:
        needed = expected_by(kind, school_year, today)
        if needed:
            behind |= Q(kind=kind, held_year__lt=needed)
    return qs.filter(behind)
