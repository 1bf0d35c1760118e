"""Each rule of mentoring/permissions.py, allowed and denied, through pages, API and services."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from communities.models import Membership
from communities.tests.factories import MembershipFactory
from core.tests.conftest import (
    ADMIN_A,
    ADMIN_B,
    CENTRE,
    CENTRE_OTHER,
    CURATOR,
    LEADER,
    LEADER_OTHER,
    MEMBER,
    MEMBER_OTHER,
    SECRETARY,
)
from mentoring import permissions, services
from mentoring.models import MentoringPlan, Pair, Report, Session
from people.tests.factories import teacher_at

from .matrix import YEAR, leaders_pair, plc_pair

TODAY = timezone.localdate()


def _log(pair, actor, topic="Тема"):
    return services.log_session(
        pair=pair, actor=actor, held_on=TODAY, form=Session.Form.MENTORING, topic=topic
    )


def test_a_plc_member_outside_the_pair_cannot_see_its_log(client, world):
    pair = plc_pair(world)
    _log(pair, world.member, "Секретная тема")
    outsider = teacher_at(world.school_a)
    MembershipFactory(community=world.plc, person=outsider, role=Membership.Role.MEMBER)
    client.force_login(outsider)
    assert client.get(f"/mentoring/pairs/{pair.pk}/").status_code == 403
    assert client.get("/api/v1/mentoring/sessions/").json()["results"] == []
    assert client.get(f"/api/v1/mentoring/pairs/{pair.pk}/").status_code == 404
    assert "Секретная тема" not in client.get("/mentoring/").content.decode()


def test_both_sides_see_the_whole_log_and_either_may_write(client, world):
    pair = plc_pair(world)
    _log(pair, world.member, "Запись молодого учителя")
    _log(pair, world.user(SECRETARY), "Запись наставника")
    for role in (SECRETARY, MEMBER):
        client.force_login(world.user(role))
        text = client.get(f"/mentoring/pairs/{pair.pk}/").content.decode()
        assert "Запись молодого учителя" in text and "Запись наставника" in text


def test_overseers_see_but_do_not_write_the_log(world):
    pair = plc_pair(world)
    for role in (LEADER, ADMIN_A):
        assert permissions.can_view(world.user(role), pair)
        with pytest.raises(PermissionDenied):
            _log(pair, world.user(role))


def test_the_plc_pair_is_hidden_from_curators_and_the_other_plc(world):
    pair = plc_pair(world)
    for role in (CURATOR, CENTRE, LEADER_OTHER, MEMBER_OTHER, ADMIN_B):
        assert not permissions.can_view(world.user(role), pair), role
        assert not Pair.objects.filter(permissions.visible_q(world.user(role)), pk=pair.pk)


def test_leaders_pairs_are_seen_by_their_territorys_curator_and_centre_only(world):
    pair = leaders_pair(world)
    for role in (CURATOR, CENTRE, ADMIN_B, MEMBER_OTHER):
        assert permissions.can_view(world.user(role), pair), role
        assert Pair.objects.filter(permissions.visible_q(world.user(role)), pk=pair.pk).exists()
    for role in (CENTRE_OTHER, ADMIN_A, LEADER, MEMBER):
        assert not permissions.can_view(world.user(role), pair), role
        assert not Pair.objects.filter(permissions.visible_q(world.user(role)), pk=pair.pk)


def test_a_replaced_side_loses_the_pair_at_once(world):
    pair = plc_pair(world)
    Pair.objects.filter(pk=pair.pk).update(mentor=world.leader)
    pair.refresh_from_db()
    assert not permissions.can_view(world.user(SECRETARY), pair)


def test_the_leader_or_school_admin_appoints_in_a_plc_but_not_a_member(world):
    assert permissions.can_appoint(world.leader, world.plc)
    assert permissions.can_appoint(world.user(ADMIN_A), world.plc)
    with pytest.raises(PermissionDenied):
        services.form_pair(
            community=world.plc, actor=world.member, mentor=world.leader,
            mentee=world.user(SECRETARY),
        )  # fmt: skip


def test_both_sides_of_a_plc_pair_must_be_its_members(world):
    stranger = teacher_at(world.school_a)
    with pytest.raises(ValidationError) as error:
        services.form_pair(
            community=world.plc, actor=world.leader, mentor=stranger, mentee=world.member
        )
    assert "mentor" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.form_pair(
            community=world.plc, actor=world.leader, mentor=world.member, mentee=world.member
        )


def test_a_leaders_pair_takes_its_sides_from_the_roles_and_is_formed_once(world):
    pair = leaders_pair(world)
    assert (pair.mentor, pair.mentee) == (world.user(ADMIN_B), world.user(MEMBER_OTHER))
    with pytest.raises(services.AlreadyDone):
        services.form_pair(community=world.pair, actor=world.user(CURATOR))
    assert Pair.objects.filter(community=world.pair).count() == 1


def test_a_teacher_gets_one_mentor_a_year(world):
    plc_pair(world)
    with pytest.raises(ValidationError):
        services.form_pair(
            community=world.plc, actor=world.leader, mentor=world.leader, mentee=world.member,
            school_year=YEAR,
        )  # fmt: skip


def test_the_school_admin_approves_a_plc_plan_not_the_leader(world):
    plan = services.submit_plan(plan=plc_pair(world).plan, actor=world.member)
    assert not permissions.can_approve_plan(world.leader, plan)
    with pytest.raises(PermissionDenied):
        services.approve_plan(plan=plan, actor=world.leader)
    plan = services.approve_plan(plan=plan, actor=world.user(ADMIN_A))
    assert plan.status == MentoringPlan.Status.APPROVED
    assert plan.approved_by == world.user(ADMIN_A) and plan.approved_at


def test_the_curator_approves_a_leaders_plan_not_the_centre(world):
    pair = leaders_pair(world)
    services.save_plan(
        plan=pair.plan, actor=world.user(ADMIN_B), version=pair.plan.version,
        goals=[{"text": "Цель", "measure": ""}], meetings=[],
    )  # fmt: skip
    plan = services.submit_plan(plan=pair.plan, actor=world.user(MEMBER_OTHER))
    with pytest.raises(PermissionDenied):
        services.approve_plan(plan=plan, actor=world.user(CENTRE))
    assert services.approve_plan(plan=plan, actor=world.user(CURATOR)).status == "approved"


def test_changing_an_approved_plan_asks_for_approval_again_and_keeps_row_ids(world):
    pair = plc_pair(world)
    plan = services.submit_plan(plan=pair.plan, actor=world.member)
    plan = services.approve_plan(plan=plan, actor=world.user(ADMIN_A))
    goal = plan.goals.get()
    plan = services.save_plan(
        plan=plan, actor=world.user(SECRETARY), version=plan.version,
        goals=[{"id": goal.pk, "text": "Уточнённая цель", "measure": "Карты уроков"}],
        meetings=[{"planned_on": TODAY, "form": "lesson_visit", "topic": "Урок"}],
    )  # fmt: skip
    assert plan.status == MentoringPlan.Status.DRAFT and plan.approved_by is None
    assert list(plan.goals.values_list("pk", "text")) == [(goal.pk, "Уточнённая цель")]


def test_two_tabs_saving_the_plan_the_second_is_told(world):
    plan = plc_pair(world).plan
    version = plan.version
    services.save_plan(plan=plan, actor=world.member, version=version, goals=[], meetings=[])
    with pytest.raises(ValidationError) as error:
        services.save_plan(plan=plan, actor=world.member, version=version, goals=[], meetings=[])
    assert error.value.code == "stale"


def test_a_row_of_another_plan_is_refused(world):
    other = leaders_pair(world)
    services.save_plan(
        plan=other.plan, actor=None, version=None, goals=[{"text": "Чужая", "measure": ""}],
        meetings=[],
    )  # fmt: skip
    foreign = other.plan.goals.get()
    with pytest.raises(ValidationError):
        services.save_plan(
            plan=plc_pair(world).plan, actor=world.member, version=None,
            goals=[{"id": foreign.pk, "text": "Моя", "measure": ""}], meetings=[],
        )  # fmt: skip
    foreign.refresh_from_db()
    assert foreign.text == "Чужая"


def test_each_side_writes_its_own_report_only(world):
    pair = plc_pair(world)
    with pytest.raises(PermissionDenied):
        services.save_report(
            pair=pair, actor=world.user(SECRETARY), side="mentee", period="half", done="x"
        )
    with pytest.raises(PermissionDenied):
        services.save_report(pair=pair, actor=world.leader, side="mentor", period="half")
    report = services.save_report(
        pair=pair, actor=world.user(SECRETARY), side="mentor", period="half", done="Сделано",
        submit=True,
    )  # fmt: skip
    assert report.is_submitted and report.author == world.user(SECRETARY)
    with pytest.raises(ValidationError):
        services.save_report(
            pair=pair, actor=world.user(SECRETARY), side="mentor", period="half", done="Иначе"
        )


def test_a_draft_report_is_its_authors_only(client, world):
    pair = plc_pair(world)
    draft = services.save_report(
        pair=pair, actor=world.member, side="mentee", period="half", done="Черновик"
    )
    client.force_login(world.leader)
    assert client.get(f"/mentoring/reports/{draft.pk}/").status_code == 403
    assert client.get("/api/v1/mentoring/reports/").json()["results"] == []
    client.force_login(world.member)
    assert client.get(f"/mentoring/reports/{draft.pk}/").status_code == 200
    assert len(client.get("/api/v1/mentoring/reports/").json()["results"]) == 1


def test_a_report_is_sent_only_with_what_was_done(client, world):
    pair = plc_pair(world)
    client.force_login(world.member)
    response = client.post(
        f"/mentoring/pairs/{pair.pk}/reports/half/",
        {"done": "", "results": "", "difficulties": "", "plans": "", "submit": "1"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["done"]
    assert not Report.objects.filter(pair=pair, status="submitted").exists()


def test_a_finished_pair_is_read_only(world):
    pair = services.finish_pair(pair=plc_pair(world), actor=world.leader)
    assert not permissions.can_log(world.member, pair)
    assert not permissions.can_edit_plan(world.member, pair)
    assert permissions.can_view(world.member, pair)


def test_the_same_session_sent_twice_is_logged_once(client, world):
    pair = plc_pair(world)
    client.force_login(world.member)
    body = {"held_on": TODAY.isoformat(), "form": "consultation", "topic": "Тетради",
            "notes": "", "next_steps": ""}  # fmt: skip
    assert client.post(f"/mentoring/pairs/{pair.pk}/sessions/new/", body).status_code == 302
    assert client.post(f"/mentoring/pairs/{pair.pk}/sessions/new/", body).status_code == 302
    api = client.post(
        "/api/v1/mentoring/sessions/", {"pair": pair.pk, **body}, content_type="application/json"
    )
    assert api.status_code == 200
    assert pair.sessions.count() == 1


def test_a_session_in_the_future_or_with_a_bad_form_is_refused(client, world):
    pair = plc_pair(world)
    client.force_login(world.member)
    later = (TODAY + dt.timedelta(days=30)).isoformat()
    response = client.post(
        "/api/v1/mentoring/sessions/",
        {"pair": pair.pk, "held_on": later, "form": "mentoring", "topic": "Позже"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "held_on" in response.json()
    response = client.post(
        f"/mentoring/pairs/{pair.pk}/sessions/new/",
        {"held_on": "31.02.2026", "form": "dance", "topic": "\x00"},
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert not pair.sessions.exists()


def test_the_analysis_is_written_by_the_curator_and_read_by_the_centre(world):
    assert permissions.can_analyse_territory(world.user(CURATOR), world.region)
    assert not permissions.can_analyse_territory(world.user(CENTRE), world.region)
    assert permissions.can_view_territory_analysis(world.user(CENTRE), world.region)
    assert not permissions.can_view_territory_analysis(world.user(CENTRE_OTHER), world.region)
    with pytest.raises(PermissionDenied):
        services.save_analysis(
            actor=world.user(CENTRE), school_year=YEAR, version=0, territory=world.region
        )


def test_the_analysis_keeps_versions_and_refuses_a_stale_save(world):
    curator = world.user(CURATOR)
    first = services.save_analysis(
        actor=curator, school_year=YEAR, version=0, territory=world.region, conclusions="Один"
    )
    second = services.save_analysis(
        actor=curator, school_year=YEAR, version=1, territory=world.region, conclusions="Два"
    )
    assert first.pk == second.pk and second.version == 2
    assert list(second.versions.values_list("conclusions", flat=True)) == ["Два", "Один"]
    with pytest.raises(ValidationError):
        services.save_analysis(
            actor=curator, school_year=YEAR, version=1, territory=world.region, conclusions="Три"
        )
