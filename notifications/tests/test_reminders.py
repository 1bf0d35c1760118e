import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from communities.models import Community, CommunityKind
from consultations.models import ConsultationRequest
from meetings import services as meeting_services
from meetings.models import Meeting
from notifications.models import Notification
from notifications.services import send_reminders
from people.models import Person
from planning import services as planning_services
from planning.models import Plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plc(shared_demo):  # loaded once for the module (the root conftest); writes roll back
    # The demo has meetings of its own; these tests start from none. Without them every
    # community is behind its cadence: that reminder is tested in test_events.
    Meeting.objects.all().delete()
    CommunityKind.objects.update(meeting_cadence="", min_meetings_per_year=0)
    # The demo's urgent consultation question is overdue on purpose; that reminder is tested in
    # consultations/tests/test_reminders.py.
    ConsultationRequest.objects.filter(status__in=ConsultationRequest.OPEN).update(
        status=ConsultationRequest.Status.WITHDRAWN
    )
    return Community.objects.get(kind__code="school_plc")


def person(username):
    return Person.objects.get(username=username)


def test_reminders_reach_people_once_however_often_the_job_runs(plc, client):
    leader, teacher = person("leader"), person("teacher")
    now = timezone.now()
    meeting_services.schedule_meeting(
        confirmed=True,
        community=plc, actor=leader, title="Заседание № 2", chair=leader, place="Каб. 21",
        starts_at=now + dt.timedelta(hours=20),
    )  # fmt: skip
    held = meeting_services.schedule_meeting(
        confirmed=True,
        community=plc, actor=leader, title="Заседание № 1", chair=leader, place="Каб. 21",
        starts_at=now - dt.timedelta(days=20),
    )  # fmt: skip
    today = timezone.localdate()
    meeting_services.write_minutes(
        meeting=held, version=None, attended=[teacher.pk],
        questions=[{"title": "Вопрос", "speakers": "", "summary": ""}],
        decisions=[
            {"text": "Сдать отчёт", "assignee": teacher, "due_on": today - dt.timedelta(days=1)},
            {"text": "Открытый урок", "assignee": teacher, "due_on": today + dt.timedelta(days=2)},
        ],
    )  # fmt: skip
    plan = Plan.objects.get(community=plc)
    planning_services.record_discussion(plan=plan, actor=leader)

    first = send_reminders()
    kinds = set(Notification.objects.values_list("recipient__username", "kind"))
    assert ("teacher", "meeting_soon") in kinds
    assert ("teacher", "decision_overdue") in kinds and ("leader", "decision_overdue") in kinds
    assert ("teacher", "decision_due") in kinds
    assert ("director", "plan_waiting") in kinds
    assert first == Notification.objects.count() and len(mail.outbox) == first

    assert send_reminders() == 0  # the second run sends nothing twice
    call_command("send_reminders", verbosity=0)
    assert Notification.objects.count() == first and len(mail.outbox) == first

    # The next approval step is a new reminder, for the one who takes it.
    planning_services.agree(plan=plan, actor=person("deputy"))
    assert send_reminders() == 1

    client.force_login(teacher)
    page = client.get("/notifications/").content.decode()
    assert "Сдать отчёт" in page
    client.post("/notifications/read/")
    assert not Notification.objects.filter(recipient=teacher, read_at__isnull=True).exists()


def test_nothing_is_reminded_when_nothing_is_due(plc):
    assert send_reminders() == 0
    assert mail.outbox == []


def test_embedded_scheduler_runs_the_job_from_a_request(plc, client, settings):
    settings.REMINDERS_EVERY_SECONDS = 60
    settings.CELERY_BROKER_URL = ""
    leader = person("leader")
    meeting_services.schedule_meeting(
        confirmed=True,
        community=plc, actor=leader, title="Скоро", chair=leader, place="Каб. 1",
        starts_at=timezone.now() + dt.timedelta(hours=2),
    )  # fmt: skip
    from django.core.cache import cache

    cache.delete("collegium:reminders-ran")
    client.force_login(leader)
    client.get("/")
    assert Notification.objects.filter(kind="meeting_soon").exists()
    count = Notification.objects.count()
    client.get("/")  # within the interval: not again
    assert Notification.objects.count() == count


def test_a_removed_member_is_reminded_of_nothing_in_that_community(plc):
    from communities import services as community_services

    leader, teacher = person("leader"), person("teacher")
    now, today = timezone.now(), timezone.localdate()
    held = meeting_services.schedule_meeting(
        confirmed=True,
        community=plc, actor=leader, title="Заседание № 1", chair=leader, place="Каб. 21",
        starts_at=now - dt.timedelta(days=20),
    )  # fmt: skip
    meeting_services.write_minutes(
        meeting=held, version=None, attended=[teacher.pk],
        questions=[{"title": "Вопрос", "speakers": "", "summary": ""}],
        decisions=[
            {"text": "Сдать отчёт", "assignee": teacher, "due_on": today - dt.timedelta(days=1)},
            {"text": "Открытый урок", "assignee": teacher, "due_on": today + dt.timedelta(days=2)},
        ],
    )  # fmt: skip
    meeting_services.schedule_meeting(
        confirmed=True,
        community=plc, actor=leader, title="Заседание № 2", chair=leader, place="Каб. 21",
        starts_at=now + dt.timedelta(hours=20),
    )  # fmt: skip
    community_services.remove_member(community=plc, person=teacher)

    send_reminders()
    assert not Notification.objects.filter(recipient=teacher).exists()
    assert Notification.objects.filter(recipient=leader, kind="decision_overdue").exists()


def test_a_plan_waiting_for_a_curator_reminds_the_curators_and_the_centre_of_its_territory():
    from communities.models import CommunityKind
    from planning.tests.test_approvers import _ready_plan, staff_of_a_region

    w = staff_of_a_region()
    _ready_plan(w, "territory", CommunityKind.Approver.CURATOR)
    send_reminders()
    waiting = set(
        Notification.objects.filter(kind="plan_waiting").values_list("recipient_id", flat=True)
    )
    assert waiting == {w["curator"].pk, w["centre"].pk}
