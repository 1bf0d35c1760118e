"""The events pages as people use them: the calendar, registration with a waiting list, the
organiser's attendance with the rotating code, feedback, protocol, the plan's link."""

import datetime as dt
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from communities.models import Membership
from communities.tests.factories import CommunityFactory, MembershipFactory
from events import attendance
from events.models import Event, Feedback, ProgrammeItem, ProtocolRow, Registration
from people.tests.factories import PersonFactory, centre_admin, teacher_at

from .factories import EventFactory, kind

pytestmark = pytest.mark.django_db


@pytest.fixture
def plc():
    community = CommunityFactory()
    leader = teacher_at(community.organisation)
    MembershipFactory(community=community, person=leader, role=Membership.Role.LEADER)
    community.leader = leader
    community.save()
    return community


def test_leader_creates_an_event_with_a_programme_that_keeps_its_rows(client, plc):
    speaker = teacher_at(plc.organisation, last_name="Докладова")
    client.force_login(plc.leader)
    data = {
        "organiser": f"community:{plc.pk}",
        "kind": kind("master-class").pk,
        "title": "Приёмы смыслового чтения",
        "audience": "school",
        "starts_at": "2030-10-01T15:00",
        "capacity": "2",
        "programme-TOTAL_FORMS": "2",
        "programme-INITIAL_FORMS": "0",
        "programme-0-time": "15:00",
        "programme-0-title": "Показ приёма",
        "programme-0-speaker": str(speaker.pk),
        "programme-1-title": "",
    }
    response = client.post("/events/new/", data)
    event = Event.objects.get(title="Приёмы смыслового чтения")
    assert response.status_code == 302
    assert event.status == Event.Status.DRAFT and event.capacity == 2
    row = ProgrammeItem.objects.get(event=event)
    assert row.speaker == speaker
    edit = {
        **{k: v for k, v in data.items() if not k.startswith("programme") and k != "organiser"},
        "programme-TOTAL_FORMS": "2",
        "programme-INITIAL_FORMS": "1",
        "programme-0-id": str(row.pk),
        "programme-0-title": "Показ приёма (обновлено)",
        "programme-1-title": "Рефлексия",
        "programme-1-speaker_name": "Гостева А. А.",
    }
    assert client.post(f"/events/{event.pk}/edit/", edit).status_code == 302
    row.refresh_from_db()
    assert row.title == "Показ приёма (обновлено)"
    assert event.programme.count() == 2


