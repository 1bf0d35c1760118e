"""The background aggregation: hits → per-day and per-week/month sums, then the hits go.

Each batch runs in one transaction holding the lock row, so a killed worker leaves the batch
untouched (it rolls back) and two runs at once take turns, the second finding only what the
first left. Distinct visitors of a day, week or month are the rows of `PeriodVisitor` (unique,
inserted ignoring conflicts), so a person seen on several days of a month counts once in it.
A month's visitors are counted by the hits' month keys, a week's and a day's by their week
keys, so a week across two months counts each person once too.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from communities.models import Community

from .models import (
    AggregationLock,
    CommunityDay,
    CommunityPeriod,
    Hit,
    Kind,
    PeriodKind,
    PeriodVisitor,
)

BATCH = 5000
DAY = "day"
# Visitor rows are kept while late hits of their period may still come, then only counts stay.
KEEP_DAYS = {DAY: 7, PeriodKind.WEEK: 7 * 10, PeriodKind.MONTH: 31 * 3}
FIELDS = {Kind.VIEW: "views", Kind.ACTION: "actions", Kind.FEEDBACK: "feedback"}


def period_start(kind: str, day: dt.date) -> dt.date:
    if kind == PeriodKind.WEEK:
        return day - dt.timedelta(days=day.weekday())
    if kind == PeriodKind.MONTH:
        return day.replace(day=1)
    return day


def _lock() -> None:
    lock, _ = AggregationLock.objects.get_or_create(name="activity")
    AggregationLock.objects.select_for_update().get(pk=lock.pk)


def _sums(hits: list[dict]) -> tuple[dict, set]:
    """{(period kind, community, start): {field: n}} and the visitor rows to add."""
    sums: dict = defaultdict(lambda: dict.fromkeys(FIELDS.values(), 0))
    visitors: set = set()
    for hit in hits:
        for kind in (DAY, PeriodKind.WEEK, PeriodKind.MONTH):
            key = (kind, hit["community_id"], period_start(kind, hit["day"]))
            sums[key][FIELDS[hit["kind"]]] += 1
            visitor = hit["visitor"] if kind == PeriodKind.MONTH else hit["week_visitor"]
            if visitor:
                visitors.add((*key, visitor))
    return sums, visitors


def _visitor_counts(keys) -> dict:
    counts = {}
    by_kind = defaultdict(set)
    for kind, community_id, start in keys:
        by_kind[kind].add((community_id, start))
    for kind, pairs in by_kind.items():
        rows = (
            PeriodVisitor.objects.filter(
                kind=kind,
                community_id__in={c for c, _ in pairs},
                start__in={s for _, s in pairs},
            )
            .values("community_id", "start")
            .annotate(n=Count("id"))
        )
        for row in rows:
            counts[(kind, row["community_id"], row["start"])] = row["n"]
    return counts


def _save(model, sums: dict, visitors: dict, kinds) -> None:
    for kind in kinds:
        keys = {(c, s): v for (k, c, s), v in sums.items() if k == kind}
        if not keys:
            continue
        date_field = "day" if model is CommunityDay else "start"
        found = model.objects.filter(
            community_id__in={c for c, _ in keys},
            **{f"{date_field}__in": {s for _, s in keys}},
        )
        if model is CommunityPeriod:
            found = found.filter(kind=kind)
        existing = {(row.community_id, getattr(row, date_field)): row for row in found}
        new, changed = [], []
        for (community_id, start), added in keys.items():
            row = existing.get((community_id, start))
            if row is None:
                row = model(community_id=community_id, **{date_field: start})
                if model is CommunityPeriod:
                    row.kind = kind
                new.append(row)
            else:
                changed.append(row)
            for name, n in added.items():
                setattr(row, name, getattr(row, name) + n)
            # Never down: visitor rows purged after a long backlog would count too few.
            row.visitors = max(row.visitors, visitors.get((kind, community_id, start), 0))
        model.objects.bulk_create(new)
        model.objects.bulk_update(changed, [*FIELDS.values(), "visitors"])


def aggregate_batch(size: int = BATCH) -> int:
    """Fold the oldest `size` hits; returns how many were taken (0: nothing left)."""
    with transaction.atomic():
        _lock()
        hits = list(
            Hit.objects.order_by("id").values(
                "id", "community_id", "day", "kind", "visitor", "week_visitor"
            )[:size]
        )
        if not hits:
            return 0
        alive = set(
            Community.objects.filter(pk__in={h["community_id"] for h in hits}).values_list(
                "pk", flat=True
            )
        )
        counted = [h for h in hits if h["community_id"] in alive and h["kind"] in FIELDS]
        sums, visitor_rows = _sums(counted)
        PeriodVisitor.objects.bulk_create(
            [
                PeriodVisitor(community_id=c, kind=k, start=s, visitor=v)
                for k, c, s, v in visitor_rows
            ],
            ignore_conflicts=True,
        )
        visitors = _visitor_counts(sums.keys())
        _save(CommunityDay, sums, visitors, [DAY])
        _save(CommunityPeriod, sums, visitors, [PeriodKind.WEEK, PeriodKind.MONTH])
        Hit.objects.filter(id__in=[h["id"] for h in hits]).delete()
    return len(hits)


def purge_visitors(today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    removed = 0
    for kind, days in KEEP_DAYS.items():
        removed += PeriodVisitor.objects.filter(
            kind=kind, start__lt=today - dt.timedelta(days=days)
        ).delete()[0]
    return removed


def aggregate(size: int = BATCH) -> int:
    """Fold every waiting hit, batch by batch; safe to run any number of times at once."""
    total = 0
    while taken := aggregate_batch(size):
        total += taken
    purge_visitors()
    return total
