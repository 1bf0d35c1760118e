"""A target's actual value is measured during the year on the approved plan, without a revision."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from people.models import Person
from planning import permissions, services
from planning.models import ApprovalStep, Plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(shared_demo):
    """The demo, loaded once for the module (the root conftest); each test's writes roll back."""
    return Plan.objects.get(community__kind__code="school_plc")


@pytest.fixture
def approved(demo):
    services.record_discussion(plan=demo, actor=person("leader"))
    services.agree(plan=demo, actor=person("deputy"))
    services.approve(plan=demo, actor=person("director"))
    return Plan.objects.get(pk=demo.pk)


def person(username) -> Person:
    return Person.objects.get(username=username)


def login(client, username):
    client.force_login(person(username))


def test_the_leader_enters_an_actual_value_on_the_approved_plan_page(client, approved):
    target = approved.targets.filter(source="").first()
    steps = ApprovalStep.objects.filter(plan=approved).count()
    login(client, "leader")
    page = client.get(f"/plans/{approved.pk}/")
    assert page.context["can_record_actual"]
    assert f'action="/plan-targets/{target.pk}/actual/"' in page.content.decode()
    response = client.post(f"/plan-targets/{target.pk}/actual/", {"actual": "64,5"})
    assert response.status_code == 302
    assert response.url == f"/plans/{approved.pk}/#target-{target.pk}"
    target.refresh_from_db()
    assert target.actual == Decimal("64.5")
    assert target.actual_by == person("leader") and target.actual_at is not None
    # A measurement, not a change of plan: still the same approved revision, no step taken.
    plan = Plan.objects.get(pk=approved.pk)
    assert plan.status == Plan.Status.APPROVED and plan.version == approved.version
    assert not Plan.objects.filter(previous=plan).exists()
    assert ApprovalStep.objects.filter(plan=plan).count() == steps
    page = client.get(f"/plans/{approved.pk}/").content.decode()
    assert 'class="muted actual-by"' in page and person("leader").full_name in page


def test_a_member_cannot_enter_an_actual_value(client, approved):
    target = approved.targets.filter(source="").first()
    login(client, "teacher")
    page = client.get(f"/plans/{approved.pk}/")
    assert not page.context["can_record_actual"]
    assert "/actual/" not in page.content.decode()
    assert client.post(f"/plan-targets/{target.pk}/actual/", {"actual": "50"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.record_actual(target=target, actor=person("teacher"), value=Decimal(50))
    target.refresh_from_db()
    assert target.actual is None and target.actual_by is None


def test_a_draft_plan_takes_its_actual_values_through_editing_not_here(client, demo):
    target = demo.targets.filter(source="").first()
    assert not permissions.may_record_actual(person("leader"), demo)
    login(client, "leader")
    assert client.post(f"/plan-targets/{target.pk}/actual/", {"actual": "50"}).status_code == 403
    with pytest.raises(ValidationError) as refused:
        services.record_actual(target=target, actor=person("leader"), value=Decimal(50))
    assert refused.value.code == "not_approved"


def test_bad_values_get_a_clear_message_and_change_nothing(client, approved):
    target = approved.targets.filter(source="").first()
    login(client, "leader")
    for value in ("много", "1" * 12, "1,234"):
        response = client.post(f"/plan-targets/{target.pk}/actual/", {"actual": value})
        assert response.status_code == 302, value
        target.refresh_from_db()
        assert target.actual is None and target.actual_at is None, value
    # Empty clears a value entered before, and says who cleared it.
    services.record_actual(target=target, actor=person("leader"), value=Decimal(10))
    client.post(f"/plan-targets/{target.pk}/actual/", {"actual": ""})
    target.refresh_from_db()
    assert target.actual is None and target.actual_by == person("leader")


def test_the_api_records_an_actual_value(client, approved):
    target = approved.targets.filter(source="").first()
    other = Plan.objects.exclude(pk=approved.pk).filter(targets__isnull=False).first()
    url = f"/api/v1/plans/{approved.pk}/actual/"
    login(client, "teacher")
    body = {"target": target.pk, "actual": "71.5"}
    assert client.post(url, body, content_type="application/json").status_code == 403
    login(client, "leader")
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 200, response.content
    row = next(t for t in response.json()["targets"] if t["id"] == target.pk)
    assert Decimal(row["actual"]) == Decimal("71.5")
    assert row["actual_by"] == person("leader").pk and row["actual_at"]
    if other is not None:
        foreign = {"target": other.targets.first().pk, "actual": "1"}
        response = client.post(url, foreign, content_type="application/json")
        assert response.status_code == 400 and "target" in response.json()
    response = client.post(url, {"target": target.pk, "actual": "abc"},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 400
    target.refresh_from_db()
    assert target.actual == Decimal("71.5")


def test_who_may_tick_items_and_record_actuals(approved, demo):
    leader, teacher, director = person("leader"), person("teacher"), person("director")
    assert permissions.may_record_actual(leader, approved)
    assert permissions.may_record_actual(director, approved)  # the school administers its PLC
    assert not permissions.may_record_actual(teacher, approved)
    assert permissions.may_mark_done(leader, approved)
    assert not permissions.may_mark_done(teacher, approved)
    superseded = Plan.objects.get(pk=approved.pk)
    superseded.status = Plan.Status.SUPERSEDED
    assert not permissions.may_mark_done(leader, superseded)
    assert not permissions.may_record_actual(leader, superseded)
