"""What events add to a teacher's portfolio (people.signals.portfolio_sections): the talks at
held events and the open lessons and master classes the teacher gave, on the page and in the PDF,
in a number of queries that does not grow with the events."""

import datetime as dt
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext
from pypdf import PdfReader

from events.models import Event, ProgrammeItem
from events.tests.factories import EventFactory, kind
from people.tests.factories import OrganisationFactory, teacher_at

pytestmark = pytest.mark.django_db


def held(title, *, code="seminar", days_ago=30, status=Event.Status.HELD, **kwargs) -> Event:
    return EventFactory(
        title=title,
        kind=kind(code),
        status=status,
        starts_at=timezone.now() - dt.timedelta(days=days_ago),
        **kwargs,
    )


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(BytesIO(content)).pages).split())


@pytest.fixture
def speaker():
    return teacher_at(OrganisationFactory(name="МБОУ СШ № 9"), last_name="Докладова")


def add_events(person, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        event = held(f"Семинар о чтении {i}")
        ProgrammeItem.objects.create(
            event=event, title=f"Доклад о смысловом чтении {i}", speaker=person
        )
        held(
            f"Открытый урок дробей {i}",
            code="open-lesson",
            responsible=person,
            subject="Математика",
        )
        master = held(f"Мастер-класс по проектам {i}", code="master-class")
        ProgrammeItem.objects.create(event=master, title="Показ приёмов", speaker=person)


def test_talks_and_lessons_given_are_in_the_portfolio_page_and_pdf(client, speaker):
    add_events(speaker, 1)
    other = teacher_at(OrganisationFactory(), last_name="Другова")
    # Not the portfolio's: someone else's talk, a draft, a cancelled one, one too old, and an
    # open lesson not yet held.
    ProgrammeItem.objects.create(event=held("Чужой семинар"), title="Чужой доклад", speaker=other)
    for status in (Event.Status.DRAFT, Event.Status.CANCELLED, Event.Status.ANNOUNCED):
        event = held(f"Семинар {status}", status=status)
        ProgrammeItem.objects.create(event=event, title=f"Доклад {status}", speaker=speaker)
    ProgrammeItem.objects.create(
        event=held("Давний семинар", days_ago=5 * 366), title="Давний доклад", speaker=speaker
    )
    held("Будущий открытый урок", code="open-lesson", responsible=speaker, days_ago=-3,
         status=Event.Status.ANNOUNCED)  # fmt: skip

    client.force_login(speaker)
    page = client.get(f"/people/{speaker.pk}/portfolio/").content.decode()
    response = client.get(f"/people/{speaker.pk}/portfolio.pdf")
    assert response.status_code == 200
    text = pdf_text(response.content)
    for body in (page, text):
        for expected in (
            gettext("Spoke at events"),
            "Семинар о чтении 0",
            "Доклад о смысловом чтении 0",
            gettext("Open lessons and master classes given"),
            "Открытый урок дробей 0",
            "Мастер-класс по проектам 0",
            "Математика",
        ):
            assert expected in body, expected
        for absent in ("Чужой", "Доклад draft", "Доклад cancelled", "Давний", "Будущий"):
            assert absent not in body, absent


def test_the_portfolio_reads_the_events_in_a_fixed_number_of_queries(
    client, speaker, django_assert_max_num_queries
):
    add_events(speaker, 1)
    client.force_login(speaker)
    url = f"/people/{speaker.pk}/portfolio/"
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    add_events(speaker, 8, start=1)
    with django_assert_max_num_queries(len(one)):
        page = client.get(url).content.decode()
    assert "Семинар о чтении 8" in page and "Открытый урок дробей 8" in page
    with CaptureQueriesContext(connection) as pdf:
        assert client.get(f"/people/{speaker.pk}/portfolio.pdf").status_code == 200
    add_events(speaker, 8, start=9)
    with django_assert_max_num_queries(len(pdf)):
        assert client.get(f"/people/{speaker.pk}/portfolio.pdf").status_code == 200
