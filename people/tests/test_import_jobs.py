# ruff: noqa: F811 (the fixtures imported from test_import are used as arguments)
"""Imports whose worker died: seen as failed after a silence, said so, and run again."""

import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from people import imports
from people.models import Person, TeacherImport
from people.tests.factories import PersonFactory, school_admin
from people.tests.test_import import (  # noqa: F401 (fixtures)
    admin,
    categories,
    school,
    school_xlsx,
    territory,
)

pytestmark = pytest.mark.django_db
BASE = Path(__file__).resolve().parents[2]


def _stored_import(school, admin, *, dry_run=True, status=TeacherImport.Status.RUNNING, ago=600):
    record = imports.create_import(
        organisation=school,
        file=SimpleUploadedFile("Список.xlsx", school_xlsx()),
        dry_run=dry_run,
        actor=admin,
    )
    TeacherImport.objects.filter(pk=record.pk).update(
        status=status, heartbeat_at=timezone.now() - dt.timedelta(seconds=ago)
    )
    return record


def _status_url(record):
    return reverse("imports:status", kwargs={"org_pk": record.organisation_id, "pk": record.pk})


def test_a_silent_running_import_is_shown_failed_and_runs_again(client, school, admin):
    record = _stored_import(school, admin)
    client.force_login(admin)
    page = client.get(_status_url(record))
    record.refresh_from_db()
    assert record.status == TeacherImport.Status.FAILED
    assert record.report["file_error"]
    assert "hx-get" not in page.content.decode()  # the page stops polling
    rerun_url = reverse("imports:rerun", kwargs={"org_pk": school.pk, "pk": record.pk})
    assert rerun_url in page.content.decode()

    response = client.post(rerun_url)
    again = TeacherImport.objects.exclude(pk=record.pk).get()
    assert response.status_code == 302 and response.url == _status_url(again)
    assert again.status == TeacherImport.Status.CHECKED and again.dry_run
    assert again.file.name == record.file.name


def test_an_import_that_never_started_is_failed_too(client, school, admin):
    record = _stored_import(school, admin, status=TeacherImport.Status.PENDING)
    TeacherImport.objects.filter(pk=record.pk).update(
        heartbeat_at=None, created_at=timezone.now() - dt.timedelta(hours=1)
    )
    client.force_login(admin)
    client.get(_status_url(record))
    record.refresh_from_db()
    assert record.status == TeacherImport.Status.FAILED


def test_a_running_import_that_beats_is_left_alone(client, school, admin):
    record = _stored_import(school, admin, ago=5)
    client.force_login(admin)
    page = client.get(_status_url(record))
    record.refresh_from_db()
    assert record.status == TeacherImport.Status.RUNNING
    assert "hx-get" in page.content.decode()
    rerun_url = reverse("imports:rerun", kwargs={"org_pk": school.pk, "pk": record.pk})
    assert client.post(rerun_url).status_code == 302
    assert TeacherImport.objects.count() == 1  # only a failed import runs again


def test_the_sweep_fails_silent_imports_without_anyone_looking(school, admin):
    silent = _stored_import(school, admin, dry_run=False)
    alive = _stored_import(school, admin, ago=1)
    done = _stored_import(school, admin, status=TeacherImport.Status.CHECKED)
    from people.tasks import fail_stale_imports

    assert fail_stale_imports() == 1
    statuses = dict(TeacherImport.objects.values_list("pk", "status"))
    assert statuses == {silent.pk: "failed", alive.pk: "running", done.pk: "checked"}


def test_only_staff_managers_run_an_import_again(client, school, admin):
    record = _stored_import(school, admin, status=TeacherImport.Status.FAILED)
    rerun_url = reverse("imports:rerun", kwargs={"org_pk": school.pk, "pk": record.pk})
    client.force_login(PersonFactory())
    assert client.post(rerun_url).status_code == 403
    assert client.post(f"/api/v1/imports/teachers/{record.pk}/rerun/").status_code == 403
    assert TeacherImport.objects.count() == 1


def test_api_reports_the_failure_and_runs_again(client, school, admin):
    record = _stored_import(school, admin)
    client.force_login(admin)
    body = client.get(f"/api/v1/imports/teachers/{record.pk}/").json()
    assert body["status"] == "failed" and body["file_error"]
    response = client.post(f"/api/v1/imports/teachers/{record.pk}/rerun/")
    assert response.status_code == 201
    assert response.json()["status"] == "checked" and response.json()["id"] != record.pk
    # the new run succeeded, so it is not a failed import to run again
    again = response.json()["id"]
    assert client.post(f"/api/v1/imports/teachers/{again}/rerun/").status_code == 400


