"""Teacher import: the workbook is streamed from the sheet XML (values, merges, sheets), and the
checks that were per row are asked per import.

The values must come out as openpyxl gives them; the files are built with openpyxl in its
different modes (full, write-only with inline strings and no dimension, rich text) and by hand.
"""

import io
import zipfile
from datetime import date, datetime

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from people import imports
from people.models import Person, Position, TeacherProfile
from people.tests.factories import (
    OrganisationFactory,
    PersonFactory,
    PositionFactory,
    QualificationCategoryFactory,
    RoleAssignmentFactory,
    TerritoryFactory,
    centre_admin,
    school_admin,
)
from people.tests.test_import import (
    TITLE,
    csv_bytes,
    errors_by_row,
    invented_surname,
    run,
    school_xlsx,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db

HEADER = ["№", "ФИО", "Должность", "Email", "Категория", "Дата присвоения", "Стаж общий"]


@pytest.fixture
def school():
    territory = TerritoryFactory()
    QualificationCategoryFactory(territory=territory, name="высшая", order=1)
    return OrganisationFactory(territory=territory)


def saved(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def teacher_rows(n):
    return [
        [i + 1, f"{invented_surname(i)} Анна Петровна", "Учитель", f"t{i}@school.example"]
        + ["Высшая", datetime(2021, 3, 15), 20 + i % 3]
        for i in range(n)
    ]


def parsed(data, school):
    result = imports.parse_teacher_file(
        data, categories=school.territory.qualification_categories.all()
    )
    return [(r.row, r.person, r.position, r.profile, r.errors) for r in result.rows], result


def test_write_only_workbook_reads_like_a_full_one(school):
    """openpyxl's write-only mode (and other generators) writes inline strings and no size."""
    rows = [[TITLE], HEADER, *teacher_rows(30)]
    streamed = openpyxl.Workbook(write_only=True)
    sheet = streamed.create_sheet("Педагоги")
    for row in rows:
        sheet.append(row)
    data = saved(streamed)
    assert b"inlineStr" in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")

    inline, inline_result = parsed(data, school)
    shared, shared_result = parsed(xlsx_bytes(rows), school)
    assert inline == shared
    assert inline_result.header_row == shared_result.header_row == 2
    assert inline[0][0] == 3
    assert inline[0][3]["category_assigned_on"] == date(2021, 3, 15)
    assert inline[0][3]["experience_total"] == 20


def test_merged_two_row_header_and_cells_merged_down_over_teachers(school):
    header_top = ["ФИО", "Должность", "Стаж", None, "Email"]
    header_sub = [None, None, "общий", "педагогический", None]
    rows = [
        [TITLE],
        header_top,
        header_sub,
        ["Лесовая Алина Тимуровна", "Учитель начальных классов", 20, 15, "a@school.example"],
        ["Ручейкин Остап Вадимович", None, 12, 10, "b@school.example"],
        ["Полевой Игнат Саввич", None, 9, 9, "c@school.example"],
    ]
    merges = ["A1:E1", "C2:D2", "A2:A3", "B2:B3", "E2:E3", "B4:B6"]
    report = run(school, xlsx_bytes(rows, merges), dry_run=False)

    assert report.ok, report.errors
    assert (report.header_row, report.created) == (2, 3)
    assert report.columns == [
        "full_name",
        "position",
        "experience_total",
        "experience_teaching",
        "email",
    ]
    titles = set(
        Position.objects.filter(organisation=school).values_list("title", flat=True).distinct()
    )
    assert titles == {"Учитель начальных классов"}
    profile = TeacherProfile.objects.get(person__email="b@school.example")
    assert (profile.experience_total, profile.experience_teaching) == (12, 10)


def test_rich_text_cells_are_read_as_their_plain_text(school):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER[:4])
    sheet.append([1, "Лесовая Алина Тимуровна", "Учитель", "a@school.example"])
    sheet["B2"] = CellRichText(TextBlock(InlineFont(b=True), "Лесовая"), " Алина Тимуровна")
    report = run(school, saved(workbook), dry_run=False)

    assert report.ok and report.created == 1, report.errors
    person = Person.objects.get(email="a@school.example")
    assert (person.last_name, person.first_name) == ("Лесовая", "Алина")


def with_sheet_xml(sheet_data: str, after: str = "") -> bytes:
    """An openpyxl workbook whose first sheet's XML is replaced by the given sheetData."""
    template = saved(openpyxl.Workbook())
    source = zipfile.ZipFile(io.BytesIO(template))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = (
                    '<?xml version="1.0" encoding="UTF-8"?>'
                    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                    f"<sheetData>{sheet_data}</sheetData>{after}</worksheet>"
                ).encode()
            target.writestr(item, content)
    return buffer.getvalue()


def inline(text):
    return f'<c t="inlineStr"><is><t>{text}</t></is></c>'


def test_hand_written_sheet_xml_without_references_formula_results_and_errors(school):
    """Cells without references follow one another; formulas give their cached result."""
    sheet_data = (
        f"<row>{inline('ФИО')}{inline('Должность')}{inline('Стаж общий')}{inline('Email')}</row>"
        f"<row>{inline('Лесовая Алина Тимуровна')}"
        '<c t="str"><f>"Учитель"</f><v>Учитель</v></c>'
        "<c><v>20</v></c>"
        f"{inline('a@school.example')}</row>"
        f'<row r="4">{inline("Ручейкин Остап Вадимович")}'
        '<c r="C4" t="e"><v>#N/A</v></c>'
        f'<c r="D4" t="inlineStr"><is><r><t>b@school</t></r><r><t>.example</t></r>'
        "<rPh><t>ignored</t></rPh></is></c></row>"
    )
    report = run(school, with_sheet_xml(sheet_data), dry_run=True)

    assert report.rows_checked == 2
    assert list(errors_by_row(report)) == [4]  # "#N/A" is not a number of years
    result = imports.parse_teacher_file(with_sheet_xml(sheet_data))
    first, second = result.rows
    assert (first.row, first.position, first.profile["experience_total"]) == (2, "Учитель", 20)
    assert first.email == "a@school.example"
    assert second.email == "b@school.example"


def test_damaged_sheet_xml_is_a_file_error_not_a_crash(school):
    report = run(school, with_sheet_xml(f"<row>{inline('ФИО')}</row><row><c"), dry_run=True)
    assert report.file_error
    assert report.rows_checked == 0


def test_active_sheet_first_and_later_sheets_read_only_when_needed(school, monkeypatch):
    workbook = openpyxl.Workbook()
    notes = workbook.active
    notes.title = "Инструкция"
    notes.append(["Заполните таблицу на листе «Педагоги»"])
    teachers = workbook.create_sheet("Педагоги")
    teachers.append(HEADER[:4])
    teachers.append([1, "Лесовая Алина Тимуровна", "Учитель", "a@school.example"])
    spare = workbook.create_sheet("Архив")
    spare.append(HEADER[:4])
    spare.append([1, "Ручейкин Остап Вадимович", "Учитель", "b@school.example"])

    calls = []
    from people.imports import tables

    original = tables._sheet_table

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(tables, "_sheet_table", counting)

    workbook.active = 2  # the archive is open: it is what the school meant
    report = run(school, saved(workbook), dry_run=True)
    assert (report.sheet, report.created, len(calls)) == ("Архив", 1, 1)

    calls.clear()
    workbook.active = 0  # the notes have no table: the next sheet is read, and no further
    report = run(school, saved(workbook), dry_run=True)
    assert (report.sheet, report.created, len(calls)) == ("Педагоги", 1, 2)


def test_school_list_still_reads_the_same(school):
    """The list of test_import (title, merged two-row header, numbering row, Excel dates)."""
    result = imports.parse_teacher_file(school_xlsx())
    assert result.header_row == 3
    assert [r.row for r in result.rows] == [6, 7]
    assert result.rows[0].profile["category_assigned_on"] == date(2021, 3, 15)
    assert result.rows[0].profile["workload_hours"] == pytest.approx(18.5)


# --- per-import checks -----------------------------------------------------------------------


def test_an_email_too_long_for_the_database_is_a_row_error(school):
    long_email = "a" * 70 + "@" + ".".join(["d" * 60] * 3) + ".example"  # valid, but > 254
    assert 254 < len(long_email) <= 320
    data = csv_bytes(
        [["ФИО", "Email"], ["Лесовая Алина Тимуровна", long_email], ["Ручейкин Остап", "r@x.org"]]
    )
    report = run(school, data, dry_run=False)
    assert list(errors_by_row(report)) == [2]
    assert not report.applied
    assert not Person.objects.exists()


def elsewhere_lists(other, small, large):
    """Lists of `small` and `large` rows, every one of them a person working at `other`."""
    lines = []
    for i in range(large):
        person = PersonFactory(
            email=f"t{i}@school.example", last_name=invented_surname(i), first_name="Анна"
        )
        PositionFactory(person=person, organisation=other, title="Учитель")
        lines.append([f"{invented_surname(i)} Анна", f"t{i}@school.example", "10"])
    header = [["ФИО", "Email", "Стаж общий"]]
    return csv_bytes(header + lines[:small]), csv_bytes(header + lines)


def counted_dry_run(school, data, actor):
    with CaptureQueriesContext(connection) as captured:
        report = run(school, data, dry_run=True, actor=actor)
    return report, len(captured)


def test_people_working_elsewhere_are_checked_in_the_same_queries_for_3_and_60_rows(school):
    other = OrganisationFactory(territory=school.territory)
    centre = centre_admin(school.territory)
    small_data, large_data = elsewhere_lists(other, 3, 60)
    run(school, small_data, dry_run=True, actor=centre)  # the centre admin's roles, kept after

    small, small_queries = counted_dry_run(school, small_data, centre)
    large, large_queries = counted_dry_run(school, large_data, centre)
    assert small.ok and large.ok, large.errors
    assert (small.updated, large.updated) == (3, 60)
    assert large_queries == small_queries


def test_school_admin_may_take_in_only_people_of_schools_they_administer(school):
    mine_too = OrganisationFactory(territory=school.territory)
    not_mine = OrganisationFactory(territory=school.territory)
    admin = school_admin(school)
    RoleAssignmentFactory(person=admin, role="school_admin", organisation=mine_too, territory=None)
    lines = [["ФИО", "Email"]]
    for i, organisation in enumerate([mine_too, not_mine, mine_too]):
        person = PersonFactory(
            email=f"t{i}@school.example", last_name=invented_surname(i), first_name="Анна"
        )
        PositionFactory(person=person, organisation=organisation)
        lines.append([f"{invented_surname(i)} Анна", f"t{i}@school.example"])

    report = run(school, csv_bytes(lines), dry_run=True, actor=admin)
    assert list(errors_by_row(report)) == [3]  # the one working only at a school not theirs
    assert report.updated == 2


def test_imported_people_cannot_log_in_until_invited(school):
    lines = [["ФИО", "Email"]] + [
        [f"{invented_surname(i)} Анна", f"t{i}@school.example"] for i in range(5)
    ]
    report = run(school, csv_bytes(lines), dry_run=False)
    assert report.applied
    people = list(Person.objects.filter(email__endswith="@school.example"))
    assert len(people) == 5
    assert not any(p.has_usable_password() for p in people)
    assert len({p.password for p in people}) == 5  # no two share the stored value
