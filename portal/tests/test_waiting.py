"""«Needs my attention» lists everything waiting for the person, as each app's policy names it,
in a fixed number of queries however much waits."""

import datetime as dt
import itertools

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from communities.models import Community, CommunityKind, Membership
from communities.tests.factories import CommunityFactory, MembershipFactory, kind
from meetings import services as meeting_services
from meetings.models import Decision, Meeting, Minutes
from organisations.tests.factories import OrganisationFactory
from people.models import Person
from people.tests.factories import PersonFactory, school_admin
from planning import services as planning_services
from planning.models import Plan

pytestmark = pytest.mark.django_db

_seq = itertools.count(1)


def person(username):
    return Person.objects.get(username=username)


def waiting(client, who) -> list:
    client.force_login(who)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return response.context["waiting"]


def kinds_of(items) -> list[tuple[str, str]]:
    return [(item.kind, item.url) for item in items]


def test_the_director_sees_the_plan_the_leader_sent(client):
    call_command("load_demo", verbosity=0)
    plan = Plan.objects.get(community__kind__code="school_plc")
    url = reverse("planning:detail", args=[plan.pk])
    assert ("plan", url) not in kinds_of(waiting(client, person("director")))
    planning_services.record_discussion(plan=plan, actor=person("leader"))
    assert ("plan", url) in kinds_of(waiting(client, person("director")))
    assert ("plan", url) not in kinds_of(waiting(client, person("teacher")))
    assert ("plan", url) not in kinds_of(waiting(client, person("leader")))
    planning_services.agree(plan=plan, actor=person("deputy"))
    # Agreed by the deputy: it waits for the director, and no longer for the deputy.
    assert ("plan", url) in kinds_of(waiting(client, person("director")))
    assert ("plan", url) not in kinds_of(waiting(client, person("deputy")))
    page = client.get(reverse("dashboard")).content.decode()
    assert 'id="needs-attention"' in page


def _community(school, leader, **kw):
    community = CommunityFactory(
        kind=kind("school_plc"), organisation=school, name=f"ПОС {next(_seq)}", **kw
    )
    Community.objects.filter(pk=community.pk).update(leader=leader)
    MembershipFactory(community=community, person=leader, role=Membership.Role.LEADER)
    community.refresh_from_db()
    return community


def _meeting(community, days_ago: int, **kw):
    return Meeting.objects.create(
        community=community,
        title=f"Заседание {next(_seq)}",
        starts_at=timezone.now() - dt.timedelta(days=days_ago),
        chair=community.leader,
        place="Каб. 1",
        **kw,
    )


def test_minutes_to_write_and_to_sign_wait_for_those_who_may(client):
    school = OrganisationFactory()
    leader, secretary, member = PersonFactory(), PersonFactory(), PersonFactory()
    community = _community(school, leader)
    MembershipFactory(community=community, person=secretary, role=Membership.Role.SECRETARY)
    MembershipFactory(community=community, person=member)
    director, other_director = school_admin(school), school_admin(OrganisationFactory())
    past = _meeting(community, 3)
    _meeting(community, -3)  # ahead: nothing to write yet
    _meeting(community, 5, status=Meeting.Status.CANCELLED)
    to_write = ("minutes", reverse("meetings:minutes", args=[past.pk]))
    for who in (leader, secretary, director):
        assert kinds_of(waiting(client, who)).count(to_write) == 1
    for who in (member, other_director):
        assert to_write not in kinds_of(waiting(client, who))

    meeting_services.write_minutes(
        meeting=past, version=None, attended=[],
        questions=[{"title": "Вопрос", "speakers": "", "summary": ""}], decisions=[],
    )  # fmt: skip
    to_sign = ("minutes", reverse("meetings:detail", args=[past.pk]))
    assert to_sign in kinds_of(waiting(client, leader))
    assert to_write not in kinds_of(waiting(client, leader))
    for who in (secretary, director, member):
        assert to_sign not in kinds_of(waiting(client, who))
    meeting_services.sign_minutes(minutes=past.minutes, actor=leader)
    assert to_sign not in kinds_of(waiting(client, leader))


