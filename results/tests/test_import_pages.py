"""The import through its page, the API and the command line: check, apply, nothing twice."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from results.models import ResultImport, ResultRow

from .files import GOOD, csv_bytes

pytestmark = pytest.mark.django_db
YEAR = 2025


def test_page_dry_run_then_apply(client, school, admin):
    client.force_login(admin)
    assert client.get(f"/results/schools/{school.pk}/import/").status_code == 200
    upload = SimpleUploadedFile("итоги.csv", csv_bytes(GOOD))
    response = client.post(
        f"/results/schools/{school.pk}/import/",
        {"file": upload, "school_year": YEAR, "dry_run": "on"},
    )
    record = ResultImport.objects.get()
    assert response.status_code == 302 and record.status == ResultImport.Status.CHECKED
    assert ResultRow.objects.count() == 0
    status = client.get(response.url)
    assert f"/imports/{record.pk}/apply/" in status.content.decode()
    applied = client.post(f"/results/schools/{school.pk}/imports/{record.pk}/apply/")
    assert applied.status_code == 302
    assert ResultRow.objects.count() == 3
    assert ResultImport.objects.filter(status=ResultImport.Status.APPLIED).count() == 1


def test_page_refuses_a_bad_row_and_writes_nothing(client, school, admin):
    client.force_login(admin)
    bad = [*GOOD, ["5Г", "Физика", "", "1 четверть", "много", 1, 1, 1, 0]]
    client.post(
        f"/results/schools/{school.pk}/import/",
        {"file": SimpleUploadedFile("итоги.csv", csv_bytes(bad)), "school_year": YEAR},
    )
    record = ResultImport.objects.get()
    assert record.status == ResultImport.Status.FAILED
    assert record.report["errors"][0]["row"] == 5
    assert ResultRow.objects.count() == 0
    page = client.get(f"/results/schools/{school.pk}/imports/{record.pk}/").content.decode()
    assert "много" in page


def test_api_import(client, school, admin):
    client.force_login(admin)
    response = client.post(
        "/api/v1/results/imports/",
        {"file": SimpleUploadedFile("r.csv", csv_bytes(GOOD)), "organisation": school.pk,
         "school_year": YEAR, "dry_run": "false"},
    )  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["report"]["created"] == 3
    detail = client.get(f"/api/v1/results/imports/{response.json()['id']}/")
    assert detail.json()["status"] == "applied"


def test_api_import_refused_to_others(client, school, teacher):
    client.force_login(teacher)
    response = client.post(
        "/api/v1/results/imports/",
        {"file": SimpleUploadedFile("r.csv", csv_bytes(GOOD)), "organisation": school.pk,
         "school_year": YEAR},
    )  # fmt: skip
    assert response.status_code == 403
    assert not ResultImport.objects.exists()


def test_command(tmp_path, school):
    path = tmp_path / "итоги.csv"
    path.write_bytes(csv_bytes(GOOD, encoding="cp1251"))
    out = io.StringIO()
    call_command("import_results", str(path), organisation=school.pk, year=YEAR, stdout=out)
    assert ResultRow.objects.count() == 3
    call_command("import_results", str(path), organisation=school.pk, year=YEAR, stdout=out)
    assert ResultRow.objects.count() == 3
    path.write_bytes(csv_bytes([[*GOOD[0][:4], -3, 0, 0, 0, 0]]))
    with pytest.raises(CommandError):
        call_command("import_results", str(path), organisation=school.pk, year=YEAR, stdout=out)


def test_file_without_period_column_takes_the_chosen_period(school):
    from results.imports import import_results
    from results.models import AssessmentPeriod

    header = ["Класс", "Предмет", "5", "4", "3", "2"]
    rows = [["9А", "Алгебра", 1, 2, 3, 0]]
    year = AssessmentPeriod.objects.get(country_code="KZ", code="year")
    report = import_results(
        organisation=school, school_year=YEAR, file=csv_bytes(rows, header=header),
        dry_run=False, period=year,
    )  # fmt: skip
    assert report.applied, report.to_dict()
    assert ResultRow.objects.get().period == year


def test_a_large_file_runs_in_the_background_with_progress(client, school, admin, settings):
    settings.IMPORT_INLINE_MAX_BYTES = 10  # tests run background jobs at once (BACKGROUND_SYNC)
    client.force_login(admin)
    response = client.post(
        "/api/v1/results/imports/",
        {"file": SimpleUploadedFile("r.csv", csv_bytes(GOOD)), "organisation": school.pk,
         "school_year": YEAR, "dry_run": "false"},
    )  # fmt: skip
    assert response.status_code == 202
    assert response["Location"].endswith(f"/api/v1/results/imports/{response.json()['id']}/")
    record = ResultImport.objects.get()
    assert record.status == ResultImport.Status.APPLIED
    assert record.rows_total == record.rows_done == 3


def test_stale_import_is_failed(school):
    import datetime as dt

    from django.utils import timezone

    from results.imports import create_import, fail_stale_imports

    record = create_import(
        organisation=school, school_year=YEAR, file=SimpleUploadedFile("r.csv", csv_bytes(GOOD)),
        dry_run=True,
    )  # fmt: skip
    ResultImport.objects.filter(pk=record.pk).update(
        status=ResultImport.Status.RUNNING, heartbeat_at=timezone.now() - dt.timedelta(hours=1)
    )
    assert fail_stale_imports() == 1
    record.refresh_from_db()
    assert record.status == ResultImport.Status.FAILED and record.report["file_error"]
