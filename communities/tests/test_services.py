import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from communities import selectors, services
from communities.models import Community, Membership, MembershipRequest
from communities.tests.factories import kind
from organisations.tests.factories import NetworkFactory, OrganisationFactory
from people.tests.factories import PersonFactory, teacher_at

pytestmark = pytest.mark.django_db


def codes(community):
    return {v.code for v in selectors.rule_violations(community)}


def test_micro_group_needs_three_teachers_of_one_subject():
    school = OrganisationFactory()
    group = services.create_community(
        kind=kind("micro_group"), name="Микрогруппа", organisation=school, leader=PersonFactory()
    )
    assert "min_members" in codes(group)
    message = next(v.message for v in selectors.rule_violations(group) if v.code == "min_members")
    assert "3" in message and "1" in message
    for subject in ("Химия", "Биология"):
        services.add_member(community=group, person=PersonFactory(), subject=subject)
    group.refresh_from_db()
    assert "min_members" not in codes(group)
    assert "subject" in codes(group)  # members teach different subjects, no common area named
    services.update_community(community=group, subject_area="Естественные науки")
    assert codes(group) == set()


def test_leaders_pair_has_exactly_two_a_mentor_and_a_mentee():
    strong = OrganisationFactory()
    low = OrganisationFactory(territory=strong.territory, low_results=True)
    territory = strong.territory
    pair = services.create_community(kind=kind("leaders_pair"), name="Пара", territory=territory)
    assert {"min_members", "mentor", "mentee"} <= codes(pair)
    services.add_member(community=pair, person=teacher_at(strong), role=Membership.Role.MENTOR)
    with pytest.raises(ValidationError, match="наставник|mentor"):
        services.add_member(community=pair, person=teacher_at(strong), role=Membership.Role.MENTOR)
    services.add_member(community=pair, person=teacher_at(low), role=Membership.Role.MENTEE)
    assert codes(pair) == set()
    with pytest.raises(ValidationError):
        services.add_member(community=pair, person=PersonFactory())
    assert pair.memberships.count() == 2


def test_temporary_group_needs_end_date_and_topic():
    network = NetworkFactory()
    with pytest.raises(ValidationError) as error:
        services.create_community(kind=kind("temporary_group"), name="ВТГ", network=network)
    assert set(error.value.message_dict) == {"end_date", "topic"}
    group = services.create_community(
        kind=kind("temporary_group"),
        name="ВТГ",
        network=network,
        topic="Функциональная грамотность",
        end_date=dt.date(2027, 5, 31),
    )
    assert group.territory == network.territory


def test_a_community_has_exactly_one_host():
    school = OrganisationFactory()
    with pytest.raises(ValidationError):
        services.create_community(kind=kind("school_plc"), name="ПОС")
    with pytest.raises(ValidationError):
        services.create_community(
            kind=kind("school_plc"), name="ПОС", organisation=school, network=NetworkFactory()
        )
    assert not Community.objects.exists()


def test_leader_is_a_member_and_changing_leader_demotes_the_old_one():
    school = OrganisationFactory()
    first, second = PersonFactory(), PersonFactory()
    plc = services.create_community(
        kind=kind("school_plc"), name="ПОС", organisation=school, leader=first
    )
    assert plc.member_count == 1 and plc.leader == first
    services.add_member(community=plc, person=second, role=Membership.Role.LEADER)
    plc.refresh_from_db()
    assert plc.leader == second
    assert plc.memberships.get(person=first).role == Membership.Role.MEMBER
    services.remove_member(community=plc, person=second)
    plc.refresh_from_db()
    assert plc.leader is None and plc.member_count == 1
    assert "leader" in codes(plc)


def test_abolish_needs_the_order_and_freezes_the_community():
    plc = services.create_community(
        kind=kind("school_plc"), name="ПОС", organisation=OrganisationFactory()
    )
    with pytest.raises(ValidationError) as error:
        services.abolish(community=plc, order_number="", order_date=None)
    assert {"order_number", "order_date", "decision_date"} <= set(error.value.message_dict)
    plc.refresh_from_db()
    assert plc.status == Community.Status.ACTIVE
    services.abolish(
        community=plc,
        order_number="45-о",
        order_date=dt.date(2026, 5, 30),
        decision_date=dt.date(2026, 5, 28),
        decision_reference="протокол педсовета № 5",
    )
    plc.refresh_from_db()
    assert plc.status == Community.Status.ABOLISHED
    assert plc.closing_order_number == "45-о"
    assert plc.closing_decision_date == dt.date(2026, 5, 28)
    assert plc.closing_decision_reference == "протокол педсовета № 5"
    with pytest.raises(ValidationError):
        services.add_member(community=plc, person=PersonFactory())
    with pytest.raises(ValidationError):
        services.update_community(community=plc, name="Другое")


