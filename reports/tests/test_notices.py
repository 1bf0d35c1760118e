"""Who is told: a submitted report's receivers, a decision's writers; the reminders; the
dashboard names the same people."""

import datetime as dt

import pytest

from communities.models import CommunityKind
from core.tests.conftest import ADMIN_A, CENTRE, CENTRE_OTHER, TEACHER_A
from notifications.models import Notification
from notifications.reports_notices import reminders
from portal.selectors import waiting_items
from reports import services
from reports.models import Owner
from reports.selectors import last_school_year

Kind = Notification.Kind


@pytest.fixture
def draft(world):
    return services.start_report(
        actor=world.leader,
        owner_type=Owner.COMMUNITY,
        owner=world.plc,
        school_year=last_school_year(),
    )


def test_submitting_tells_the_receivers_and_deciding_tells_the_writer(
    draft, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(actor=world.leader, report=draft)
    told = set(Notification.objects.filter(kind=Kind.REPORT_TO_REVIEW).values_list(
        "recipient__username", flat=True))  # fmt: skip
    assert "admin_a" in told
    assert not told & {"leader", "centre", "teacher_a"}
    assert any(i.kind == "report" for i in waiting_items(world.user(ADMIN_A)))
    assert not any(i.kind == "report" for i in waiting_items(world.user(TEACHER_A)))
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(actor=world.user(ADMIN_A), report=draft, accept=False, comment="Фото")
    told = list(Notification.objects.filter(kind=Kind.REPORT_DECIDED).values_list(
        "recipient__username", flat=True))  # fmt: skip
    assert told == ["leader"]
    # Returned: the leader owes it again, on the dashboard.
    assert any(i.kind == "report" for i in waiting_items(world.leader))


def test_the_leader_is_reminded_before_the_deadline_and_after_it_once(world):
    CommunityKind.objects.filter(pk=world.plc.kind_id).update(
        report_deadline_month=7, report_deadline_day=15
    )
    year = 2025
    due = dt.date(year + 1, 7, 15)
    assert reminders(due - dt.timedelta(days=30)) == 0
    before = reminders(due - dt.timedelta(days=5))
    assert before >= 1
    assert reminders(due - dt.timedelta(days=4)) == 0  # once
    assert reminders(due + dt.timedelta(days=1)) >= 1  # overdue, once more
    mine = Notification.objects.filter(recipient=world.leader, kind=Kind.REPORT_DUE)
    assert mine.count() == 2
    assert not Notification.objects.filter(
        kind=Kind.REPORT_DUE, recipient=world.user(CENTRE)
    ).exists()


def test_a_submitted_report_is_not_reminded(draft, world):
    CommunityKind.objects.filter(pk=world.plc.kind_id).update(
        report_deadline_month=7, report_deadline_day=15
    )
    services.submit(actor=world.leader, report=draft)
    due = dt.date(draft.school_year + 1, 7, 15)
    assert reminders(due - dt.timedelta(days=3)) >= 1  # the second PLC's leader
    assert not Notification.objects.filter(recipient=world.leader, kind=Kind.REPORT_DUE).exists()


def test_the_centre_is_reminded_of_its_report_by_25_december(world):
    # The report on 2025/2026 is due on 25.12.2026; ten days before, the centre is told once.
    reminders(dt.date(2026, 12, 15))
    reminders(dt.date(2026, 12, 16))
    told = Notification.objects.filter(kind=Kind.REPORT_DUE, recipient=world.user(CENTRE))
    assert told.count() == 1
    assert (
        not Notification.objects.filter(
            kind=Kind.REPORT_DUE, recipient=world.user(CENTRE_OTHER)
        ).exists()
        or Notification.objects.filter(recipient=world.user(CENTRE_OTHER)).count() == 1
    )
