"""The relationship survey: launched by the curator for both sides, shown on the pair's page and
in the year-end analysis."""

import io

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from communities.tests.factories import MembershipFactory
from core.tests.conftest import ADMIN_B, CENTRE, CURATOR, MEMBER_OTHER
from mentoring import surveying
from mentoring.models import Pair
from notifications.models import Notification
from people.tests.factories import teacher_at
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


def test_a_side_or_the_centre_does_not_launch_it_and_a_plc_member_does_not_either(world):
    pair = leaders_pair(world)
    assert not surveying.can_launch_for_pair(world.user(ADMIN_B), pair)
    assert surveying.can_launch_for_pair(world.user(CENTRE), pair)
    plc = plc_pair(world)
    assert surveying.can_launch_for_pair(world.leader, plc)
    assert not surveying.can_launch_for_pair(world.member, plc)  # the mentee
    assert surveying.pair_survey(plc, world.member) is None  # nothing to show yet


def test_a_plc_pairs_survey_asks_only_its_two_sides(
    client, world, django_capture_on_commit_callbacks
):
    pair = plc_pair(world)
    client.force_login(world.leader)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/mentoring/pairs/{pair.pk}/survey/")
        client.post(f"/mentoring/pairs/{pair.pk}/survey/")  # a double click opens nothing new
    survey = Survey.objects.get(mentoring_pair_link__pair=pair)
    assert survey.community == world.plc and survey.audience == Survey.Audience.PEOPLE
    assert set(survey.respondents.all()) == {pair.mentor, pair.mentee}
    # The two sides are told and answer; another member of the PLC is neither told nor asked.
    told = Notification.objects.filter(url__contains=f"/surveys/{survey.pk}/")
    assert set(told.values_list("recipient_id", flat=True)) == {pair.mentor_id, pair.mentee_id}
    other = teacher_at(world.plc.organisation)
    MembershipFactory(community=world.plc, person=other)
    client.force_login(other)
    assert client.get(f"/surveys/{survey.pk}/answer/").status_code in (403, 404)
    assert f"/surveys/{survey.pk}/" not in client.get("/surveys/").content.decode()
    for person, side in ((pair.mentor, 0), (pair.mentee, 1)):
        client.force_login(person)
        page = client.get(f"/mentoring/pairs/{pair.pk}/").content.decode()
        assert f"/surveys/{survey.pk}/answer/" in page
        _answer(survey, person, side, 4)
    client.force_login(world.leader)
    page = client.get(f"/mentoring/pairs/{pair.pk}/").content.decode()
    assert "Доверие между сторонами" in page and "4.0" in page.replace(",", ".")


def test_a_survey_of_named_people_asks_only_the_owners_people(world):
    with pytest.raises(ValidationError):
        survey_services.create_from_template(
            actor=None, code="mentoring_relationship", community=world.plc,
            audience=Survey.Audience.PEOPLE, respondents=[world.user(ADMIN_B)],
        )  # fmt: skip
    with pytest.raises(ValidationError):
        survey_services.create_from_template(
            actor=None, code="mentoring_relationship", community=world.plc,
            audience=Survey.Audience.PEOPLE, respondents=[],
        )  # fmt: skip
    assert not Survey.objects.exists()


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
