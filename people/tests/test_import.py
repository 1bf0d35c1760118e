"""Teacher import: parsing real-looking school lists, validation, all-or-nothing writes, surfaces.

Files are built in code; every name is invented.
"""

import io
from datetime import date, datetime, timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from people import imports
from people.models import Person, Position, TeacherImport, TeacherProfile
from people.tests.factories import (
    OrganisationFactory,
    PersonFactory,
    QualificationCategoryFactory,
    TeacherProfileFactory,
    TerritoryFactory,
    school_admin,
    teacher_at,
)

pytestmark = pytest.mark.django_db

LETTERS = "абвгдежзиклмнопрстуфхцчшэюя"


def invented_surname(n):
    return "Тестов" + LETTERS[n // len(LETTERS)] + LETTERS[n % len(LETTERS)]


TITLE = "Список педагогических работников МБОУ СОШ № 5 на 2025-2026 уч. год"


# --- building files --------------------------------------------------------------------------


def xlsx_bytes(rows, merges=()):
    """rows: lists of cell values starting at A1; None leaves a cell empty."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Педагоги"
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)
    for rng in merges:
        ws.merge_cells(rng)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(lines, *, sep=";", encoding="cp1251", bom=False):
    text = "\r\n".join(sep.join(cells) for cells in lines) + "\r\n"
    data = text.encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def school_xlsx():
    """A list as schools make it: a title, a two-row header with merged cells, Excel dates."""
    header_top = [
        "№ п/п",
        "ФИО",
        "Должность",
        "Электронная\nпочта",
        "Квалификационная категория",
        "Дата присвоения категории",
        "Стаж",
        None,
        "Нагрузка (часы)",
        "Преподаваемые предметы",
        "Тема самообразования",
        "Образование",
    ]
    header_sub = [None] * 6 + ["общий", "педагогический"] + [None] * 4
    rows = [
        [TITLE],
        [],
        header_top,
        header_sub,
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
        [
            1,
            "Лесовая  Алина Тимуровна",
            "Учитель математики",
            "A.Lesovaya@Example.org",
            "Высшая категория",
            datetime(2021, 3, 15),
            20,
            15,
            18.5,
            "Математика",
            "Формирующее оценивание на уроках математики",
            "Высшее педагогическое",
        ],
        [
            2,
            "Ручейкин Остап Вадимович",
            None,
            None,
            "первая квалификационная категория",
            "01.09.2020",
            "12",
            "10",
            "24",
            "Физика",
            None,
            None,
        ],
    ]
    merges = ["A1:L1", "G3:H3"] + [f"{col}3:{col}4" for col in "ABCDEFIJKL"]
    return xlsx_bytes(rows, merges)


@pytest.fixture
def territory():
    return TerritoryFactory()


@pytest.fixture
def categories(territory):
    return {
        "высшая": QualificationCategoryFactory(territory=territory, name="высшая", order=1),
        "первая": QualificationCategoryFactory(territory=territory, name="первая", order=2),
    }


@pytest.fixture
def school(territory, categories):
    return OrganisationFactory(territory=territory)


@pytest.fixture
def admin(school):
    return school_admin(school)


@pytest.fixture
def en():
    with translation.override("en"):
        yield


@pytest.fixture
def en_client(client):
    # The site ignores Accept-Language; the language switch sets this cookie.
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def run(school, data, *, dry_run, actor=None, progress=None):
    return imports.import_teachers(
        organisation=school, file=data, dry_run=dry_run, actor=actor, progress=progress
    )


def errors_by_row(report):
    result = {}
    for error in report.errors:
        result.setdefault(error.row, []).append(error.message)
    return result


# --- formats ---------------------------------------------------------------------------------


def test_xlsx_with_title_rows_and_merged_two_row_header(school, categories):
    report = run(school, school_xlsx(), dry_run=False)

    assert report.ok, report.errors
    assert report.applied
    assert report.header_row == 3
    assert report.rows_checked == 2
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    assert "experience_total" in report.columns and "experience_teaching" in report.columns

    alina = Person.objects.get(last_name="Лесовая")
    assert (alina.first_name, alina.middle_name) == ("Алина", "Тимуровна")
    assert alina.email == "A.Lesovaya@example.org"  # the domain is normalised
    assert alina.username == "lesovaya.at"
    assert not alina.has_usable_password()
    assert Position.objects.get(person=alina, organisation=school).title == "Учитель математики"
    profile = alina.teacher_profile
    assert profile.qualification_category == categories["высшая"]
    assert profile.category_assigned_on == date(2021, 3, 15)
    assert (profile.experience_total, profile.experience_teaching) == (20, 15)
    assert profile.workload_hours == Decimal("18.5")
    assert profile.subjects == "Математика"
    assert profile.self_education_topic == "Формирующее оценивание на уроках математики"
    assert profile.education == "Высшее педагогическое"

    ostap = Person.objects.get(last_name="Ручейкин")
    assert ostap.username == "rucheykin.ov"
    assert Position.objects.get(person=ostap).title == "Учитель"
    assert ostap.teacher_profile.qualification_category == categories["первая"]
    assert ostap.teacher_profile.category_assigned_on == date(2020, 9, 1)
    assert ostap.teacher_profile.workload_hours == Decimal("24")


def test_csv_cp1251_with_semicolons_and_separate_name_columns(school, categories):
    data = csv_bytes(
        [
            [TITLE, "", "", "", "", "", "", ""],
            ["Фамилия", "Имя", "Отчество", "Должность", "Телефон", "Категория",
             "Нагрузка, часов в неделю", "Классы"],
            ["Зорина", "Вера", "Павловна", "Учитель начальных классов", "+7 900 000-00-01",
             "Высшая", "18,5", "2А"],
            ["Кленов", "Игорь", "", "", "", "", "20.0", ""],
        ],
        sep=";",
        encoding="cp1251",
    )  # fmt: skip
    report = run(school, data, dry_run=False)

    assert report.ok, report.errors
    assert report.header_row == 2
    assert report.created == 2
    vera = Person.objects.get(last_name="Зорина")
    assert vera.phone == "+7 900 000-00-01"
    assert vera.teacher_profile.workload_hours == Decimal("18.5")
    assert vera.teacher_profile.classes_taught == "2А"
    assert vera.teacher_profile.qualification_category == categories["высшая"]
    igor = Person.objects.get(last_name="Кленов")
    assert igor.middle_name == ""
    assert igor.username == "klenov.i"


def test_csv_utf8_with_bom_and_commas(school):
    data = csv_bytes(
        [
            ["ФИО", "Email", "Специальность (по диплому)", "Учебное заведение",
             "Стаж общий", "Стаж педагогический"],
            ["Полынина Дарья Олеговна", "d.polynina@example.org",
             '"Учитель истории, обществознания"', '"Педагогический институт\nимени Н. Н."',
             "7", "7"],
        ],
        sep=",",
        encoding="utf-8",
        bom=True,
    )  # fmt: skip
    report = run(school, data, dry_run=False)

    assert report.ok, report.errors
    daria = Person.objects.get(email="d.polynina@example.org")
    assert daria.full_name == "Полынина Дарья Олеговна"
    assert daria.teacher_profile.specialty == "Учитель истории, обществознания"
    assert daria.teacher_profile.education_institution == "Педагогический институт имени Н. Н."
    assert daria.teacher_profile.experience_teaching == 7


def test_a_csv_row_with_more_cells_than_the_header_names_the_likely_cause(school):
    data = csv_bytes(
        [
            ["ФИО", "Email", "Специальность (по диплому)", "Стаж общий"],
            ["Полынина Дарья Олеговна", "d.polynina@example.org", "Учитель истории", "7"],
            # An unquoted ";" inside the specialty splits it: the row has a cell too many.
            ["Рябинин Глеб Ильич", "g.ryabinin@example.org", "История; обществознание", "12"],
            ["Осокина Вера Павловна", "v.osokina@example.org", "Учитель музыки", "3", "", ""],
        ],
        encoding="utf-8",
    )
    report = run(school, data, dry_run=True)

    by_row = errors_by_row(report)
    assert list(by_row) == [3]  # trailing empty cells (row 4) are not a problem
    assert "В строке 5 ячеек, а в заголовке только 4" in by_row[3][0]
    assert "«;» без кавычек" in by_row[3][0]
    assert not Person.objects.filter(email="g.ryabinin@example.org").exists()


@pytest.mark.parametrize(
    "label,field",
    [
        ("ФИО", "full_name"),
        ("Ф.И.О. педагога", "full_name"),
        ("Фамилия, имя, отчество", "full_name"),
        ("  Фамилия ", "last_name"),
        ("№ п/п", "number"),
        ("E-mail", "email"),
        ("Электронная почта", "email"),
        ("Квалификационная\nкатегория", "qualification_category"),
        ("Дата присвоения категории", "category_assigned_on"),
        ("Педагогический стаж", "experience_teaching"),
        ("Стаж общий", "experience_total"),
        ("Тема самообразования", "self_education_topic"),
        ("Образование", "education"),
        ("Специальность по диплому", "specialty"),
        ("Нагрузка (часы)", "workload_hours"),
        ("Классы", "classes_taught"),
        ("Классное руководство", None),
        ("Дата рождения", None),
    ],
)
def test_header_aliases(label, field):
    assert imports.match_header(label) == field


def test_category_spellings_match(school, categories):
    lines = [["ФИО", "Квалификационная категория"]]
    names = [
        "высшая",
        "Высшая категория",
        "ВЫСШАЯ КВАЛИФИКАЦИОННАЯ КАТЕГОРИЯ",
        "высшая кв. категория",
    ]
    for n, spelling in enumerate(names):
        lines.append([f"{invented_surname(n)}а Мира Ивановна", spelling])
    lines.append(["Орешкина Зоя Львовна", "без категории"])
    report = run(school, csv_bytes(lines), dry_run=False)

    assert report.ok, report.errors
    profiles = TeacherProfile.objects.filter(person__last_name__startswith="Тестов")
    assert profiles.count() == 4
    assert {p.qualification_category for p in profiles} == {categories["высшая"]}
    assert TeacherProfile.objects.get(person__last_name="Орешкина").qualification_category is None


def test_categories_of_a_parent_territory_apply(categories, territory):
    district = TerritoryFactory(parent=territory, kind="district")
    school = OrganisationFactory(territory=district)
    data = csv_bytes([["ФИО", "Категория"], ["Веткина Лада Ильинична", "Первая"]])
    report = run(school, data, dry_run=False)
    assert report.ok, report.errors
    assert (
        Person.objects.get(last_name="Веткина").teacher_profile.qualification_category
        == (categories["первая"])
    )


def test_section_headings_subtotals_and_repeated_headers_are_skipped(school):
    rows = [
        ["Сведения о педагогических работниках"],
        ["№", "ФИО", None, None, "Должность", "Классное руководство"],
        [None, "Фамилия", "Имя", "Отчество", None, None],
        ["Начальная школа"],
        [1, "Белкина", "Ольга", "Ивановна", "Учитель начальных классов", "3Б"],
        [2, "Белкин", "Олег", None, None, None],
        ["№", "Фамилия", "Имя", "Отчество", "Должность", None],
        ["Основная школа"],
        [3, "Сорокина", "Ева", "Ильинична", "Учитель музыки", None],
        [None, "Итого: 3 человека"],
    ]
    merges = ["A1:F1", "B2:D2", "A2:A3", "E2:E3", "F2:F3", "A4:F4", "A8:F8", "E5:E6"]
    report = run(school, xlsx_bytes(rows, merges), dry_run=False)

    assert report.ok, report.errors
    assert report.header_row == 2
    assert report.columns == ["last_name", "first_name", "middle_name", "position"]
    assert report.created == 3
    # The position merged down over two teachers counts for both.
    assert Position.objects.get(person__last_name="Белкин").title == "Учитель начальных классов"


def test_matching_rules(school, en):
    no_patronymic_in_file = teacher_at(
        school, last_name="Ручейкин", first_name="Остап", middle_name="Вадимович", email=""
    )
    Position.objects.filter(person=no_patronymic_in_file).update(title="Учитель физики")
    PersonFactory(last_name="Громова", first_name="Анна", email="wrong@example.org")
    data = csv_bytes(
        [
            ["ФИО", "Email"],
            ["Ручейкин Остап", ""],
            ["Лесовая Алина Тимуровна", "wrong@example.org"],
        ]
    )
    report = run(school, data, dry_run=True)
    assert errors_by_row(report) == {
        3: ["The email wrong@example.org belongs to Громова Анна Петрович, not to this person."]
    }
    report = run(school, csv_bytes([["ФИО"], ["Ручейкин Остап"]]), dry_run=False)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)  # a new profile
    # Without a position column nobody gets a second, default position.
    assert list(no_patronymic_in_file.positions.values_list("title", flat=True)) == [
        "Учитель физики"
    ]


# --- validation ------------------------------------------------------------------------------


def bad_rows_file():
    future = (date.today() + timedelta(days=30)).strftime("%d.%m.%Y")
    header = ["ФИО", "Электронная почта", "Категория", "Дата присвоения категории",
              "Стаж общий", "Стаж педагогический", "Нагрузка"]  # fmt: skip
    lines = [
        [TITLE, "", "", "", "", "", ""],  # 1
        header,  # 2
        ["Грозова Ия Петровна", "iya@example.org", "высшая", "10.10.2019", "10", "8", "18"],  # 3
        ["", "nobody@example.org", "", "", "", "", ""],  # 4 empty name
        ["Одинцова", "", "", "", "", "", ""],  # 5 no first name
        ["Ершов Фрол Ильич", "not-an-email", "", "", "", "", ""],  # 6
        ["Жуков Лев Ильич", "", "заслуженная", "", "", "", ""],  # 7 unknown category
        ["", "", "", "", "", "", ""],  # 8 empty: skipped
        ["Мхов Яков Ильич", "", "первая", "31.02.2020", "", "", ""],  # 9 no such date
        ["Ивин Гай Ильич", "", "первая", future, "", "", ""],  # 10 future
        ["Лунин Ян Ильич", "", "", "", "5", "9", ""],  # 11 teaching > total
        ["Рыбин Ян Ильич", "", "", "", "-2", "", ""],  # 12 negative
        ["Сомов Ян Ильич", "", "", "", "", "", "75"],  # 13 workload
        ["Грозова Ия Петровна", "IYA@example.org", "", "", "", "", ""],  # 14 duplicate of 3
        ["Ершова Нина Ильинична", "", "", "вчера", "", "", ""],  # 15 not a date
    ]
    return csv_bytes(lines)


def test_bad_rows_are_reported_with_file_row_numbers_and_nothing_is_written(school, en):
    people_before = Person.objects.count()
    report = run(school, bad_rows_file(), dry_run=False)

    bad = errors_by_row(report)
    assert sorted(bad) == [4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15]
    assert "The name is empty." in bad[4]
    assert "surname and a first name" in bad[5][0]
    assert "not a valid email" in bad[6][0]
    assert "Unknown qualification category “заслуженная”" in bad[7][0]
    assert "высшая" in bad[7][0]  # the known ones are listed
    assert "is not a date" in bad[9][0]
    assert "in the future" in bad[10][0]
    assert "cannot exceed total experience" in bad[11][0]
    assert "cannot be negative" in bad[12][0]
    assert "between 0 and 60" in bad[13][0]
    assert "already in row 3" in bad[14][0]
    assert "“вчера” is not a date" in bad[15][0]
    assert not report.applied
    assert report.rows_checked == 12
    assert Person.objects.count() == people_before
    assert not TeacherProfile.objects.exists()
    assert not Position.objects.filter(organisation=school).exists()


def test_dry_run_writes_nothing(school):
    report = run(school, school_xlsx(), dry_run=True)
    assert report.ok
    assert not report.applied
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    assert not Person.objects.filter(last_name__in=["Лесовая", "Ручейкин"]).exists()
    assert not TeacherProfile.objects.exists()


def test_reimport_changes_nothing(school):
    first = run(school, school_xlsx(), dry_run=False)
    assert first.created == 2
    counts = (Person.objects.count(), Position.objects.count(), TeacherProfile.objects.count())
    stamps = list(TeacherProfile.objects.order_by("pk").values_list("updated_at", flat=True))

    again = run(school, school_xlsx(), dry_run=False)

    assert again.ok and again.applied
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert (Person.objects.count(), Position.objects.count(), TeacherProfile.objects.count()) == (
        counts
    )
    assert list(TeacherProfile.objects.order_by("pk").values_list("updated_at", flat=True)) == (
        stamps
    )


def test_existing_people_matched_by_email_or_name_and_only_changes_written(school):
    by_email = PersonFactory(
        username="someone", last_name="Лесовая", first_name="Алина", email="a.lesovaya@example.org"
    )
    by_name = teacher_at(school, last_name="Ручейкин", first_name="Остап", middle_name="Вадимович")
    TeacherProfileFactory(person=by_name, experience_total=12, experience_teaching=10)

    report = run(school, school_xlsx(), dry_run=False)

    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (0, 2, 0)
    by_email.refresh_from_db()
    assert by_email.username == "someone"
    assert by_email.email == "a.lesovaya@example.org"  # the same address in other case: kept
    assert by_email.middle_name == "Тимуровна"
    assert by_email.positions.get(organisation=school).title == "Учитель математики"
    assert by_name.positions.count() == 1
    profile = TeacherProfile.objects.get(person=by_name)
    assert profile.subjects == "Физика"
    assert (profile.experience_total, profile.experience_teaching) == (12, 10)
    assert Person.objects.filter(last_name="Ручейкин").count() == 1


def test_usernames_are_ascii_and_unique(school):
    PersonFactory(username="lesovaya.at")
    run(school, school_xlsx(), dry_run=False)
    assert Person.objects.get(last_name="Лесовая").username == "lesovaya.at2"
    assert imports.username_base("Щукина", "Юлия", "Эдуардовна") == "shchukina.ye"
    assert imports.username_base("Петрова-Водкина", "Ёлка") == "petrova-vodkina.e"
    # Kazakh letters, and names in Latin script, transliterated the same way (anyascii).
    assert imports.username_base("Қасымова", "Әлия", "Ғалымқызы") == "qasymova.ag"
    assert imports.username_base("Müller", "Ängela") == "muller.a"


def test_no_header_row_says_what_is_required(school, en):
    data = csv_bytes([["Предмет", "Часы"], ["Математика", "5"]])
    report = run(school, data, dry_run=True)
    assert "header row" in report.file_error
    assert "ФИО" in report.file_error
    assert not report.rows_checked


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00",
        b"PK\x03\x04 not really a zip",
        b"",
    ],
)
def test_non_spreadsheets_are_refused(school, data):
    report = run(school, data, dry_run=True)
    assert report.file_error
    assert not report.applied


def test_progress_is_reported_every_hundred_rows(school):
    lines = [["ФИО"]] + [[f"{invented_surname(n)} Иван Петрович"] for n in range(250)]
    calls = []
    report = run(school, csv_bytes(lines), dry_run=True, progress=lambda d, t: calls.append((d, t)))
    assert report.ok
    assert calls == [(0, 250), (100, 250), (200, 250), (250, 250)]


def test_run_import_keeps_progress_on_the_record(school, admin):
    record = imports.create_import(
        organisation=school,
        file=SimpleUploadedFile("list.xlsx", school_xlsx()),
        dry_run=True,
        actor=admin,
    )
    record = imports.run_import(record.pk)
    assert record.status == TeacherImport.Status.CHECKED
    assert (record.rows_total, record.rows_done) == (2, 2)
    assert record.report["created"] == 2
    assert imports.can_apply(record)


def test_person_working_elsewhere_is_not_changed_by_a_school_admin(school, admin, en):
    other_school = OrganisationFactory(territory=school.territory)
    teacher_at(other_school, email="a.lesovaya@example.org", last_name="Лесовая")
    report = run(school, school_xlsx(), dry_run=False, actor=admin)
    assert "does not work at this organisation" in errors_by_row(report)[6][0]
    assert not report.applied


# --- the command -----------------------------------------------------------------------------


def test_command_dry_run_and_apply(school, tmp_path, en):
    path = tmp_path / "teachers.xlsx"
    path.write_bytes(school_xlsx())
    out = io.StringIO()

    call_command("import_teachers", str(path), "--organisation", str(school.pk), "--dry-run",
                 stdout=out)  # fmt: skip
    assert "Dry run" in out.getvalue()
    assert "would be created: 2" in out.getvalue()
    assert not Person.objects.filter(last_name="Лесовая").exists()

    out = io.StringIO()
    call_command("import_teachers", str(path), "--organisation", str(school.pk), stdout=out)
    assert "created: 2" in out.getvalue()
    assert Person.objects.filter(last_name="Лесовая").exists()
    assert TeacherImport.objects.filter(organisation=school).count() == 2


def test_command_reports_bad_rows_and_fails(school, tmp_path, en):
    path = tmp_path / "teachers.csv"
    path.write_bytes(bad_rows_file())
    out = io.StringIO()
    with pytest.raises(CommandError, match="11 bad rows"):
        call_command("import_teachers", str(path), "--organisation", str(school.pk), stdout=out)
    assert "Row 4: The name is empty." in out.getvalue()
    assert "Row 14:" in out.getvalue()
    assert not Person.objects.filter(last_name="Грозова").exists()


def test_command_refuses_unknown_organisation_and_file(school, tmp_path):
    path = tmp_path / "teachers.xlsx"
    path.write_bytes(school_xlsx())
    with pytest.raises(CommandError):
        call_command("import_teachers", str(path), "--organisation", "999999")
    with pytest.raises(CommandError):
        call_command("import_teachers", str(tmp_path / "no.xlsx"), "--organisation", str(school.pk))


# --- pages -----------------------------------------------------------------------------------


def upload_url(school):
    return reverse("imports:upload", kwargs={"org_pk": school.pk})


def test_upload_status_apply_flow(en_client, school, admin):
    en_client.force_login(admin)
    page = en_client.get(upload_url(school))
    assert page.status_code == 200
    assert b'name="dry_run"' in page.content and b"checked" in page.content

    response = en_client.post(
        upload_url(school),
        {"file": SimpleUploadedFile("Список.xlsx", school_xlsx()), "dry_run": "on"},
    )
    record = TeacherImport.objects.get(organisation=school)
    status_url = reverse("imports:status", kwargs={"org_pk": school.pk, "pk": record.pk})
    assert response.status_code == 302 and response.url == status_url
    assert record.dry_run and record.status == TeacherImport.Status.CHECKED
    assert record.original_name == "Список.xlsx"
    assert not Person.objects.filter(last_name="Лесовая").exists()

    page = en_client.get(status_url)
    assert page.status_code == 200
    assert "To be created" in page.content.decode()
    apply_url = reverse("imports:apply", kwargs={"org_pk": school.pk, "pk": record.pk})
    assert apply_url in page.content.decode()
    assert "hx-get" not in page.content.decode()  # finished: no more polling

    response = en_client.post(apply_url)
    applied = TeacherImport.objects.exclude(pk=record.pk).get()
    assert response.status_code == 302
    assert response.url == reverse("imports:status", kwargs={"org_pk": school.pk, "pk": applied.pk})
    assert applied.status == TeacherImport.Status.APPLIED and not applied.dry_run
    assert applied.created_by == admin
    assert Person.objects.filter(last_name__in=["Лесовая", "Ручейкин"]).count() == 2
    page = en_client.get(response.url)
    assert "Applied" in page.content.decode()
    assert apply_url not in page.content.decode()


def test_status_partial_for_htmx_polls_while_running(en_client, school, admin):
    en_client.force_login(admin)
    record = TeacherImport.objects.create(
        organisation=school,
        original_name="list.csv",
        file="imports/list.csv",
        status=TeacherImport.Status.RUNNING,
        rows_total=400,
        rows_done=100,
    )
    url = reverse("imports:status", kwargs={"org_pk": school.pk, "pk": record.pk})
    partial = en_client.get(url, HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert partial.status_code == 200
    assert "<html" not in html
    assert f'hx-get="{url}"' in html and 'hx-trigger="every 1s"' in html
    assert "100 of 400 rows checked" in html
    # The bar is named by the line above it (axe: progressbar-name).
    assert 'id="import-progress"' in html
    assert (
        '<progress class="progress" aria-labelledby="import-progress" max="100" value="25">' in html
    )
    full = en_client.get(url)
    assert "<html" in full.content.decode() and 'id="import-status"' in full.content.decode()


def test_bad_rows_are_listed_on_the_status_page_and_cannot_be_applied(en_client, school, admin):
    en_client.force_login(admin)
    en_client.post(
        upload_url(school),
        {"file": SimpleUploadedFile("bad.csv", bad_rows_file()), "dry_run": "on"},
    )
    record = TeacherImport.objects.get()
    html = en_client.get(
        reverse("imports:status", kwargs={"org_pk": school.pk, "pk": record.pk})
    ).content.decode()
    assert "<td>14</td>" in html and "already in row 3" in html
    response = en_client.post(
        reverse("imports:apply", kwargs={"org_pk": school.pk, "pk": record.pk})
    )
    assert response.status_code == 302
    assert TeacherImport.objects.count() == 1


def test_upload_without_dry_run_applies_at_once(en_client, school, admin):
    en_client.force_login(admin)
    en_client.post(upload_url(school), {"file": SimpleUploadedFile("list.xlsx", school_xlsx())})
    assert TeacherImport.objects.get().status == TeacherImport.Status.APPLIED
    assert Person.objects.filter(last_name="Лесовая").exists()


def test_oversize_file_gets_a_clear_error(en_client, school, admin, settings):
    settings.MAX_UPLOAD_BYTES = 1000
    en_client.force_login(admin)
    response = en_client.post(
        upload_url(school), {"file": SimpleUploadedFile("big.csv", b"x" * 5000), "dry_run": "on"}
    )
    assert response.status_code == 200
    assert "too large" in response.content.decode()
    assert not TeacherImport.objects.exists()


def test_png_named_xlsx_gets_a_clear_error(en_client, school, admin):
    en_client.force_login(admin)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    response = en_client.post(
        upload_url(school), {"file": SimpleUploadedFile("list.xlsx", png), "dry_run": "on"}
    )
    assert response.status_code == 200
    assert "neither an Excel workbook" in response.content.decode()
    assert not TeacherImport.objects.exists()


def test_page_permissions(client, school, admin):
    record = TeacherImport.objects.create(organisation=school, original_name="x", file="x.csv")
    status_url = reverse("imports:status", kwargs={"org_pk": school.pk, "pk": record.pk})
    apply_url = reverse("imports:apply", kwargs={"org_pk": school.pk, "pk": record.pk})

    response = client.get(upload_url(school))
    assert response.status_code == 302 and "/accounts/login/" in response.url

    client.force_login(teacher_at(school))
    assert client.get(upload_url(school)).status_code == 403
    assert client.get(status_url).status_code == 403
    assert client.post(apply_url).status_code == 403

    client.force_login(school_admin(OrganisationFactory()))
    assert client.get(upload_url(school)).status_code == 403
    assert client.get(status_url).status_code == 403
    upload = client.post(upload_url(school), {"file": SimpleUploadedFile("l.xlsx", b"x")})
    assert upload.status_code == 403

    client.force_login(admin)
    assert client.get(upload_url(school)).status_code == 200
    assert client.get(status_url).status_code == 200


# --- API -------------------------------------------------------------------------------------

API_URL = "/api/v1/imports/teachers/"


def test_api_dry_run_then_apply(en_client, school, admin):
    en_client.force_login(admin)
    response = en_client.post(
        API_URL, {"file": SimpleUploadedFile("list.xlsx", school_xlsx()), "organisation": school.pk}
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["dry_run"] is True  # left out, it means a dry run
    assert data["status"] == "checked"
    assert (data["rows_checked"], data["created"], data["updated"], data["unchanged"]) == (
        2,
        2,
        0,
        0,
    )
    assert data["errors"] == []
    assert not Person.objects.filter(last_name="Лесовая").exists()

    detail = en_client.get(f"{API_URL}{data['id']}/")
    assert detail.status_code == 200 and detail.json()["status"] == "checked"

    response = en_client.post(
        API_URL,
        {
            "file": SimpleUploadedFile("list.xlsx", school_xlsx()),
            "organisation": school.pk,
            "dry_run": "false",
        },
    )
    assert response.status_code == 201
    assert response.json()["applied"] is True and response.json()["status"] == "applied"
    assert Person.objects.filter(last_name="Лесовая").exists()


def test_api_apply_with_bad_rows_is_400_and_writes_nothing(en_client, school, admin):
    en_client.force_login(admin)
    response = en_client.post(
        API_URL,
        {
            "file": SimpleUploadedFile("bad.csv", bad_rows_file()),
            "organisation": school.pk,
            "dry_run": "false",
        },
    )
    assert response.status_code == 400
    data = response.json()
    assert [e["row"] for e in data["errors"]][:3] == [4, 5, 6]
    assert {"row": 4, "message": "The name is empty."} in data["errors"]
    assert data["applied"] is False
    assert not Person.objects.filter(last_name="Грозова").exists()


def test_api_refuses_non_spreadsheets_and_oversize(en_client, school, admin, settings):
    en_client.force_login(admin)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    response = en_client.post(
        API_URL, {"file": SimpleUploadedFile("x.xlsx", png), "organisation": school.pk}
    )
    assert response.status_code == 400
    assert "neither an Excel workbook" in response.json()["file"][0]

    settings.MAX_UPLOAD_BYTES = 100
    response = en_client.post(
        API_URL, {"file": SimpleUploadedFile("x.csv", b"a" * 500), "organisation": school.pk}
    )
    assert response.status_code == 400
    assert "too large" in response.json()["file"][0]
    assert not TeacherImport.objects.exists()


def test_api_permissions(client, school, admin):
    def post():
        return client.post(
            API_URL,
            {"file": SimpleUploadedFile("l.xlsx", school_xlsx()), "organisation": school.pk},
        )

    record = TeacherImport.objects.create(organisation=school, original_name="x", file="x.csv")
    assert post().status_code in (401, 403)
    assert client.get(f"{API_URL}{record.pk}/").status_code in (401, 403)

    client.force_login(teacher_at(school))
    assert post().status_code == 403
    assert client.get(f"{API_URL}{record.pk}/").status_code == 403

    client.force_login(school_admin(OrganisationFactory()))
    assert post().status_code == 403
    assert client.get(f"{API_URL}{record.pk}/").status_code == 403
    assert not Person.objects.filter(last_name="Лесовая").exists()

    client.force_login(admin)
    assert client.get(f"{API_URL}{record.pk}/").status_code == 200
    assert client.get(f"{API_URL}999999/").status_code == 404


def test_api_is_documented(client, admin):
    client.force_login(admin)
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/imports/teachers/" in schema
    assert "/api/v1/imports/teachers/{id}/" in schema


# --- the uploaded file: checked like every upload, stored privately ---------------------------


def zip_bomb_xlsx() -> bytes:
    """An XLSX-shaped zip whose sheet promises a gigabyte (the central directory is rewritten)."""
    import struct
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", bytes(1024 * 1024))
    data = bytearray(buf.getvalue())
    (pos,) = struct.unpack("<I", data[-6:-2])
    while data[pos : pos + 4] == b"PK\x01\x02":
        name_len, extra_len, comment_len = struct.unpack("<HHH", data[pos + 28 : pos + 34])
        if data[pos + 46 : pos + 46 + name_len] == b"xl/worksheets/sheet1.xml":
            struct.pack_into("<I", data, pos + 24, 1024**3)
        pos += 46 + name_len + extra_len + comment_len
    return bytes(data)


def test_an_import_zip_bomb_is_refused_before_openpyxl_sees_it(
    en_client, school, admin, monkeypatch
):
    opened = []
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **kw: opened.append(1))
    with pytest.raises(imports.ImportFileError):
        imports.parse_teacher_file(zip_bomb_xlsx())  # the command-line and background path
    assert opened == []
    en_client.force_login(admin)
    response = en_client.post(
        upload_url(school), {"file": SimpleUploadedFile("list.xlsx", zip_bomb_xlsx())}
    )
    assert response.status_code == 200 and response.context["form"].errors["file"]
    response = en_client.post(
        API_URL,
        {"file": SimpleUploadedFile("list.xlsx", zip_bomb_xlsx()), "organisation": school.pk},
    )
    assert response.status_code == 400 and "file" in response.json()
    assert not TeacherImport.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("list.csv", "ФИО;Должность\n<script>alert(1)</script>;Учитель\n".encode()),
        ("list.xlsx", "ФИО;Должность\nИванова Анна;Учитель\n".encode()),
        ("list.txt.html", "ФИО;Должность\nИванова Анна;Учитель\n".encode()),
    ],
    ids=["script-in-csv", "csv-named-xlsx", "html-extension"],
)
def test_an_import_file_that_is_not_what_it_says_is_refused(
    en_client, school, admin, name, content
):
    en_client.force_login(admin)
    response = en_client.post(upload_url(school), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200 and response.context["form"].errors["file"]
    response = en_client.post(
        API_URL, {"file": SimpleUploadedFile(name, content), "organisation": school.pk}
    )
    assert response.status_code == 400 and "file" in response.json()
    assert not TeacherImport.objects.exists()


def test_an_import_is_stored_under_a_generated_name(client, school, admin):
    client.force_login(admin)
    client.post(upload_url(school), {"file": SimpleUploadedFile("Список <1>.xlsx", school_xlsx())})
    record = TeacherImport.objects.get()
    assert record.original_name == "Список <1>.xlsx"
    assert record.file.name.startswith("imports/") and record.file.name.endswith(".xlsx")
    assert "Список" not in record.file.name


def test_the_uploaded_list_is_downloaded_only_by_who_runs_the_imports(client, school, admin):
    client.force_login(admin)
    client.post(upload_url(school), {"file": SimpleUploadedFile("Список.csv", bad_rows_file())})
    record = TeacherImport.objects.get()
    url = reverse("imports:file", kwargs={"org_pk": school.pk, "pk": record.pk})
    status_page = client.get(
        reverse("imports:status", kwargs={"org_pk": school.pk, "pk": record.pk})
    )
    assert url in status_page.content.decode()
    assert record.file.name not in status_page.content.decode()

    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == bad_rows_file()
    assert response["Content-Type"] == "text/csv"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert (
        "filename*=utf-8''%D0%A1%D0%BF%D0%B8%D1%81%D0%BE%D0%BA.csv"
        in response["Content-Disposition"]
    )

    client.force_login(teacher_at(school))
    assert client.get(url).status_code in (403, 404)
    client.force_login(school_admin(OrganisationFactory()))
    assert client.get(url).status_code in (403, 404)
    other = OrganisationFactory()
    wrong_org = reverse("imports:file", kwargs={"org_pk": other.pk, "pk": record.pk})
    client.force_login(school_admin(other))
    assert client.get(wrong_org).status_code == 404
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response.url
