import pytest

from organisations.tests.factories import OrganisationFactory, TerritoryFactory
from people.tests.factories import PersonFactory, PositionFactory, school_admin


@pytest.fixture
def territory(db):
    return TerritoryFactory(name="Область", country_code="KZ")


@pytest.fixture
def school(territory):
    return OrganisationFactory(name="Школа № 1", territory=territory)


@pytest.fixture
def admin(school):
    return school_admin(school)


@pytest.fixture
def teacher(school):
    person = PersonFactory(last_name="Сидорова", first_name="Анна", middle_name="Петровна")
    PositionFactory(person=person, organisation=school)
    return person
