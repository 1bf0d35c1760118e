"""The plan's approval is one table: the policy, the services, the pages and the API read it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from people.models import Person
from planning import permissions, services, workflow
from planning.models import Plan
from planning.workflow import Role, Step

pytestmark = pytest.mark.django_db


@pytest.fixture
def school_plan():
    call_command("load_demo", verbosity=0)
    return Plan.objects.get(community__kind__code="school_plc")


def person(username):
    return Person.objects.get(username=username)


def test_every_status_has_its_steps_on_the_school_route(school_plan):
    assert workflow.needs_agreement(school_plan)
    route = []
    for status in (Plan.Status.DRAFT, Plan.Status.DISCUSSED, Plan.Status.AGREED):
        school_plan.status = status
        route.append([(t.step, t.target, t.role) for t in workflow.next_steps(school_plan)])
    assert route == [
        [(Step.DISCUSS, Plan.Status.DISCUSSED, Role.EDITOR)],
        [(Step.AGREE, Plan.Status.AGREED, Role.AGREER),
         (Step.SEND_BACK, Plan.Status.DRAFT, Role.AGREER)],
        [(Step.APPROVE, Plan.Status.APPROVED, Role.APPROVER),
         (Step.SEND_BACK, Plan.Status.DRAFT, Role.APPROVER)],
    ]  # fmt: skip
    school_plan.status = Plan.Status.SUPERSEDED
    assert workflow.next_steps(school_plan) == []


def test_a_school_plan_is_not_approved_before_it_is_agreed_even_by_the_service(school_plan):
    services.record_discussion(plan=school_plan, actor=person("leader"))
    with pytest.raises(ValidationError):
        services.approve(plan=school_plan, actor=person("admin"))  # a superuser, too early
    assert Plan.objects.get(pk=school_plan.pk).status == Plan.Status.DISCUSSED


def test_the_services_ask_the_policy_for_the_actor(school_plan):
    with pytest.raises(PermissionDenied):
        services.record_discussion(plan=school_plan, actor=person("teacher"))
    services.record_discussion(plan=school_plan, actor=person("leader"))
    with pytest.raises(PermissionDenied):
        services.agree(plan=school_plan, actor=person("leader"))
    services.agree(plan=school_plan, actor=person("director"))
    assert Plan.objects.get(pk=school_plan.pk).status == Plan.Status.AGREED
    with pytest.raises(PermissionDenied):
        services.send_back(plan=school_plan, actor=person("teacher"), reason="Нет")


def test_the_pages_offer_exactly_the_steps_the_table_allows(client, school_plan):
    school_plan = services.record_discussion(plan=school_plan, actor=person("leader"))
    client.force_login(person("director"))
    context = client.get(f"/plans/{school_plan.pk}/").context
    offered = {
        k for k in ("can_discuss", "can_agree", "can_approve", "can_send_back") if context[k]
    }
    assert offered == {"can_agree", "can_send_back"}
    for step in Step:
        assert permissions.may_take(person("director"), school_plan, step) == (
            step in (Step.AGREE, Step.SEND_BACK)
        )


def test_a_plan_is_revised_once(school_plan):
    for step, who in ((services.record_discussion, "leader"), (services.agree, "deputy"),
                      (services.approve, "director")):  # fmt: skip
        step(plan=school_plan, actor=person(who))
    revision = services.start_revision(plan=school_plan, actor=person("leader"))
    assert revision.status == Plan.Status.DRAFT and revision.previous_id == school_plan.pk
    school_plan = Plan.objects.get(pk=school_plan.pk)
    assert not permissions.can_revise(person("leader"), school_plan)
    with pytest.raises(ValidationError) as refused:
        services.start_revision(plan=school_plan, actor=person("leader"))
    assert refused.value.code == "revised"
