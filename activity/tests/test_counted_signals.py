"""Answers to a community's survey count as its feedback; an anonymous survey's respondent is
not even hashed into the statistic."""

import pytest

from activity.models import Hit
from core.tests.conftest import LEADER, MEMBER
from surveys import services
from surveys.tests.test_services import _answers


@pytest.mark.parametrize("anonymous", [True, False])
def test_survey_answers_are_feedback(world, django_capture_on_commit_callbacks, anonymous):
    leader, member = world.user(LEADER), world.user(MEMBER)
    survey = services.create_from_template(
        actor=leader, code="needs", community=world.plc, anonymous=anonymous
    )
    services.open_survey(survey=survey, actor=leader)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_response(survey=survey, actor=member, answers=_answers(survey))
    hit = Hit.objects.get()
    assert (hit.community_id, hit.kind) == (world.plc.pk, "feedback")
    assert bool(hit.visitor) is not anonymous
