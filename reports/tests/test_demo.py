"""The demo's year's reports: the PLC's draft for `leader`, the association's for `centre`."""

import pytest
from django.core.management import call_command

from people.models import Person
from reports.models import Report, ReportFile

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_draft_for_leader_and_a_report_for_centre_to_review(client):
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)  # idempotent
    assert Report.objects.count() == 2
    draft = Report.objects.get(community__kind__code="school_plc")
    assert draft.status == Report.Status.DRAFT
    sent = Report.objects.get(community__kind__code="leaders_association")
    assert sent.status == Report.Status.SUBMITTED and sent.submissions.get().late
    assert ReportFile.objects.filter(submission__report=sent, status="done").count() == 2

    client.force_login(Person.objects.get(username="leader"))
    assert 'id="narrative-form"' in client.get(f"/reports/{draft.pk}/").content.decode()
    client.force_login(Person.objects.get(username="centre"))
    page = client.get(f"/reports/{sent.pk}/").content.decode()
    assert 'id="decide-form"' in page
    board = client.get(f"/reports/board/?year={sent.school_year}&state=late").content.decode()
    assert sent.community.name in board.split('id="board"')[1]
    dashboard = client.get("/").content.decode()
    assert f"/reports/{sent.pk}/" in dashboard
