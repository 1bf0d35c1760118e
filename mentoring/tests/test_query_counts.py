"""Pages and exports of mentoring: the number of queries does not grow with the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.models import Membership
from communities.tests.factories import CommunityFactory, MembershipFactory, kind
from core.tests.conftest import CURATOR
from mentoring import services
from people.tests.factories import teacher_at

from .matrix import YEAR, leaders_pair

FORMS = ["mentoring", "consultation", "brainstorming", "lesson_visit"]


def count(client, url) -> int:
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def grow(world, n: int, start: int) -> None:
    """n more leaders' pairs of the region, each with sessions, a plan goal and a report."""
    today = timezone.localdate()
    for i in range(start, start + n):
        community = CommunityFactory(
            kind=kind("leaders_pair"), name=f"Пара {i}", organisation=None,
            territory=world.district, subject_area="",
        )  # fmt: skip
        mentor, mentee = teacher_at(world.school_b), teacher_at(world.school_a)
        MembershipFactory(community=community, person=mentor, role=Membership.Role.MENTOR)
        MembershipFactory(community=community, person=mentee, role=Membership.Role.MENTEE)
        pair = services.form_pair(community=community, actor=None, school_year=YEAR)
        services.save_plan(
            plan=pair.plan, actor=None, version=None,
            goals=[{"text": f"Цель {i}", "measure": ""}],
            meetings=[{"planned_on": today, "form": "mentoring", "topic": "Встреча"}],
        )  # fmt: skip
        for k, form in enumerate(FORMS):
            services.log_session(
                pair=pair, actor=None, held_on=today, form=form, topic=f"Тема {i}-{k}"
            )
        services.save_report(
            pair=pair, actor=None, side="mentee", period="half", submit=True, done="Сделано"
        )


@pytest.mark.parametrize(
    "url",
    [
        lambda w: "/mentoring/",
        lambda w: f"/mentoring/analysis/{w.region.pk}/{YEAR}/",
        lambda w: f"/mentoring/analysis/{w.region.pk}/{YEAR}.pdf",
        lambda w: f"/mentoring/analysis/{w.region.pk}/{YEAR}.docx",
        lambda w: "/api/v1/mentoring/pairs/",
        lambda w: "/api/v1/mentoring/sessions/",
        lambda w: "/api/v1/mentoring/reports/",
    ],
)
def test_lists_and_the_analysis_do_not_grow_with_pairs(client, world, url):
    leaders_pair(world)
    client.force_login(world.user(CURATOR))
    grow(world, 2, 0)
    few = count(client, url(world))
    grow(world, 5, 2)
    assert count(client, url(world)) == few


def test_the_pair_page_does_not_grow_with_its_log_and_reports(client, world):
    pair = leaders_pair(world)
    client.force_login(pair.mentor)
    today = timezone.localdate()
    services.log_session(pair=pair, actor=None, held_on=today, form="mentoring", topic="Первая")
    few = count(client, f"/mentoring/pairs/{pair.pk}/")
    for i in range(8):
        services.log_session(
            pair=pair, actor=None, held_on=today, form=FORMS[i % 4], topic=f"Тема {i}"
        )
    services.save_report(pair=pair, actor=None, side="mentor", period="half", submit=True,
                         done="Сделано")  # fmt: skip
    services.save_plan(
        plan=pair.plan, actor=None, version=None,
        goals=[{"text": f"Цель {i}", "measure": ""} for i in range(5)], meetings=[],
    )  # fmt: skip
    assert count(client, f"/mentoring/pairs/{pair.pk}/") == few
