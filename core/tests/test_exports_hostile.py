"""Every exporter over the same hostile text: the file opens, nothing runs as a formula.

The text is written straight into the database, as old records or other clients may hold it,
so the exporters are tested on their own and not behind any form's cleaning.
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.db import connection
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from core.documents import XLSX_CELL_LIMIT
from core.text import document_text
from meetings.models import AgendaQuestion, Decision
from people.models import Course, TeacherProfile
from planning.models import AgendaItem, Target

from .conftest import ADMIN_A, LEADER, MEMBER

pytestmark = pytest.mark.django_db

HOSTILE = {
    "formula": "=1+1",
    "plus": "+7 999",
    "minus": "-2",
    "at": "@SUM(A1)",
    "tab-formula": "\t=cmd",
    "cr-formula": "\r=x",
    "vertical-tab": "first line\x0bsecond line",
    "nul": "before\x00after",
    "unit-separator": "a\x1fb",
    "long-word": "ж" * 10_000,
    "line-breaks": "line\n" * 120,
    "emoji": "Открытый урок 👩‍🏫🎉 ✔",
    "rtl": "שלום עולם مرحبا بالعالم",
    "markup": "<b>unclosed",
    "entity": "&amp; &lt;",
}
FORMULA_LIKE = {"formula", "plus", "minus", "at", "tab-formula", "cr-formula"}
DAY = dt.date(2026, 3, 9)


@pytest.fixture(params=list(HOSTILE), ids=list(HOSTILE))
def hostile(request) -> tuple[str, str]:
    text = HOSTILE[request.param]
    if "\x00" in text and connection.vendor == "postgresql":
        pytest.skip("PostgreSQL cannot store a NUL byte; document_text is tested with it below")
    return request.param, text


def fit(model, field: str, text: str) -> str:
    """The text cut to the column's length, as the database would hold it."""
    limit = model._meta.get_field(field).max_length
    return text[:limit] if limit else text


def login(client, world, role):
    client.force_login(world.user(role))


def xlsx_cells(content: bytes):
    sheet = load_workbook(BytesIO(content)).active
    return [cell for row in sheet.iter_rows() for cell in row]


def assert_text_cell(cells, text: str):
    """The text comes back as typed (minus forbidden characters) in a string cell."""
    expected = document_text(text, limit=XLSX_CELL_LIMIT)
    matching = [c for c in cells if c.value == expected]
    assert matching, "the text is not in the workbook as a cell of its own"
    assert all(c.data_type == "s" for c in matching)


def assert_no_formulas(cells):
    assert not [c.coordinate for c in cells if c.data_type == "f"]


# -- plan ---------------------------------------------------------------------------------------
@pytest.fixture
def hostile_plan(world, hostile):
    _name, text = hostile
    plan = world.plan
    type(plan).objects.filter(pk=plan.pk).update(goals=text, theme=fit(type(plan), "theme", text))
    Target.objects.filter(plan=plan).update(indicator=fit(Target, "indicator", text))
    AgendaItem.objects.filter(meeting__plan=plan).update(
        action=fit(AgendaItem, "action", text), evidence=fit(AgendaItem, "evidence", text)
    )
    return plan


def test_plan_docx_survives(client, world, hostile_plan):
    login(client, world, LEADER)
    response = client.get(f"/plans/{hostile_plan.pk}/plan.docx")
    assert response.status_code == 200
    document = Document(BytesIO(response.content))
    assert len(document.tables) == 2


