"""Looking a person up by exact e-mail or phone reveals them only to those who may see their
contacts (themselves and their administrators); to anyone else it answers as for an unknown one.
"""

import pytest

from organisations.tests.factories import TerritoryFactory
from people.tests.factories import (
    OrganisationFactory,
    PersonFactory,
    centre_admin,
    school_admin,
    teacher_at,
)

pytestmark = pytest.mark.django_db

EMAIL = "Hidden.Teacher@Example.org"
PHONE = "+7 (900) 555-12-34"


@pytest.fixture
def school():
    return OrganisationFactory()


@pytest.fixture
def hidden(school):
    return teacher_at(school, username="hidden", email=EMAIL, phone=PHONE)


def _api_ids(client, q: str) -> list[int]:
    response = client.get("/api/v1/people/", {"q": q})
    assert response.status_code == 200
    return [row["id"] for row in response.json()["results"]]


def _page_ids(client, q: str) -> list[int]:
    response = client.get("/people/", {"q": q})
    assert response.status_code == 200
    return [person.pk for person in response.context["page"]]


@pytest.mark.parametrize("query", [EMAIL.lower(), "79005551234", "+7 900 555 12 34"])
def test_a_colleague_elsewhere_finds_nobody_by_exact_contact(client, school, hidden, query):
    outsider = teacher_at(OrganisationFactory(territory=school.territory))
    client.force_login(outsider)
    unknown = "nobody@example.org" if "@" in query else "79990000000"
    assert _api_ids(client, query) == _api_ids(client, unknown) == []
    assert _page_ids(client, query) == []


@pytest.mark.parametrize("query", [EMAIL.lower(), "79005551234", "+7 900 555 12 34"])
def test_their_administrators_and_they_themselves_find_them(client, school, hidden, query):
    for viewer in (
        hidden,
        school_admin(school),
        centre_admin(school.territory),
        PersonFactory(is_superuser=True),
    ):
        client.force_login(viewer)
        assert _api_ids(client, query) == [hidden.pk]
        assert _page_ids(client, query) == [hidden.pk]


def test_a_centre_admin_of_another_region_finds_nobody(client, hidden):
    client.force_login(centre_admin(TerritoryFactory()))
    assert _api_ids(client, EMAIL) == []


def test_names_are_still_found_by_everyone_signed_in(client, school, hidden):
    client.force_login(teacher_at(OrganisationFactory()))
    assert _api_ids(client, hidden.last_name) == [hidden.pk]


def test_administrators_find_themselves_by_their_own_contact(client, school):
    """An administrator's own contacts stay theirs to find, also without a position anywhere."""
    for n, make in enumerate((school_admin, centre_admin)):
        where = school if make is school_admin else school.territory
        admin = make(where, email=f"admin{n}@example.org")
        client.force_login(admin)
        assert _api_ids(client, f"admin{n}@example.org") == [admin.pk]
