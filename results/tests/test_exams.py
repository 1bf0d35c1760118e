"""Exams and control works: the import of pupils' scores (summed per class, names dropped), the
figures against a hand count, the pages and the API, and queries that do not grow with data."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organisations.tests.factories import (
    NetworkFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
    TerritoryFactory,
)
from people.tests.factories import PersonFactory, centre_admin, curator, teacher_at
from results import exams
from results.imports.exams import import_exam_results
from results.models import AssessmentKind, ExamImport, ExamResult

from .files import csv_bytes

pytestmark = pytest.mark.django_db
YEAR = 2025
HELD = datetime.date(2026, 3, 14)
HEADER = ["№", "ФИО ученика", "Класс", "Предмет", "Балл", "Учитель"]
# Invented pupils. ЕНТ: maximum 140, passing score 50.
ENT_ROWS = [
    [1, "Ученик Первый", "11А", "Математика", 120, "Сидорова А.П."],
    [2, "Ученик Второй", "11А", "Математика", 45, "Сидорова А.П."],
    [3, "Ученик Третий", "11 «А»", "математика", 90, ""],
    [4, "Ученик Четвёртый", "11Б", "Математика", 140, ""],
    [5, "Ученик Пятый", "11А", "История Казахстана", 60, ""],
]


def kind(code, country="KZ"):
    return AssessmentKind.objects.get(country_code=country, code=code)


def _run(school, data, code="ent", dry_run=False, held_on=HELD, **kw):
    return import_exam_results(
        organisation=school, school_year=YEAR, kind=kind(code, school.territory.country_code),
        held_on=held_on, file=data, dry_run=dry_run, **kw,
    )  # fmt: skip


def test_kinds_are_data_per_country():
    ent = kind("ent")
    assert (ent.name, ent.max_score, ent.pass_score, ent.level) == ("ЕНТ", 140, 50, "final")
    assert {k.code for k in AssessmentKind.objects.filter(country_code="KZ")} >= {
        "sor", "soch", "srez", "ent-mock", "ent",
    }  # fmt: skip
    assert {k.code for k in AssessmentKind.objects.filter(country_code="RU")} >= {
        "srez", "vpr", "oge", "ege", "oge-mock", "ege-mock",
    }  # fmt: skip


def test_pupils_rows_are_summed_per_class_against_a_hand_count(school, teacher):
    report = _run(school, csv_bytes(ENT_ROWS, header=HEADER))
    assert report.ok and report.applied, report.to_dict()
    assert (report.rows_checked, report.records, report.created) == (5, 3, 3)
    rows = {(r.class_name, r.subject): r for r in ExamResult.objects.all()}
    a = rows[("11А", "Математика")]
    assert (a.sat, a.score_sum, a.judged, a.passed) == (3, 255, 3, 2)
    # Fifths of 140: 0-27, 28-55, 56-83, 84-111, 112-140.
    assert [getattr(a, f) for f in ExamResult.BAND_FIELDS] == [0, 1, 0, 1, 1]
    assert a.teacher == teacher and a.teacher_name == "Сидорова А.П."
    b = rows[("11Б", "Математика")]
    assert (b.sat, b.score_sum, b.passed, b.band_5) == (1, 140, 1, 1)
    lines = exams.exam_lines(exams.school_condition(school), YEAR, exams.kinds_for("KZ"))
    by_subject = {line.subject: line for line in lines}
    maths = by_subject["Математика"]
    assert exams.AVERAGE_SCORE.value(maths.sums) == Decimal("98.8")  # 395 / 4
    assert exams.PASSED_SHARE.value(maths.sums) == Decimal("75.0")  # 3 of 4
    everything = by_subject[""]
    assert lines[0] is everything  # the kind's line of all subjects first
    assert exams.AVERAGE_SCORE.value(everything.sums) == Decimal("91.0")  # 455 / 5
    assert exams.PASSED_SHARE.value(everything.sums) == Decimal("80.0")
    assert [bar.count for bar in maths.bands] == [0, 1, 0, 1, 2]
    assert maths.marks == []  # the file gave no marks


def test_the_same_file_again_changes_nothing_and_a_new_one_replaces(school):
    _run(school, csv_bytes(ENT_ROWS, header=HEADER))
    again = _run(school, csv_bytes(ENT_ROWS, header=HEADER))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    changed = [list(r) for r in ENT_ROWS]
    changed[3][4] = 100
    report = _run(school, csv_bytes(changed, header=HEADER))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    assert ExamResult.objects.get(grade=11, letter="Б").score_sum == 100
    other_day = _run(school, csv_bytes(ENT_ROWS, header=HEADER), held_on=HELD.replace(day=20))
    assert other_day.created == 3 and ExamResult.objects.count() == 6


def test_bad_rows_are_named_and_nothing_is_written(school):
    rows = [
        *ENT_ROWS,
        [6, "Ученик Шестой", "11А", "Математика", 150, ""],
        [7, "Ученик Седьмой", "11А", "Математика", "много", ""],
        [8, "Ученик Восьмой", "ZZ", "Математика", 10, ""],
        [9, "Ученик Девятый", "11А", "", 10, ""],
    ]
    report = _run(school, csv_bytes(rows, header=HEADER))
    assert not report.applied and ExamResult.objects.count() == 0
    by_row = {e.row: e.message for e in report.errors}
    assert set(by_row) == {7, 8, 9, 10}  # the header is row 1
    assert "150" in by_row[7] and "140" in by_row[7] and "ЕНТ" in by_row[7]
    assert "много" in by_row[8]
    assert "ZZ" in by_row[9]
    assert "Предмет" in by_row[10]
    assert all("Ученик" not in message for message in by_row.values())


def test_a_file_without_a_score_column_is_refused(school):
    report = _run(school, csv_bytes([[1, "11А", "Математика"]], header=["№", "Класс", "Предмет"]))
    assert "Балл" in report.file_error and ExamResult.objects.count() == 0


def test_a_kind_of_another_country_is_refused(school):
    report = import_exam_results(
        organisation=school, school_year=YEAR, kind=kind("ege", "RU"), held_on=HELD,
        file=csv_bytes(ENT_ROWS, header=HEADER), dry_run=False,
    )  # fmt: skip
    assert report.file_error and ExamResult.objects.count() == 0


def test_a_kind_without_a_passing_score_is_judged_by_the_mark():
    school = OrganisationFactory(territory=TerritoryFactory(country_code="RU"))
    header = ["Класс", "Предмет", "Первичный балл", "Отметка"]
    rows = [
        ["5А", "Русский язык", 30, 5],
        ["5А", "Русский язык", 22, 4],
        ["5А", "Русский язык", 8, 2],
        ["5А", "Русский язык", 15, ""],  # no mark: not judged
    ]
    report = _run(school, csv_bytes(rows, header=header), code="vpr")
    assert report.applied, report.to_dict()
    row = ExamResult.objects.get()
    assert (row.sat, row.judged, row.passed, row.count_5, row.count_4, row.count_2) == (
        4, 3, 2, 1, 1, 1,
    )  # fmt: skip
    assert row.band_1 == row.band_5 == 0  # ВПР has no maximum here: no bands
    line = exams.exam_lines(exams.school_condition(school), YEAR, exams.kinds_for("RU"))[0]
    assert exams.PASSED_SHARE.value(line.sums) == Decimal("66.7")
    assert [bar.count for bar in line.marks] == [1, 1, 0, 1]
    bad = _run(school, csv_bytes([["5А", "Русский язык", 10, 7]], header=header), code="vpr")
    assert bad.errors and "7" in bad.errors[0].message


def _upload(client, school, rows, dry_run):
    data = {
        "file": SimpleUploadedFile("ent.csv", csv_bytes(rows, header=HEADER)),
        "kind": kind("ent").pk,
        "held_on": HELD.isoformat(),
        "school_year": YEAR,
    }
    if dry_run:
        data["dry_run"] = "on"
    return client.post(f"/results/schools/{school.pk}/exams/import/", data)


def test_pages_dry_run_then_apply_keep_no_pupil_names(client, school, admin):
    client.force_login(admin)
    assert client.get(f"/results/schools/{school.pk}/exams/import/").status_code == 200
    response = _upload(client, school, ENT_ROWS, dry_run=True)
    record = ExamImport.objects.get()
    assert response.status_code == 302 and record.status == ExamImport.Status.CHECKED
    assert ExamResult.objects.count() == 0
    with record.file.open("rb") as fh:
        kept = fh.read().decode()
    assert "Ученик" not in kept and "Математика" in kept
    status = client.get(f"/results/schools/{school.pk}/exams/imports/{record.pk}/")
    assert status.status_code == 200 and "apply" in status.content.decode()
    client.post(f"/results/schools/{school.pk}/exams/imports/{record.pk}/apply/")
    applied = ExamImport.objects.exclude(pk=record.pk).get()
    assert applied.status == ExamImport.Status.APPLIED
    assert ExamResult.objects.count() == 3
    assert set(ExamResult.objects.values_list("source", flat=True)) == {applied.pk}


def test_a_bad_upload_keeps_no_file(client, school, admin):
    client.force_login(admin)
    _upload(client, school, [*ENT_ROWS, [6, "Ученик", "11А", "Математика", 999, ""]], False)
    record = ExamImport.objects.get()
    assert record.status == ExamImport.Status.FAILED or record.report["errors"]
    assert not record.file and ExamResult.objects.count() == 0


def test_who_may_see_and_import(client, school, admin, teacher):
    _run(school, csv_bytes(ENT_ROWS, header=HEADER))
    page = f"/results/schools/{school.pk}/exams/?year={YEAR}"
    upload = f"/results/schools/{school.pk}/exams/import/"
    client.force_login(admin)
    assert client.get(page).status_code == 200
    assert client.get(upload).status_code == 200
    client.force_login(curator(school.territory))  # sees, does not import
    assert client.get(page).status_code == 200
    assert client.get(upload).status_code == 403
    assert _upload(client, school, ENT_ROWS, dry_run=True).status_code == 403
    client.force_login(teacher)
    assert client.get(page).status_code == 403
    assert client.get(f"/results/schools/{school.pk}/exams/rows/").status_code == 403
    assert client.get(f"/api/v1/results/exams/?organisation={school.pk}").status_code == 403
    client.force_login(PersonFactory())
    assert client.get(f"/results/territories/{school.territory.pk}/exams/").status_code == 403
    client.logout()
    assert client.get(page).status_code == 302


def test_school_page_shows_formulas_figures_and_links_down(client, school, admin):
    _run(school, csv_bytes(ENT_ROWS, header=HEADER))
    client.force_login(admin)
    page = client.get(f"/results/schools/{school.pk}/exams/?year={YEAR}").content.decode()
    assert "ЕНТ" in page and "Математика" in page
    assert "98,8" in page or "98.8" in page
    assert "75,0" in page or "75.0" in page
    assert "<meter" in page and "style=" not in page
    link = f"/results/schools/{school.pk}/exams/rows/?year={YEAR}&amp;kind=ent&amp;subject="
    assert link in page
    rows = client.get(f"/results/schools/{school.pk}/exams/rows/?year={YEAR}&kind=ent")
    assert "11Б" in rows.content.decode() and "Ученик" not in rows.content.decode()
    other = client.get(f"/results/schools/{school.pk}/exams/?year={YEAR}&kind=soch").content
    assert "Математика" not in other.decode()


def test_network_and_territory_pages(client, school, territory):
    _run(school, csv_bytes(ENT_ROWS, header=HEADER))
    network = NetworkFactory(territory=territory)
    NetworkMembershipFactory(network=network, organisation=school)
    client.force_login(centre_admin(territory))
    for url in (
        f"/results/networks/{network.pk}/exams/?year={YEAR}",
        f"/results/territories/{territory.pk}/exams/?year={YEAR}",
        f"/results/territories/{territory.pk}/exams/rows/?year={YEAR}",
    ):
        response = client.get(url)
        assert response.status_code == 200 and "Математика" in response.content.decode(), url


def test_api_lines_and_rows(client, school, admin):
    _run(school, csv_bytes(ENT_ROWS, header=HEADER))
    client.force_login(admin)
    data = client.get(f"/api/v1/results/exams/?organisation={school.pk}&year={YEAR}").json()
    assert set(data["formulas"]) == {"average_score", "passed_share"}
    maths = next(ln for ln in data["lines"] if ln["subject"] == "Математика")
    assert (maths["kind"], maths["sat"], maths["passed"], maths["max_score"]) == ("ent", 4, 3, 140)
    assert (maths["average_score"], maths["passed_share"]) == ("98.8", "75.0")
    assert maths["bands"] == [0, 1, 0, 1, 2]
    rows = client.get(
        f"/api/v1/results/exam-rows/?organisation={school.pk}&year={YEAR}&kind=ent"
    ).json()
    assert rows["count"] == 3 and {r["class_name"] for r in rows["results"]} == {"11А", "11Б"}
    assert client.get("/api/v1/results/exams/").status_code == 400
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert {"/api/v1/results/exams/", "/api/v1/results/exam-rows/"} <= set(schema["paths"])


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        lambda s: f"/results/schools/{s.pk}/exams/?year={YEAR}",
        lambda s: f"/results/schools/{s.pk}/exams/rows/?year={YEAR}",
        lambda s: f"/results/territories/{s.territory.pk}/exams/?year={YEAR}",
        lambda s: f"/api/v1/results/exams/?organisation={s.pk}&year={YEAR}",
        lambda s: f"/api/v1/results/exam-rows/?territory={s.territory.pk}&year={YEAR}",
    ],
)
def test_query_count_does_not_grow(client, school, url):
    client.force_login(centre_admin(school.territory))
    teacher = teacher_at(school)
    _run(school, csv_bytes(ENT_ROWS, header=HEADER))
    small = _count(client, url(school))
    subjects = ["Физика", "Химия", "Биология", "География", "Казахский язык"]
    rows = [
        [n, "", f"{grade}{letter}", subject, 40 + n % 90, ""]
        for n, (grade, letter, subject) in enumerate(
            (g, letter, s) for g in (9, 10, 11) for letter in "АБВ" for s in subjects
        )
    ]
    for code in ("ent", "ent-mock", "soch"):
        scores = [[*r[:4], min(r[4], 100), r[5]] for r in rows] if code == "soch" else rows
        _run(school, csv_bytes(scores, header=HEADER), code=code)
    ExamResult.objects.update(teacher=teacher)
    for _i in range(2):
        _run(OrganisationFactory(territory=school.territory), csv_bytes(rows, header=HEADER))
    assert ExamResult.objects.count() > 100
    large = _count(client, url(school))
    assert large <= small and large < 30, (small, large)


def test_admin_lists_and_edits_kinds(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.org", "x"))
    for name in ("assessmentkind", "examimport", "examresult"):
        assert client.get(f"/admin/results/{name}/").status_code == 200, name
    assert client.get("/admin/results/examresult/add/").status_code == 403
    ent = kind("ent")
    response = client.get(f"/admin/results/assessmentkind/{ent.pk}/change/")
    assert response.status_code == 200


def test_no_average_over_subjects_scored_out_of_different_maxima():
    school = OrganisationFactory(territory=TerritoryFactory(country_code="RU"))
    header = ["Класс", "Предмет", "Балл", "Отметка"]
    rows = [["9А", "Математика", 20, 4], ["9А", "Физика", 30, 4]]
    _run(school, csv_bytes(rows, header=header), code="oge")
    lines = exams.exam_lines(exams.school_condition(school), YEAR, exams.kinds_for("RU"))
    assert lines[0].subject == "" and lines[0].values["average_score"] is None
    assert lines[0].values["passed_share"] == Decimal("100.0")
    assert lines[1].values["average_score"] == Decimal("20.0")


def _api_upload(client, school, rows, **extra):
    data = {
        "file": SimpleUploadedFile("ent.csv", csv_bytes(rows, header=HEADER)),
        "organisation": school.pk,
        "school_year": YEAR,
        "kind": "ent",
        "held_on": HELD.isoformat(),
        **extra,
    }
    return client.post("/api/v1/results/exam-imports/", data)


def test_api_import_dry_run_then_apply_and_bad_rows(client, school, admin, teacher):
    client.force_login(admin)
    checked = _api_upload(client, school, ENT_ROWS)  # a dry run unless told
    assert checked.status_code == 201, checked.json()
    assert checked.json()["status"] == "checked" and ExamResult.objects.count() == 0
    detail = client.get(f"/api/v1/results/exam-imports/{checked.json()['id']}/").json()
    assert detail["kind"] == "ent" and detail["report"]["created"] == 3
    applied = _api_upload(client, school, ENT_ROWS, dry_run="false")
    assert applied.status_code == 201 and applied.json()["status"] == "applied"
    assert ExamResult.objects.count() == 3
    bad = _api_upload(
        client, school, [*ENT_ROWS, [6, "", "11А", "Математика", 141, ""]], dry_run="false"
    )
    assert bad.status_code == 400
    assert bad.json()["report"]["errors"][0]["row"] == 7
    unknown = _api_upload(client, school, ENT_ROWS, kind="ege")  # Russia's, not Kazakhstan's
    assert unknown.status_code == 400 and "kind" in unknown.json()
    client.force_login(teacher)
    assert _api_upload(client, school, ENT_ROWS).status_code == 403
    assert client.get(f"/api/v1/results/exam-imports/{checked.json()['id']}/").status_code == 403


def test_command_imports_and_names_bad_rows(school, tmp_path):
    from django.core.management import CommandError, call_command

    good = tmp_path / "ent.csv"
    good.write_bytes(csv_bytes(ENT_ROWS, header=HEADER))
    args = ["--organisation", school.pk, "--year", YEAR, "--kind", "ent", "--date", "2026-03-14"]
    call_command("import_exam_results", str(good), *args)
    assert ExamResult.objects.count() == 3
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([[1, "", "11А", "Математика", 141, ""]], header=HEADER))
    with pytest.raises(CommandError):
        call_command("import_exam_results", str(bad), *args)
    with pytest.raises(CommandError):
        call_command("import_exam_results", str(good), *args[:-1], "14.03")
    assert ExamResult.objects.count() == 3


def test_a_stale_exam_import_is_failed_by_the_scheduled_task(school):
    from django.utils import timezone

    from results.imports.exams import create_exam_import
    from results.tasks import fail_stale_imports

    record = create_exam_import(
        organisation=school, school_year=YEAR, kind=kind("ent"), held_on=HELD,
        file=SimpleUploadedFile("e.csv", csv_bytes(ENT_ROWS, header=HEADER)), dry_run=True,
    )  # fmt: skip
    ExamImport.objects.filter(pk=record.pk).update(
        status=ExamImport.Status.RUNNING,
        heartbeat_at=timezone.now() - datetime.timedelta(hours=1),
    )
    assert fail_stale_imports() == 1
    record.refresh_from_db()
    assert record.status == ExamImport.Status.FAILED and record.report["file_error"]
    assert ExamResult.objects.count() == 0
