"""The events API: create with a programme whose rows keep their ids, register onto the waiting
list and see the place, the organisers' list of registrations."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from communities.models import Membership
from communities.tests.factories import CommunityFactory, MembershipFactory
from people.tests.factories import PersonFactory

from .factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plc():
    community = CommunityFactory()
    leader = MembershipFactory(community=community, role=Membership.Role.LEADER).person
    community.leader = leader
    community.save()
    return community


def test_create_and_update_keep_programme_row_ids(plc):
    api = APIClient()
    api.force_authenticate(plc.leader)
    body = {
        "kind": "seminar", "title": "Семинар", "organiser_community": plc.pk,
        "audience": "open", "starts_at": (timezone.now() + dt.timedelta(days=3)).isoformat(),
        "programme": [{"title": "Доклад", "speaker": plc.leader.pk}],
    }  # fmt: skip
    created = api.post("/api/v1/events/", body, format="json")
    assert created.status_code == 201, created.json()
    event = created.json()
    row_id = event["programme"][0]["id"]
    body["programme"] = [{"id": row_id, "title": "Доклад (новое название)"}, {"title": "Итоги"}]
    updated = api.put(f"/api/v1/events/{event['id']}/", body, format="json").json()
    assert updated["programme"][0]["id"] == row_id
    assert [r["title"] for r in updated["programme"]] == ["Доклад (новое название)", "Итоги"]
    assert updated["status"] == "draft"


def test_register_shows_the_waiting_place(plc):
    event = EventFactory(organiser_community=plc, capacity=1)
    api = APIClient()
    for expected in ("registered", "waitlisted"):
        api.force_authenticate(PersonFactory())
        answer = api.post(f"/api/v1/events/{event.pk}/register/").json()
        assert answer["status"] == expected
    assert answer["waiting_place"] == 1
    api.force_authenticate(plc.leader)
    rows = api.get(f"/api/v1/events/{event.pk}/registrations/").json()["results"]
    assert [r["status"] for r in rows] == ["registered", "waitlisted"]


@pytest.mark.parametrize("suffix", ["", "registrations/"])
def test_an_id_too_large_for_the_database_is_not_found(suffix):
    api = APIClient()
    api.force_authenticate(PersonFactory())
    response = api.get(f"/api/v1/events/{'9' * 25}/{suffix}")
    assert response.status_code == 404
