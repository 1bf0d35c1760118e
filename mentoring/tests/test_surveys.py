"""The relationship survey: launched by the curator for both sides, shown on the pair's page and
in the year-end analysis."""

import io

from pypdf import PdfReader

from core.tests.conftest import ADMIN_B, CENTRE, CURATOR, MEMBER, MEMBER_OTHER
from mentoring import surveying
from mentoring.models import Pair
from surveys import services as survey_services
from surveys.models import Survey

from .matrix import YEAR, leaders_pair, plc_pair


def _answer(survey, person, side_index: int, trust: int):
    questions = {q.code: q for q in survey.questions.prefetch_related("options")}
    side = list(questions["side"].options.all())[side_index]
    survey_services.submit_response(
        survey=survey,
        actor=person,
        answers={
            questions["side"].pk: side.pk,
            questions["trust"].pk: trust,
            questions["regularity"].pk: 4,
            questions["usefulness"].pk: 5,
        },
    )


def test_the_curator_opens_the_survey_for_both_sides_once(client, world):
    pair = leaders_pair(world)
    client.force_login(world.user(CURATOR))
    client.post(f"/mentoring/pairs/{pair.pk}/survey/")
    client.post(f"/mentoring/pairs/{pair.pk}/survey/")  # a double click opens nothing new
    survey = Survey.objects.get(community=pair.community)
    assert survey.status == Survey.Status.OPEN and not survey.anonymous
    for role in (ADMIN_B, MEMBER_OTHER):
        client.force_login(world.user(role))
        page = client.get(f"/mentoring/pairs/{pair.pk}/").content.decode()
        assert f"/surveys/{survey.pk}/answer/" in page, role
    client.force_login(world.member)
    assert client.get(f"/surveys/{survey.pk}/answer/").status_code in (403, 404)


def test_a_side_or_the_centre_does_not_launch_it_and_plc_pairs_have_none(world):
    pair = leaders_pair(world)
    assert not surveying.can_launch_for_pair(world.user(ADMIN_B), pair)
    assert surveying.can_launch_for_pair(world.user(CENTRE), pair)
    assert not surveying.can_launch_for_pair(world.leader, plc_pair(world))
    assert surveying.pair_survey(plc_pair(world), world.user(MEMBER)) is None


def test_the_answers_reach_the_pair_page_and_the_analysis(client, world):
    pair = leaders_pair(world)
    assert surveying.launch(actor=world.user(CURATOR), pairs=Pair.objects.filter(pk=pair.pk)) == 1
    survey = Survey.objects.get(community=pair.community)
    _answer(survey, world.user(ADMIN_B), 0, 5)
    _answer(survey, world.user(MEMBER_OTHER), 1, 3)
    client.force_login(world.user(CURATOR))
    page = client.get(f"/mentoring/pairs/{pair.pk}/").content.decode()
    assert "Доверие между сторонами" in page and "4.0" in page.replace(",", ".")
    analysis = client.get(f"/mentoring/analysis/{world.region.pk}/{YEAR}/")
    assert analysis.context["data"].survey["answers"] == 2
    assert (
        "Ответов на анкету об отношениях в парах: 2"
        in analysis.context["form"].initial["conclusions"]
    )
    pdf = client.get(f"/mentoring/analysis/{world.region.pk}/{YEAR}.pdf")
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split()
    )
    assert "в среднем 4.0 из 5" in text.replace(",", ".")


def test_all_pairs_at_once_from_the_analysis(client, world):
    leaders_pair(world)
    client.force_login(world.user(CURATOR))
    response = client.post(f"/mentoring/analysis/{world.region.pk}/{YEAR}/survey/")
    assert response.status_code == 302
    assert (
        Survey.objects.filter(community=world.pair, template_code="mentoring_relationship").count()
        == 1
    )
