"""Invented activity of the demo (called by devtools.demo.load_demo with its world): half a
year of views, actions and feedback of the network group «дисциплины физико-математического
цикла» (seen by `curator`) and of the school PLC (seen by `leader`), folded by the same
aggregation as real traffic. The visitors are made-up numbers hashed as people would be."""

from __future__ import annotations

import datetime as dt
import random
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from activity import aggregation, recording
from activity.models import CommunityPeriod, Hit, Kind

DAYS = 183


def _hits(community_id: int, *, audience: int, daily: int, seed: int) -> list[Hit]:
    generator = random.Random(seed)  # the same demo every time
    today = timezone.localdate()
    people = [SimpleNamespace(pk=10_000_000 + seed * 1000 + n) for n in range(audience)]
    hits = []
    for back in range(DAYS, -1, -1):
        day = today - dt.timedelta(days=back)
        # Weekends are quiet; activity grows towards the present (the group took off).
        growth = 0.4 + 0.6 * (DAYS - back) / DAYS
        busy = (0.3 if day.weekday() >= 5 else 1.0) * growth
        regulars = people[: max(2, round(audience * growth))]
        for _ in range(generator.randint(0, round(daily * busy))):
            person = generator.choice(regulars)
            roll = generator.random()
            kind = Kind.VIEW if roll < 0.8 else Kind.ACTION if roll < 0.94 else Kind.FEEDBACK
            month_key, week_key = recording.visitor_keys(person, day)
            hits.append(
                Hit(
                    community_id=community_id,
                    day=day,
                    kind=kind,
                    visitor=month_key,
                    week_visitor=week_key,
                )
            )
    return hits


def load(world: dict[str, Any]) -> None:
    """Add this app's demo records; safe to run again (load_demo is idempotent)."""
    physmath = next(
        (g for g in world["network_groups"] if "физико-математического" in g.name), None
    )
    places = [(world["plc"], 14, 12, 1)]
    if physmath is not None:
        places.append((physmath, 60, 30, 2))
    for community, audience, daily, seed in places:
        if CommunityPeriod.objects.filter(community=community).exists():
            continue
        Hit.objects.bulk_create(
            _hits(community.pk, audience=audience, daily=daily, seed=seed), batch_size=2000
        )
    aggregation.aggregate()
