"""Each rule of the surveys' policy, allowed and denied."""

import datetime as dt

from django.utils import timezone

from core.tests.conftest import (
    ADMIN_A,
    ADMIN_B,
    CENTRE,
    CENTRE_OTHER,
    COORDINATOR,
    CURATOR,
    LEADER,
    MEMBER,
    TEACHER_A,
    TEACHER_C,
)
from people.tests.factories import teacher_at
from surveys import permissions, services
from surveys.models import Survey

from .test_services import _answers


def test_who_may_build_where(world):
    u = world.user
    assert permissions.can_create_in(u(LEADER), community=world.plc)
    assert not permissions.can_create_in(u(MEMBER), community=world.plc)
    assert permissions.can_create_in(u(ADMIN_A), organisation=world.school_a)
    assert not permissions.can_create_in(u(ADMIN_B), organisation=world.school_a)
    assert permissions.can_create_in(u(COORDINATOR), network=world.network)
    assert not permissions.can_create_in(u(ADMIN_B), network=world.network)
    assert permissions.can_create_in(u(CENTRE), territory=world.region)
    assert permissions.can_create_in(u(CURATOR), territory=world.region)
    assert not permissions.can_create_in(u(CENTRE_OTHER), territory=world.region)
    assert permissions.can_create_any(u(LEADER)) and not permissions.can_create_any(u(MEMBER))


def _open(world, **scope):
    survey = services.create_from_template(actor=None, code="event_feedback", **scope)
    return services.open_survey(survey=survey, actor=None)


def test_the_audience_of_each_owner(world):
    u = world.user
    school = _open(world, organisation=world.school_a)
    assert permissions.can_answer(u(TEACHER_A), school)
    assert not permissions.can_answer(u(TEACHER_C), school)
    network = _open(world, network=world.network)
    assert permissions.can_answer(teacher_at(world.school_b, username="nb"), network)
    assert not permissions.can_answer(u(TEACHER_C), network)
    territory = _open(world, territory=world.district)
    assert permissions.can_answer(u(TEACHER_A), territory)
    assert not permissions.can_answer(u(TEACHER_C), territory)
    community = _open(world, community=world.plc)
    assert permissions.can_answer(u(MEMBER), community)
    assert not permissions.can_answer(u(TEACHER_A), community)
    everyone = services.create_from_template(
        actor=None, code="event_feedback", community=world.plc, audience="signed_in"
    )
    services.open_survey(survey=everyone, actor=None)
    everyone.refresh_from_db()
    assert permissions.can_answer(u(TEACHER_C), everyone)
    # The list forms agree with the answers above.
    visible = Survey.objects.filter(permissions.visible_q(u(TEACHER_C)))
    assert set(visible) == {everyone}


def test_answering_needs_an_open_survey_within_its_dates(world):
    member = world.user(MEMBER)
    survey = services.create_from_template(actor=None, code="needs", community=world.plc)
    assert not permissions.can_answer(member, survey)  # a draft
    assert not permissions.can_view(member, survey)
    services.open_survey(survey=survey, actor=None)
    survey.refresh_from_db()
    assert permissions.can_answer(member, survey)
    survey.closes_at = timezone.now() - dt.timedelta(minutes=1)
    assert not permissions.can_answer(member, survey)
    survey.closes_at = None
    services.submit_response(survey=survey, actor=member, answers=_answers(survey))
    assert not permissions.can_answer(member, survey)  # once
    services.close_survey(survey=survey, actor=None)
    survey.refresh_from_db()
    assert not permissions.can_answer(world.user(LEADER), survey)


def test_results_are_for_the_builders_and_wait_for_five(world):
    survey = _open(world, community=world.plc)
    assert permissions.can_view_results(world.user(LEADER), survey)
    assert not permissions.can_view_results(world.user(MEMBER), survey)
    survey.response_count = 4
    assert not permissions.results_shown(survey)
    survey.response_count = 5
    assert permissions.results_shown(survey)
    survey.anonymous, survey.response_count = False, 1
    assert permissions.results_shown(survey)


def test_an_answered_or_opened_survey_is_not_deleted(world):
    leader = world.user(LEADER)
    draft = services.create_from_template(actor=None, code="needs", community=world.plc)
    assert permissions.can_delete(leader, draft)
    assert not permissions.can_delete(world.user(MEMBER), draft)
    services.open_survey(survey=draft, actor=None)
    draft.refresh_from_db()
    assert not permissions.can_delete(leader, draft)
    assert permissions.can_close(leader, draft) and not permissions.can_open(leader, draft)
