"""Nobody waits without knowing: the audience hears of an event, the registered of changes, the
first waiting of a freed place, and those present are asked for feedback."""

import datetime as dt

import pytest
from django.utils import timezone

from communities.models import Membership
from communities.tests.factories import CommunityFactory, MembershipFactory
from events import services
from events.models import Event, Registration
from notifications.models import Notification
from notifications.services import send_reminders
from people.tests.factories import PersonFactory, teacher_at

from .factories import EventFactory, kind

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


@pytest.fixture
def plc():
    community = CommunityFactory()
    leader = teacher_at(community.organisation)
    MembershipFactory(community=community, person=leader, role=Membership.Role.LEADER)
    community.leader = leader
    community.save()
    return community


def told(kind) -> set[int]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


def test_announcement_goes_to_the_school_not_the_organiser(plc, django_capture_on_commit_callbacks):
    colleague = teacher_at(plc.organisation)
    outsider = PersonFactory()
    event = services.create_event(
        actor=plc.leader, kind=kind("master-class"), title="Мастер-класс",
        starts_at=timezone.now() + dt.timedelta(days=5), organiser_community=plc,
        audience=Event.Audience.SCHOOL,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        services.announce_event(actor=plc.leader, event=event)
    assert told(Kind.EVENT_ANNOUNCED) == {colleague.pk}
    assert outsider.pk not in told(Kind.EVENT_ANNOUNCED)


def test_freed_place_is_told_to_the_first_waiting(plc, django_capture_on_commit_callbacks):
    event = EventFactory(organiser_community=plc, capacity=1)
    first, second = PersonFactory(), PersonFactory()
    services.register(actor=first, event=event)
    services.register(actor=second, event=event)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(actor=first, event=event)
    assert told(Kind.EVENT_PLACE) == {second.pk}


def test_move_and_cancel_tell_the_registered(plc, django_capture_on_commit_callbacks):
    event = EventFactory(organiser_community=plc, responsible=plc.leader)
    person = PersonFactory()
    Registration.objects.create(event=event, person=person)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_event(actor=plc.leader, event=event, place="Актовый зал")
    assert told(Kind.EVENT_CHANGED) == {person.pk}
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_event(actor=plc.leader, event=event, reason="Карантин")
    assert told(Kind.EVENT_CANCELLED) == {person.pk}


def test_reminder_the_day_before_once_and_feedback_after(plc):
    event = EventFactory(organiser_community=plc, starts_at=timezone.now() + dt.timedelta(hours=5))
    registered, waiting = PersonFactory(), PersonFactory()
    Registration.objects.create(event=event, person=registered)
    Registration.objects.create(event=event, person=waiting, status=Registration.Status.WAITLISTED)
    send_reminders()
    send_reminders()
    assert Notification.objects.filter(kind=Kind.EVENT_SOON).count() == 1
    assert told(Kind.EVENT_SOON) == {registered.pk}
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - dt.timedelta(hours=2))
    Registration.objects.filter(person=registered).update(attended=True)
    send_reminders()
    assert told(Kind.EVENT_FEEDBACK) == {registered.pk}


def test_one_who_already_left_feedback_is_not_asked_for_it(plc):
    """The organiser never closed attendance: the reminder after the event asks only those
    present who have not answered yet (the demo's master class was rated at once)."""
    event = EventFactory(organiser_community=plc, starts_at=timezone.now() - dt.timedelta(hours=2))
    answered, silent = PersonFactory(), PersonFactory()
    for person in (answered, silent):
        Registration.objects.create(event=event, person=person, attended=True)
    services.leave_feedback(actor=answered, event=event, rating=4, usefulness=5)
    send_reminders()
    assert told(Kind.EVENT_FEEDBACK) == {silent.pk}


def test_feedback_asked_shows_on_the_dashboard(client, plc):
    event = EventFactory(
        organiser_community=plc, title="Вебинар для отзыва",
        starts_at=timezone.now() - dt.timedelta(hours=3),
    )  # fmt: skip
    person = PersonFactory()
    Registration.objects.create(event=event, person=person, attended=True)
    client.force_login(person)
    assert "Вебинар для отзыва" in client.get("/").content.decode()
    services.leave_feedback(actor=person, event=event, rating=5, usefulness=5)
    assert "Вебинар для отзыва" not in client.get("/").content.decode()


def test_the_feedback_reminder_and_the_dashboard_follow_one_rule(plc):
    """Who is reminded to give feedback is exactly whom the dashboard asks for it."""
    from events import selectors

    event = EventFactory(organiser_community=plc, starts_at=timezone.now() - dt.timedelta(hours=2))
    answered, silent, absent, waitlisted = (PersonFactory() for _ in range(4))
    for person in (answered, silent):
        Registration.objects.create(event=event, person=person, attended=True)
    Registration.objects.create(event=event, person=absent, attended=False)
    Registration.objects.create(
        event=event, person=waitlisted, attended=True, status=Registration.Status.WAITLISTED
    )
    services.leave_feedback(actor=answered, event=event, rating=4, usefulness=5)
    send_reminders()
    asked_on_dashboard = {
        p.pk
        for p in (answered, silent, absent, waitlisted)
        if event in selectors.feedback_waiting_for(p, 10)
    }
    assert told(Kind.EVENT_FEEDBACK) == asked_on_dashboard == {silent.pk}
    assert [p.pk for p in selectors.feedback_owed_on(event)] == [silent.pk]
