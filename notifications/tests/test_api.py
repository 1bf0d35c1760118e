"""The notices API: each person reads, marks and configures their own notices, nobody else's."""

import pytest

from notifications.models import Notification, Preference
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _notice(person, n):
    return Notification.objects.create(
        recipient=person, kind="meeting_soon", key=f"k{n}", text=f"Notice {n}", url="/"
    )


def test_a_person_lists_and_marks_read_only_their_own_notices(client):
    me, other = PersonFactory(), PersonFactory()
    mine = _notice(me, 1)
    _notice(other, 2)
    client.force_login(me)
    rows = client.get("/api/v1/notifications/").json()["results"]
    assert [r["id"] for r in rows] == [mine.pk]
    assert client.post("/api/v1/notifications/read/").json() == {"marked": 1}
    assert client.get("/api/v1/notifications/?unread=true").json()["results"] == []
    assert Notification.objects.get(recipient=other).read_at is None


def test_preferences_are_read_and_set_whole_or_refused(client):
    me = PersonFactory()
    client.force_login(me)
    assert client.get("/api/v1/notifications/preferences/").json()["meeting_soon"] == "email"
    answer = client.put(
        "/api/v1/notifications/preferences/",
        {"meeting_soon": "digest"},
        content_type="application/json",
    )
    assert answer.status_code == 200 and answer.json()["meeting_soon"] == "digest"
    refused = client.put(
        "/api/v1/notifications/preferences/",
        {"meeting_soon": "app", "plan_waiting": "pigeon"},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "plan_waiting" in refused.json()
    assert Preference.objects.get(person=me, kind="meeting_soon").delivery == "digest"


def test_the_api_needs_a_login(client):
    assert client.get("/api/v1/notifications/").status_code in (401, 403)
