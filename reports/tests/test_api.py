"""The year's reports in the REST API: read, submit, return with a comment, accept."""

import json

from core.tests.conftest import ADMIN_A, CENTRE
from reports import services
from reports.models import Owner, Report


def _post(client, url, body=None):
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


def test_submit_return_and_accept_through_the_api(client, world):
    report = services.start_report(
        actor=None, owner_type=Owner.COMMUNITY, owner=world.plc, school_year=2025
    )
    client.force_login(world.leader)
    listed = client.get("/api/v1/year-reports/").json()
    assert [r["id"] for r in listed["results"]] == [report.pk]
    body = _post(client, f"/api/v1/year-reports/{report.pk}/submit/").json()
    assert body["status"] == "submitted" and body["submissions"][0]["number"] == 1
    assert _post(client, f"/api/v1/year-reports/{report.pk}/submit/").status_code == 403

    client.force_login(world.user(ADMIN_A))
    answer = _post(client, f"/api/v1/year-reports/{report.pk}/return/", {"comment": ""})
    assert answer.status_code == 400 and "comment" in answer.json()
    body = _post(client, f"/api/v1/year-reports/{report.pk}/return/", {"comment": "Фото"}).json()
    assert body["status"] == "returned" and body["submissions"][0]["comment"] == "Фото"

    client.force_login(world.leader)
    _post(client, f"/api/v1/year-reports/{report.pk}/submit/")
    client.force_login(world.user(ADMIN_A))
    body = _post(client, f"/api/v1/year-reports/{report.pk}/accept/").json()
    assert body["status"] == Report.Status.ACCEPTED
    assert [s["decision"] for s in body["submissions"]] == ["accepted", "returned"]

    client.force_login(world.user(CENTRE))
    assert client.get(f"/api/v1/year-reports/{report.pk}/").status_code == 404
