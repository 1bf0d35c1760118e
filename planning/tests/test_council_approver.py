"""The district's coordination council adopts its own plan and the lead schools' networks'
plans (001 §3): its leader approves them; other people do not, the centre stands in."""

import pytest

from communities import services as community_services
from communities.models import Community, Membership
from communities.tests.factories import CommunityFactory, MembershipFactory, kind
from organisations.models import Territory
from organisations.tests.factories import NetworkFactory, OrganisationFactory, TerritoryFactory
from people.tests.factories import PersonFactory, centre_admin, coordinator, teacher_at
from planning import services
from planning.models import Plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    region = TerritoryFactory(name="Region", kind=Territory.Kind.REGION)
    district = TerritoryFactory(name="District", kind=Territory.Kind.DISTRICT, parent=region)
    other_district = TerritoryFactory(kind=Territory.Kind.DISTRICT, parent=region)
    lead_school = OrganisationFactory(territory=district)
    network = NetworkFactory(lead_school=lead_school, territory=region)
    other_network = NetworkFactory(
        lead_school=OrganisationFactory(territory=other_district), territory=region
    )
    council = community_services.create_community(
        kind=kind("coordination_council"), name="Координационный совет", territory=district
    )
    chair = PersonFactory(username="chair")
    community_services.add_member(community=council, person=chair, role=Membership.Role.LEADER)
    member = PersonFactory(username="councilmember")
    community_services.add_member(community=council, person=member)
    other_council = community_services.create_community(
        kind=kind("coordination_council"), name="Другой совет", territory=other_district
    )
    other_chair = PersonFactory(username="otherchair")
    community_services.add_member(
        community=other_council, person=other_chair, role=Membership.Role.LEADER
    )
    return {
        "region": region,
        "network": network,
        "other_network": other_network,
        "council": council,
        "chair": chair,
        "member": member,
        "other_chair": other_chair,
        "coordinator": coordinator(network),
        "centre": centre_admin(region),
        "lead_school": lead_school,
    }


def _discussed_plan(community) -> Plan:
    leader = community.leader or teacher_at(OrganisationFactory())
    if community.leader is None:
        MembershipFactory(community=community, person=leader, role=Membership.Role.LEADER)
        community.leader = leader
        community.save()
    plan = services.create_plan(community=community, school_year=2026, actor=leader)
    services.update_plan(
        plan=plan,
        version=plan.version,
        fields={},
        targets=[{"indicator": "Охват сетевыми мероприятиями", "unit": "%", "target": 80}],
        meetings=[{"month": 10, "title": "План", "items": [{"action": "Принять план"}]}],
    )
    return services.record_discussion(plan=plan, actor=leader)


def _network_plan(w, network) -> Plan:
    group = CommunityFactory(
        kind=kind("leadership_group"),
        organisation=None,
        network=network,
        territory=network.territory,
        visibility=Community.Visibility.PUBLIC,
        subject_area="",
    )
    return _discussed_plan(group)


def test_the_kinds_say_a_council_is_hosted_by_the_territory_and_adopts_the_networks_plans():
    council = kind("coordination_council")
    assert council.host_type == "territory" and council.plan_approver == "council"
    assert kind("leadership_group").plan_approver == "council"


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("chair", True),
        ("centre", True),
        ("member", False),
        ("other_chair", False),
        ("coordinator", False),
    ],
)
def test_the_councils_chair_adopts_a_network_plan_of_the_district(client, world, who, allowed):
    plan = _network_plan(world, world["network"])
    client.force_login(world[who])
    response = client.post(f"/plans/{plan.pk}/approve/", {"comment": "Принят советом"})
    plan.refresh_from_db()
    assert (plan.status == Plan.Status.APPROVED) is allowed
    assert response.status_code == (302 if allowed else 403)


def test_a_chair_does_not_adopt_the_plan_of_a_network_in_another_district(client, world):
    plan = _network_plan(world, world["other_network"])
    client.force_login(world["chair"])
    assert client.post(f"/plans/{plan.pk}/approve/", {"comment": "x"}).status_code == 403
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DISCUSSED
    client.force_login(world["other_chair"])
    assert client.post(f"/plans/{plan.pk}/approve/", {"comment": "x"}).status_code == 302


def test_the_council_adopts_its_own_plan_and_an_abolished_council_adopts_nothing(client, world):
    import datetime as dt

    own = _discussed_plan(world["council"])
    client.force_login(world["member"])
    assert client.post(f"/plans/{own.pk}/approve/", {"comment": "x"}).status_code == 403
    client.force_login(world["chair"])
    assert client.post(f"/plans/{own.pk}/approve/", {"comment": "x"}).status_code == 302
    own.refresh_from_db()
    assert own.status == Plan.Status.APPROVED
    plan = _network_plan(world, world["network"])
    community_services.abolish(
        community=world["council"], order_number="5", order_date=dt.date(2026, 10, 1)
    )
    assert client.post(f"/plans/{plan.pk}/approve/", {"comment": "x"}).status_code == 403


def test_the_network_page_shows_the_council_over_it(client, world):
    client.force_login(world["coordinator"])
    page = client.get(f"/networks/{world['network'].pk}/").content.decode()
    assert f'href="/communities/{world["council"].pk}/"' in page
    other = client.get(f"/networks/{world['other_network'].pk}/").content.decode()
    assert f'href="/communities/{world["council"].pk}/"' not in other


def test_a_council_can_no_longer_be_created_in_a_network(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        community_services.create_community(
            kind=kind("coordination_council"), name="Совет", network=world["network"]
        )
    assert "territory" in error.value.message_dict


def test_the_council_chair_is_told_and_sees_the_network_plan_waiting(
    world, client, django_capture_on_commit_callbacks
):
    from notifications.models import Notification
    from planning import permissions

    with django_capture_on_commit_callbacks(execute=True):
        plan = _network_plan(world, world["network"])
    takers = {p.username for p in permissions.next_step_takers(plan)}
    assert "chair" in takers and "otherchair" not in takers and "councilmember" not in takers
    assert Notification.objects.filter(recipient=world["chair"], url__contains=str(plan.pk))
    assert not Notification.objects.filter(recipient=world["other_chair"]).exists()
    client.force_login(world["chair"])
    assert f"/plans/{plan.pk}/" in client.get("/").content.decode()
    client.force_login(world["other_chair"])
    assert f"/plans/{plan.pk}/" not in client.get("/").content.decode()
