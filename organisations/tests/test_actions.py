"""Writes are actions that ask the policy themselves: the page and the API cannot differ."""

import pytest
from django.core.exceptions import PermissionDenied

from organisations import services
from organisations.models import Territory
from organisations.tests.factories import NetworkFactory, OrganisationFactory, TerritoryFactory
from people.tests.factories import centre_admin, coordinator, school_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def region():
    return TerritoryFactory(name="Область")


@pytest.fixture
def districts(region):
    return [
        Territory.objects.create(name=f"Район {n}", kind=Territory.Kind.DISTRICT, parent=region)
        for n in (1, 2)
    ]


def test_a_director_edits_the_school_but_cannot_move_it(region, districts):
    school = OrganisationFactory(territory=districts[0])
    director = school_admin(school)
    services.update_organisation(actor=director, organisation=school, phone="+7 000 000-00-00")
    school.refresh_from_db()
    assert school.phone == "+7 000 000-00-00"
    with pytest.raises(PermissionDenied):
        services.update_organisation(actor=director, organisation=school, territory=districts[1])
    school.refresh_from_db()
    assert school.territory == districts[0]


def test_a_centre_moves_a_school_only_within_its_territory(region, districts):
    school = OrganisationFactory(territory=districts[0])
    district_centre = centre_admin(districts[0])
    with pytest.raises(PermissionDenied):
        services.update_organisation(
            actor=district_centre, organisation=school, territory=districts[1]
        )
    regional_centre = centre_admin(region)
    services.update_organisation(actor=regional_centre, organisation=school, territory=districts[1])
    school.refresh_from_db()
    assert school.territory == districts[1]


def test_the_page_and_the_api_refuse_the_same_move(client, region, districts):
    school = OrganisationFactory(territory=districts[0])
    district_centre = centre_admin(districts[0])
    client.force_login(district_centre)
    api = client.patch(
        f"/api/v1/organisations/{school.pk}/",
        {"territory": districts[1].pk},
        content_type="application/json",
    )
    assert api.status_code == 403
    page = client.post(
        f"/organisations/{school.pk}/edit/",
        {"name": school.name, "kind": school.kind, "territory": districts[1].pk},
    )
    assert page.status_code == 200 and "territory" in page.context["form"].errors
    school.refresh_from_db()
    assert school.territory == districts[0]


def test_networks_and_their_schools_follow_the_network_policy(region, districts):
    network = NetworkFactory(territory=districts[0], lead_school__territory=districts[0])
    partner = OrganisationFactory(territory=districts[0])
    outsider = school_admin(partner)
    with pytest.raises(PermissionDenied):
        services.add_network_school(
            actor=outsider, network=network, organisation=partner, role="partner"
        )
    services.add_network_school(
        actor=coordinator(network), network=network, organisation=partner, role="partner"
    )
    with pytest.raises(PermissionDenied):
        services.remove_network_school(actor=outsider, network=network, organisation=partner)
    with pytest.raises(PermissionDenied):
        services.update_network(actor=coordinator(network), network=network, territory=districts[1])
    assert network.memberships.filter(organisation=partner).exists()


def test_a_centre_adds_territories_only_inside_its_own(region, districts):
    district_centre = centre_admin(districts[0])
    services.create_territory(
        actor=district_centre, name="Микрорайон", kind="district", parent=districts[0]
    )
    with pytest.raises(PermissionDenied):
        services.create_territory(
            actor=district_centre, name="Чужой", kind="district", parent=districts[1]
        )
    with pytest.raises(PermissionDenied):
        services.create_territory(actor=district_centre, name="Новая область", kind="region")
    with pytest.raises(PermissionDenied):
        services.update_territory(
            actor=district_centre,
            territory=districts[1],
            name="X",
            kind="district",
            country_code="RU",
        )
