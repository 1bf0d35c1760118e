"""The year's report from draft to acceptance: pages, files, submission, return, board."""

import pytest
from django.utils import timezone

from core.schoolyear import school_year_of
from core.tests.conftest import ADMIN_A, CENTRE, LEADER
from reports import services
from reports.models import Owner, Report, ReportFile, Submission

YEAR = school_year_of(timezone.localdate())


@pytest.fixture
def draft(world):
    return services.start_report(
        actor=world.leader, owner_type=Owner.COMMUNITY, owner=world.plc, school_year=YEAR
    )


def test_a_draft_is_filled_from_the_records_and_prefilled(draft, client, world):
    assert draft.status == Report.Status.DRAFT
    # Prefilled from the sections' summaries (one held meeting, one decision of this year).
    assert "1" in draft.analysis and draft.analysis.strip()
    client.force_login(world.leader)
    page = client.get(f"/reports/{draft.pk}/").content.decode()
    for code in (
        "plan",
        "targets",
        "meetings",
        "decisions",
        "events",
        "lesson_study",
        "mentoring",
        "photos",
    ):
        assert f'id="section-{code}"' in page, code
    assert "Held meeting" in page  # the PLC's meeting of this year, from the records
    assert 'id="narrative-form"' in page


def test_starting_twice_gives_the_same_report(draft, world):
    again = services.start_report(
        actor=world.leader, owner_type=Owner.COMMUNITY, owner=world.plc, school_year=YEAR
    )
    assert again.pk == draft.pk


