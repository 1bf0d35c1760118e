"""The results import: both formats, the discipline of the teacher import, hostile input."""

from __future__ import annotations

import logging

import pytest

from results.imports import import_results
from results.models import AssessmentPeriod, ResultImport, ResultRow, ResultSummary

from .files import GOOD, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db
YEAR = 2025


def _run(school, data, dry_run=False, **kw):
    return import_results(organisation=school, school_year=YEAR, file=data, dry_run=dry_run, **kw)


def test_counts_table_is_imported_and_teachers_matched(school, teacher):
    report = _run(school, csv_bytes(GOOD))
    assert report.ok, report.to_dict()
    assert report.applied and report.created == 3
    rows = {(r.class_name, r.subject): r for r in ResultRow.objects.all()}
    maths = rows[("5А", "Математика")]
    assert (maths.count_5, maths.count_4, maths.count_3, maths.count_2) == (5, 10, 8, 2)
    assert maths.teacher == teacher
    assert rows[("5Б", "Математика")].teacher == teacher  # by surname and initials
    russian = rows[("5А", "Русский язык")]
    assert russian.teacher is None and russian.teacher_name == "Петров И.И."
    assert report.teachers_not_found == ["Петров И.И."]
    summary = ResultSummary.objects.get(subject="Математика")
    assert (summary.count_5, summary.count_2, summary.rows) == (11, 3, 2)


def test_the_same_file_again_changes_nothing_and_a_new_one_replaces(school, teacher):
    _run(school, csv_bytes(GOOD))
    again = _run(school, csv_bytes(GOOD))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    changed = [list(r) for r in GOOD]
    changed[0][4] = 7
    report = _run(school, csv_bytes(changed))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    assert ResultRow.objects.count() == 3
    assert ResultSummary.objects.get(subject="Математика").count_5 == 13


def test_xlsx_with_title_rows_and_merged_header_in_cp1251_csv_too(school):
    report = _run(school, xlsx_bytes(GOOD, title="Итоги 1 четверти", merged_header=True))
    assert report.ok, report.to_dict()
    assert report.created == 3
    cp = _run(school, csv_bytes(GOOD, encoding="cp1251"), dry_run=True)
    assert cp.ok and cp.unchanged == 3


def test_a_bad_row_is_named_and_nothing_is_written(school):
    rows = [*GOOD, ["5В", "Физика", "", "1 четверть", -1, "=A1", 3, 500, 0]]
    report = _run(school, csv_bytes(rows))
    assert not report.applied
    assert ResultRow.objects.count() == 0
    messages = [e.message for e in report.errors]
    assert {e.row for e in report.errors} == {5}
    # Each message names the column as the file heads it, and the bad value.
    assert any(m.startswith("5: ") for m in messages), messages
    assert any(m.startswith("4: ") and "=A1" in m for m in messages), messages
    assert any(m.startswith("2: ") and "500" in m for m in messages), messages


def test_hostile_cells(school):
    long = "Ж" * 10_000
    rows = [
        [long, "Математика", "", "1 четверть", 1, 1, 1, 0, 0],
        ["5А", long, "", "1 четверть", 1, 1, 1, 0, 0],
        ["5А", "=HYPERLINK(1)", "", "1 четверть", 1, 1, 1, 0, 0],
        ["5А", "Био\x07логия", "", "1 четверть", 1, 1, 1, 0, 0],
        ["5А", "Химия", "", "пятая неделя", 1, 1, 1, 0, 0],
    ]
    report = _run(school, csv_bytes(rows))
    assert not report.applied
    assert {e.row for e in report.errors} == {2, 3, 4, 5, 6}
    for error in report.errors:
        assert len(error.message) < 400
    assert ResultRow.objects.count() == 0


def test_duplicate_class_subject_period_is_an_error(school):
    report = _run(school, csv_bytes([*GOOD, GOOD[0]]))
    assert [e.row for e in report.errors] == [5]
    assert " 2" in report.errors[0].message  # the row it repeats


JOURNAL_HEADER = ["ФИО ученика", "Класс", "Предмет", "Учитель", "Период", "Отметка"]
PUPILS = ["Тестовый Ученик Один", "Тестовая Ученица Два", "Тестовый Ученик Три"]


