"""The communities an organisation or network hosts, added to its page by this app."""

import pytest

from communities.tests.factories import CommunityFactory, kind
from organisations.tests.factories import OrganisationFactory
from people.tests.factories import teacher_at

pytestmark = pytest.mark.django_db


def test_an_organisations_page_lists_the_communities_it_hosts_that_the_user_may_see(client):
    school = OrganisationFactory()
    shown = CommunityFactory(organisation=school, name="ПОС словесников")
    hidden = CommunityFactory(organisation=school, name="Закрытая группа", visibility="members")
    CommunityFactory(name="Чужое сообщество")
    client.force_login(teacher_at(school))
    response = client.get(f"/organisations/{school.pk}/")
    assert list(response.context["communities"]) == [shown]
    page = response.content.decode()
    assert shown.name in page and hidden.name not in page and "Чужое" not in page


def test_a_networks_page_lists_its_communities(client):
    from organisations.models import Network

    school = OrganisationFactory()
    network = Network.objects.create(
        name="Сеть «Компас»", territory=school.territory, lead_school=school
    )
    group = CommunityFactory(
        kind=kind("network_group"), organisation=None, network=network, territory=school.territory
    )
    client.force_login(teacher_at(school))
    response = client.get(f"/networks/{network.pk}/")
    assert list(response.context["communities"]) == [group]
