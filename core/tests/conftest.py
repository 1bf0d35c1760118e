"""A small world with every role, shared by the permission matrix (and reusable elsewhere).

Region ``region`` has a district with schools A and B; ``other_region`` has school C. A network led
by A has B as a partner. School A hosts an internal school PLC (a leader and a member) and a
members-only micro-group; the region hosts a public network group and a curated leaders' pair.
The micro-group held a meeting with minutes and a decision assigned to a member who has since
been removed from it (``REMOVED``); the teacher of the other region was a guest at that meeting.
The PLC also has a secretary, who writes minutes but does not manage the community. School A hosts
a second, unrelated PLC (``other_plc``) with its own leader and member, draft plan, held meeting,
minutes and decision: its objects are what the first PLC's leader must not touch.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.db import transaction

from communities.models import Community, Membership, MembershipRequest
from communities.tests.factories import CommunityFactory, MembershipFactory, kind
from organisations.models import NetworkMembership, Territory
from organisations.tests.factories import (
    NetworkFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
    TerritoryFactory,
)
from people.models import Person
from people.tests.factories import (
    PersonFactory,
    TeacherProfileFactory,
    centre_admin,
    coordinator,
    curator,
    school_admin,
    teacher_at,
)
from planning.models import Plan

# Role names used by the matrix, in the order the cases are listed.
ANON = "anonymous"
SUPERUSER = "superuser"
CENTRE = "centre_admin"
CENTRE_OTHER = "centre_admin_other_region"
CURATOR = "curator"
COORDINATOR = "coordinator"
ADMIN_A = "school_admin_a"
ADMIN_B = "school_admin_b"
LEADER = "plc_leader"
MEMBER = "plc_member"
TEACHER_A = "teacher_a_outsider"
TEACHER_C = "teacher_c_other_region"
REMOVED = "removed_member"  # teacher at school A, removed from the members-only group
SECRETARY = "plc_secretary"  # a member of the PLC with the secretary's role
LEADER_OTHER = "other_plc_leader"  # leads the second PLC of school A
MEMBER_OTHER = "other_plc_member"  # a member of the second PLC only

ROLES = [
    ANON,
    SUPERUSER,
    CENTRE,
    CENTRE_OTHER,
    CURATOR,
    COORDINATOR,
    ADMIN_A,
    ADMIN_B,
    LEADER,
    MEMBER,
    TEACHER_A,
    TEACHER_C,
    REMOVED,
    SECRETARY,
    LEADER_OTHER,
    MEMBER_OTHER,
]
SIGNED_IN = [r for r in ROLES if r != ANON]


@dataclass
class World:
    region: Territory
    district: Territory
    other_region: Territory
    school_a: object
    school_b: object
    school_c: object
    network: object
    plc: Community
    members_only: Community
    public_group: Community
    pair: Community
    applicant: Person
    join_request: MembershipRequest
    invitation: MembershipRequest
    held_meeting: object = None  # a past PLC meeting with unsigned minutes and a decision
    upcoming_meeting: object = None  # a scheduled PLC meeting next month
    private_meeting: object = None  # a past meeting of the members-only group, with minutes
    private_decision: object = None  # taken there, assigned to the since removed member
    decision: object = None  # assigned to the PLC member
    plan: object = None  # a draft plan of the PLC with one target and one meeting
    approved_plan: object = None  # an approved plan of the PLC (the year before)
    other_plc: Community | None = None  # the second PLC of school A
    other_plan: object = None  # its draft plan, ready for discussion
    other_meeting: object = None  # its past meeting with unsigned minutes
    other_decision: object = None  # taken there, assigned to its member
    deputy: Person | None = None  # school A's deputy director: agrees plans (not a matrix role)
    users: dict[str, Person | None] = field(default_factory=dict)

    def user(self, role: str) -> Person | None:
        return self.users[role]

    @property
    def member(self) -> Person:
        return self.users[MEMBER]

    @property
    def leader(self) -> Person:
        return self.users[LEADER]

    def membership(self, community: Community, person: Person) -> Membership:
        return Membership.objects.get(community=community, person=person)


def build_world() -> World:
    region = TerritoryFactory(name="Region", kind=Territory.Kind.REGION)
    district = TerritoryFactory(name="District", kind=Territory.Kind.DISTRICT, parent=region)
    other_region = TerritoryFactory(name="Other region", kind=Territory.Kind.REGION)
    school_a = OrganisationFactory(name="School A", territory=district)
    school_b = OrganisationFactory(name="School B", territory=district)
    school_c = OrganisationFactory(name="School C", territory=other_region)
    network = NetworkFactory(name="Network", lead_school=school_a, territory=region)
    NetworkMembershipFactory(
        network=network, organisation=school_b, role=NetworkMembership.Role.PARTNER
    )

    leader = teacher_at(school_a, username="leader")
    member = teacher_at(
        school_a, username="member", email="member-secret@example.org", phone="+7 900 111-22-33"
    )
    TeacherProfileFactory(person=member, self_education_topic="Смысловое чтение")
    users: dict[str, Person | None] = {
        ANON: None,
        SUPERUSER: PersonFactory(username="root", is_superuser=True, is_staff=True),
        CENTRE: centre_admin(region, username="centre"),
        CENTRE_OTHER: centre_admin(other_region, username="centre_other"),
        CURATOR: curator(region, username="curator"),
        COORDINATOR: coordinator(network, username="coordinator"),
        ADMIN_A: school_admin(school_a, username="admin_a"),
        ADMIN_B: school_admin(school_b, username="admin_b"),
        LEADER: leader,
        MEMBER: member,
        TEACHER_A: teacher_at(school_a, username="teacher_a"),
        TEACHER_C: teacher_at(school_c, username="teacher_c"),
        REMOVED: teacher_at(school_a, username="removed"),
        SECRETARY: teacher_at(school_a, username="secretary"),
        LEADER_OTHER: teacher_at(school_a, username="leader_other"),
        MEMBER_OTHER: teacher_at(school_a, username="member_other"),
    }

    plc = CommunityFactory(
        kind=kind("school_plc"),
        name="PLC of School A",
        organisation=school_a,
        visibility=Community.Visibility.INTERNAL,
        leader=leader,
        member_count=3,
    )
    MembershipFactory(community=plc, person=leader, role=Membership.Role.LEADER)
    MembershipFactory(community=plc, person=member, role=Membership.Role.MEMBER)
    MembershipFactory(community=plc, person=users[SECRETARY], role=Membership.Role.SECRETARY)
    other_plc = CommunityFactory(
        kind=kind("school_plc"),
        name="Second PLC of School A",
        organisation=school_a,
        visibility=Community.Visibility.INTERNAL,
        leader=users[LEADER_OTHER],
        member_count=2,
    )
    MembershipFactory(community=other_plc, person=users[LEADER_OTHER], role=Membership.Role.LEADER)
    MembershipFactory(community=other_plc, person=users[MEMBER_OTHER], role=Membership.Role.MEMBER)

    members_only = CommunityFactory(
        kind=kind("micro_group"),
        name="Members-only group",
        organisation=school_a,
        visibility=Community.Visibility.MEMBERS,
        member_count=1,
    )
    MembershipFactory(community=members_only, person=member, role=Membership.Role.MEMBER)

    public_group = CommunityFactory(
        kind=kind("network_group"),
        name="Public network group",
        organisation=None,
        territory=region,
        visibility=Community.Visibility.PUBLIC,
    )
    pair = CommunityFactory(
        kind=kind("leaders_pair"),
        name="Leaders pair",
        organisation=None,
        territory=region,
        visibility=Community.Visibility.INTERNAL,
        subject_area="",
    )

    applicant = teacher_at(school_b, username="applicant")
    join_request = MembershipRequest.objects.create(
        community=plc,
        person=applicant,
        direction=MembershipRequest.Direction.JOIN_REQUEST,
        created_by=applicant,
    )
    invitation = MembershipRequest.objects.create(
        community=members_only,
        person=users[TEACHER_C],
        direction=MembershipRequest.Direction.INVITATION,
        created_by=users[ADMIN_A],
    )
    from planning import services as planning_services

    approved_plan = planning_services.create_plan(community=plc, school_year=2025, actor=leader)
    plan_rows = {
        "targets": [{"indicator": "Quality of knowledge", "unit": "%", "target": 70}],
        "meetings": [{"month": 10, "title": "Plan", "items": [{"action": "Approve the plan"}]}],
    }
    planning_services.update_plan(
        plan=approved_plan, version=approved_plan.version, fields={}, **plan_rows
    )
    planning_services.record_discussion(plan=approved_plan, actor=leader)
    deputy = school_admin(school_a, username="deputy_a")
    planning_services.agree(plan=approved_plan, actor=deputy)
    planning_services.approve(plan=approved_plan, actor=users[ADMIN_A])
    plan = planning_services.create_plan(
        community=plc, school_year=2026, actor=leader, copy_from=approved_plan
    )
    import datetime as dt

    from django.utils import timezone

    from meetings import services as meeting_services

    held = meeting_services.schedule_meeting(
        confirmed=True,
        community=plc, actor=leader, title="Held meeting", chair=leader, place="Room 1",
        starts_at=timezone.now() - dt.timedelta(days=3),
    )  # fmt: skip
    meeting_services.write_minutes(
        meeting=held, version=None, attended=[leader.pk, member.pk],
        questions=[{"title": "The plan", "speakers": "", "summary": ""}],
        decisions=[{"text": "Open lesson", "assignee": member, "due_on": None}],
    )  # fmt: skip
    upcoming = meeting_services.schedule_meeting(
        confirmed=True,
        community=plc, actor=leader, title="Next meeting", chair=leader, place="Room 1",
        starts_at=timezone.now() + dt.timedelta(days=30),
    )  # fmt: skip

    from communities import services as community_services

    removed = users[REMOVED]
    MembershipFactory(community=members_only, person=removed, role=Membership.Role.MEMBER)
    private = meeting_services.schedule_meeting(
        confirmed=True,
        community=members_only, actor=users[ADMIN_A], title="Private meeting", chair=member,
        place="Room 2", starts_at=timezone.now() - dt.timedelta(days=2),
        guests=[users[TEACHER_C]],
    )  # fmt: skip
    meeting_services.write_minutes(
        meeting=private, version=None, attended=[member.pk, removed.pk],
        questions=[{"title": "Private matter", "speakers": "", "summary": ""}],
        decisions=[{"text": "Private task", "assignee": removed, "due_on": None}],
    )  # fmt: skip
    community_services.remove_member(community=members_only, person=removed)

    other_leader, other_member = users[LEADER_OTHER], users[MEMBER_OTHER]
    other_plan = planning_services.create_plan(
        community=other_plc, school_year=2026, actor=other_leader
    )
    planning_services.update_plan(
        plan=other_plan, version=other_plan.version, fields={}, **plan_rows
    )
    other_meeting = meeting_services.schedule_meeting(
        confirmed=True,
        community=other_plc, actor=other_leader, title="Other held meeting", chair=other_leader,
        place="Room 3", starts_at=timezone.now() - dt.timedelta(days=4),
    )  # fmt: skip
    meeting_services.write_minutes(
        meeting=other_meeting, version=None, attended=[other_leader.pk, other_member.pk],
        questions=[{"title": "Their plan", "speakers": "", "summary": ""}],
        decisions=[{"text": "Their task", "assignee": other_member, "due_on": None}],
    )  # fmt: skip
    return World(
        other_plc=other_plc,
        other_plan=Plan.objects.get(pk=other_plan.pk),
        other_meeting=other_meeting,
        other_decision=other_meeting.decisions.get(),
        private_meeting=private,
        private_decision=private.decisions.get(),
        held_meeting=held,
        upcoming_meeting=upcoming,
        decision=held.decisions.get(),
        plan=plan,
        approved_plan=approved_plan,
        deputy=deputy,
        region=region,
        district=district,
        other_region=other_region,
        school_a=school_a,
        school_b=school_b,
        school_c=school_c,
        network=network,
        plc=plc,
        members_only=members_only,
        public_group=public_group,
        pair=pair,
        applicant=applicant,
        join_request=join_request,
        invitation=invitation,
        users=users,
    )


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker):
    """Built once per test module inside a transaction that is rolled back afterwards.

    Each test's own ``db`` transaction is a savepoint inside it, so whatever a test writes is
    rolled back before the next test: every test sees the same fresh world, for the cost of
    building it once (the matrix has over a thousand cases).
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = build_world()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def world(_module_world, db) -> World:
    """The world of this module, fresh for every test (writes are rolled back)."""
    return _module_world
