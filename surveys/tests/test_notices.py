"""Nobody waits without knowing: opening a survey tells its audience and lists it on their
dashboard until they answer; the actor is not told."""

from core.tests.conftest import ADMIN_A, LEADER, MEMBER, SECRETARY, TEACHER_A, TEACHER_C
from notifications.models import Notification
from portal.selectors import waiting_items
from surveys import services

from .test_services import _answers


def test_opening_asks_the_audience_and_the_dashboard_lists_it(
    world, django_capture_on_commit_callbacks
):
    survey = services.create_from_template(
        actor=world.user(LEADER), code="needs", community=world.plc
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.open_survey(survey=survey, actor=world.user(LEADER))
    asked = set(
        Notification.objects.filter(kind=Notification.Kind.SURVEY_ASKED).values_list(
            "recipient__username", flat=True
        )
    )
    assert asked == {world.user(MEMBER).username, world.user(SECRETARY).username}
    member = world.user(MEMBER)
    assert any(i.kind == "survey" and survey.title in i.title for i in waiting_items(member))
    assert not any(i.kind == "survey" for i in waiting_items(world.user(TEACHER_C)))
    services.submit_response(survey=survey, actor=member, answers=_answers(survey))
    assert not any(i.kind == "survey" for i in waiting_items(member))


def test_a_school_survey_waits_for_the_school_staff(world):
    survey = services.create_from_template(
        actor=world.user(ADMIN_A), code="event_feedback", organisation=world.school_a
    )
    services.open_survey(survey=survey, actor=world.user(ADMIN_A))
    assert any(i.kind == "survey" for i in waiting_items(world.user(TEACHER_A)))
    assert not any(i.kind == "survey" for i in waiting_items(world.user(TEACHER_C)))