def test_journal_export_is_aggregated_and_pupils_never_stored(school, teacher, caplog):
    rows = [
        [PUPILS[0], "7А", "Алгебра", "Сидорова А.П.", "2 четверть", 5],
        [PUPILS[1], "7А", "Алгебра", "Сидорова А.П.", "2 четверть", 4],
        [PUPILS[2], "7А", "Алгебра", "Сидорова А.П.", "2 четверть", "н/а"],
        [PUPILS[0], "7А", "Геометрия", "Сидорова А.П.", "2 четверть", 2],
    ]
    caplog.set_level(logging.DEBUG)
    data = csv_bytes(rows, header=JOURNAL_HEADER)
    from django.core.files.uploadedfile import SimpleUploadedFile

    from results.imports import create_import, run_import

    record = create_import(
        organisation=school,
        school_year=YEAR,
        file=SimpleUploadedFile("journal.csv", data),
        dry_run=False,
    )
    record = run_import(record.pk)
    assert record.status == ResultImport.Status.APPLIED, record.report
    algebra = ResultRow.objects.get(subject="Алгебра")
    assert (algebra.count_5, algebra.count_4, algebra.count_na) == (1, 1, 1)
    assert algebra.period == AssessmentPeriod.objects.get(country_code="KZ", code="q2")
    assert ResultRow.objects.get(subject="Геометрия").count_2 == 1
    # No pupil's name anywhere in the database (the stored file aside) nor in the log.
    from django.apps import apps
    from django.core import serializers

    dump = serializers.serialize(
        "json",
        [
            obj
            for model in apps.get_app_config("results").get_models()
            for obj in model.objects.all()
        ],
    )
    for name in PUPILS:
        assert name not in dump
        assert name not in caplog.text
    for word in ("Один", "Два", "Три"):
        assert word not in dump
    # The stored upload is now the counts, not the pupils' rows.
    with record.file.open("rb") as fh:
        kept = fh.read().decode("utf-8")
    assert "Алгебра" in kept and "Ученик" not in kept and "Один" not in kept


def test_a_checked_journal_is_applied_from_its_counts(school):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from results.imports import create_apply_import, create_import, run_import

    rows = [[PUPILS[0], "7А", "Алгебра", "", "2 четверть", 5]]
    record = create_import(
        organisation=school,
        school_year=YEAR,
        file=SimpleUploadedFile("journal.csv", csv_bytes(rows, header=JOURNAL_HEADER)),
        dry_run=True,
    )
    record = run_import(record.pk)
    assert record.status == ResultImport.Status.CHECKED
    applied = run_import(create_apply_import(source=record).pk)
    assert applied.status == ResultImport.Status.APPLIED, applied.report
    assert ResultRow.objects.get().count_5 == 1


def test_a_failed_upload_is_not_kept(school):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from results.imports import create_import, run_import

    rows = [[PUPILS[0], "7А", "Алгебра", "", "2 четверть", "отлично"]]
    record = create_import(
        organisation=school,
        school_year=YEAR,
        file=SimpleUploadedFile("journal.csv", csv_bytes(rows, header=JOURNAL_HEADER)),
        dry_run=False,
    )
    storage, name = record.file.storage, record.file.name
    record = run_import(record.pk)
    assert record.status == ResultImport.Status.FAILED
    assert not record.file and not storage.exists(name)


def test_journal_bad_mark_names_row_without_pupil(school):
    rows = [[PUPILS[0], "7А", "Алгебра", "", "2 четверть", "7"]]
    report = _run(school, csv_bytes(rows, header=JOURNAL_HEADER))
    assert [e.row for e in report.errors] == [2]
    assert "Один" not in report.errors[0].message


def test_hostile_cp1251_csv_names_rows_and_columns(school):
    rows = [
        ["5А", "Математика", "=1+1", "1 четверть", 1, 1, 1, 0, 0],
        ["5Б", "Математика", "", "1 четверть", "1e9", 1, 1, 0, 0],
        ["5В", "Математика", "", "1 четверть", 99999999999999999999, 1, 1, 0, 0],
    ]
    report = _run(school, csv_bytes(rows, encoding="cp1251"))
    assert not report.applied and ResultRow.objects.count() == 0
    by_row = {e.row: e.message for e in report.errors}
    assert set(by_row) == {2, 3, 4}
    assert by_row[2].startswith("Учитель: ") and "=1+1" in by_row[2]
    assert by_row[3].startswith("5: ") and "1e9" in by_row[3]
    assert by_row[4].startswith("5: ")


def test_a_file_that_is_not_a_table_is_refused(school):
    report = _run(school, b"\x00\x01\x02 not a table")
    assert report.file_error and not report.applied
    report = _run(school, csv_bytes([["1", "2"]], header=["Фамилия", "Имя"]))
    assert "Класс" in report.file_error
