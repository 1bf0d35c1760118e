import pytest
from rest_framework.authtoken.models import Token

from communities.tests.factories import CommunityFactory, kind
from organisations.models import NetworkMembership, Organisation
from organisations.tests.factories import NetworkFactory, OrganisationFactory, TerritoryFactory
from people.tests.factories import PersonFactory, centre_admin, coordinator, teacher_at

pytestmark = pytest.mark.django_db


def test_organisation_list_searches_filters_and_paginates(client):
    region = TerritoryFactory()
    for n in range(30):
        OrganisationFactory(name=f"Школа {n:02d}", territory=region, low_results=n % 10 == 0)
    OrganisationFactory(name="Лицей «Эврика»", territory=region)
    client.force_login(PersonFactory())
    page = client.get("/organisations/")
    assert page.context["page"].paginator.count == 31
    assert len(page.context["page"].object_list) == 25
    page = client.get("/organisations/?q=эврика")
    assert [o.name for o in page.context["page"]] == ["Лицей «Эврика»"]
    page = client.get("/organisations/?flag=low_results")
    assert page.context["page"].paginator.count == 3
    assert client.get("/organisations/?territory=abc").status_code == 200  # bad filter: ignored


def test_centre_admin_creates_an_organisation_and_sees_field_errors(client):
    region = TerritoryFactory()
    client.force_login(centre_admin(region))
    response = client.post(
        "/organisations/new/",
        {"name": "", "kind": "school", "territory": region.pk, "website": "not a url"},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"name", "website"}
    response = client.post(
        "/organisations/new/",
        {
            "name": "МБОУ СШ № 77",
            "kind": "school",
            "territory": region.pk,
            "low_results": "on",
            "is_active": "on",
        },
    )
    organisation = Organisation.objects.get(name="МБОУ СШ № 77")
    assert response.status_code == 302 and organisation.low_results


def test_coordinator_adds_partner_and_magnet_schools(client):
    network = NetworkFactory()
    partner = OrganisationFactory(territory=network.territory)
    client.force_login(coordinator(network))
    client.post(f"/networks/{network.pk}/schools/", {"organisation": partner.pk, "role": "partner"})
    client.post(
        f"/networks/{network.pk}/schools/",
        {"organisation": network.lead_school_id, "role": "magnet"},
    )
    assert list(NetworkMembership.objects.values_list("organisation_id", "role")) == [
        (partner.pk, "partner")
    ]
    page = client.get(f"/networks/{network.pk}/").content.decode()
    assert partner.name in page


def test_api_lists_are_paginated_with_count_and_results(client):
    region = TerritoryFactory()
    for _n in range(120):
        OrganisationFactory(territory=region)
    client.force_login(PersonFactory())
    data = client.get("/api/v1/organisations/?page_size=500").json()
    assert data["count"] == 120 and len(data["results"]) == 100
    assert client.get("/api/v1/organisations/?kind=lyceum").json()["count"] == 0


def test_api_token_authentication_and_anonymous_refusal(client):
    person = PersonFactory()
    token = Token.objects.create(user=person)
    assert client.get("/api/v1/organisations/").status_code == 401
    response = client.get("/api/v1/people/me/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200 and response.json()["id"] == person.pk


def test_api_community_kind_filter_and_people_organisation_filter(client):
    school = OrganisationFactory()
    CommunityFactory(kind=kind("network_group"), organisation=None, territory=school.territory)
    CommunityFactory(organisation=school)
    inside, _outside = teacher_at(school), PersonFactory()
    client.force_login(inside)
    assert client.get("/api/v1/communities/?kind=network_group").json()["count"] == 1
    people = client.get(f"/api/v1/people/?organisation={school.pk}").json()
    assert [p["id"] for p in people["results"]] == [inside.pk]


def test_api_create_community_with_validation_message(client):
    school = OrganisationFactory()
    admin = PersonFactory()
    from people.services import assign_role

    assign_role(person=admin, role="school_admin", organisation=school)
    client.force_login(admin)
    response = client.post(
        "/api/v1/communities/",
        {"kind": "temporary_group", "name": "ВТГ", "organisation": school.pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "network" in response.json()  # a temporary group works in a network
    response = client.post(
        "/api/v1/communities/",
        {"kind": "school_plc", "name": "ПОС", "organisation": school.pk},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["territory"] == school.territory_id


def test_territories_are_listed_and_a_centre_adds_one_inside_its_region(client):
    region = TerritoryFactory(name="Северная область")
    OrganisationFactory(territory=region)
    client.force_login(centre_admin(region))
    page = client.get("/territories/")
    assert page.status_code == 200
    assert [(t.name, t.organisation_count) for t in page.context["page"]] == [
        ("Северная область", 1)
    ]
    response = client.post(
        "/territories/new/", {"name": "Озёрный район", "kind": "district", "country_code": "RU"}
    )
    assert response.status_code == 200 and "parent" in response.context["form"].errors
    response = client.post(
        "/territories/new/",
        {"name": "Озёрный район", "kind": "district", "parent": region.pk, "country_code": "RU"},
    )
    assert response.status_code == 302
    district = region.children.get()
    assert district.path == f"{region.path}{district.pk}/"


def test_a_teacher_cannot_add_or_edit_territories(client):
    region = TerritoryFactory()
    client.force_login(PersonFactory())
    assert client.get("/territories/new/").status_code == 403
    assert client.get(f"/territories/{region.pk}/edit/").status_code == 403
    assert client.get("/territories/").status_code == 200