# A worker killed for real needs a database another process can see while the test runs.
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a second process cannot see SQLite's test database"
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrations_data")
def test_a_worker_killed_mid_apply_leaves_nothing_and_the_import_runs_again(
    client, settings, territory, categories
):
    from organisations.tests.factories import OrganisationFactory

    school = OrganisationFactory(territory=territory)
    admin = school_admin(school)
    record = _stored_import(school, admin, dry_run=False, status=TeacherImport.Status.PENDING)
    before = Person.objects.count()
    db = connection.settings_dict
    child = textwrap.dedent(
        f"""
        import time, django
        django.setup()
        from django.db import transaction
        from people.imports import jobs
        from people.models import Person

        def stuck(**kwargs):
            kwargs["progress"](1, 2)
            with transaction.atomic():
                Person.objects.create(username="half-written", last_name="Половинкин")
                print("writing", flush=True)
                time.sleep(120)

        jobs.import_teachers = stuck
        jobs.run_import({record.pk})
        """
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "collegium.test_settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    worker = subprocess.Popen(
        [sys.executable, "-c", child], cwd=BASE, env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert worker.stdout.readline().strip() == "writing"
        assert TeacherImport.objects.get(pk=record.pk).status == TeacherImport.Status.RUNNING
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)

    settings.JOB_HEARTBEAT_TIMEOUT = 1
    time.sleep(1.5)
    client.force_login(admin)
    page = client.get(_status_url(record))
    record.refresh_from_db()
    assert record.status == TeacherImport.Status.FAILED
    assert not Person.objects.filter(username="half-written").exists()
    assert Person.objects.count() == before
    assert reverse("imports:rerun", kwargs={"org_pk": school.pk, "pk": record.pk}) in (
        page.content.decode()
    )
    response = client.post(reverse("imports:rerun", kwargs={"org_pk": school.pk, "pk": record.pk}))
    assert response.status_code == 302
    assert TeacherImport.objects.exclude(pk=record.pk).get().status == "applied"
    assert Person.objects.filter(last_name="Лесовая").exists()


@pytest.fixture
def started(monkeypatch):
    """Jobs handed to the background, instead of running them."""
    calls = []
    monkeypatch.setattr("core.background.run", lambda task, *args: calls.append((task, args)))
    return calls


def test_a_small_list_is_imported_within_the_request_from_the_page_and_the_api(
    client, school, admin, started
):
    client.force_login(admin)
    upload = SimpleUploadedFile("Список.xlsx", school_xlsx())
    page = client.post(
        reverse("imports:upload", args=[school.pk]), {"file": upload, "dry_run": "on"}
    )
    record = TeacherImport.objects.get()
    assert page.url == _status_url(record)
    assert record.status == TeacherImport.Status.CHECKED  # the report is there at once
    upload = SimpleUploadedFile("Список.xlsx", school_xlsx())
    response = client.post(
        "/api/v1/imports/teachers/", {"organisation": school.pk, "file": upload, "dry_run": True}
    )
    assert response.status_code == 201 and response.json()["status"] == "checked"
    assert not started


def test_a_large_list_runs_in_the_background_from_the_page_and_the_api(
    client, school, admin, started, settings
):
    settings.IMPORT_INLINE_MAX_BYTES = 100
    client.force_login(admin)
    upload = SimpleUploadedFile("Список.xlsx", school_xlsx())
    page = client.post(
        reverse("imports:upload", args=[school.pk]), {"file": upload, "dry_run": "on"}
    )
    from_page = TeacherImport.objects.get()
    assert page.url == _status_url(from_page)
    assert from_page.status == TeacherImport.Status.PENDING
    upload = SimpleUploadedFile("Список.xlsx", school_xlsx())
    response = client.post(
        "/api/v1/imports/teachers/", {"organisation": school.pk, "file": upload, "dry_run": True}
    )
    assert response.status_code == 202
    from_api = TeacherImport.objects.exclude(pk=from_page.pk).get()
    assert response["Location"].endswith(f"/api/v1/imports/teachers/{from_api.pk}/")
    assert response.json()["status"] == "pending"
    assert [args[0] for _task, args in started] == [from_page.pk, from_api.pk]
    # The job the background runs finishes the import the API answered for.
    task, args = started[1]
    task.run(*args)
    assert client.get(response["Location"]).json()["status"] == "checked"
