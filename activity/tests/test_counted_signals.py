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


def test_posts_comments_reactions_and_replies_are_actions(
    world, django_capture_on_commit_callbacks
):
    from discussions import services as discussions

    member = world.user(MEMBER)
    with django_capture_on_commit_callbacks(execute=True):
        post = discussions.create_post(actor=member, community=world.plc, body="Коллеги, привет")
    with django_capture_on_commit_callbacks(execute=True):
        discussions.add_comment(actor=world.user(LEADER), post=post, body="Здравствуйте")
    with django_capture_on_commit_callbacks(execute=True):
        discussions.toggle_reaction(actor=member, post=post, kind="like")
    with django_capture_on_commit_callbacks(execute=True):
        discussions.toggle_reaction(actor=member, post=post, kind="like")  # taken back: nothing
    with django_capture_on_commit_callbacks(execute=True):
        topic = discussions.open_topic(
            actor=member, community=world.plc, title="Вопрос", body="Как быть?"
        )
        discussions.reply(actor=world.user(LEADER), topic=topic, body="Так")
    kinds = list(Hit.objects.filter(community_id=world.plc.pk).values_list("kind", flat=True))
    assert kinds == ["action"] * 5


def test_a_community_resource_downloaded_is_an_action(world, client):
    from django.core.files.base import ContentFile

    from resources.models import Resource, ResourceKind, ResourceVersion

    resource = Resource.objects.create(
        title="План урока",
        kind=ResourceKind.objects.first(),
        community=world.plc,
        created_by=world.user(MEMBER),
        territory=world.plc.territory,
        status=Resource.Status.PUBLISHED,
        is_public=True,
    )
    version = ResourceVersion.objects.create(
        resource=resource, file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="plan.pdf"),
        original_name="plan.pdf",
    )  # fmt: skip
    assert client.get(f"/resources/versions/{version.pk}/file/").status_code == 200
    assert list(Hit.objects.values_list("community_id", "kind")) == [(world.plc.pk, "action")]
