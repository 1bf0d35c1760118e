"""A plan's target bound to pupils' results fills itself from the community's members' classes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from communities.tests.factories import CommunityFactory, MembershipFactory
from planning import selectors as plan_selectors
from planning import services as plan_services
from planning.models import Target
from results.indicators import QUALITY

from .test_indicators import add_rows

pytestmark = pytest.mark.django_db
YEAR = 2025


@pytest.fixture
def plan(school, teacher):
    community = CommunityFactory(organisation=school, territory=school.territory)
    MembershipFactory(community=community, person=teacher)
    community.leader = teacher
    community.save()
    plan = plan_services.create_plan(community=community, school_year=YEAR, actor=teacher)
    plan_services.update_plan(
        plan=plan, version=plan.version, fields={},
        targets=[{"indicator": "Качество знаний по предметам ЕМЦ, %", "unit": "%", "target": 60,
                  "source": "results_quality",
                  "source_options": {"subjects": ["Математика", "Физика"]}}],
    )  # fmt: skip
    return plan


def _row(plan):
    [row] = plan_selectors.target_rows(plan, today=dt.date(2026, 3, 1))
    return row


def test_the_target_takes_the_latest_period_and_then_the_year(plan, school, teacher):
    assert _row(plan).actual is None  # no results yet
    add_rows(school, YEAR, "q1", "Математика", (2, 3, 4, 1, 0), teacher=teacher)
    add_rows(school, YEAR, "q1", "История", (10, 0, 0, 0, 0), teacher=teacher, grade=6)
    row = _row(plan)
    counts = {"count_5": 2, "count_4": 3, "count_3": 4, "count_2": 1}
    assert row.computed and row.actual == QUALITY.value(counts)  # history is not counted
    assert row.status == "not_yet"
    assert "/results/communities/" in row.url and "period=q1" in row.url
    add_rows(school, YEAR, "q2", "Физика", (6, 4, 0, 0, 0), teacher=teacher, grade=7)
    assert _row(plan).actual == Decimal("100.0")  # the latest period's figure
    add_rows(school, YEAR, "year", "Математика", (3, 4, 3, 0, 0), teacher=teacher)
    row = _row(plan)
    assert row.actual == Decimal("70.0") and row.status == "achieved"
    assert "period=year" in row.url


def test_other_teachers_classes_do_not_count(plan, school):
    from people.tests.factories import PersonFactory

    outsider = PersonFactory()
    add_rows(school, YEAR, "q1", "Математика", (9, 0, 0, 0, 0), teacher=outsider)
    assert _row(plan).actual is None
    assert Target.objects.get(plan=plan).source_options == {"subjects": ["Математика", "Физика"]}
