"""The organisation databank export at region scale: constant queries, background when large."""

import datetime as dt
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from people import services
from people.models import Achievement, Award, Course, DatabankAccess, DatabankExport
from people.tests.factories import (
    OrganisationFactory,
    QualificationCategoryFactory,
    TeacherProfileFactory,
    centre_admin,
    school_admin,
    teacher_at,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    return OrganisationFactory(name="МБОУ СШ № 40")


def add_teachers(school, count: int) -> None:
    category = QualificationCategoryFactory(territory=school.territory)
    for _n in range(count):
        person = teacher_at(school)
        profile = TeacherProfileFactory(
            person=person, qualification_category=category, category_assigned_on=dt.date(2024, 5, 1)
        )
        Course.objects.create(profile=profile, title="Формирующее оценивание")
        Award.objects.create(profile=profile, title="Грамота", year=2023)
        for kind in ("teacher", "pupils"):
            Achievement.objects.create(profile=profile, kind=kind, year=2024, description="Призёр")


def export_queries(client, school) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/organisations/{school.pk}/databank.xlsx")
    assert response.status_code == 200
    return len(queries)


def test_organisation_export_runs_the_same_queries_for_one_and_for_twenty_people(
    client, school, django_assert_num_queries
):
    admin = school_admin(school)
    client.force_login(admin)
    add_teachers(school, 1)
    for_one = export_queries(client, school)
    add_teachers(school, 19)
    with django_assert_num_queries(for_one):
        response = client.get(f"/organisations/{school.pk}/databank.xlsx")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 + 20  # title, header, the teachers
    assert DatabankAccess.objects.filter(viewer=admin, action="export").count() == 1 + 20


@pytest.fixture
def large(settings, school):
    """An organisation above the background threshold (lowered so the test stays small)."""
    settings.DATABANK_EXPORT_BACKGROUND_FROM = 3
    add_teachers(school, 4)
    return school


def test_a_large_organisation_is_exported_in_the_background_with_progress_and_a_link(client, large):
    admin = school_admin(large)
    client.force_login(admin)
    response = client.get(f"/organisations/{large.pk}/databank.xlsx")
    assert response.status_code == 302
    export = DatabankExport.objects.get()
    assert response.url == f"/organisations/{large.pk}/databank-exports/{export.pk}/"
    assert export.status == "done" and export.rows_done == export.rows_total == 4
    page = client.get(response.url)
    assert page.status_code == 200
    file_url = f"/organisations/{large.pk}/databank-exports/{export.pk}/databank.xlsx"
    assert file_url in page.content.decode()
    download = client.get(file_url)
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(b"".join(download.streaming_content))).active
    assert sheet.max_row == 2 + 4
    assert DatabankAccess.objects.filter(viewer=admin, action="export").count() == 4


def test_a_running_export_polls_for_progress(client, large):
    admin = school_admin(large)
    export = services.start_databank_export(organisation=large, actor=admin)
    client.force_login(admin)
    url = f"/organisations/{large.pk}/databank-exports/{export.pk}/"
    page = client.get(url, headers={"HX-Request": "true"})
    assert page.status_code == 200
    assert 'hx-trigger="every 1s"' in page.content.decode()
    assert '<progress class="progress"' in page.content.decode()
    assert client.get(url + "databank.xlsx").status_code == 404  # nothing to fetch yet
    assert not DatabankAccess.objects.exists()


def test_only_the_requester_with_the_right_fetches_a_background_export(client, large):
    admin = school_admin(large)
    export = services.start_databank_export(organisation=large, actor=admin)
    from people.exports import build_databank_export

    build_databank_export(export.pk)
    url = f"/organisations/{large.pk}/databank-exports/{export.pk}/"
    for other in (school_admin(large), centre_admin(large.territory), teacher_at(large)):
        client.force_login(other)
        assert client.get(url).status_code == 403
        assert client.get(url + "databank.xlsx").status_code == 403
    client.force_login(admin)
    assert client.get(url + "databank.xlsx").status_code == 200
    admin.role_assignments.all().delete()  # no longer the school's admin
    assert client.get(url + "databank.xlsx").status_code == 403


def test_starting_an_export_needs_the_right(large):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.start_databank_export(organisation=large, actor=teacher_at(large))
    assert not DatabankExport.objects.exists()


def test_a_failed_export_says_so_and_logs_nothing(client, large, monkeypatch):
    admin = school_admin(large)
    client.force_login(admin)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("people.exports.databank_workbook", broken)
    response = client.get(f"/organisations/{large.pk}/databank.xlsx")
    assert response.status_code == 302
    assert DatabankExport.objects.get().status == "failed"
    assert client.get(response.url).status_code == 200
    assert not DatabankAccess.objects.exists()


def test_an_export_whose_worker_died_is_shown_failed(client, large, settings):
    import datetime as dt

    from django.utils import timezone

    admin = school_admin(large)
    export = services.start_databank_export(organisation=large, actor=admin)
    url = f"/organisations/{large.pk}/databank-exports/{export.pk}/"
    client.force_login(admin)
    DatabankExport.objects.filter(pk=export.pk).update(
        status="running", heartbeat_at=timezone.now() - dt.timedelta(seconds=5)
    )
    client.get(url)
    assert DatabankExport.objects.get().status == "running"  # still within the timeout
    settings.JOB_HEARTBEAT_TIMEOUT = 1
    page = client.get(url)
    assert DatabankExport.objects.get().status == "failed"
    assert "hx-trigger" not in page.content.decode()


def test_finished_exports_are_deleted_with_their_files_after_the_keeping_time(
    client, large, settings, django_capture_on_commit_callbacks
):
    import datetime as dt

    from django.utils import timezone

    from people.exports import build_databank_export, remove_expired_exports

    admin = school_admin(large)
    old = services.start_databank_export(organisation=large, actor=admin)
    build_databank_export(old.pk)
    old.refresh_from_db()
    storage, name = old.file.storage, old.file.name
    assert storage.exists(name)
    fresh = services.start_databank_export(organisation=large, actor=admin)
    build_databank_export(fresh.pk)
    running = services.start_databank_export(organisation=large, actor=admin)
    DatabankExport.objects.filter(pk__in=[old.pk, running.pk]).update(
        created_at=timezone.now()
        - dt.timedelta(hours=settings.DATABANK_EXPORT_KEEP_HOURS, minutes=1)
    )
    client.force_login(admin)
    page = client.get(f"/organisations/{large.pk}/databank-exports/{fresh.pk}/")
    assert "будет удалён" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        assert remove_expired_exports() == 1
    assert not storage.exists(name)
    # The one still being built is left to the heartbeat sweep; the fresh one stays.
    assert set(DatabankExport.objects.values_list("pk", flat=True)) == {fresh.pk, running.pk}
    url = f"/organisations/{large.pk}/databank-exports/{old.pk}/"
    assert client.get(url).status_code == 404
    assert client.get(url + "databank.xlsx").status_code == 404


def test_a_new_export_sweeps_the_expired_ones_without_a_scheduler(client, large, settings):
    import datetime as dt

    from django.utils import timezone

    admin = school_admin(large)
    client.force_login(admin)
    client.get(f"/organisations/{large.pk}/databank.xlsx")
    DatabankExport.objects.update(created_at=timezone.now() - dt.timedelta(days=3))
    client.get(f"/organisations/{large.pk}/databank.xlsx")
    assert DatabankExport.objects.count() == 1
