"""Nobody waits without knowing: pairs formed, sessions logged, reports sent or due, plans to
approve — as notices (never to the actor) and on the dashboard."""

import datetime as dt

from django.core.management import call_command
from django.utils import timezone

from core.tests.conftest import ADMIN_A, ADMIN_B, CURATOR, MEMBER_OTHER, SECRETARY
from mentoring import services
from mentoring.models import Pair
from notifications.mentoring_notices import remind_reports
from notifications.models import Notification

from .matrix import leaders_pair, plc_pair


def _told(kind):
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_forming_a_pair_tells_both_sides(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.form_pair(
            community=world.plc, actor=world.leader, mentor=world.user(SECRETARY),
            mentee=world.member,
        )  # fmt: skip
    assert _told("mentoring_paired") == {"secretary", "member"}


def test_the_appointing_side_is_not_told_of_its_own_act(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.form_pair(
            community=world.plc, actor=world.leader, mentor=world.leader, mentee=world.member
        )
    assert _told("mentoring_paired") == {"member"}


def test_a_session_tells_the_other_side_only(world, django_capture_on_commit_callbacks):
    pair = plc_pair(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.log_session(
            pair=pair, actor=world.member, held_on=timezone.localdate(), form="consultation",
            topic="Проверка тетрадей",
        )  # fmt: skip
    assert _told("mentoring_session") == {"secretary"}


def test_a_sent_report_tells_the_overseers(world, django_capture_on_commit_callbacks):
    pair = leaders_pair(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.save_report(
            pair=pair, actor=world.user(MEMBER_OTHER), side="mentee", period="half",
            submit=True, done="Встречи",
        )  # fmt: skip
    told = _told("mentoring_report")
    assert {"curator", "centre"} <= told
    assert not told & {"admin_b", "member_other", "centre_other"}
    with django_capture_on_commit_callbacks(execute=True):
        services.save_report(
            pair=plc_pair(world), actor=world.member, side="mentee", period="half", submit=True,
            done="Уроки",
        )  # fmt: skip
    assert {"admin_a", "leader"} <= _told("mentoring_report")


def test_a_plan_sent_for_approval_reaches_the_approver_and_the_dashboard(
    client, world, django_capture_on_commit_callbacks
):
    pair = plc_pair(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_plan(plan=pair.plan, actor=world.member)
    told = _told("mentoring_paired")
    assert "admin_a" in told and "leader" not in told
    client.force_login(world.user(ADMIN_A))
    page = client.get("/").content.decode()
    assert f"/mentoring/pairs/{pair.pk}/#plan" in page
    client.force_login(world.user(ADMIN_B))
    assert f"/mentoring/pairs/{pair.pk}/#plan" not in client.get("/").content.decode()


def test_a_side_is_reminded_of_a_report_due_once_and_sees_it_on_the_dashboard(client, world):
    pair = leaders_pair(world)
    due_soon = dt.date(pair.school_year, 12, 25)
    assert remind_reports(due_soon) == 2
    assert remind_reports(due_soon) == 0
    assert _told("mentoring_report") == {"admin_b", "member_other"}
    services.save_report(
        pair=pair, actor=world.user(ADMIN_B), side="mentor", period="half", submit=True,
        done="Встречи",
    )  # fmt: skip
    client.force_login(world.user(ADMIN_B))
    Pair.objects.filter(pk=pair.pk).update(school_year=timezone.localdate().year - 2)
    page = client.get("/").content.decode()
    assert f"/mentoring/pairs/{pair.pk}/reports/year/" in page
    assert f"/mentoring/pairs/{pair.pk}/reports/half/" not in page


def test_the_reminder_command_runs(world):
    leaders_pair(world)
    call_command("remind_mentoring_reports", verbosity=0)


def test_the_curator_sees_no_report_waiting_of_their_own(client, world):
    pair = leaders_pair(world)
    client.force_login(world.user(CURATOR))
    assert f"/mentoring/pairs/{pair.pk}/reports/" not in client.get("/").content.decode()
