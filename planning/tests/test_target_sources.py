"""Targets that fill themselves: a target bound to a source is computed from Collegium's records
(never typed), shown with its formula and a link to the records, and judged achieved, not yet or
missed."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from communities.models import Membership
from communities.tests.factories import MembershipFactory
from core.schoolyear import school_year_of
from core.tests.conftest import SECRETARY, TEACHER_C
from events.models import Event, ProgrammeItem, Registration
from events.tests.factories import EventFactory
from lesson_study.models import LessonVisit
from meetings.models import Decision
from people.models import Course, TeacherProfile
from people.tests.factories import teacher_at
from planning import indicators, selectors, services
from planning.models import Plan, Target

pytestmark = pytest.mark.django_db


def _bind(plan, source: str, target: Decimal, **kw) -> Target:
    row = plan.targets.first()
    Target.objects.filter(pk=row.pk).update(source=source, target=target, **kw)
    return Target.objects.get(pk=row.pk)


def _members(world) -> list:
    return [m.person for m in Membership.objects.filter(community=world.plc)]


def test_every_app_registers_its_sources():
    codes = {code for code, _label in indicators.choices()}
    assert {
        "plan_items_done",
        "members_with_courses",
        "members_with_category",
        "meetings_held",
        "decisions_done",
        "events_held",
        "members_attended_events",
        "members_spoke_at_events",
        "members_visited_lessons",
        "members_were_visited",
        "innovative_open_lessons",
        "lesson_study_cycles",
        "members_certified",
    } <= codes


def test_a_computed_target_shows_its_figure_formula_and_records(client, world):
    plan = world.plan
    _bind(plan, "members_with_courses", Decimal("50"))
    members = _members(world)
    start, _end = indicators.year_bounds(plan.school_year)
    profile, _created = TeacherProfile.objects.get_or_create(person=members[0])
    Course.objects.create(profile=profile, title="Формирующее оценивание", completed_on=start)
    client.force_login(world.leader)
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    share = indicators.share(1, len(members))
    assert f"{share}".replace(".", ",") in page
    assert "курс" in page  # the source's name and formula are shown next to the figure
    assert f"1 из {len(members)}" in page
    assert f'href="/communities/{world.plc.pk}/composition/"' in page
    [row] = selectors.target_rows(plan)
    assert row.computed and row.actual == share
    assert row.status == ("achieved" if share >= 50 else "not_yet")


def test_a_computed_target_is_not_typed(client, world):
    plan = world.approved_plan
    target = _bind(plan, "plan_items_done", Decimal("100"))
    with pytest.raises(ValidationError):
        services.record_actual(target=target, actor=world.leader, value=Decimal("5"))
    client.force_login(world.leader)
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    assert f'action="/plan-targets/{target.pk}/actual/"' not in page
    response = client.post(f"/plan-targets/{target.pk}/actual/", {"actual": "5"})
    assert response.status_code in (200, 302)
    target.refresh_from_db()
    assert target.actual is None


def test_a_typed_target_stays_typed_and_is_judged_against_its_direction(world):
    plan = world.approved_plan  # 2025/2026: that school year is over
    Target.objects.filter(plan=plan).update(actual=Decimal("65"), target=Decimal("70"))
    [row] = selectors.target_rows(plan, today=dt.date(2026, 11, 26))
    assert not row.computed and row.status == "missed"
    [row] = selectors.target_rows(plan, today=dt.date(2026, 3, 1))
    assert row.status == "not_yet"
    Target.objects.filter(plan=plan).update(higher_is_better=False)  # a ceiling: 65 ≤ 70
    [row] = selectors.target_rows(plan, today=dt.date(2026, 3, 1))
    assert row.status == "achieved"


def test_plan_items_done_counts_the_plans_items(world):
    plan = world.approved_plan
    _bind(plan, "plan_items_done", Decimal("100"))
    [row] = selectors.target_rows(plan, today=dt.date(2026, 3, 1))
    assert row.actual == Decimal("0.0") and row.detail == "0 из 1 пунктов выполнено"
    plan.meetings.first().items.update(done=True)
    [row] = selectors.target_rows(plan, today=dt.date(2026, 3, 1))
    assert row.actual == Decimal("100.0") and row.status == "achieved"


def test_the_records_of_other_apps_fill_their_targets(world):
    plan = world.plan
    members = _members(world)
    start, _end = indicators.year_bounds(plan.school_year)
    day = timezone.make_aware(dt.datetime.combine(start + dt.timedelta(days=40), dt.time(14)))
    held = EventFactory(organiser_community=world.plc, status=Event.Status.HELD, starts_at=day)
    EventFactory(organiser_community=world.plc, status=Event.Status.ANNOUNCED, starts_at=day)
    Registration.objects.create(event=held, person=members[0], attended=True)
    ProgrammeItem.objects.create(event=held, title="Доклад", speaker=members[1])
    LessonVisit.objects.create(
        community=world.plc, visitor=members[0], teacher=members[1], date=day.date(),
        class_name="6 Б", lesson_kind=LessonVisit.LessonKind.INNOVATIVE,
    )  # fmt: skip
    expected = {
        "events_held": Decimal(1),
        "members_attended_events": indicators.share(1, len(members)),
        "members_spoke_at_events": indicators.share(1, len(members)),
        "members_visited_lessons": indicators.share(1, len(members)),
        "members_were_visited": indicators.share(1, len(members)),
        "innovative_open_lessons": Decimal(1),
    }
    for code, value in expected.items():
        _bind(plan, code, Decimal(1))
        [row] = selectors.target_rows(plan)
        assert row.actual == value, code
        assert row.url, code


def test_decisions_done_and_meetings_held(world):
    decision = Decision.objects.filter(community=world.plc).select_related("meeting").first()
    year = school_year_of(timezone.localtime(decision.meeting.starts_at).date())
    plan = Plan.objects.filter(community=world.plc, school_year=year).first() or world.plan
    Plan.objects.filter(pk=plan.pk).update(school_year=year)
    plan.refresh_from_db()
    _bind(plan, "decisions_done", Decimal("80"))
    [row] = selectors.target_rows(plan)
    total = Decision.objects.filter(community=world.plc).count()
    assert row.detail.endswith(f"из {total} решений выполнено"), row.detail
    _bind(plan, "meetings_held", Decimal("4"))
    [row] = selectors.target_rows(plan)
    assert row.actual is not None and row.url.endswith("/meetings/")


def test_the_edit_form_offers_the_sources_and_refuses_an_unknown_one(world):
    plan = world.plan
    row = plan.targets.first()
    with pytest.raises(ValidationError) as error:
        services.update_plan(
            plan=plan, version=plan.version, fields={},
            targets=[{"id": row.pk, "indicator": row.indicator, "target": 5,
                      "source": "made_up"}],
        )  # fmt: skip
    assert "source" in str(error.value) or "targets" in str(error.value)
    plan.refresh_from_db()
    services.update_plan(
        plan=plan, version=plan.version, fields={},
        targets=[{"id": row.pk, "indicator": row.indicator, "target": 5,
                  "source": "events_held"}],
    )  # fmt: skip
    assert Target.objects.get(pk=row.pk).source == "events_held"  # the same row, kept


def test_the_api_gives_the_values_and_the_page_does_not_grow(
    client, world, django_assert_max_num_queries
):
    plan = world.plan
    _bind(plan, "members_with_courses", Decimal("50"))
    client.force_login(world.leader)
    response = client.get(f"/api/v1/plans/{plan.pk}/target-values/")
    assert response.status_code == 200
    [value] = response.json()
    assert value["computed"] is True and value["source"] == "members_with_courses"
    assert value["formula"] and value["url"].endswith("/composition/")

    def queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/plans/{plan.pk}/").status_code == 200
        return len(captured)

    before = queries()
    for _n in range(5):
        person = teacher_at(world.plc.organisation)
        MembershipFactory(community=world.plc, person=person)
        profile, _created = TeacherProfile.objects.get_or_create(person=person)
        Course.objects.create(profile=profile, title="Курс", completed_on=dt.date.today())
    assert queries() == before


def test_an_outsider_does_not_get_the_values(client, world):
    client.force_login(world.user(TEACHER_C))
    assert client.get(f"/api/v1/plans/{world.plan.pk}/target-values/").status_code in (
        403,
        404,
    )
    client.force_login(world.user(SECRETARY))
    assert client.get(f"/api/v1/plans/{world.plan.pk}/target-values/").status_code == 200
