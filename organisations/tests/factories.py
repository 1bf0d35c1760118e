import factory

from organisations.models import Network, NetworkMembership, Organisation, Territory


class TerritoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory

    name = factory.Sequence(lambda n: f"Территория {n}")
    kind = Territory.Kind.REGION


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Школа № {n}")
    kind = Organisation.Kind.SCHOOL
    territory = factory.SubFactory(TerritoryFactory)


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"Сеть {n}")
    lead_school = factory.SubFactory(OrganisationFactory)
    territory = factory.SelfAttribute("lead_school.territory")


class NetworkMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkMembership

    network = factory.SubFactory(NetworkFactory)
    organisation = factory.SubFactory(
        OrganisationFactory, territory=factory.SelfAttribute("..network.territory")
    )
    role = NetworkMembership.Role.PARTNER