def test_the_leader_edits_downloads_and_submits_and_the_director_returns_then_accepts(
    draft, client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.leader)
    response = client.post(
        f"/reports/{draft.pk}/",
        {"version": draft.version, "analysis": "Год прошёл хорошо", "problems": "", "tasks": "X"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.analysis == "Год прошёл хорошо"
    docx = client.get(f"/reports/{draft.pk}/report.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    pdf = client.get(f"/reports/{draft.pk}/report.pdf")
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/reports/{draft.pk}/submit/").status_code == 302
    draft.refresh_from_db()
    assert draft.status == Report.Status.SUBMITTED
    submission = draft.submissions.get()
    assert submission.snapshot["narrative"]["analysis"] == "Год прошёл хорошо"
    files = ReportFile.objects.filter(submission=submission, status=ReportFile.Status.DONE)
    assert sorted(files.values_list("format", flat=True)) == ["docx", "pdf"]
    # Frozen: the narrative cannot change while it is with the receiver.
    client.post(f"/reports/{draft.pk}/", {"version": draft.version, "analysis": "Иначе"})
    draft.refresh_from_db()
    assert draft.analysis == "Год прошёл хорошо"

    client.force_login(world.user(ADMIN_A))
    page = client.get(f"/reports/{draft.pk}/").content.decode()
    assert 'id="decide-form"' in page
    # Returning needs a comment, said in Russian; nothing changes.
    client.post(f"/reports/{draft.pk}/decide/", {"decision": "return", "comment": ""})
    draft.refresh_from_db()
    assert draft.status == Report.Status.SUBMITTED
    client.post(f"/reports/{draft.pk}/decide/", {"decision": "return", "comment": "Добавьте фото"})
    draft.refresh_from_db()
    assert draft.status == Report.Status.RETURNED

    client.force_login(world.leader)
    page = client.get(f"/reports/{draft.pk}/").content.decode()
    assert "Добавьте фото" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/reports/{draft.pk}/submit/")
    client.force_login(world.user(ADMIN_A))
    client.post(f"/reports/{draft.pk}/decide/", {"decision": "accept"})
    draft.refresh_from_db()
    assert draft.status == Report.Status.ACCEPTED
    assert [s.decision for s in draft.submissions.all()] == [
        Submission.Decision.ACCEPTED,
        Submission.Decision.RETURNED,
    ]
    version_file = ReportFile.objects.filter(submission__number=2, format="pdf").get()
    assert client.get(f"/reports/files/{version_file.pk}/download/").status_code == 200


def test_the_board_shows_submitted_and_missing(draft, client, world):
    client.force_login(world.user(ADMIN_A))
    page = client.get(f"/reports/board/?year={YEAR}").content.decode()
    assert world.plc.name in page
    services.submit(actor=world.leader, report=draft)
    page = client.get(f"/reports/board/?year={YEAR}&state=submitted").content.decode()
    assert world.plc.name in page
    page = client.get(f"/reports/board/?year={YEAR}&state=missing").content.decode()
    assert world.plc.name not in page.split('id="board"')[1]
    assert world.plc.name in page.split('id="board"')[0]  # waiting for review


def test_the_centre_report_builds_in_the_background(
    client, world, django_capture_on_commit_callbacks
):
    report = services.start_report(
        actor=world.user(CENTRE), owner_type=Owner.CENTRE, owner=world.region, school_year=YEAR
    )
    client.force_login(world.user(CENTRE))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/reports/{report.pk}/build/", {"format": "pdf"})
    assert response.status_code == 302
    job = ReportFile.objects.get(report=report)
    assert job.status == ReportFile.Status.DONE and job.progress == 100
    page = client.get(f"/reports/files/{job.pk}/").content.decode()
    assert f"/reports/files/{job.pk}/download/" in page
    # The writer does not accept their own report.
    services.submit(actor=world.user(CENTRE), report=report)
    response = client.post(f"/reports/{report.pk}/decide/", {"decision": "accept"})
    assert response.status_code == 403


def test_a_stranger_does_not_see_a_report(draft, client, world):
    client.force_login(world.user(LEADER))
    assert client.get(f"/reports/{draft.pk}/").status_code == 200
    client.force_login(world.user(CENTRE))
    assert client.get(f"/reports/{draft.pk}/").status_code == 403


def test_the_centre_board_lists_schools_networks_and_centres(client, world):
    from core.tests.conftest import CENTRE_OTHER

    report = services.start_report(
        actor=world.user(ADMIN_A), owner_type=Owner.SCHOOL, owner=world.school_a, school_year=YEAR
    )
    services.submit(actor=world.user(ADMIN_A), report=report)
    client.force_login(world.user(CENTRE))
    page = client.get(f"/reports/board/?of=school&year={YEAR}").content.decode()
    board = page.split('id="board"')[1]
    assert f'href="/reports/{report.pk}/"' in board and "School B" in board
    assert "School C" not in board  # another region's school
    page = client.get(f"/reports/board/?of=school&year={YEAR}&state=owed").content.decode()
    board = page.split('id="board"')[1]
    assert "School B" in board and "School A" not in board
    page = client.get(f"/reports/board/?of=network&year={YEAR}").content.decode()
    assert world.network.name in page.split('id="board"')[1]
    page = client.get(f"/reports/board/?of=centre&year={YEAR}").content.decode()
    assert "Region" in page.split('id="board"')[1]
    # Another region's centre does not receive them; a school admin has no such rows.
    client.force_login(world.user(CENTRE_OTHER))
    board = client.get(f"/reports/board/?of=school&year={YEAR}").content.decode()
    assert "School A" not in board.split('id="board"')[1]
    client.force_login(world.user(ADMIN_A))
    board = client.get(f"/reports/board/?of=network&year={YEAR}").content.decode()
    assert world.network.name not in board.split('id="board"')[1]


def test_the_owners_board_does_not_grow_with_schools(client, world):
    from organisations.tests.factories import OrganisationFactory

    client.force_login(world.user(CENTRE))

    def queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/reports/board/?of=school&year={YEAR}").status_code == 200
        return len(captured.captured_queries)

    before = queries()
    OrganisationFactory.create_batch(12, territory=world.school_a.territory)
    assert queries() == before
