"""The year-end analysis as DOCX and PDF: Russian, the centre's header, tables, signature."""

import io

import pytest
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from core.tests.conftest import ADMIN_B, CURATOR, MEMBER_OTHER
from mentoring import services
from mentoring.models import Session

from .matrix import YEAR, leaders_pair, plc_pair


def _pdf_text(content: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())  # table cells wrap their words


def _docx_text(content: bytes) -> tuple[str, list]:
    document = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in document.paragraphs)
    header = document.sections[0].header.paragraphs[0].text
    return header + "\n" + text, document.tables


@pytest.fixture
def records(world):
    pair = leaders_pair(world)
    today = timezone.localdate()
    for form, topic in [("mentoring", "Анализ ВПР"), ("brainstorming", "Идеи для родителей"),
                        ("consultation", "Положение о ВСОКО")]:  # fmt: skip
        services.log_session(
            pair=pair, actor=world.user(ADMIN_B), held_on=today, form=form, topic=topic
        )
    services.save_plan(
        plan=pair.plan, actor=None, version=None,
        goals=[{"text": "Выстроить ВСОКО", "measure": ""}], meetings=[],
    )  # fmt: skip
    services.save_report(
        pair=pair, actor=world.user(MEMBER_OTHER), side="mentee", period="half", submit=True,
        done="Встречи", difficulties="Мало времени у учителей",
    )  # fmt: skip
    return pair


def test_the_analysis_draft_is_prefilled_from_the_records(client, world, records):
    client.force_login(world.user(CURATOR))
    response = client.get(f"/mentoring/analysis/{world.region.pk}/{YEAR}/")
    assert response.status_code == 200
    form = response.context["form"]
    assert "1" in form.initial["conclusions"] and "3" in form.initial["conclusions"]
    assert "Мало времени у учителей" in form.initial["problems"]
    page = response.content.decode()
    assert "Leaders pair" in page and "Выстроить ВСОКО" in page


def test_the_pdf_and_docx_carry_the_figures_the_edited_text_and_the_signature(
    client, world, records
):
    curator = world.user(CURATOR)
    services.save_analysis(
        actor=curator, school_year=YEAR, version=0, territory=world.region,
        conclusions="Пары работали устойчиво\x07.", problems="Нет", proposals="Продолжить",
    )  # fmt: skip
    client.force_login(world.user("centre_admin"))
    pdf = client.get(f"/mentoring/analysis/{world.region.pk}/{YEAR}.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = _pdf_text(pdf.content)
    assert "Анализ работы" in text and "Пары работали устойчиво." in text
    assert "Leaders pair" in text and "Мозговой штурм" in text
    assert curator.full_name in text and "Куратор" in text
    assert "Методический центр" in text  # the centre's header
    docx = client.get(f"/mentoring/analysis/{world.region.pk}/{YEAR}.docx")
    body, tables = _docx_text(docx.content)
    assert "Методический центр" in body and "Продолжить" in body
    assert curator.full_name in body
    cells = [c.text for c in tables[0].rows[1].cells]
    assert "Leaders pair" in cells[0] and cells[-3] == "3"  # the total of the three sessions
    assert tables[0].rows[-1].cells[0].text == "Итого"


def test_the_plc_report_is_headed_by_the_school(client, world):
    plc_pair(world)
    client.force_login(world.leader)
    docx = client.get(f"/communities/{world.plc.pk}/mentoring/{YEAR}.docx")
    body, tables = _docx_text(docx.content)
    assert world.school_a.name in body
    assert world.member.full_name in tables[0].rows[1].cells[2].text
    pdf = client.get(f"/communities/{world.plc.pk}/mentoring/{YEAR}.pdf")
    assert "Руководитель ПОС" in _pdf_text(pdf.content)


def test_an_analysis_of_no_pairs_still_prints(client, world):
    client.force_login(world.user(CURATOR))
    response = client.get(f"/mentoring/analysis/{world.region.pk}/2001.pdf")
    assert response.status_code == 200
    assert "2001/2002" in _pdf_text(response.content)


def test_every_form_of_session_has_a_column(world, records):
    client_forms = [label for _value, label in Session.Form.choices]
    assert len(client_forms) == 4
