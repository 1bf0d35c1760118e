import datetime as dt

import factory
from django.utils import timezone

from communities.tests.factories import CommunityFactory
from events.models import Event, EventKind, Registration


def kind(code: str = "seminar") -> EventKind:
    return EventKind.objects.get(code=code)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    kind = factory.LazyFunction(kind)
    title = factory.Sequence(lambda n: f"Семинар {n}")
    organiser_community = factory.SubFactory(CommunityFactory)
    territory = factory.LazyAttribute(lambda o: o.organiser_community.territory)
    audience = Event.Audience.OPEN
    status = Event.Status.ANNOUNCED
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=3))
    place = "Каб. 12"


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    person = factory.SubFactory("people.tests.factories.PersonFactory")
