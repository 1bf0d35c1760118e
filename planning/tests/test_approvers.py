"""Who approves a plan follows the kind's rule (``plan_approver``) and the community's host.

The permission matrix covers a school PLC, approved by its director. Here: communities hosted by a
network or a territory, and kinds whose rule a centre admin changed (the rules are data), each
approved through the plan page by every kind of staff.
"""

import pytest

from communities.models import Community, CommunityKind, Membership
from communities.tests.factories import CommunityFactory, MembershipFactory, kind
from organisations.models import Territory
from organisations.tests.factories import NetworkFactory, OrganisationFactory, TerritoryFactory
from people.tests.factories import centre_admin, coordinator, curator, school_admin, teacher_at
from planning import services
from planning.models import Plan

pytestmark = pytest.mark.django_db

Approver = CommunityKind.Approver


@pytest.fixture
def people():
    return staff_of_a_region()


def staff_of_a_region() -> dict:
    """A region with a school and a network, and staff of every kind, some from elsewhere."""
    region = TerritoryFactory(name="Region", kind=Territory.Kind.REGION)
    district = TerritoryFactory(name="District", kind=Territory.Kind.DISTRICT, parent=region)
    other_region = TerritoryFactory(name="Other region", kind=Territory.Kind.REGION)
    school = OrganisationFactory(territory=district)
    network = NetworkFactory(lead_school=school, territory=region)
    other_network = NetworkFactory(lead_school=OrganisationFactory(territory=district))
    return {
        "region": region,
        "school": school,
        "network": network,
        "centre": centre_admin(region),
        "centre_other": centre_admin(other_region),
        "curator": curator(region),
        "curator_other": curator(other_region),
        "coordinator": coordinator(network),
        "coordinator_other": coordinator(other_network),
        "director": school_admin(school),
        "deputy": school_admin(school),  # agrees; the director approves (two people)
        "teacher": teacher_at(school),
    }


def _ready_plan(w, host: str, approver: str | None, agreed: bool = True) -> Plan:
    """A plan waiting for approval: discussed, and agreed by the deputy if it is a school's
    (unless `agreed` is false: then it waits for the agreement)."""
    code = {"school": "school_plc", "network": "temporary_group", "territory": "leaders_pair"}[host]
    community_kind = kind(code)
    if approver is not None:  # a centre admin changed the kind's rule
        community_kind.plan_approver = approver
        community_kind.save()
    hosts = {
        "school": {"organisation": w["school"]},
        "network": {"organisation": None, "network": w["network"], "territory": w["region"]},
        "territory": {"organisation": None, "territory": w["region"]},
    }[host]
    community = CommunityFactory(
        kind=community_kind, visibility=Community.Visibility.PUBLIC, subject_area="", **hosts
    )
    leader = teacher_at(w["school"])
    MembershipFactory(community=community, person=leader, role=Membership.Role.LEADER)
    plan = services.create_plan(community=community, school_year=2026, actor=leader)
    services.update_plan(
        plan=plan,
        version=plan.version,
        fields={},
        targets=[{"indicator": "Quality of knowledge", "unit": "%", "target": 70}],
        meetings=[{"month": 10, "title": "Plan", "items": [{"action": "Approve the plan"}]}],
    )
    plan = services.record_discussion(plan=plan, actor=leader)
    if host == "school" and agreed:
        plan = services.agree(plan=plan, actor=w["deputy"])
    return plan


CASES = [
    # host, rule set by the centre (None: the kind's own), who may approve
    ("network", None, {"coordinator"}),  # temporary group: its network's coordinator only
    ("territory", None, {"centre"}),  # leaders' pair: the centre of its territory
    ("territory", Approver.CURATOR, {"curator", "centre"}),
    ("school", Approver.CENTRE_ADMIN, {"centre"}),  # the centre, not the director, approves
    ("network", Approver.CENTRE_ADMIN, {"centre"}),
]
STAFF = [
    "centre",
    "centre_other",
    "curator",
    "curator_other",
    "coordinator",
    "coordinator_other",
    "director",
    "teacher",
]


@pytest.mark.parametrize("role", STAFF)
@pytest.mark.parametrize(("host", "approver", "allowed"), CASES)
def test_the_kinds_approver_approves_and_nobody_else(client, people, host, approver, allowed, role):
    plan = _ready_plan(people, host, approver)
    before = plan.status
    client.force_login(people[role])
    response = client.post(f"/plans/{plan.pk}/approve/", {"comment": "Approved"})
    plan.refresh_from_db()
    if role in allowed:
        assert response.status_code == 302
        assert plan.status == Plan.Status.APPROVED
        assert plan.steps.filter(action="approved", actor=people[role]).exists()
    else:
        assert response.status_code == 403
        assert plan.status == before


# Before the director's agreement a school's plan goes back by the director, not its approver.
SEND_BACK_CASES = [(*case, True) for case in CASES] + [
    ("school", Approver.CENTRE_ADMIN, {"director"}, False),
]


@pytest.mark.parametrize("role", STAFF)
@pytest.mark.parametrize(("host", "approver", "allowed", "agreed"), SEND_BACK_CASES)
def test_the_approver_sends_a_plan_back(client, people, host, approver, allowed, agreed, role):
    """Sending back is the approver's too, except a school's discussed plan (the director's)."""
    plan = _ready_plan(people, host, approver, agreed)
    before = plan.status
    client.force_login(people[role])
    response = client.post(f"/plans/{plan.pk}/send-back/", {"comment": "Fix the targets"})
    plan.refresh_from_db()
    if role in allowed:
        assert response.status_code == 302
        assert plan.status == Plan.Status.DRAFT
        assert plan.steps.filter(action="returned", actor=people[role]).exists()
    else:
        assert response.status_code == 403
        assert plan.status == before


def test_an_approved_plan_is_revised_once_until_its_revision_is_approved(client, people):
    plan = _ready_plan(people, "school", None)
    services.approve(plan=plan, actor=people["director"])
    client.force_login(people["director"])
    revise = f"/plans/{plan.pk}/revise/"
    assert f'formaction="{revise}"' in client.get(f"/plans/{plan.pk}/").content.decode()

    assert client.post(revise, {"comment": "New courses"}).status_code == 302
    assert Plan.objects.filter(previous=plan).count() == 1

    # A draft revision is under way: the approved plan offers no second one and refuses it.
    plan.refresh_from_db()
    assert plan.status == Plan.Status.APPROVED
    assert f'formaction="{revise}"' not in client.get(f"/plans/{plan.pk}/").content.decode()
    assert client.post(revise, {"comment": "Again"}).status_code == 403
    assert Plan.objects.filter(previous=plan).count() == 1