def test_plan_pdf_survives(client, world, hostile_plan):
    login(client, world, LEADER)
    response = client.get(f"/plans/{hostile_plan.pk}/plan.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


# -- minutes and decisions ----------------------------------------------------------------------
@pytest.fixture
def hostile_meeting(world, hostile):
    _name, text = hostile
    meeting = world.held_meeting
    AgendaQuestion.objects.filter(meeting=meeting).update(
        summary=text, speakers=fit(AgendaQuestion, "speakers", text)
    )
    Decision.objects.filter(meeting=meeting).update(text=text, evidence=text, due_on=DAY)
    return meeting


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_minutes_survive(client, world, hostile_meeting, fmt):
    login(client, world, LEADER)
    response = client.get(f"/meetings/{hostile_meeting.pk}/minutes.{fmt}")
    assert response.status_code == 200
    if fmt == "docx":
        Document(BytesIO(response.content))
    else:
        assert response.content.startswith(b"%PDF")


def test_decisions_xlsx_keeps_text_as_text_and_dates_as_dates(client, world, hostile_meeting):
    login(client, world, LEADER)
    response = client.get(f"/communities/{world.plc.pk}/decisions.xlsx")
    assert response.status_code == 200
    cells = xlsx_cells(response.content)
    assert_no_formulas(cells)
    decision = Decision.objects.get(meeting=hostile_meeting)
    assert_text_cell(cells, decision.text)
    due = [c for c in cells if c.is_date and c.value.date() == DAY]
    assert due and due[0].number_format == "DD.MM.YYYY"
    held_on = timezone.localtime(hostile_meeting.starts_at).date()
    assert [c for c in cells if c.is_date and c.value.date() == held_on]


# -- databank -----------------------------------------------------------------------------------
@pytest.fixture
def hostile_record(world, hostile):
    _name, text = hostile
    member = world.member
    profile, _created = TeacherProfile.objects.get_or_create(person=member)
    TeacherProfile.objects.filter(pk=profile.pk).update(
        experience_generalisation=text,
        subjects=fit(TeacherProfile, "subjects", text),
        category_assigned_on=DAY,
    )
    Course.objects.create(profile=profile, title=fit(Course, "title", text))
    return member


@pytest.mark.parametrize("who", ["own record", "organisation"])
def test_databank_xlsx_keeps_text_as_text_and_dates_as_dates(client, world, hostile_record, who):
    if who == "own record":
        login(client, world, MEMBER)
        response = client.get(f"/people/{hostile_record.pk}/databank.xlsx")
    else:
        login(client, world, ADMIN_A)
        response = client.get(f"/organisations/{world.school_a.pk}/databank.xlsx")
    assert response.status_code == 200
    cells = xlsx_cells(response.content)
    assert_no_formulas(cells)
    profile = TeacherProfile.objects.get(person=hostile_record)
    assert_text_cell(cells, profile.experience_generalisation)
    assigned = [c for c in cells if c.is_date and c.value.date() == DAY]
    assert assigned and assigned[0].number_format == "DD.MM.YYYY"


# -- the shared pieces --------------------------------------------------------------------------
def test_formula_like_text_keeps_its_visible_text_and_is_quoted():
    from core.documents import xlsx_bytes, xlsx_cell, xlsx_workbook

    workbook = xlsx_workbook()
    sheet = workbook.create_sheet("s")
    sheet.append([xlsx_cell(sheet, HOSTILE[name]) for name in sorted(FORMULA_LIKE)])
    sheet.append([xlsx_cell(sheet, "x" * 40_000), xlsx_cell(sheet, HOSTILE["nul"])])
    row, long_row = load_workbook(BytesIO(xlsx_bytes(workbook))).active.iter_rows()
    for cell, name in zip(row, sorted(FORMULA_LIKE), strict=True):
        assert cell.data_type == "s"
        assert cell.quotePrefix
        assert cell.value == document_text(HOSTILE[name])
    assert len(long_row[0].value) == XLSX_CELL_LIMIT
    assert long_row[1].value == "beforeafter"


def test_document_text_makes_any_input_xml_safe():
    assert document_text("a\x0bb\r\nc\rd") == "a\nb\nc\nd"
    assert document_text("x\x00y\x1f\x08z\ttab") == "xyz\ttab"
    assert document_text("ж" * 50, limit=10) == "ж" * 9 + "…"
    assert document_text(None) == ""
    assert document_text(0) == "0"
