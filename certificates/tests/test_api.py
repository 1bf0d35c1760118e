import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certificates import services
from certificates.models import Certificate
from certificates.tests.factories import held_event
from events.tests.factories import RegistrationFactory
from people.tests.factories import teacher_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued():
    h = held_event()
    services.issue_for_event(event=h.event, actor=h.leader)
    return h


def test_the_api_lists_my_certificates_and_retrieves_one(client, issued):
    mine = Certificate.objects.get(holder=issued.participant)
    client.force_login(issued.participant)
    body = client.get("/api/v1/certificates/").json()
    assert [c["id"] for c in body["results"]] == [mine.pk]
    one = client.get(f"/api/v1/certificates/{mine.pk}/").json()
    assert one["number"] == mine.number and one["role"] == "participant"
    assert one["check_url"].endswith(f"/c/{mine.token}/")
    other = Certificate.objects.get(holder=issued.speaker)
    assert client.get(f"/api/v1/certificates/{other.pk}/").status_code == 403
    assert client.get("/api/v1/certificates/999999/").status_code == 404
    client.force_login(issued.leader)
    assert client.get(f"/api/v1/certificates/{mine.pk}/").status_code == 200


def test_the_api_revokes_for_the_organiser_only(client, issued):
    mine = Certificate.objects.get(holder=issued.participant)
    url = f"/api/v1/certificates/{mine.pk}/revoke/"
    client.force_login(issued.participant)
    body = json.dumps({"reason": "Сам"})
    assert client.post(url, body, content_type="application/json").status_code == 403
    client.force_login(issued.leader)
    assert client.post(url, "{}", content_type="application/json").status_code == 400
    response = client.post(
        url, json.dumps({"reason": "Ошибка в ФИО"}), content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["is_revoked"] is True
    again = client.post(url, json.dumps({"reason": "ещё"}), content_type="application/json")
    assert again.status_code == 400


def test_a_revocation_reason_loses_control_characters_and_may_not_be_huge(client, issued):
    mine = Certificate.objects.get(holder=issued.participant)
    url = f"/api/v1/certificates/{mine.pk}/revoke/"
    client.force_login(issued.leader)
    huge = json.dumps({"reason": "x" * 5000})
    assert client.post(url, huge, content_type="application/json").status_code == 400
    nul = json.dumps({"reason": "Ошибка\x00"})  # refused by the API, not a 500
    assert client.post(url, nul, content_type="application/json").status_code == 400
    body = json.dumps({"reason": "Ошибка в\x07 ФИО"})
    assert client.post(url, body, content_type="application/json").status_code == 200
    mine.refresh_from_db()
    assert mine.revoke_reason == "Ошибка в ФИО"


def _count(client, url) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_the_lists_do_not_grow_in_queries_with_certificates(client):
    h = held_event()
    services.issue_for_event(event=h.event, actor=h.leader)
    client.force_login(h.leader)
    urls = [f"/events/{h.event.pk}/certificates/", "/certificates/", "/api/v1/certificates/"]
    before = [_count(client, url) for url in urls]
    for n in range(6):
        person = teacher_at(h.event.organiser_community.organisation, last_name=f"Новый{n}")
        RegistrationFactory(event=h.event, person=person, attended=True)
        services.issue(event=h.event, person=h.leader if n == 0 else person, actor=h.leader,
                       role="participant")  # fmt: skip
    after = [_count(client, url) for url in urls]
    assert after == before
