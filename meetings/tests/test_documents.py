"""Documents people take out: plan and minutes (DOCX, PDF), decisions (XLSX), calendar (ICS)."""

import datetime as dt
from io import BytesIO

import pytest
from django.utils import timezone
from django.utils.translation import gettext
from docx import Document
from icalendar import Calendar
from openpyxl import load_workbook

from communities.models import Community
from meetings import services
from meetings.models import CalendarFeed, Meeting
from people.models import Person
from planning.models import Plan

pytestmark = pytest.mark.django_db
SEED_COLUMNS = ["Содержание", "Действия", "Лидеры", "Мониторинг исполнения"]


@pytest.fixture
def plc(shared_demo):  # loaded once for the module (the root conftest); writes roll back
    # The demo has meetings of its own; these tests start from none.
    Meeting.objects.all().delete()
    return Community.objects.get(kind__code="school_plc")


def person(username):
    return Person.objects.get(username=username)


@pytest.fixture
def held(plc):
    leader = person("leader")
    meeting = services.schedule_meeting(
        confirmed=True,
        community=plc, actor=leader, title="Заседание № 1", chair=leader, place="Кабинет 21",
        starts_at=timezone.now() - dt.timedelta(days=2), questions=["План"],
    )  # fmt: skip
    services.write_minutes(
        meeting=meeting, version=None, attended=[leader.pk],
        questions=[{"title": "Утверждение плана", "speakers": "Соколова", "summary": "Принято"}],
        decisions=[{"text": "Провести декаду", "assignee": person("teacher"),
                    "due_on": timezone.localdate(), "question": 0}],
    )  # fmt: skip
    return meeting


def test_plan_docx_has_the_seed_table_columns(client, plc):
    plan = Plan.objects.get(community=plc)
    client.force_login(person("leader"))
    response = client.get(f"/plans/{plan.pk}/plan.docx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    document = Document(BytesIO(response.content))
    headers = [[c.text for c in t.rows[0].cells] for t in document.tables]
    assert SEED_COLUMNS in headers
    text = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "Октябрь" in text and "Май" in text and "протокол" in text


# LibreOffice opening every DOCX: test_minutes_documents.py.


def test_plan_and_minutes_pdf(client, plc, held):
    client.force_login(person("leader"))
    plan = Plan.objects.get(community=plc)
    for url in (f"/plans/{plan.pk}/plan.pdf", f"/meetings/{held.pk}/minutes.pdf"):
        response = client.get(url)
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
        assert len(response.content) > 2000


def test_minutes_docx_and_decisions_xlsx(client, plc, held):
    client.force_login(person("leader"))
    document = Document(BytesIO(client.get(f"/meetings/{held.pk}/minutes.docx").content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert gettext("MINUTES No. %(n)s") % {"n": 1} in text
    assert "Провести декаду" in text and "Соколова" in text
    response = client.get(f"/communities/{plc.pk}/decisions.xlsx")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[2][0] == "Провести декаду"


def test_private_calendar_feed_is_valid_icalendar(client, plc, held, settings):
    settings.SITE_URL = "https://collegium.example.org"
    client.force_login(person("teacher"))
    page = client.get("/calendar/")
    url = page.context["url"]
    client.logout()
    response = client.get(url.replace("http://testserver", ""))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = [c for c in calendar.walk("VEVENT")]
    assert [str(e["summary"]) for e in events] == [f"Заседание № 1 — {plc.name}"]
    assert str(events[0]["uid"]) == f"meeting-{held.pk}@collegium.example.org"
    assert events[0].decoded("dtstart") == held.starts_at.replace(microsecond=0)
    # Renewing the link revokes the old one.
    client.force_login(person("teacher"))
    client.post("/calendar/")
    client.logout()
    assert client.get(url.replace("http://testserver", "")).status_code == 404
    assert CalendarFeed.objects.count() == 1


def test_community_feed_stops_when_access_is_lost(client, plc, held):
    from communities import services as community_services

    teacher = person("teacher")
    client.force_login(teacher)
    url = (
        client.get(f"/calendar/?community={plc.pk}").context["url"].replace("http://testserver", "")
    )
    client.logout()
    assert client.get(url).status_code == 200
    plc.visibility = "members"
    plc.save()
    community_services.remove_member(community=plc, person=teacher)
    assert client.get(url).status_code == 404


def test_exports_are_in_the_api(client, plc, held):
    client.force_login(person("leader"))
    plan = Plan.objects.get(community=plc)
    assert client.get(f"/api/v1/plans/{plan.pk}/docx/").status_code == 200
    assert client.get(f"/api/v1/plans/{plan.pk}/pdf/").content.startswith(b"%PDF")
    assert client.get(f"/api/v1/meetings/{held.pk}/minutes/docx/").status_code == 200
    assert client.get(f"/api/v1/meetings/{held.pk}/minutes/pdf/").status_code == 200
    assert client.get(f"/api/v1/decisions/xlsx/?community={plc.pk}").status_code == 200
    assert client.get("/api/v1/meetings/calendar/").content.startswith(b"BEGIN:VCALENDAR")
    client.force_login(person("demo.volkova"))
    plc.visibility = "members"
    plc.save()
    assert client.get(f"/api/v1/decisions/xlsx/?community={plc.pk}").status_code == 403


def test_the_plan_docx_can_be_filed_a4_russian_with_the_approval_block(client, plc):
    from planning import services as planning_services

    plan = Plan.objects.get(community=plc)
    client.force_login(person("leader"))
    document = Document(BytesIO(client.get(f"/plans/{plan.pk}/plan.docx").content))
    section = document.sections[0]
    size = (round(section.page_width.mm), round(section.page_height.mm))
    assert size == (297, 210)  # A4 landscape
    assert document.core_properties.title.startswith("План работы")
    assert document.core_properties.language == "ru-RU"
    assert 'w:val="ru-RU"' in document.styles["Normal"].element.xml
    assert "Средняя школа № 14" in section.header.paragraphs[0].text
    assert 'w:instr="PAGE"' in section.footer.paragraphs[0]._p.xml  # page numbers
    header_row = document.tables[0].rows[0]._tr.xml
    assert "w:tblHeader" in header_row and "w:cantSplit" in header_row
    text = "\n".join(p.text for p in document.paragraphs)
    assert "УТВЕРЖДАЮ" in text and "«___» ____________ 20___" in text  # to fill in by hand

    for step, who in ((planning_services.record_discussion, "leader"),
                      (planning_services.agree, "deputy"),
                      (planning_services.approve, "director")):  # fmt: skip
        step(plan=Plan.objects.get(pk=plan.pk), actor=person(who))
    document = Document(BytesIO(client.get(f"/plans/{plan.pk}/plan.docx").content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert person("director").full_name in text
    assert timezone.localdate().strftime("%d.%m.%Y") in text


def test_the_plan_pdf_is_a4_in_russian(client, plc):
    plan = Plan.objects.get(community=plc)
    client.force_login(person("leader"))
    content = client.get(f"/plans/{plan.pk}/plan.pdf").content
    assert b"/Lang (ru-RU)" in content
    assert b"/MediaBox [ 0 0 841.8898 595.2756 ]" in content  # A4 landscape, in points


def test_the_minutes_are_a4_portrait_in_both_formats(client, plc, held):
    client.force_login(person("leader"))
    document = Document(BytesIO(client.get(f"/meetings/{held.pk}/minutes.docx").content))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert "Средняя школа № 14" in section.header.paragraphs[0].text
    pdf = client.get(f"/meetings/{held.pk}/minutes.pdf").content
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in pdf
