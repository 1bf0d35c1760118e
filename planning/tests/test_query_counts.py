"""The plan's page costs the same number of queries however many rows, meetings and minutes."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.tests.factories import CommunityFactory, MembershipFactory
from meetings import services as meeting_services
from planning import services
from planning.models import Plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    community = CommunityFactory()
    leader = MembershipFactory(community=community, role="leader").person
    community.leader = leader
    community.save()
    plan = services.create_plan(community=community, school_year=2025, actor=leader)
    return community, leader, plan


def grow(world, n: int) -> None:
    """n more targets (with actual values), planned meetings with items, and meetings held from
    them with signed minutes covering the items; one more planned month left missed."""
    community, leader, plan = world
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.DRAFT)
    plan.refresh_from_db()
    targets = [{"id": t.pk} for t in plan.targets.all()]
    meetings = [{"id": m.pk} for m in plan.meetings.all()]
    start = len(meetings)
    services.update_plan(
        plan=plan, version=plan.version, fields={},
        targets=targets + [{"indicator": f"Показатель {start + i}", "target": 70}
                           for i in range(n)],
        meetings=meetings + [
            {"month": 9 + (start + i) % 4, "title": f"Заседание {start + i}",
             "items": [{"action": f"Пункт {start + i}.{k}"} for k in range(3)]}
            for i in range(n + 1)
        ],
    )  # fmt: skip
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.APPROVED)
    plan.refresh_from_db()
    for target in plan.targets.filter(actual__isnull=True):
        services.record_actual(target=target, actor=leader, value=Decimal(50))
    new = list(plan.meetings.all())[start : start + n]
    for i, planned in enumerate(new):
        meeting = meeting_services.schedule_meeting(
            community=community, actor=leader, chair=leader, title=planned.title, place="К",
            starts_at=timezone.now() - dt.timedelta(days=30 + start + i), planned=planned,
            confirmed=True,
        )  # fmt: skip
        minutes = meeting_services.write_minutes(
            meeting=meeting, version=None, attended=[leader.pk],
            questions=[{"title": "Вопрос", "speakers": "", "summary": ""}], decisions=[],
            actor=leader, covered_items=[item.pk for item in planned.items.all()],
        )  # fmt: skip
        meeting_services.sign_minutes(minutes=minutes, actor=leader)


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_the_plan_page_query_count_does_not_grow(client, world):
    _community, leader, plan = world
    grow(world, 2)
    client.force_login(leader)
    url = f"/plans/{plan.pk}/"
    few = count(client, url)
    page = client.get(url)
    assert page.context["progress"].meetings_held == 2
    grow(world, 12)
    many = count(client, url)
    page = client.get(url)
    progress = page.context["progress"]
    assert (progress.meetings_held, progress.meetings_total) == (14, 16)
    assert progress.done == 14 * 3
    assert few == many, (few, many)
