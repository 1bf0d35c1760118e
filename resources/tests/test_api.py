"""The resource bank's API: the list with filters, a draft made twice with one key, submit."""

import uuid

import pytest

from communities.models import Membership
from communities.tests.factories import CommunityFactory, MembershipFactory
from people.tests.factories import teacher_at
from resources.models import Resource

from .factories import ResourceFactory

pytestmark = pytest.mark.django_db


def test_draft_then_submit_through_the_api(client):
    plc = CommunityFactory()
    member = teacher_at(plc.organisation)
    MembershipFactory(community=plc, person=member, role=Membership.Role.MEMBER)
    client.force_login(member)
    key = str(uuid.uuid4())
    body = {"title": "Видеоурок", "kind": "video", "url": "https://video.example/1",
            "community": plc.pk, "key": key}  # fmt: skip
    first = client.post("/api/v1/resources/", body, content_type="application/json")
    again = client.post("/api/v1/resources/", body, content_type="application/json")
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert Resource.objects.count() == 1
    pk = first.json()["id"]
    response = client.post(f"/api/v1/resources/{pk}/submit/")
    assert response.status_code == 200
    assert response.json()["status"] == "submitted"


def test_a_video_needs_its_link(client):
    plc = CommunityFactory()
    member = teacher_at(plc.organisation)
    client.force_login(member)
    response = client.post(
        "/api/v1/resources/", {"title": "Видео", "kind": "video"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "url" in response.json() or "url" in str(response.json())


def test_the_list_filters(client):
    plc = CommunityFactory()
    ResourceFactory(community=plc, title="Геометрия", subject="Геометрия")
    ResourceFactory(community=plc, title="Химия", subject="Химия")
    client.force_login(teacher_at(plc.organisation))
    titles = [r["title"] for r in client.get("/api/v1/resources/?subject=Хим").json()["results"]]
    assert titles == ["Химия"]
