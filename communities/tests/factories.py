import factory

from communities.models import Community, CommunityKind, Membership
from organisations.tests.factories import OrganisationFactory


def kind(code: str, country: str = "RU") -> CommunityKind:
    """Kinds are data loaded by a migration; tests use the real rows."""
    return CommunityKind.objects.get(code=code, country=country)


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    kind = factory.LazyFunction(lambda: kind("school_plc"))
    name = factory.Sequence(lambda n: f"Сообщество {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    territory = factory.LazyAttribute(lambda o: o.organisation.territory)
    subject_area = "Математика"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    community = factory.SubFactory(CommunityFactory)
    person = factory.SubFactory("people.tests.factories.PersonFactory")
    role = Membership.Role.MEMBER
