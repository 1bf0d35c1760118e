"""The communities' writes are actions: given the person acting, each asks the policy itself, so
a page, the API and any other caller get the same answer (actor=None is a trusted caller)."""

import pytest
from django.core.exceptions import PermissionDenied

from communities import services
from communities.models import Community, Membership, MembershipRequest
from communities.tests.factories import CommunityFactory, MembershipFactory, kind
from organisations.tests.factories import OrganisationFactory
from people.tests.factories import PersonFactory, school_admin, teacher_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def plc():
    community = CommunityFactory()
    leader = MembershipFactory(community=community, role=Membership.Role.LEADER).person
    community.leader = leader
    community.save()
    return community


def test_members_are_added_and_removed_by_who_manages_them(plc):
    newcomer, outsider = PersonFactory(), PersonFactory()
    with pytest.raises(PermissionDenied):
        services.add_member(community=plc, person=newcomer, actor=outsider)
    assert not plc.memberships.filter(person=newcomer).exists()
    services.add_member(community=plc, person=newcomer, actor=plc.leader)
    with pytest.raises(PermissionDenied):
        services.remove_member(community=plc, person=newcomer, actor=outsider)
    services.remove_member(community=plc, person=newcomer, actor=newcomer)  # leaving oneself
    assert not plc.memberships.filter(person=newcomer).exists()


def test_only_a_manager_invites_and_only_the_invited_answers(plc):
    guest, outsider = PersonFactory(), PersonFactory()
    with pytest.raises(PermissionDenied):
        services.invite(community=plc, person=guest, invited_by=outsider)
    invitation = services.invite(community=plc, person=guest, invited_by=plc.leader)
    with pytest.raises(PermissionDenied):
        services.decide_request(request=invitation, decided_by=plc.leader, accept=True)
    services.decide_request(request=invitation, decided_by=guest, accept=True)
    assert plc.memberships.filter(person=guest).exists()


def test_a_join_request_is_asked_by_who_may_see_it_and_decided_by_a_manager(plc):
    members_only = CommunityFactory(visibility=Community.Visibility.MEMBERS)
    with pytest.raises(PermissionDenied):
        services.request_to_join(community=members_only, person=PersonFactory())
    applicant = teacher_at(plc.organisation)
    request = services.request_to_join(community=plc, person=applicant)
    with pytest.raises(PermissionDenied):
        services.decide_request(request=request, decided_by=applicant, accept=True)
    services.decide_request(request=request, decided_by=plc.leader, accept=False)
    assert MembershipRequest.objects.get(pk=request.pk).status == "declined"


def test_creating_editing_and_closing_ask_the_policy():
    school = OrganisationFactory()
    admin, teacher = school_admin(school), teacher_at(school)
    with pytest.raises(PermissionDenied):
        services.create_community(
            kind=kind("school_plc"), name="ПОС", organisation=school, actor=teacher
        )
    plc = services.create_community(
        kind=kind("school_plc"), name="ПОС", organisation=school, actor=admin
    )
    with pytest.raises(PermissionDenied):
        services.update_community(community=plc, name="Другое", actor=teacher)
    services.update_community(community=plc, name="ПОС учителей", actor=admin)
    with pytest.raises(PermissionDenied):
        services.abolish(community=plc, order_number="1", order_date=plc.created_on, actor=teacher)
    assert Community.objects.get(pk=plc.pk).name == "ПОС учителей"
    assert Community.objects.get(pk=plc.pk).is_active


def test_kind_rules_are_changed_by_the_centre_only():
    micro = kind("micro_group")
    with pytest.raises(PermissionDenied):
        services.update_kind_rules(kind=micro, min_members=4, actor=PersonFactory())
    micro.refresh_from_db()
    assert micro.min_members != 4
