"""The communities page and the API filter with one FilterSet (communities/filters.py)."""

import pytest

from communities.models import Community
from communities.tests.factories import CommunityFactory, MembershipFactory, kind
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    me = PersonFactory()
    mine = CommunityFactory(name="Кафедра физики", kind=kind("school_plc"))
    MembershipFactory(community=mine, person=me)
    other = CommunityFactory(name="Кафедра химии", kind=kind("micro_group"), visibility="public")
    closed = CommunityFactory(
        name="Кафедра истории", status=Community.Status.ABOLISHED, visibility="public"
    )
    return me, mine, other, closed


def _page_rows(client, **params):
    page = client.get("/communities/", params).context["page"]
    return {c.pk for c in page.object_list}


def _api_rows(client, **params):
    return {row["id"] for row in client.get("/api/v1/communities/", params).json()["results"]}


def test_page_and_api_answer_the_same_filters_alike(client, world):
    me, mine, other, closed = world
    client.force_login(me)
    for params, expected in [
        ({"q": "кафедра физики", "status": "active"}, {mine.pk}),
        ({"kind": "micro_group", "status": "active"}, {other.pk}),
        ({"mine": "true", "status": "active"}, {mine.pk}),
        ({"status": "abolished"}, {closed.pk}),
    ]:
        assert _page_rows(client, **params) == expected, params
        assert _api_rows(client, **params) == expected, params


def test_the_page_opens_on_active_communities_and_the_api_on_all(client, world):
    me, mine, other, closed = world
    client.force_login(me)
    assert closed.pk not in _page_rows(client)
    assert closed.pk in _page_rows(client, status="")
    assert closed.pk in _api_rows(client)


def test_bad_filters_are_explained_on_the_page_and_kept_compatible_in_the_api(client, world):
    client.force_login(world[0])
    assert client.get("/api/v1/communities/", {"status": "nonsense"}).status_code == 400
    assert _api_rows(client, kind="no-such-kind") == set()  # as the API always answered
    page = client.get("/communities/", {"status": "nonsense", "kind": "no-such-kind"})
    assert page.status_code == 200
    assert set(page.context["form"].errors) == {"status", "kind"}