def test_reorganise_opens_a_successor_with_the_members():
    leader = PersonFactory()
    group = services.create_community(
        kind=kind("micro_group"),
        name="Микрогруппа",
        organisation=OrganisationFactory(),
        leader=leader,
    )
    services.add_member(community=group, person=PersonFactory())
    successor = services.reorganise(
        community=group,
        order_number="12",
        order_date=dt.date(2026, 9, 1),
        decision_date=dt.date(2026, 8, 30),
        new_name="ПОС",
        new_kind=kind("school_plc"),
    )
    group.refresh_from_db()
    assert group.status == Community.Status.REORGANISED and group.successor == successor
    assert successor.kind.code == "school_plc"
    assert successor.member_count == 2 and successor.leader == leader
    assert successor.creation_order_number == "12"


def test_reorganising_into_a_pair_refuses_too_many_members_and_writes_nothing():
    group = services.create_community(
        kind=kind("micro_group"), name="Микрогруппа", organisation=OrganisationFactory()
    )
    for _n in range(3):
        services.add_member(community=group, person=PersonFactory())
    with pytest.raises(ValidationError):
        services.reorganise(
            community=group,
            order_number="1",
            order_date=dt.date(2026, 9, 1),
            decision_date=dt.date(2026, 8, 30),
            new_name="Пара",
            new_kind=kind("leaders_pair"),
        )
    group.refresh_from_db()
    assert group.status == Community.Status.ACTIVE
    assert Community.objects.count() == 1


def test_invitation_and_join_request_flow():
    plc = services.create_community(
        kind=kind("school_plc"),
        name="ПОС",
        organisation=OrganisationFactory(),
        leader=PersonFactory(),
    )
    guest, applicant = PersonFactory(), teacher_at(plc.organisation)
    invitation = services.invite(community=plc, person=guest, invited_by=plc.leader)
    with pytest.raises(ValidationError):
        services.invite(community=plc, person=guest, invited_by=plc.leader)
    services.decide_request(request=invitation, decided_by=guest, accept=True)
    request = services.request_to_join(community=plc, person=applicant, message="Хочу участвовать")
    with pytest.raises(ValidationError):
        services.request_to_join(community=plc, person=applicant)
    services.decide_request(request=request, decided_by=plc.leader, accept=False)
    with pytest.raises(ValidationError):
        services.decide_request(request=request, decided_by=plc.leader, accept=True)
    assert set(plc.memberships.values_list("person_id", flat=True)) == {plc.leader_id, guest.pk}
    assert MembershipRequest.objects.get(pk=request.pk).status == "declined"


def test_kind_rules_are_data_a_centre_can_change():
    micro = kind("micro_group")
    services.update_kind_rules(kind=micro, min_members=4)
    group = services.create_community(
        kind=micro, name="Микрогруппа", organisation=OrganisationFactory()
    )
    for _n in range(3):
        services.add_member(community=group, person=PersonFactory(), subject="Физика")
    assert "min_members" in codes(group)
    with pytest.raises(ValidationError):
        services.update_kind_rules(kind=micro, report_deadline_month=2, report_deadline_day=30)
    with pytest.raises(ValidationError):
        services.update_kind_rules(kind=micro, min_members=5, max_members=2)


def test_a_schools_community_closes_only_after_the_teaching_staffs_decision():
    plc = services.create_community(
        kind=kind("school_plc"), name="ПОС", organisation=OrganisationFactory()
    )
    closing = {"order_number": "45-о", "order_date": dt.date(2026, 5, 30)}
    for action in (
        lambda **kw: services.abolish(community=plc, **closing, **kw),
        lambda **kw: services.reorganise(community=plc, **closing, new_name="Новая", **kw),
    ):
        with pytest.raises(ValidationError) as error:
            action()
        assert set(error.value.message_dict) == {"decision_date"}
        with pytest.raises(ValidationError) as error:  # the order follows the decision
            action(decision_date=dt.date(2026, 6, 1))
        assert set(error.value.message_dict) == {"decision_date"}
    plc.refresh_from_db()
    assert plc.status == Community.Status.ACTIVE and Community.objects.count() == 1
    successor = services.reorganise(
        community=plc,
        **closing,
        new_name="Новая",
        decision_date=dt.date(2026, 5, 30),
        decision_reference="  протокол № 4 ",
    )
    plc.refresh_from_db()
    assert plc.successor == successor and plc.closing_decision_reference == "протокол № 4"


def test_a_territorys_community_closes_by_the_order_alone():
    pair = services.create_community(
        kind=kind("leaders_pair"), name="Пара", territory=OrganisationFactory().territory
    )
    services.abolish(community=pair, order_number="3", order_date=dt.date(2026, 6, 1))
    pair.refresh_from_db()
    assert pair.status == Community.Status.ABOLISHED and pair.closing_decision_date is None