def test_overdue_decisions_wait_for_the_leader(client):
    school = OrganisationFactory()
    leader, assignee, member = PersonFactory(), PersonFactory(), PersonFactory()
    community = _community(school, leader)
    MembershipFactory(community=community, person=member)
    meeting = _meeting(community, 20)
    late = Decision.objects.create(
        meeting=meeting, community=community, text="Отчёт", assignee=assignee,
        due_on=timezone.localdate() - dt.timedelta(days=2),
    )  # fmt: skip
    Decision.objects.create(
        meeting=meeting, community=community, text="Ещё не пора", assignee=assignee,
        due_on=timezone.localdate() + dt.timedelta(days=2),
    )  # fmt: skip
    url = reverse("meetings:decision", args=[late.pk])
    items = kinds_of(waiting(client, leader))
    assert [u for k, u in items if k == "decision"] == [url]
    assert ("decision", url) not in kinds_of(waiting(client, member))


def test_communities_behind_their_cadence_wait_for_who_runs_them(client):
    school = OrganisationFactory()
    leader = PersonFactory()
    community = _community(school, leader)
    CommunityKind.objects.filter(pk=community.kind_id).update(min_meetings_per_year=100)
    director, other_director = school_admin(school), school_admin(OrganisationFactory())
    url = reverse("communities:detail", args=[community.pk])
    today = timezone.localdate()
    if today.month in (6, 7, 8):  # the summer: nothing is expected of a school year yet
        pytest.skip("no meeting is due in the summer")
    for who in (leader, director):
        assert ("cadence", url) in kinds_of(waiting(client, who))
    assert ("cadence", url) not in kinds_of(waiting(client, other_director))


def _grow(school, me, n: int) -> None:
    """n more of each kind of item waiting for `me` (the school's director, leading them)."""
    for _ in range(n):
        community = _community(school, me)
        Plan.objects.create(community=community, school_year=2026, status=Plan.Status.DISCUSSED)
        _meeting(community, 2)  # minutes to write
        signed = _meeting(community, 9, status=Meeting.Status.HELD)
        Minutes.objects.create(meeting=signed, community=community, school_year=2026, number=1)
        Decision.objects.create(
            meeting=signed, community=community, text="Просрочено", assignee=me,
            due_on=timezone.localdate() - dt.timedelta(days=1),
        )  # fmt: skip


def _count(client) -> int:
    # Cold: an answer kept in the cache (the dashboard's cadence list) would hide growth.
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return len(queries)


def test_the_waiting_list_runs_a_fixed_number_of_queries(client):
    CommunityKind.objects.update(min_meetings_per_year=100)  # and all behind their cadence
    school = OrganisationFactory()
    me = school_admin(school)
    client.force_login(me)
    _grow(school, me, 2)
    client.get(reverse("dashboard"))  # warm up one-off caches
    few = _count(client)
    counts = {k: len([i for i in client.get("/").context["waiting"] if i.kind == k]) for k in
              ("plan", "minutes", "decision")}  # fmt: skip
    assert counts == {"plan": 2, "minutes": 4, "decision": 2}
    _grow(school, me, 8)
    assert _count(client) == few
    counts = {k: len([i for i in client.get("/").context["waiting"] if i.kind == k]) for k in
              ("plan", "minutes", "decision")}  # fmt: skip
    assert counts == {"plan": 10, "minutes": 20, "decision": 10}


def test_the_cadence_answer_is_kept_a_while_but_not_past_a_lost_role(client):
    """Deciding who is behind is kept for minutes (it is costly region-wide), but keyed on the
    person's roles: one whose role is taken away does not see it from the kept answer."""
    from people.models import RoleAssignment

    school = OrganisationFactory()
    community = _community(school, PersonFactory())
    CommunityKind.objects.filter(pk=community.kind_id).update(min_meetings_per_year=100)
    if timezone.localdate().month in (6, 7, 8):
        pytest.skip("no meeting is due in the summer")
    director = school_admin(school)
    url = reverse("communities:detail", args=[community.pk])
    assert ("cadence", url) in kinds_of(waiting(client, director))
    RoleAssignment.objects.filter(person=director).delete()
    assert ("cadence", url) not in kinds_of(waiting(client, director))