def test_bad_input_comes_back_as_a_form_error(client, plc):
    client.force_login(plc.leader)
    response = client.post(
        "/events/new/",
        {
            "organiser": f"community:{plc.pk}",
            "kind": kind().pk,
            "title": "x",
            "audience": "open",
            "starts_at": "2030-10-01T15:00",
            "ends_at": "2030-10-01T10:00",
            "programme-TOTAL_FORMS": "0",
            "programme-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "ends_at" in response.context["form"].errors
    assert not Event.objects.exists()


def test_waiting_list_place_is_shown_and_cancel_promotes(client, plc):
    event = EventFactory(organiser_community=plc, capacity=1)
    first, second = PersonFactory(), PersonFactory()
    client.force_login(first)
    client.post(f"/events/{event.pk}/register/")
    client.force_login(second)
    client.post(f"/events/{event.pk}/register/")
    page = client.get(f"/events/{event.pk}/").content.decode()
    assert 'id="waiting-place"' in page and "1" in page
    client.force_login(first)
    client.post(f"/events/{event.pk}/unregister/")
    assert Registration.objects.get(person=second).status == Registration.Status.REGISTERED


def test_outsider_of_the_audience_may_not_register(client, plc):
    event = EventFactory(organiser_community=plc, audience=Event.Audience.SCHOOL)
    client.force_login(PersonFactory())
    assert client.post(f"/events/{event.pk}/register/").status_code == 403
    client.force_login(teacher_at(plc.organisation))
    assert client.post(f"/events/{event.pk}/register/").status_code == 302


def test_forwarded_expired_code_is_refused_with_a_clear_message(client, plc):
    event = EventFactory(organiser_community=plc, starts_at=timezone.now())
    person = PersonFactory()
    Registration.objects.create(event=event, person=person)
    client.force_login(person)
    old = attendance.code_for(event, attendance._window() - 3)
    response = client.get(f"/events/{event.pk}/check-in/?code={old}")
    assert response.status_code == 400
    assert "истёк" in response.content.decode() or "expired" in response.content.decode()
    assert not Registration.objects.get(person=person).attended
    response = client.get(f"/events/{event.pk}/check-in/?code={attendance.current_code(event)}")
    assert response.status_code == 200
    assert Registration.objects.get(person=person).attended


def test_organiser_sees_the_qr_and_arrivals(client, plc):
    event = EventFactory(organiser_community=plc, responsible=plc.leader)
    arrived = PersonFactory(last_name="Пришедшая")
    Registration.objects.create(
        event=event, person=arrived, attended=True, attended_at=timezone.now(), marked_by="qr"
    )
    client.force_login(plc.leader)
    page = client.get(f"/events/{event.pk}/attendance/live/").content.decode()
    assert "<svg" in page and "Пришедшая" in page


def test_feedback_once_by_an_attendee(client, plc):
    event = EventFactory(organiser_community=plc, starts_at=timezone.now() - dt.timedelta(hours=2))
    person = PersonFactory()
    Registration.objects.create(event=event, person=person, attended=True)
    client.force_login(person)
    body = {"rating": "5", "usefulness": "4", "comment": "Полезно"}
    assert client.post(f"/events/{event.pk}/feedback/", body).status_code == 302
    assert client.post(f"/events/{event.pk}/feedback/", body).status_code == 403
    assert Feedback.objects.count() == 1


def test_protocol_names_pupils_only_by_first_name_initial_and_class(client, plc):
    event = EventFactory(
        organiser_community=plc, kind=kind("olympiad-stage"), responsible=plc.leader
    )
    client.force_login(plc.leader)
    bad = {
        "protocol-TOTAL_FORMS": "1", "protocol-INITIAL_FORMS": "0",
        "protocol-0-first_name": "Иван Петров", "protocol-0-initial": "Петров",
        "protocol-0-school_class": "9А", "protocol-0-score": "10",
    }  # fmt: skip
    response = client.post(f"/events/{event.pk}/protocol/", bad)
    assert response.status_code == 200
    assert not ProtocolRow.objects.exists()
    good = {**bad, "protocol-0-first_name": "Иван", "protocol-0-initial": "П"}
    assert client.post(f"/events/{event.pk}/protocol/", good).status_code == 302
    sheet = load_workbook(BytesIO(client.get(f"/events/{event.pk}/protocol.xlsx").content)).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert "Иван" in values and "П." in values


def test_calendar_feeds(client, plc):
    EventFactory(organiser_community=plc, title="Открытый вебинар")
    EventFactory(organiser_community=plc, title="Для школы", audience=Event.Audience.SCHOOL)
    body = client.get("/events/calendar.ics").content.decode()
    assert "Открытый вебинар" in body and "Для школы" not in body


def test_list_filters_by_kind_and_date(client, plc):
    EventFactory(organiser_community=plc, title="Семинар А")
    EventFactory(organiser_community=plc, title="Вебинар Б", kind=kind("webinar"))
    page = client.get("/events/?kind=webinar").content.decode()
    assert "Вебинар Б" in page and "Семинар А" not in page
    assert client.get("/events/?date_from=not-a-date").status_code == 200


def _count(client, url) -> int:
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_query_counts_do_not_grow(client, plc):
    admin = centre_admin(plc.territory)
    event = EventFactory(organiser_community=plc, responsible=plc.leader, capacity=100)

    def grow(n):
        for _i in range(n):
            EventFactory(organiser_community=plc)
            person = PersonFactory()
            Registration.objects.create(event=event, person=person, attended=True)
            event.programme.create(title="Доклад", speaker=person)

    client.force_login(admin)
    grow(2)
    urls = ["/events/", f"/events/{event.pk}/", f"/events/{event.pk}/attendance/"]
    before = [_count(client, u) for u in urls]
    grow(5)
    assert [_count(client, u) for u in urls] == before


def test_demo_events_render_for_the_leader_and_the_teacher(client):
    from django.core.management import call_command

    from people.models import Person

    call_command("load_demo", verbosity=0)
    for login in ("leader", "teacher", "centre", "coordinator", "director"):
        client.force_login(Person.objects.get(username=login))
        assert client.get("/events/").status_code == 200
        for event in Event.objects.all():
            assert client.get(f"/events/{event.pk}/").status_code in (200, 403), event
    client.force_login(Person.objects.get(username="leader"))
    master = Event.objects.get(kind__code="master-class", status="held")
    assert client.get(f"/events/{master.pk}/analysis/").status_code == 200
    olympiad = Event.objects.get(kind__code="olympiad-stage")
    assert client.get(f"/events/{olympiad.pk}/protocol/").status_code == 200
    decade = Event.objects.get(kind__code="subject-decade")
    assert decade.children.count() == 2
