"""The dashboard, served by the portal app at / (URL name `dashboard`)."""

import pytest
from django.urls import reverse

from communities.tests.factories import CommunityFactory, MembershipFactory, kind
from people.tests.factories import school_admin

pytestmark = pytest.mark.django_db


def test_the_dashboard_shows_my_communities_and_what_breaks_the_rules(client):
    group = CommunityFactory(kind=kind("micro_group"), name="Микрогруппа «Физика»")
    MembershipFactory(community=group, role="leader")
    client.force_login(school_admin(group.organisation))
    response = client.get(reverse("dashboard"))
    assert reverse("dashboard") == "/"
    assert response.status_code == 200
    assert "portal/dashboard.html" in [t.name for t in response.templates]
    assert [item.title for item in response.context["attention"]] == [group.name]


def test_the_dashboard_asks_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response.url
