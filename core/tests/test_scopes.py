"""core.scopes: the kernel's look-up of a person's scopes, read by what people registers."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from core import scopes
from organisations.tests.factories import OrganisationFactory
from people import roles
from people.tests.factories import PersonFactory, school_admin

pytestmark = pytest.mark.django_db


def test_people_registers_how_scopes_are_read_and_they_are_read_once_per_user(
    django_assert_num_queries,
):
    school = OrganisationFactory()
    admin = school_admin(school)
    with django_assert_num_queries(1):
        assert scopes.scopes_for(admin).school_admin_orgs == {school.pk}
        assert scopes.scopes_for(admin) is scopes.scopes_for(admin)
    assert scopes.scopes_for(None) == scopes.Scopes()


def test_without_a_registered_reader_the_kernel_says_so(monkeypatch):
    monkeypatch.setattr(scopes, "_load", None)
    with pytest.raises(ImproperlyConfigured):
        scopes.scopes_for(PersonFactory())
    monkeypatch.setattr(scopes, "_load", roles.load_scopes)
    assert scopes.scopes_for(PersonFactory()).is_authenticated
