"""The dashboard runs the same number of queries however much waits for the person.

A centre admin's region is built twice as big as before and the two cold requests must run as
many queries: leaders' pairs breaking their rule (judged by where the two sides work, which once
cost two queries a pair), and issue 8's sections (events to give feedback on, surveys to answer).
The bench (`make bench`) once showed the centre's dashboard at 27 queries at size S, 61 at M.
"""

import datetime as dt
import itertools

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.models import Community, Membership
from communities.tests.factories import CommunityFactory, MembershipFactory, kind
from events.tests.factories import EventFactory, RegistrationFactory
from organisations.models import Territory
from organisations.tests.factories import OrganisationFactory, TerritoryFactory
from people.models import Position
from people.tests.factories import PersonFactory, centre_admin

pytestmark = pytest.mark.django_db

_seq = itertools.count(1)


@pytest.fixture
def region():
    region = TerritoryFactory(name="Область", kind=Territory.Kind.REGION)
    district = TerritoryFactory(name="Район", kind=Territory.Kind.DISTRICT, parent=region)
    return region, district


def _working_at(school):
    person = PersonFactory(username=f"p{next(_seq)}")
    Position.objects.create(person=person, organisation=school, title="Директор")
    return person


def grow(region, district, admin, n: int) -> None:
    """n more leaders' pairs whose mentee leads a school outside the low-results programme, n
    more communities without a leader, and n events the admin attended a day ago."""
    strong = OrganisationFactory(territory=district, low_results=False)
    for _ in range(n):
        i = next(_seq)
        pair = CommunityFactory(
            kind=kind("leaders_pair"), name=f"Пара {i}", organisation=None, territory=district
        )
        for role in (Membership.Role.MENTOR, Membership.Role.MENTEE):
            MembershipFactory(community=pair, person=_working_at(strong), role=role)
        Community.objects.filter(pk=pair.pk).update(member_count=2)
        CommunityFactory(name=f"ПОС {i}", organisation=strong)  # no leader, no members
        event = EventFactory(
            organiser_community=pair,
            title=f"Семинар {i}",
            starts_at=timezone.now() - dt.timedelta(days=1),
        )
        RegistrationFactory(event=event, person=admin, attended=True)


def _count(client) -> tuple[int, object]:
    cache.clear()  # cold: the kept cadence answer would hide growth
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    return len(queries), response.context


def test_the_centres_dashboard_does_not_grow_with_pairs_and_events(client, region):
    admin = centre_admin(region[0], username="centre")
    client.force_login(admin)
    grow(*region, admin, 2)
    client.get("/")  # warm up one-off caches (content types, translations)
    few, context = _count(client)
    pairs = [i for i in context["attention"] if i.title.startswith("Пара")]
    assert len(pairs) == 2 and all("не входит в программу" in i.detail for i in pairs), [
        i.detail for i in pairs
    ]
    assert len([i for i in context["waiting"] if i.kind == "event"]) == 2

    grow(*region, admin, 8)
    many, context = _count(client)
    assert len([i for i in context["attention"] if i.title.startswith("Пара")]) == 10
    assert len([i for i in context["waiting"] if i.kind == "event"]) == 10
    assert many == few
