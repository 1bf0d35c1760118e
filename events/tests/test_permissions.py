"""Each rule of events.permissions, allowed and denied."""

import datetime as dt

import pytest
from django.utils import timezone

from communities.models import Membership
from communities.tests.factories import CommunityFactory, MembershipFactory
from events import permissions
from events.models import Event, Registration
from organisations.tests.factories import NetworkFactory, NetworkMembershipFactory
from people.tests.factories import (
    PersonFactory,
    centre_admin,
    coordinator,
    school_admin,
    teacher_at,
)

from .factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plc():
    community = CommunityFactory()
    leader = teacher_at(community.organisation)
    MembershipFactory(community=community, person=leader, role=Membership.Role.LEADER)
    community.leader = leader
    community.save()
    return community


def test_may_manage_organisers_of_a_community_event(plc):
    responsible = PersonFactory()
    event = EventFactory(organiser_community=plc, responsible=responsible)
    for person in (
        responsible,
        plc.leader,
        school_admin(plc.organisation),
        centre_admin(plc.territory),
    ):
        assert permissions.may_manage(person, event)
        assert Event.objects.filter(permissions.managed_q(person), pk=event.pk).exists()
    for person in (teacher_at(plc.organisation), centre_admin(CommunityFactory().territory)):
        assert not permissions.may_manage(person, event)
        assert not Event.objects.filter(permissions.managed_q(person), pk=event.pk).exists()


def test_may_manage_network_and_organisation_events():
    network = NetworkFactory()
    event = EventFactory(
        organiser_community=None, organiser_network=network, territory=network.territory
    )
    assert permissions.may_manage(coordinator(network), event)
    assert not permissions.may_manage(coordinator(NetworkFactory()), event)
    school = network.lead_school
    school_event = EventFactory(
        organiser_community=None, organiser_organisation=school, territory=school.territory
    )
    assert permissions.may_manage(school_admin(school), school_event)
    assert not permissions.may_manage(school_admin(NetworkFactory().lead_school), school_event)


def test_a_draft_is_seen_by_its_organisers_only(plc):
    event = EventFactory(organiser_community=plc, status=Event.Status.DRAFT)
    assert permissions.can_view(plc.leader, event)
    assert not permissions.can_view(teacher_at(plc.organisation), event)
    teacher = teacher_at(plc.organisation)
    assert not Event.objects.filter(permissions.visible_q(teacher), pk=event.pk).exists()


def test_members_event_is_for_members(plc):
    event = EventFactory(organiser_community=plc, audience=Event.Audience.MEMBERS)
    member = MembershipFactory(community=plc).person
    assert permissions.in_audience(member, event)
    assert permissions.can_register(member, event)
    assert not permissions.in_audience(teacher_at(plc.organisation), event)


def test_network_audience_is_the_network_schools_staff():
    network = NetworkFactory()
    partner = NetworkMembershipFactory(network=network).organisation
    event = EventFactory(
        organiser_community=None, organiser_network=network, territory=network.territory,
        audience=Event.Audience.NETWORK,
    )  # fmt: skip
    assert permissions.in_audience(teacher_at(partner), event)
    assert not permissions.in_audience(teacher_at(NetworkFactory().lead_school), event)


def test_open_event_is_seen_by_anonymous_but_registration_needs_signing_in(plc):
    from django.contrib.auth.models import AnonymousUser

    event = EventFactory(organiser_community=plc)
    assert permissions.can_view(AnonymousUser(), event)
    assert not permissions.can_register(AnonymousUser(), event)
    assert permissions.can_register(PersonFactory(), event)


def test_registration_closes_when_the_event_starts(plc):
    event = EventFactory(organiser_community=plc, starts_at=timezone.now() - dt.timedelta(1))
    person = PersonFactory()
    assert not permissions.can_register(person, event)
    Registration.objects.create(event=event, person=person)
    assert not permissions.can_cancel_registration(person, event)


def test_check_in_and_feedback_need_registration_and_presence(plc):
    event = EventFactory(organiser_community=plc, starts_at=timezone.now() - dt.timedelta(hours=1))
    person, stranger = PersonFactory(), PersonFactory()
    Registration.objects.create(event=event, person=person)
    assert permissions.can_check_in(person, event)
    assert not permissions.can_check_in(stranger, event)
    assert not permissions.can_leave_feedback(person, event)
    Registration.objects.filter(person=person).update(attended=True)
    assert permissions.can_leave_feedback(person, event)


def test_closing_attendance_after_the_start_by_the_organiser(plc):
    upcoming = EventFactory(organiser_community=plc)
    started = EventFactory(
        organiser_community=plc, starts_at=timezone.now() - dt.timedelta(minutes=5)
    )
    assert not permissions.can_close_attendance(plc.leader, upcoming)
    assert permissions.can_close_attendance(plc.leader, started)
    assert not permissions.can_close_attendance(teacher_at(plc.organisation), started)


def test_who_may_organise_for_whom(plc):
    assert permissions.can_create_for(plc.leader, community=plc)
    assert not permissions.can_create_for(teacher_at(plc.organisation), community=plc)
    assert permissions.can_create_for(centre_admin(plc.territory), territory=plc.territory)
    assert not permissions.can_create_for(plc.leader, territory=plc.territory)
    assert permissions.can_create_any(plc.leader)
    assert not permissions.can_create_any(PersonFactory())
