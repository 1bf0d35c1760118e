"""Kind rules per country: a copy for Russia and one for Kazakhstan, each community following its
territory's country, and each centre admin editing only their own country's copy."""

import pytest
from django.core.exceptions import ValidationError

from communities import services
from communities.forms import KindRulesForm
from communities.models import CommunityKind
from communities.tests.factories import kind
from organisations.tests.factories import OrganisationFactory, TerritoryFactory
from people.tests.factories import PersonFactory, centre_admin, school_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def kz_school():
    return OrganisationFactory(territory=TerritoryFactory(country_code="KZ"))


def test_every_kind_has_a_copy_for_each_country():
    codes = set(CommunityKind.objects.values_list("code", flat=True))
    for country in ("RU", "KZ"):
        assert (
            set(CommunityKind.objects.filter(country=country).values_list("code", flat=True))
            == codes
        )
    assert kind("school_plc", "KZ").pk != kind("school_plc").pk


def test_a_community_follows_the_rules_of_its_territorys_country(kz_school):
    group = services.create_community(
        kind=kind("school_plc"), name="ПОС", organisation=kz_school, subject_area="Математика"
    )
    assert group.kind == kind("school_plc", "KZ")
    ru_group = services.create_community(
        kind=kind("school_plc", "KZ"),
        name="ПОС",
        organisation=OrganisationFactory(),
        subject_area="Математика",
    )
    assert ru_group.kind == kind("school_plc")


def test_a_country_without_rules_gets_a_form_error():
    school = OrganisationFactory(territory=TerritoryFactory(country_code="BY"))
    with pytest.raises(ValidationError) as caught:
        services.create_community(kind=kind("school_plc"), name="ПОС", organisation=school)
    assert "kind" in caught.value.message_dict


def test_the_api_creates_on_the_copy_of_the_hosts_country(client, kz_school):
    client.force_login(school_admin(kz_school))
    response = client.post(
        "/api/v1/communities/",
        {"kind": "school_plc", "name": "ПОС", "organisation": kz_school.pk,
         "subject_area": "Математика"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "school_plc"
    assert kz_school.communities.get().kind.country == "KZ"


def _min_members_form(country: str) -> dict:
    rules = kind("school_plc", country)
    form = KindRulesForm(instance=rules)
    data = {name: form[name].value() for name in form.fields}
    data = {k: v for k, v in data.items() if v is not None and v is not False}
    data["min_members"] = 7
    return data


@pytest.mark.parametrize(
    "country, editor_country, allowed",
    [("KZ", "KZ", True), ("RU", "RU", True), ("KZ", "RU", False), ("RU", "KZ", False)],
)
def test_a_centre_admin_edits_only_the_rules_of_their_country(
    client, country, editor_country, allowed
):
    client.force_login(centre_admin(TerritoryFactory(country_code=editor_country)))
    url = f"/communities/kinds/{country}/school_plc/edit/"
    response = client.post(url, _min_members_form(country=country))
    assert response.status_code == (302 if allowed else 403)
    assert (kind("school_plc", country).min_members == 7) is allowed
    other = "RU" if country == "KZ" else "KZ"
    assert kind("school_plc", other).min_members != 7


def test_the_kind_list_offers_editing_only_of_ones_own_countrys_copies(client):
    client.force_login(centre_admin(TerritoryFactory(country_code="KZ")))
    page = client.get("/communities/kinds/").content.decode()
    assert "/communities/kinds/KZ/school_plc/edit/" in page
    assert "/communities/kinds/RU/school_plc/edit/" not in page


def test_the_superuser_edits_every_countrys_rules(client):
    client.force_login(PersonFactory(is_superuser=True, is_staff=True))
    for country in ("RU", "KZ"):
        response = client.post(
            f"/communities/kinds/{country}/school_plc/edit/", _min_members_form(country=country)
        )
        assert response.status_code == 302
        assert kind("school_plc", country).min_members == 7


def test_in_the_admin_a_centre_admin_reaches_the_kinds_and_changes_only_their_countrys(client):
    """Staff without model rights: the rules are the centre's to keep, so the admin lists them."""
    client.force_login(centre_admin(TerritoryFactory(country_code="KZ"), is_staff=True))
    assert client.get("/admin/communities/communitykind/").status_code == 200
    own, other = kind("school_plc", "KZ"), kind("school_plc", "RU")
    own_page = client.get(f"/admin/communities/communitykind/{own.pk}/change/")
    assert 'name="_save"' in own_page.content.decode()
    assert client.get(f"/admin/communities/communitykind/{other.pk}/change/").status_code == 403
    client.force_login(school_admin(OrganisationFactory(), is_staff=True))
    assert client.get("/admin/communities/communitykind/").status_code == 403
