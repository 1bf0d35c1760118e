"""Lists of plans, meetings, decisions, notices: the query count does not grow with rows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.tests.factories import CommunityFactory, MembershipFactory
from meetings import services as meeting_services
from notifications.models import Notification
from people.tests.factories import centre_admin
from planning import services as planning_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    community = CommunityFactory()
    leader = MembershipFactory(community=community, role="leader").person
    community.leader = leader
    community.save()
    members = [MembershipFactory(community=community).person for _n in range(3)]
    return community, leader, members


def grow(world, n: int, start: int) -> None:
    community, leader, members = world
    for i in range(start, start + n):
        meeting = meeting_services.schedule_meeting(
            confirmed=True,
            community=community, actor=leader, title=f"Заседание {i}", chair=leader,
            place="Каб. 1", starts_at=timezone.now() - dt.timedelta(days=400 - i),
            questions=[f"Вопрос {i}"],
        )  # fmt: skip
        meeting_services.write_minutes(
            meeting=meeting, version=None, attended=[m.pk for m in members],
            questions=[{"title": f"Вопрос {i}", "speakers": "", "summary": ""}],
            decisions=[
                {"text": f"Решение {i}", "assignee": leader,
                 "due_on": timezone.localdate() - dt.timedelta(days=i % 3)},
            ],
        )  # fmt: skip
        planning_services.create_plan(community=community, school_year=2000 + i, actor=leader)
        Notification.objects.create(recipient=leader, kind="meeting_soon", key=f"k{i}", text="t")


def count(client, url) -> int:
    """Queries of a cold request: answers kept in the cache (the dashboard's) would hide growth."""
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        "/communities/{c}/meetings/",
        "/communities/{c}/decisions/",
        "/communities/{c}/decisions/?all=1",
        "/communities/{c}/plans/",
        "/decisions/",
        "/notifications/",
        "/communities/behind/",
        "/api/v1/plans/",
        "/api/v1/meetings/",
        "/api/v1/decisions/",
        "/",
    ],
)
def test_list_query_count_does_not_grow(client, world, url):
    community, leader, _members = world
    url = url.format(c=community.pk)
    grow(world, 2, 0)
    client.force_login(leader)
    few = count(client, url)
    grow(world, 15, 2)
    many = count(client, url)
    assert few == many, (url, few, many)
    if url != "/":  # the dashboard reads every app; its ceiling is in core/tests/test_query_counts
        assert many <= 20


def test_centre_sees_the_same_cost_for_its_behind_list(client, world):
    community, _leader, _members = world
    client.force_login(centre_admin(community.territory))
    few = count(client, "/communities/behind/")
    for _n in range(10):
        CommunityFactory(organisation=community.organisation)
    assert count(client, "/communities/behind/") == few


def _queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return [q["sql"] for q in queries.captured_queries]


def test_minutes_form_queries_do_not_grow_with_rows(client, world):
    """Every decision row offers the same people: one query for all rows, not one per row; only
    the rows that exist are drawn."""
    community, leader, members = world
    meeting = meeting_services.schedule_meeting(
        confirmed=True,
        community=community, actor=leader, title="Заседание", chair=leader, place="Каб. 1",
        starts_at=timezone.now() - dt.timedelta(days=1), questions=["Вопрос"],
    )  # fmt: skip

    def write(n: int) -> None:
        minutes = getattr(meeting, "minutes", None)
        meeting_services.write_minutes(
            meeting=meeting, version=minutes.version if minutes else None, attended=[],
            questions=[{"title": f"Вопрос {i}", "speakers": "", "summary": ""}
                       for i in range(max(n // 2, 1))],
            decisions=[{"text": f"Решение {i}", "assignee": members[i % 3], "due_on": None,
                        "question": i % max(n // 2, 1)}
                       for i in range(n)],
        )  # fmt: skip
        meeting.refresh_from_db()

    client.force_login(leader)
    write(1)
    few = count(client, f"/meetings/{meeting.pk}/minutes/")
    write(12)
    response = client.get(f"/meetings/{meeting.pk}/minutes/")
    editor = response.context["editor"]
    assert (len(editor.questions), len(editor.decisions)) == (6, 12)  # no blank rows drawn
    assert count(client, f"/meetings/{meeting.pk}/minutes/") == few
    # The options are still the invited people, in every row.
    assignee = editor.decisions[-1].form.fields["assignee"]
    assert {value for value, _label in assignee.choices if value} == {
        p.pk for p in [leader, *members]
    }
    assert editor.decisions[-1].form["question"].value() == 11 % 6


def test_a_leader_is_not_asked_for_administrator_roles(client, world):
    """The leader's role, read once, answers can_edit; the role assignments are not loaded."""
    community, leader, _members = world
    community.visibility = "members"
    community.save()
    grow(world, 1, 0)
    client.force_login(leader)
    for url in (f"/communities/{community.pk}/meetings/", f"/communities/{community.pk}/plans/"):
        queries = _queries(client, url)
        assert not [q for q in queries if "people_roleassignment" in q], url
        assert len([q for q in queries if "communities_membership" in q]) == 1, url


def test_an_approved_plan_page_does_not_look_up_its_next_revision_again(client, world):
    community, leader, _members = world
    grow(world, 1, 0)
    plan = community.plans.get()
    plan.status = "approved"
    plan.save()
    client.force_login(centre_admin(community.territory))
    queries = _queries(client, f"/plans/{plan.pk}/")
    assert len([q for q in queries if 'FROM "planning_plan"' in q]) == 1


def test_the_meeting_page_costs_the_same_with_more_moves(client, world):
    """Each move is listed with who made it: one query for all of them."""
    community, leader, _members = world
    day = timezone.localdate() + dt.timedelta(days=5)
    at = timezone.make_aware(dt.datetime(day.year, day.month, day.day, 15, 0))
    meeting = meeting_services.schedule_meeting(
        community=community, actor=leader, title="Заседание", chair=leader, place="Каб. 1",
        starts_at=at,
    )  # fmt: skip

    def move(n: int) -> None:
        for i in range(n):
            meeting_services.move_meeting(
                meeting=meeting, actor=leader, starts_at=meeting.starts_at, place=f"Каб. {i}{n}",
                reason=f"Причина {i}",
            )  # fmt: skip
            meeting.refresh_from_db()

    client.force_login(leader)
    move(1)
    few = count(client, f"/meetings/{meeting.pk}/")
    move(10)
    assert meeting.changes.count() == 11 and meeting.sequence == 11
    assert count(client, f"/meetings/{meeting.pk}/") == few
