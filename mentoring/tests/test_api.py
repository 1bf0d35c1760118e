"""The mentoring API: what the caller may see, writes through the services, ids round-trip."""

from django.utils import timezone

from core.tests.conftest import ADMIN_A, SECRETARY
from mentoring import services

from .matrix import plc_pair


def test_a_pair_with_its_plan_rows_and_counts(client, world):
    pair = plc_pair(world)
    services.log_session(
        pair=pair, actor=None, held_on=timezone.localdate(), form="mentoring", topic="Старт"
    )
    client.force_login(world.user(ADMIN_A))
    body = client.get(f"/api/v1/mentoring/pairs/{pair.pk}/").json()
    assert body["id"] == pair.pk and body["mentee"] == world.member.pk
    assert body["sessions_count"] == 1 and body["plan_status"] == "draft"
    assert [g["text"] for g in body["goals"]] == ["Освоить формирующее оценивание"]
    listed = client.get("/api/v1/mentoring/pairs/").json()["results"]
    assert [p["id"] for p in listed] == [pair.pk]


def test_a_side_logs_and_reports_through_the_api(client, world):
    pair = plc_pair(world)
    client.force_login(world.user(SECRETARY))
    created = client.post(
        "/api/v1/mentoring/sessions/",
        {"pair": pair.pk, "held_on": timezone.localdate().isoformat(), "form": "lesson_visit",
         "topic": "Урок геометрии", "remote": False, "notes": "Хорошая рефлексия"},
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 201
    session = client.get(f"/api/v1/mentoring/sessions/{created.json()['id']}/").json()
    assert session["topic"] == "Урок геометрии" and session["logged_by"] == world.user(SECRETARY).pk
    assert client.get(f"/api/v1/mentoring/sessions/?pair={pair.pk}").json()["count"] == 1
    report = client.post(
        "/api/v1/mentoring/reports/",
        {"pair": pair.pk, "period": "half", "done": "Два урока", "submit": True},
        content_type="application/json",
    )
    assert report.status_code == 201
    assert report.json()["side"] == "mentor" and report.json()["status"] == "submitted"
    again = client.post(
        "/api/v1/mentoring/reports/",
        {"pair": pair.pk, "period": "half", "done": "Иначе"},
        content_type="application/json",
    )
    assert again.status_code == 400


def test_an_unknown_pair_is_a_field_error(client, world):
    client.force_login(world.member)
    response = client.post(
        "/api/v1/mentoring/sessions/",
        {"pair": 999999, "held_on": "2026-10-01", "form": "mentoring", "topic": "x"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "pair" in response.json()
