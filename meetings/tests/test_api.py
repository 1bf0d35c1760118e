import datetime as dt

import pytest
from django.utils import timezone

from communities.models import Community
from meetings.models import Decision, Meeting
from people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def plc(shared_demo):  # loaded once for the module (the root conftest); writes roll back
    # The demo has meetings of its own; these tests start from none.
    Meeting.objects.all().delete()
    return Community.objects.get(kind__code="school_plc")


def person(username):
    return Person.objects.get(username=username)


def test_meeting_minutes_and_decisions_through_the_api(client, plc):
    client.force_login(person("leader"))
    starts = (timezone.now() - dt.timedelta(hours=3)).isoformat()
    response = client.post(
        "/api/v1/meetings/",
        {"community": plc.pk, "title": "Заседание", "starts_at": starts, "place": "Каб. 5",
         "chair": person("leader").pk, "questions": ["План"], "confirm": True},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    meeting_id = response.json()["id"]
    body = {
        "attended": [person("leader").pk, person("teacher").pk],
        "questions": [{"title": "План", "speakers": "Соколова", "summary": "Обсудили"}],
        "decisions": [
            {"text": "Отчёт", "assignee": person("teacher").pk,
             "due_on": str(timezone.localdate() - dt.timedelta(days=2)), "question": 0}
        ],
    }  # fmt: skip
    response = client.put(
        f"/api/v1/meetings/{meeting_id}/minutes/", body, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    version = response.json()["minutes"]["version"]
    stale = client.put(
        f"/api/v1/meetings/{meeting_id}/minutes/",
        body | {"version": version - 1},
        content_type="application/json",
    )
    assert stale.status_code == 409
    client.force_login(person("teacher"))
    assert client.post(f"/api/v1/meetings/{meeting_id}/sign/").status_code == 403
    mine = client.get("/api/v1/decisions/?mine=true&overdue=true").json()
    assert mine["count"] == 1 and mine["results"][0]["is_overdue"] is True
    decision_id = mine["results"][0]["id"]
    response = client.patch(
        f"/api/v1/decisions/{decision_id}/",
        {"status": "done", "evidence": "Сдан"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "done"
    client.force_login(person("leader"))
    signed = client.post(f"/api/v1/meetings/{meeting_id}/sign/").json()
    assert signed["minutes"]["signed_by"] == person("leader").pk
    again = client.put(
        f"/api/v1/meetings/{meeting_id}/minutes/", body, content_type="application/json"
    )
    assert again.status_code == 400
    assert Decision.objects.get().status == "done"


def test_meeting_without_chair_and_impossible_times_are_400(client, plc):
    client.force_login(person("leader"))
    response = client.post(
        "/api/v1/meetings/",
        {"community": plc.pk, "title": "З", "starts_at": "2026-10-01T10:00:00Z",
         "ends_at": "2026-10-01T09:00:00Z", "place": "Зал"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400 and "chair" in response.json()
    response = client.post(
        "/api/v1/meetings/",
        {"community": plc.pk, "title": "З", "starts_at": "2026-10-01T10:00:00Z",
         "ends_at": "2026-10-01T09:00:00Z", "place": "Зал", "chair": person("leader").pk},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400 and "ends_at" in response.json()
    assert not Meeting.objects.exists()
    client.force_login(person("demo.volkova"))
    response = client.post(
        "/api/v1/meetings/",
        {"community": plc.pk, "title": "З", "starts_at": "2026-10-01T10:00:00Z",
         "place": "Зал", "chair": person("leader").pk},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 403


def test_the_api_schedules_from_a_plan_only_once_it_is_approved_as_the_page_does(client, plc):
    from planning.models import Plan, PlannedMeeting

    client.force_login(person("leader"))
    planned = PlannedMeeting.objects.filter(plan__community=plc).select_related("plan").first()
    plan = planned.plan
    starts = (timezone.now() + dt.timedelta(days=3)).isoformat()
    body = {"community": plc.pk, "title": planned.title, "starts_at": starts, "place": "Каб. 5",
            "chair": person("leader").pk, "planned": planned.pk, "confirm": True}  # fmt: skip
    for status in (Plan.Status.DRAFT, Plan.Status.AGREED):
        Plan.objects.filter(pk=plan.pk).update(status=status)
        response = client.post("/api/v1/meetings/", body, content_type="application/json")
        assert response.status_code == 400 and "planned" in response.json(), status
    assert not Meeting.objects.exists()
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.APPROVED)
    response = client.post("/api/v1/meetings/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert Meeting.objects.get().planned == planned
