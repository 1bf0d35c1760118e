"""The meetings' writes are actions: given the person acting, each asks the policy itself, so a
page, the API and any other caller get the same answer (actor=None is a trusted caller)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from communities.models import Membership
from communities.tests.factories import CommunityFactory, MembershipFactory
from meetings import services
from meetings.models import Decision, Minutes
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plc():
    community = CommunityFactory()
    leader = MembershipFactory(community=community, role=Membership.Role.LEADER).person
    community.leader = leader
    community.save()
    MembershipFactory(community=community)
    return community


def _schedule(plc, actor, days=1):
    return services.schedule_meeting(
        community=plc, actor=actor, title="Заседание", chair=plc.leader, place="Каб. 5",
        starts_at=timezone.now() + dt.timedelta(days=days), confirmed=True,
    )  # fmt: skip


def test_only_who_may_schedule_schedules(plc):
    member = plc.memberships.exclude(person=plc.leader).get().person
    with pytest.raises(PermissionDenied):
        _schedule(plc, member)
    assert not plc.meetings.exists()
    assert _schedule(plc, plc.leader).pk


def test_minutes_decisions_and_addenda_ask_the_policy(plc):
    member = plc.memberships.exclude(person=plc.leader).get().person
    meeting = _schedule(plc, plc.leader, days=-1)
    rows = {"attended": [plc.leader.pk], "questions": [{"title": "Вопрос"}], "version": 0}
    decisions = [{"text": "Сделать", "assignee": member, "due_on": None}]
    with pytest.raises(PermissionDenied):
        services.write_minutes(meeting=meeting, actor=member, decisions=decisions, **rows)
    assert not Minutes.objects.exists()
    minutes = services.write_minutes(meeting=meeting, actor=plc.leader, decisions=decisions, **rows)
    decision = Decision.objects.get()
    with pytest.raises(PermissionDenied):
        services.update_decision(decision=decision, status="done", actor=PersonFactory())
    services.update_decision(decision=decision, status="in_progress", actor=member)  # assignee
    minutes = services.sign_minutes(minutes=minutes, actor=plc.leader)
    with pytest.raises(PermissionDenied):
        services.add_addendum(minutes=minutes, actor=member, text="Поправка")
    services.add_addendum(minutes=minutes, actor=plc.leader, text="Поправка")
    assert minutes.addenda.count() == 1


def test_replies_and_guests_ask_the_policy(plc):
    member = plc.memberships.exclude(person=plc.leader).get().person
    meeting = _schedule(plc, plc.leader)
    guest = PersonFactory()
    with pytest.raises(PermissionDenied):
        services.invite_guest(meeting=meeting, person=guest, actor=member)
    services.invite_guest(meeting=meeting, person=guest, actor=plc.leader)
    assert services.reply(meeting=meeting, person=member, answer="yes").reply == "yes"
    started = _schedule(plc, plc.leader, days=-1)
    with pytest.raises(PermissionDenied):
        services.reply(meeting=started, person=member, answer="yes")
