"""The surveys' pages and exports: the number of queries does not grow with the answers,
the surveys or the schools (aggregated in SQL)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.tests.conftest import ADMIN_A, CENTRE, TEACHER_A
from organisations.tests.factories import OrganisationFactory
from people.tests.factories import teacher_at
from surveys import services

from .test_services import _answers, _needs


def count(client, url) -> int:
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def grow(world, survey, n: int, start: int) -> None:
    comment = survey.questions.get(code="comment")
    support = survey.questions.get(code="support")
    options = list(support.options.values_list("pk", flat=True))
    for k in range(start, start + n):
        school = OrganisationFactory(name=f"Школа {k}", territory=world.district)
        teacher = teacher_at(school if k % 2 else world.school_a, username=f"q{k}")
        answers = _answers(survey, 1 + k % 5) | {comment.pk: f"Текст {k}", support.pk: options[:2]}
        services.submit_response(survey=survey, actor=teacher, answers=answers)
    services.create_from_template(
        actor=world.user(ADMIN_A), code="needs", organisation=world.school_a, title=f"S{start}"
    )


def test_survey_pages_do_not_grow(client, world):
    centre = world.user(CENTRE)
    survey = services.create_from_template(
        actor=centre, code="needs", territory=world.region, anonymous=False
    )
    services.open_survey(survey=survey, actor=centre)
    grow(world, survey, 6, 0)
    client.force_login(centre)
    urls = [
        "/surveys/",
        f"/surveys/{survey.pk}/",
        f"/surveys/{survey.pk}/edit/",
        f"/surveys/{survey.pk}/results/",
        f"/surveys/{survey.pk}/results.xlsx",
        f"/api/v1/surveys/{survey.pk}/results/",
        "/api/v1/surveys/",
        "/surveys/needs-map/",
        "/surveys/needs-map/?by=subject",
        "/surveys/needs-map/?by=network",
    ]
    before = {url: count(client, url) for url in urls}
    grow(world, survey, 12, 100)
    after = {url: count(client, url) for url in urls}
    assert after == before


def test_the_answer_form_and_the_dashboard_do_not_grow(client, world):
    surveys = [_needs(world)]
    client.force_login(world.user(TEACHER_A))
    before = [count(client, f"/surveys/{surveys[0].pk}/answer/"), count(client, "/")]
    surveys += [_needs(world) for _n in range(4)]
    after = [count(client, f"/surveys/{surveys[0].pk}/answer/"), count(client, "/")]
    assert after == before
