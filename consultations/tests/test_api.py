"""The REST API: ask, take, answer, rate; a second rating is refused; a repeat ask is one."""

import json

from consultations.models import ConsultationRequest
from core.tests.conftest import ADMIN_A, ADMIN_B, MEMBER_OTHER

from .matrix import council, leaders_pair, topic


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_the_whole_exchange_through_the_api(client, world):
    leaders_pair(world)
    client.force_login(world.user(MEMBER_OTHER))
    body = {"addressee": "mentor", "topic": topic().pk, "question": "ОГЭ?", "urgency": "urgent"}
    created = _post(client, "/api/v1/consultations/", body)
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    repeat = _post(client, "/api/v1/consultations/", body)
    assert repeat.status_code == 200 and repeat.json()["id"] == pk
    assert ConsultationRequest.objects.count() == 1

    client.force_login(world.user(ADMIN_B))
    assert _post(client, f"/api/v1/consultations/{pk}/take/", {}).json()["status"] == "taken"
    empty = _post(client, f"/api/v1/consultations/{pk}/answer/", {"text": ""})
    assert empty.status_code == 400 and "text" in empty.json()
    answered = _post(client, f"/api/v1/consultations/{pk}/answer/", {"text": "Так"})
    assert answered.json()["answer"]["text"] == "Так"

    client.force_login(world.user(MEMBER_OTHER))
    rated = _post(client, f"/api/v1/consultations/{pk}/rate/", {"score": 5})
    assert rated.status_code == 200 and rated.json()["rating"]["score"] == 5
    again = _post(client, f"/api/v1/consultations/{pk}/rate/", {"score": 1})
    assert again.status_code == 400
    bad = _post(client, f"/api/v1/consultations/{pk}/rate/", {"score": 7})
    assert bad.status_code == 400


def test_an_api_ask_to_a_council_not_offered_is_refused_on_the_field(client, world):
    client.force_login(world.user(ADMIN_A))
    body = {"addressee": "council", "community": world.plc.pk, "topic": topic().pk}
    response = _post(client, "/api/v1/consultations/", {**body, "question": "?"})
    assert response.status_code == 400 and "community" in response.json()
    ok = _post(client, "/api/v1/consultations/", {**body, "community": council(world).pk,
                                                   "question": "?"})  # fmt: skip
    assert ok.status_code == 201


def test_the_asker_withdraws_through_the_api(client, world):
    leaders_pair(world)
    client.force_login(world.user(MEMBER_OTHER))
    body = {"addressee": "mentor", "topic": topic().pk, "question": "Снимаю вопрос?"}
    pk = _post(client, "/api/v1/consultations/", body).json()["id"]
    client.force_login(world.user(ADMIN_B))
    assert _post(client, f"/api/v1/consultations/{pk}/withdraw/", {}).status_code == 403
    client.force_login(world.user(MEMBER_OTHER))
    done = _post(client, f"/api/v1/consultations/{pk}/withdraw/", {})
    assert done.status_code == 200 and done.json()["status"] == "withdrawn"
    again = _post(client, f"/api/v1/consultations/{pk}/withdraw/", {})
    assert again.status_code == 200 and again.json()["status"] == "withdrawn"
