"""Bad input answers with a message at the field and changes nothing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.tests.conftest import ADMIN_A, CENTRE
from reports import services
from reports.models import Owner, Report, ReportFile


@pytest.fixture
def draft(world):
    return services.start_report(
        actor=None, owner_type=Owner.COMMUNITY, owner=world.plc, school_year=2025
    )


def test_a_stale_version_is_refused_and_nothing_is_written(draft, world):
    services.save_narrative(actor=world.leader, report=draft, version=draft.version, tasks="A")
    with pytest.raises(ValidationError) as error:
        services.save_narrative(actor=world.leader, report=draft, version=1, tasks="B")
    assert "version" in error.value.message_dict
    draft.refresh_from_db()
    assert draft.tasks == "A"


def test_an_overlong_narrative_names_its_field(draft, world):
    with pytest.raises(ValidationError) as error:
        services.save_narrative(
            actor=world.leader, report=draft, version=None, problems="я" * 20001
        )
    assert list(error.value.message_dict) == ["problems"]


def test_returning_without_a_comment_and_deciding_twice_are_refused(draft, world):
    services.submit(actor=world.leader, report=draft)
    with pytest.raises(ValidationError):
        services.decide(actor=world.user(ADMIN_A), report=draft, accept=False, comment=" ")
    services.decide(actor=world.user(ADMIN_A), report=draft, accept=True)
    draft.refresh_from_db()
    with pytest.raises(Exception):  # noqa: B017 - the policy refuses (PermissionDenied)
        services.decide(actor=world.user(ADMIN_A), report=draft, accept=True)
    assert draft.submissions.count() == 1


def test_unknown_owner_or_format_answers_without_a_500(draft, client, world):
    client.force_login(world.leader)
    assert client.post("/reports/start/", {"owner_type": "x", "owner": "1"}).status_code == 404
    assert client.post("/reports/start/", {"owner_type": "community"}).status_code == 404
    response = client.post(f"/reports/{draft.pk}/build/", {"format": "exe"})
    assert response.status_code == 302 and not ReportFile.objects.exists()
    assert client.get("/reports/board/?year=abc").status_code == 403  # not staff: no board
    client.force_login(world.user(CENTRE))
    assert client.get("/reports/board/?year=abc&state=zzz&page=x").status_code == 200


def test_a_job_without_a_sign_of_life_shows_as_failed(draft, client, world):
    job = ReportFile.objects.create(report=draft, format="pdf", status="running")
    ReportFile.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - dt.timedelta(hours=1))
    client.force_login(world.leader)
    page = client.get(f"/reports/files/{job.pk}/").content.decode()
    assert "hx-trigger" not in page and "badge err" in page
    assert Report.objects.get(pk=draft.pk).status == Report.Status.DRAFT
