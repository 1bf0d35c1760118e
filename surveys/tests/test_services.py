"""The surveys' writes: templates, building, answering once, anonymity in storage."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.tests.conftest import ADMIN_A, ADMIN_B, CENTRE, LEADER, MEMBER, TEACHER_A, TEACHER_C
from surveys import services
from surveys.blueprints import AREAS
from surveys.models import Answer, Participation, Question, Response, Survey


def _needs(world, anonymous=None):
    survey = services.create_from_template(
        actor=world.user(ADMIN_A), code="needs", organisation=world.school_a, anonymous=anonymous
    )
    return services.open_survey(survey=survey, actor=world.user(ADMIN_A))


def _answers(survey, need=4):
    data = {}
    for q in survey.questions.prefetch_related("options"):
        if q.code == "subject":
            data[q.pk] = q.options.all()[1].pk
        elif q.code in AREAS:
            data[q.pk] = need
    return data


def test_the_three_templates_make_surveys(world):
    for code in ("needs", "event_feedback", "mentoring_relationship"):
        survey = services.create_from_template(
            actor=world.user(CENTRE), code=code, territory=world.region
        )
        assert survey.template_code == code
        assert survey.status == Survey.Status.DRAFT
        assert survey.questions.count() >= 4
    needs = Survey.objects.get(template_code="needs")
    assert set(needs.questions.exclude(code="").values_list("code", flat=True)) >= set(AREAS)
    assert needs.anonymous
    assert not Survey.objects.get(template_code="mentoring_relationship").anonymous


def test_only_the_owners_administration_creates(world):
    with pytest.raises(PermissionDenied):
        services.create_from_template(
            actor=world.user(ADMIN_B), code="needs", organisation=world.school_a
        )
    with pytest.raises(PermissionDenied):
        services.create_from_template(actor=world.user(MEMBER), code="needs", community=world.plc)
    assert services.create_from_template(
        actor=world.user(LEADER), code="needs", community=world.plc
    )


def test_an_anonymous_answer_is_stored_apart_from_who_answered(world):
    survey = _needs(world)
    teacher = world.user(TEACHER_A)
    response = services.submit_response(survey=survey, actor=teacher, answers=_answers(survey))
    assert response.respondent_id is None and response.submitted_at is None
    assert response.organisation_id == world.school_a.pk
    assert Participation.objects.filter(survey=survey, person=teacher).exists()
    with pytest.raises(services.AlreadyAnswered):
        services.submit_response(survey=survey, actor=teacher, answers=_answers(survey))
    assert Response.objects.filter(survey=survey).count() == 1
    survey.refresh_from_db()
    assert survey.response_count == 1


def test_required_questions_are_named_in_the_error(world):
    survey = _needs(world)
    with pytest.raises(ValidationError) as caught:
        services.submit_response(survey=survey, actor=world.user(TEACHER_A), answers={})
    subject = survey.questions.get(code="subject")
    assert f"q{subject.pk}" in caught.value.message_dict
    assert not Participation.objects.filter(survey=survey).exists()


def test_outside_the_audience_cannot_answer(world):
    survey = _needs(world)
    with pytest.raises(PermissionDenied):
        services.submit_response(
            survey=survey, actor=world.user(TEACHER_C), answers=_answers(survey)
        )


def test_an_answered_question_survives_edits_and_cannot_be_removed(world):
    survey = _needs(world)
    services.submit_response(survey=survey, actor=world.user(TEACHER_A), answers=_answers(survey))
    rows = [
        {"id": q.pk, "kind": q.kind, "text": q.text + "!", "required": q.required,
         "options": [o.text for o in q.options.all()]}
        for q in survey.questions.all()
    ]  # fmt: skip
    services.update_survey(survey=survey, actor=world.user(ADMIN_A), questions=rows)
    assert Answer.objects.filter(response__survey=survey).count() == 1 + len(AREAS)
    assert survey.questions.filter(text__endswith="!").count() == len(rows)
    with pytest.raises(ValidationError):
        services.update_survey(survey=survey, actor=world.user(ADMIN_A), questions=rows[2:])
    assert Question.objects.filter(survey=survey).count() == len(rows)
