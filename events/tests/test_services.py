"""Events' writes are actions asking the policy; registration keeps its capacity and a waiting
list, first come first served."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from communities.models import Membership
from communities.tests.factories import CommunityFactory, MembershipFactory
from events import attendance, selectors, services, signals
from events.models import Event, Registration
from people.tests.factories import PersonFactory

from .factories import EventFactory, kind

pytestmark = pytest.mark.django_db


@pytest.fixture
def plc():
    community = CommunityFactory()
    leader = MembershipFactory(community=community, role=Membership.Role.LEADER).person
    community.leader = leader
    community.save()
    return community


def _create(plc, actor, **kw):
    return services.create_event(
        actor=actor, kind=kind("master-class"), title="Мастер-класс",
        starts_at=timezone.now() + dt.timedelta(days=2), organiser_community=plc, **kw,
    )  # fmt: skip


def test_kinds_are_data_with_flags():
    assert kind("subject-decade").is_series
    assert kind("olympiad-stage").has_protocol
    assert not kind("seminar").is_series


def test_leader_creates_a_draft_an_outsider_may_not(plc):
    with pytest.raises(PermissionDenied):
        _create(plc, PersonFactory())
    event = _create(plc, plc.leader, audience=Event.Audience.SCHOOL)
    assert event.status == Event.Status.DRAFT
    assert event.responsible == plc.leader
    assert event.territory == plc.territory


def test_members_audience_needs_a_community(plc):
    with pytest.raises(ValidationError):
        services.create_event(
            actor=None, kind=kind(), title="x", starts_at=timezone.now(),
            organiser_territory=plc.territory, audience=Event.Audience.MEMBERS,
        )  # fmt: skip


def test_waiting_list_is_first_come_first_served_and_promoted_on_cancel(
    plc, django_capture_on_commit_callbacks
):
    event = EventFactory(organiser_community=plc, capacity=1)
    first, second, third = PersonFactory(), PersonFactory(), PersonFactory()
    assert services.register(actor=first, event=event).status == Registration.Status.REGISTERED
    r2 = services.register(actor=second, event=event)
    r3 = services.register(actor=third, event=event)
    assert r2.status == r3.status == Registration.Status.WAITLISTED
    assert services.waiting_place(r2) == 1 and services.waiting_place(r3) == 2
    # Registering twice is one registration.
    assert services.register(actor=second, event=event).pk == r2.pk
    told = []

    def receiver(**kw):
        told.append(kw["registration"].person_id)

    signals.event_place_given.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.cancel_registration(actor=first, event=event)
    finally:
        signals.event_place_given.disconnect(receiver)
    r2.refresh_from_db()
    r3.refresh_from_db()
    assert r2.status == Registration.Status.REGISTERED
    assert told == [second.pk]
    assert services.waiting_place(r3) == 1


def test_check_in_refuses_an_expired_code(plc):
    event = EventFactory(organiser_community=plc, starts_at=timezone.now())
    person = PersonFactory()
    Registration.objects.create(event=event, person=person)
    old = attendance.code_for(event, attendance._window() - 2)
    with pytest.raises(ValidationError, match="истёк"):
        services.check_in(actor=person, event=event, code=old)
    registration = services.check_in(actor=person, event=event, code=attendance.current_code(event))
    assert registration.attended and registration.marked_by == Registration.Marked.QR


def test_certificate_holders_roles_without_duplicates(plc):
    event = EventFactory(organiser_community=plc, responsible=plc.leader)
    present, absent = PersonFactory(), PersonFactory()
    Registration.objects.create(event=event, person=present, attended=True)
    Registration.objects.create(event=event, person=absent)
    Registration.objects.create(event=event, person=plc.leader, attended=True)
    event.programme.create(title="Доклад", speaker=present)
    event.programme.create(title="Доклад 2", speaker=present)
    event.programme.create(title="Гость", speaker_name="Гость Г.")
    holders = selectors.certificate_holders(event)
    assert sorted((p.pk, r) for p, r in holders) == sorted(
        [
            (present.pk, "participant"),
            (plc.leader.pk, "participant"),
            (present.pk, "speaker"),
            (plc.leader.pk, "organiser"),
        ]
    )


def test_close_attendance_sends_event_held(plc, django_capture_on_commit_callbacks):
    event = EventFactory(organiser_community=plc, starts_at=timezone.now() - dt.timedelta(hours=1))
    got = []

    def receiver(**kw):
        got.append((kw["event"].pk, kw["actor"]))

    signals.event_held.connect(receiver)
    try:
        with pytest.raises(PermissionDenied):
            services.close_attendance(actor=PersonFactory(), event=event)
        with django_capture_on_commit_callbacks(execute=True):
            services.close_attendance(actor=plc.leader, event=event)
    finally:
        signals.event_held.disconnect(receiver)
    event.refresh_from_db()
    assert event.status == Event.Status.HELD
    assert got == [(event.pk, plc.leader)]


def test_an_event_links_only_to_what_its_organiser_runs(plc):
    other = CommunityFactory()
    decade = EventFactory(organiser_community=other, kind=kind("subject-decade"))
    with pytest.raises(ValidationError):
        _create(plc, plc.leader, parent=decade)
    own = EventFactory(organiser_community=plc, kind=kind("subject-decade"), responsible=plc.leader)
    assert _create(plc, plc.leader, parent=own).parent == own
