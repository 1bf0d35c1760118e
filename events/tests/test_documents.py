"""The olympiad stage's paper protocol and the event's analysis (a decade's final report) as DOCX
and PDF: A4, the school's header, Russian, the right figures; parsed with python-docx and pypdf
(no LibreOffice needed); and who may download them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext
from docx import Document
from docx.shared import Mm
from PIL import Image
from pypdf import PdfReader

from communities.models import Membership
from communities.tests.factories import CommunityFactory, MembershipFactory
from events.models import Event, Feedback, Material, ProtocolRow, Registration
from events.tests.factories import EventFactory, kind
from people.tests.factories import OrganisationFactory, teacher_at

pytestmark = pytest.mark.django_db

A4_POINTS = (595.28, 841.89)


class School:
    def __init__(self):
        self.school = OrganisationFactory(name="МБОУ «Лицей № 4»")
        self.leader = teacher_at(self.school, last_name="Организаторова")
        self.plc = CommunityFactory(
            organisation=self.school, leader=self.leader, name="ПОС словесников"
        )
        MembershipFactory(community=self.plc, person=self.leader, role=Membership.Role.LEADER)
        self.teacher = teacher_at(self.school, last_name="Учительская")
        self.outsider = teacher_at(OrganisationFactory(), last_name="Сторонняя")

    def event(self, code="seminar", **kw) -> Event:
        values = {
            "kind": kind(code),
            "organiser_community": self.plc,
            "responsible": self.leader,
            "status": Event.Status.HELD,
            "starts_at": timezone.now() - dt.timedelta(days=2),
            "audience": Event.Audience.SCHOOL,
        }
        return EventFactory(**{**values, **kw})


@pytest.fixture
def s():
    return School()


def docx_text(content: bytes) -> tuple[object, str]:
    document = Document(BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return document, "\n".join(parts)


def pdf_text(content: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(BytesIO(content))
    return reader, " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def assert_a4(document=None, reader=None):
    if document is not None:
        section = document.sections[0]
        assert abs(section.page_width - Mm(210)) < Mm(1)
        assert abs(section.page_height - Mm(297)) < Mm(1)
    if reader is not None:
        for page in reader.pages:
            size = (float(page.mediabox.width), float(page.mediabox.height))
            assert all(abs(a - b) < 1 for a, b in zip(size, A4_POINTS, strict=True)), size


# The protocol ----------------------------------------------------------------------------------


@pytest.fixture
def olympiad(s):
    event = s.event(
        "olympiad-stage", title="Школьный этап по литературе", subject="Литература", place="Каб. 5"
    )
    rows = [
        ("Ксения", "Б", "10 Б", "41.5", 2),
        ("Алексей", "В", "5 А", "30", 1),
        ("Дарья", "Г", "10 Б", "45", 1),
        ("Иван", "Д", "5 А", "12.25", None),
    ]
    for order, (name, initial, school_class, score, place) in enumerate(rows):
        ProtocolRow.objects.create(
            event=event, order=order, first_name=name, initial=initial,
            school_class=school_class, score=Decimal(score), place=place,
        )  # fmt: skip
    return event


def test_the_protocol_docx_has_the_header_classes_scores_and_jury_lines(client, s, olympiad):
    client.force_login(s.teacher)
    response = client.get(f"/events/{olympiad.pk}/protocol.docx")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.docx"')
    document, text = docx_text(response.content)
    assert_a4(document)
    assert document.sections[0].header.paragraphs[0].text == "МБОУ «Лицей № 4»"
    assert document.core_properties.language == "ru-RU"
    assert "ПРОТОКОЛ" in text
    assert "Школьный этап олимпиады: Школьный этап по литературе" in text
    assert "Предмет: Литература" in text
    # By class, 5 А before 10 Б; in a class by place, the unplaced last; scores as written.
    assert text.index("5 А") < text.index("10 Б")
    assert text.index("Алексей В.") < text.index("Иван Д.")
    assert text.index("Дарья Г.") < text.index("Ксения Б.")
    assert "Ксения Б. | 41,5 | 2" in text
    assert "Иван Д. | 12,25 | —" in text
    chair = gettext("Chair of the jury: %(sign)s / %(name)s /").split(":")[0]
    assert chair in text and gettext("Members of the jury:") in text
    assert text.count("________________ / __________________________ /") == 4  # chair + 3


def test_the_protocol_pdf_is_a4_with_the_school_and_the_pupils(client, s, olympiad):
    client.force_login(s.leader)
    response = client.get(f"/events/{olympiad.pk}/protocol.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader, text = pdf_text(response.content)
    assert_a4(reader=reader)
    for expected in ("МБОУ «Лицей № 4»", "ПРОТОКОЛ", "Литература", "Дарья Г.", "41,5", "10 Б"):
        assert expected in text, expected


def test_the_event_page_links_the_protocol_and_who_may_not_see_the_event_gets_nothing(
    client, s, olympiad
):
    client.force_login(s.teacher)
    page = client.get(f"/events/{olympiad.pk}/").content.decode()
    assert f"/events/{olympiad.pk}/protocol.docx" in page
    assert f"/events/{olympiad.pk}/protocol.pdf" in page
    # The event is for the school's teachers: a teacher of another school may not see it.
    client.force_login(s.outsider)
    for suffix in ("docx", "pdf", "xlsx"):
        assert client.get(f"/events/{olympiad.pk}/protocol.{suffix}").status_code == 403
    client.logout()
    assert client.get(f"/events/{olympiad.pk}/protocol.pdf").status_code == 404
    # An event that keeps no protocol has none to download.
    seminar = s.event()
    client.force_login(s.leader)
    assert client.get(f"/events/{seminar.pk}/protocol.docx").status_code == 404


# The analysis and the decade's final report --------------------------------------------------


def png() -> bytes:
    out = BytesIO()
    Image.new("RGB", (40, 30), (30, 120, 200)).save(out, "PNG")
    return out.getvalue()


def grow_decade(s, decade, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        child = s.event("open-lesson", title=f"Открытый урок {i}", parent=decade)
        for k, person in enumerate((s.teacher, teacher_at(s.school), teacher_at(s.school))):
            Registration.objects.create(event=child, person=person, attended=k < 2)
            if k < 2:
                Feedback.objects.create(event=child, person=person, rating=4 + k, usefulness=3)


@pytest.fixture
def decade(s):
    decade = s.event(
        "subject-decade",
        title="Декада русского языка",
        subject="Русский язык",
        analysis="Декада прошла успешно.\nУченики показали интерес.",
    )
    grow_decade(s, decade, 2)
    s.event("master-class", title="Черновик мастер-класса", parent=decade, status="draft")
    Material.objects.create(
        event=decade, kind=Material.Kind.FILE, title="Фото с открытия", is_photo=True,
        file=ContentFile(png(), name="photo.png"),
    )  # fmt: skip
    Material.objects.create(
        event=decade, kind=Material.Kind.FILE, title="Битое фото", is_photo=True,
        file=ContentFile(b"\x89PNG\r\n\x1a\nnot really", name="broken.png"),
    )  # fmt: skip
    return decade


def test_the_decade_final_report_docx_has_its_programme_figures_text_and_photo(client, s, decade):
    client.force_login(s.leader)
    response = client.get(f"/events/{decade.pk}/report.docx")
    assert response.status_code == 200
    document, text = docx_text(response.content)
    assert_a4(document)
    assert document.sections[0].header.paragraphs[0].text == "МБОУ «Лицей № 4»"
    assert (
        gettext("Final report of the decade: %(title)s") % {"title": "Декада русского языка"}
        in text
    )
    assert "Открытый урок 0" in text and "Открытый урок 1" in text
    assert "Черновик" not in text  # a draft is not part of the programme held
    # Each lesson: 3 registered, 2 present, 2 feedback, average 4,5.
    assert "Открытый урок 1 (Открытый урок) | Проведено | 3 | 2 | 2 | 4,5" in text
    assert f"{gettext('Registered')} | 6" in text and f"{gettext('Attended')} | 4" in text
    assert "Декада прошла успешно." in text and "Ученики показали интерес." in text
    assert "Организаторова" in text
    assert len(document.inline_shapes) == 1  # the photo; the broken one is left out
    assert "Фото с открытия" in text and "Битое фото" not in text


def test_the_report_pdf_is_a4_in_russian_with_the_photo(client, s, decade):
    client.force_login(s.leader)
    response = client.get(f"/events/{decade.pk}/report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader, text = pdf_text(response.content)
    assert_a4(reader=reader)
    assert reader.metadata.title.startswith(
        gettext("Final report of the decade: %(title)s").split(":")[0]
    )
    for expected in ("МБОУ «Лицей № 4»", "Декада русского языка", "Открытый урок 1", "4,5"):
        assert expected in text, expected
    assert sum(len(page.images) for page in reader.pages) == 1


def test_the_report_reads_the_programme_in_a_fixed_number_of_queries(
    client, s, decade, django_assert_max_num_queries
):
    client.force_login(s.leader)
    url = f"/events/{decade.pk}/report.pdf"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    grow_decade(s, decade, 6, start=2)
    with django_assert_max_num_queries(len(few)):
        assert client.get(url).status_code == 200


def test_an_event_analysis_has_its_talks_and_only_its_organisers_download_it(client, s):
    event = s.event("master-class", title="Мастер-класс «Проекты»", analysis="Анализ мастер-класса")
    event.programme.create(title="Показ приёмов", speaker=s.teacher)
    Registration.objects.create(event=event, person=s.teacher, attended=True)
    client.force_login(s.leader)
    page = client.get(f"/events/{event.pk}/").content.decode()
    assert f"/events/{event.pk}/report.docx" in page and f"/events/{event.pk}/report.pdf" in page
    _document, text = docx_text(client.get(f"/events/{event.pk}/report.docx").content)
    assert gettext("Analysis of the event: %(title)s") % {"title": "Мастер-класс «Проекты»"} in text
    assert "Показ приёмов" in text and "Учительская" in text and "Анализ мастер-класса" in text
    # A participant sees the event but not the organisers' report, nor its links.
    client.force_login(s.teacher)
    page = client.get(f"/events/{event.pk}/").content.decode()
    assert "report.docx" not in page
    for suffix in ("docx", "pdf"):
        assert client.get(f"/events/{event.pk}/report.{suffix}").status_code == 403
    client.logout()
    response = client.get(f"/events/{event.pk}/report.pdf")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
