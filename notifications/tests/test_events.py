"""Every step that asks someone to act tells exactly the people the policy names, once it is
committed: in the app and by e-mail as each of them chose."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from icalendar import Calendar

from communities import services as community_services
from communities.models import Community, CommunityKind, MembershipRequest
from communities.tests.factories import CommunityFactory, MembershipFactory, kind
from core.schoolyear import school_year_of
from meetings import ical
from meetings import services as meeting_services
from meetings import signals as meeting_signals
from meetings.models import Meeting
from notifications.models import Delivery, Notification, Preference
from notifications.services import send_reminders
from people.models import Person
from people.tests.factories import PersonFactory, school_admin, teacher_at
from planning import permissions as planning_permissions
from planning import services as planning_services
from planning.models import Plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(shared_demo):  # loaded once for the module (the root conftest); writes roll back
    Notification.objects.all().delete()
    mail.outbox.clear()


@pytest.fixture
def plc(demo):
    return Community.objects.get(kind__code="school_plc")


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what the services leave for after the commit, as a real request would."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def person(username):
    return Person.objects.get(username=username)


def told(kind=None) -> set[str]:
    qs = Notification.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    return set(qs.values_list("recipient__username", flat=True))


def mailed() -> set[str]:
    return {address for message in mail.outbox for address in message.to}


# Plans


def test_a_plan_sent_for_approval_tells_whoever_takes_its_next_step_at_once(plc, commit):
    plan = Plan.objects.get(community=plc)
    plan = commit(planning_services.record_discussion, plan=plan, actor=person("leader"))
    takers = {p.username for p in planning_permissions.next_step_takers(plan)}
    assert "director" in takers
    assert told("plan_waiting") == takers
    assert not {"leader", "teacher", "centre", "coordinator"} & told()
    assert person("director").email in mailed()
    assert person("leader").email not in mailed()
    notice = Notification.objects.get(recipient__username="director")
    assert notice.url == f"/plans/{plan.pk}/" and notice.emailed_at is not None
    # The periodic reminder of the same step is the same notice: nobody is told twice.
    waiting = Notification.objects.filter(kind="plan_waiting").count()
    send_reminders()
    assert Notification.objects.filter(kind="plan_waiting").count() == waiting


def test_an_agreed_plan_goes_to_its_approver_not_to_the_deputy_who_agreed(plc, commit):
    plan = Plan.objects.get(community=plc)
    planning_services.record_discussion(plan=plan, actor=person("leader"))
    commit(planning_services.agree, plan=plan, actor=person("deputy"))
    assert "director" in told("plan_waiting")
    assert "deputy" not in told()


def test_a_plan_sent_back_or_approved_tells_its_leader_with_the_reason(plc, commit):
    plan = Plan.objects.get(community=plc)
    planning_services.record_discussion(plan=plan, actor=person("leader"))
    commit(planning_services.send_back, plan=plan, actor=person("director"), reason="Нет цели 3")
    returned = Notification.objects.get(kind="plan_returned")
    assert returned.recipient.username == "leader" and "Нет цели 3" in returned.text
    assert "director" not in told()
    for step, who in ((planning_services.record_discussion, "leader"),
                      (planning_services.agree, "deputy")):  # fmt: skip
        step(plan=plan, actor=person(who))
    commit(planning_services.approve, plan=plan, actor=person("director"))
    assert told("plan_approved") == {"leader"}


def test_a_step_rolled_back_tells_nobody(plc, django_capture_on_commit_callbacks):
    plan = Plan.objects.get(community=plc)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            planning_services.record_discussion(plan=plan, actor=person("leader"))
            raise RuntimeError("the request failed after the step")
    assert Notification.objects.count() == 0 and mail.outbox == []


# Meetings, minutes, decisions


def _schedule(commit, plc, **kwargs):
    leader = person("leader")
    options = {
        "community": plc, "actor": leader, "title": "Заседание № 5", "chair": leader,
        "place": "Каб. 21", "starts_at": timezone.now() + dt.timedelta(days=3), "confirmed": True,
    } | kwargs  # fmt: skip
    return commit(meeting_services.schedule_meeting, **options)


def _event(message):
    (attachment,) = message.attachments
    name, content, mimetype = attachment
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    calendar = Calendar.from_ical(content)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def test_a_scheduled_meeting_invites_members_and_guests_with_an_ics(plc, commit, settings):
    settings.SITE_URL = "https://collegium.example.org"
    guest, stranger = person("mentor"), person("mentee")
    meeting = _schedule(commit, plc, guests=[guest])
    members = set(plc.memberships.values_list("person__username", flat=True))
    assert told("meeting_scheduled") == (members | {"mentor"}) - {"leader"}
    assert stranger.username not in told()
    message = next(m for m in mail.outbox if m.to == [person("teacher").email])
    assert message.alternatives and message.alternatives[0][1] == "text/html"
    assert f"https://collegium.example.org/meetings/{meeting.pk}/" in message.body
    calendar, event = _event(message)
    assert str(calendar["method"]) == "REQUEST"
    assert str(event["uid"]) == f"meeting-{meeting.pk}@collegium.example.org"
    assert str(event["uid"]) == ical.meeting_uid(meeting)
    assert int(event["sequence"]) == 0
    assert str(event["organizer"]) == f"mailto:{person('leader').email}"
    attendees = {str(a) for a in event.get("attendee")}
    assert f"mailto:{person('teacher').email}" in attendees


def test_a_moved_or_cancelled_meeting_sends_the_same_uid_with_its_sequence(plc, commit):
    meeting = _schedule(commit, plc)
    mail.outbox.clear()
    Meeting.objects.filter(pk=meeting.pk).update(sequence=2)
    meeting.refresh_from_db()
    leader = person("leader")
    commit(
        meeting_signals.meeting_moved.send, sender=Meeting, meeting=meeting, actor=leader,
        reason="Каб. 21 занят", previous_starts_at=meeting.starts_at, previous_place="",
    )  # fmt: skip
    assert "teacher" in told("meeting_moved") and "leader" not in told("meeting_moved")
    calendar, event = _event(mail.outbox[0])
    assert str(calendar["method"]) == "REQUEST" and int(event["sequence"]) == 2
    mail.outbox.clear()
    Meeting.objects.filter(pk=meeting.pk).update(sequence=3, status=Meeting.Status.CANCELLED)
    meeting.refresh_from_db()
    commit(
        meeting_signals.meeting_cancelled.send, sender=Meeting, meeting=meeting, actor=leader,
        reason="Карантин",
    )  # fmt: skip
    assert "teacher" in told("meeting_cancelled")
    calendar, event = _event(mail.outbox[0])
    assert str(calendar["method"]) == "CANCEL"
    assert str(event["uid"]) == ical.meeting_uid(meeting) and int(event["sequence"]) == 3


def _minutes(commit, meeting, decisions, version=None):
    return commit(
        meeting_services.write_minutes, meeting=meeting, version=version, attended=[],
        questions=[{"title": "Вопрос", "speakers": "", "summary": ""}], decisions=decisions,
        actor=person("leader"),
    )  # fmt: skip


def test_decisions_tell_their_assignee_not_the_writer(plc, commit):
    meeting = _schedule(commit, plc, starts_at=timezone.now() - dt.timedelta(days=1))
    Notification.objects.all().delete()
    teacher, leader = person("teacher"), person("leader")
    due = timezone.localdate() + dt.timedelta(days=10)
    minutes = _minutes(commit, meeting, [
        {"text": "Открытый урок", "assignee": teacher, "due_on": due},
        {"text": "Сам напишу отчёт", "assignee": leader, "due_on": due},
        {"text": "Без ответственного", "assignee": None, "due_on": None},
    ])  # fmt: skip
    assert told("decision_assigned") == {"teacher"}
    rows = [
        {"id": d.pk, "text": d.text, "assignee": d.assignee, "due_on": d.due_on}
        for d in meeting.decisions.order_by("id")
    ]
    rows[0]["due_on"] = due + dt.timedelta(days=7)  # the teacher's task moves
    _minutes(commit, meeting, rows, version=minutes.version)
    assert told("decision_changed") == {"teacher"}
    assert Notification.objects.filter(kind="decision_assigned").count() == 1  # not again
    decision = meeting.decisions.get(text="Открытый урок")
    commit(meeting_services.update_decision, decision=decision, status="in_progress", actor=teacher)
    assert Notification.objects.filter(kind="decision_changed").count() == 1  # their own act


def test_signed_minutes_tell_the_participants(plc, commit):
    meeting = _schedule(commit, plc, starts_at=timezone.now() - dt.timedelta(days=1))
    minutes = _minutes(commit, meeting, [])
    Notification.objects.all().delete()
    commit(meeting_services.sign_minutes, minutes=minutes, actor=person("leader"))
    members = set(plc.memberships.values_list("person__username", flat=True))
    assert told("minutes_signed") == members - {"leader"}


# Invitations and join requests


def test_an_invitation_tells_the_invited_and_the_answer_tells_who_invited(plc, commit):
    newcomer = PersonFactory()
    invitation = commit(
        community_services.invite, community=plc, person=newcomer, invited_by=person("leader")
    )
    assert set(Notification.objects.values_list("recipient", "kind")) == {
        (newcomer.pk, "invitation")
    }
    commit(community_services.decide_request, request=invitation, decided_by=newcomer, accept=True)
    assert told("request_decided") == {"leader"}


def test_a_join_request_tells_those_who_decide_it_and_the_answer_the_asker(commit):
    group = CommunityFactory(kind=kind("school_plc"))
    leader = PersonFactory()
    community_services.add_member(community=group, person=leader, role="leader")
    member = MembershipFactory(community=group).person
    director = school_admin(group.organisation)
    asker = teacher_at(group.organisation)  # one who may see the community asks to join
    request = commit(community_services.request_to_join, community=group, person=asker)
    assert set(Notification.objects.values_list("recipient", flat=True)) == {leader.pk}
    assert member.pk != leader.pk and director.pk != leader.pk
    commit(community_services.decide_request, request=request, decided_by=leader, accept=False)
    assert set(
        Notification.objects.filter(kind="request_decided").values_list("recipient", flat=True)
    ) == {asker.pk}
    assert MembershipRequest.objects.get(pk=request.pk).status == "declined"


def test_a_join_request_to_a_community_without_a_leader_goes_to_its_host_administration(commit):
    group = CommunityFactory(kind=kind("school_plc"))
    director = school_admin(group.organisation)
    other_school_director = school_admin(CommunityFactory(kind=kind("school_plc")).organisation)
    asker = teacher_at(group.organisation)
    commit(community_services.request_to_join, community=group, person=asker)
    recipients = set(Notification.objects.values_list("recipient", flat=True))
    assert recipients == {director.pk} and other_school_director.pk not in recipients


# Preferences and the digest


def test_preferences_choose_the_route_in_app_only_or_digest(plc, commit, settings):
    teacher, director = person("teacher"), person("director")
    Preference.objects.create(person=teacher, kind="meeting_scheduled", delivery=Delivery.APP)
    Preference.objects.create(person=director, kind="plan_waiting", delivery=Delivery.DIGEST)
    # The PLC's meetings wait for the school's administration to agree their time (004 §3.3).
    Preference.objects.create(person=director, kind="meeting_to_agree", delivery=Delivery.DIGEST)
    _schedule(commit, plc)
    assert Notification.objects.filter(recipient=director, kind="meeting_to_agree").exists()
    commit(
        planning_services.record_discussion,
        plan=Plan.objects.get(community=plc),
        actor=person("leader"),
    )
    assert Notification.objects.filter(recipient=teacher, kind="meeting_scheduled").exists()
    assert Notification.objects.filter(recipient=director, kind="plan_waiting").exists()
    assert teacher.email not in mailed() and director.email not in mailed()
    assert person("demo.gusev").email in mailed()  # the default: e-mail at once

    from notifications.delivery import send_digests

    settings.NOTIFICATION_DIGEST_HOUR = 7
    morning = timezone.localtime().replace(hour=6) + dt.timedelta(days=1)
    assert send_digests(morning) == 0  # not before the hour
    later = morning.replace(hour=8)
    mail.outbox.clear()
    assert send_digests(later) == 1
    (digest,) = mail.outbox
    assert digest.to == [director.email] and digest.alternatives
    assert f"/plans/{Plan.objects.get(community=plc).pk}/" in digest.body
    assert send_digests(later) == 0 and send_digests(later.replace(hour=20)) == 0
    call_command("send_digests", verbosity=0)
    assert len(mail.outbox) == 1


def test_the_periodic_reminders_respect_the_preferences(plc, commit):
    leader = person("leader")
    teacher = person("teacher")
    Preference.objects.create(person=teacher, kind="meeting_soon", delivery=Delivery.APP)
    meeting_services.schedule_meeting(
        community=plc, actor=leader, title="Скоро", chair=leader, place="Каб. 1",
        starts_at=timezone.now() + dt.timedelta(hours=3), confirmed=True,
    )  # fmt: skip
    send_reminders()
    soon = Notification.objects.filter(kind="meeting_soon")
    assert soon.get(recipient=teacher).emailed_at is None
    assert soon.get(recipient__username="demo.gusev").emailed_at is not None
    assert teacher.email not in {m.to[0] for m in mail.outbox if "Скоро" in m.subject}


# Cadence


def test_a_community_behind_its_cadence_tells_its_leader_and_host_once_a_quarter(plc):
    Meeting.objects.filter(community=plc).delete()
    CommunityKind.objects.exclude(pk=plc.kind_id).update(
        meeting_cadence="", min_meetings_per_year=0
    )
    CommunityKind.objects.filter(pk=plc.kind_id).update(meeting_cadence="quarter")
    # In November: the July–September quarter passed without a meeting.
    november = timezone.make_aware(dt.datetime(school_year_of(timezone.localdate()), 11, 20, 12))
    send_reminders(november)
    assert {"leader", "director", "deputy"} <= told("cadence_behind")
    assert not {"teacher", "centre", "coordinator"} & told("cadence_behind")
    count = Notification.objects.count()
    send_reminders(november + dt.timedelta(days=3))
    assert Notification.objects.count() == count


def test_loading_history_tells_nobody(plc):
    from notifications.delivery import Notice, deliver, muted

    notice = Notice("meeting_soon", "k", "Заседание")
    with muted():
        assert deliver([person("teacher")], notice) == []
    assert [n.recipient.username for n in deliver([person("teacher")], notice)] == ["teacher"]
