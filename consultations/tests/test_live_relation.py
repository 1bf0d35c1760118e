"""A named responder answers only while the relation that made them one lasts: the mentor while
the leaders' pair is active, the curator while they curate, a council's or association's
leader and members while the community is active and they belong to it. After it ends the
question is gone from their pages, the API and the actions, and they are not told of it."""

import json

import pytest
from django.core.exceptions import PermissionDenied

from communities.models import Community, Membership
from communities.tests.factories import CommunityFactory, MembershipFactory, kind
from consultations import permissions, selectors, services
from consultations.models import ConsultationRequest
from core.tests.conftest import ADMIN_A, ADMIN_B, CURATOR, LEADER_OTHER, MEMBER_OTHER, SECRETARY
from mentoring.models import Pair
from people.models import Person, RoleAssignment

from .matrix import council, leaders_pair, topic

Status = ConsultationRequest.Status


def _fresh(person) -> Person:
    return Person.objects.get(pk=person.pk)  # roles are cached on the object for one request


def _mentor(world):
    leaders_pair(world)
    request = services.ask(
        actor=world.user(MEMBER_OTHER), addressee="mentor", topic=topic(), question="Наставнику?"
    )

    def end():
        Pair.objects.filter(community=world.pair).update(status=Pair.Status.FINISHED)

    return request, world.user(ADMIN_B), end


def _curator(world):
    request = services.ask(
        actor=world.user(ADMIN_A), addressee="curator", responder=world.user(CURATOR),
        topic=topic(), question="Куратору?",
    )  # fmt: skip

    def end():
        RoleAssignment.objects.filter(
            person=world.user(CURATOR), role=RoleAssignment.Role.CURATOR
        ).delete()

    return request, world.user(CURATOR), end


def _association_leader(world):
    association = CommunityFactory(
        kind=kind("leaders_association"), name="Association", organisation=None,
        territory=world.district, leader=world.user(LEADER_OTHER), subject_area="",
    )  # fmt: skip
    MembershipFactory(community=association, person=world.user(ADMIN_A))
    request = services.ask(
        actor=world.user(ADMIN_A), addressee="association", community=association, topic=topic(),
        question="Ассоциации?",
    )  # fmt: skip

    def end():
        Community.objects.filter(pk=association.pk).update(status=Community.Status.ABOLISHED)

    return request, world.user(LEADER_OTHER), end


def _council_member(world):
    board = council(world)
    request = services.ask(
        actor=world.user(ADMIN_A), addressee="council", community=board, topic=topic(),
        question="Совету?",
    )  # fmt: skip

    def end():
        Membership.objects.filter(community=board, person=world.user(SECRETARY)).delete()

    return request, world.user(SECRETARY), end


def _council_member_made_mentee(world):
    """A membership of a role that does not answer for the council (a pair's side)."""
    board = council(world)
    request = services.ask(
        actor=world.user(ADMIN_A), addressee="council", community=board, topic=topic(),
        question="Совету?",
    )  # fmt: skip

    def end():
        Membership.objects.filter(community=board, person=world.user(SECRETARY)).update(
            role=Membership.Role.MENTEE
        )

    return request, world.user(SECRETARY), end


SCENARIOS = [_mentor, _curator, _association_leader, _council_member, _council_member_made_mentee]


def _post(client, url, body=None):
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda f: f.__name__.strip("_"))
def test_allowed_while_the_relation_lasts(client, world, scenario):
    request, responder, _end = scenario(world)
    assert permissions.responders(request) and responder in permissions.responders(request)
    client.force_login(responder)
    page = client.get(f"/consultations/{request.pk}/")
    assert page.status_code == 200 and page.context["can_answer"]
    assert client.get(f"/api/v1/consultations/{request.pk}/").status_code == 200
    assert request.pk in [c["id"] for c in client.get("/api/v1/consultations/").json()["results"]]
    assert selectors.waiting_for(_fresh(responder)).filter(pk=request.pk).exists()
    assert client.post(f"/consultations/{request.pk}/take/").status_code == 302
    assert _post(client, f"/api/v1/consultations/{request.pk}/take/").status_code == 200
    answered = _post(client, f"/api/v1/consultations/{request.pk}/answer/", {"text": "Ответ"})
    assert answered.status_code == 200 and answered.json()["status"] == Status.ANSWERED


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda f: f.__name__.strip("_"))
def test_denied_once_the_relation_ends(client, world, scenario):
    request, responder, end = scenario(world)
    end()
    request = ConsultationRequest.objects.get(pk=request.pk)
    assert responder not in permissions.responders(request)
    assert not permissions.is_responder(_fresh(responder), request)
    client.force_login(responder)
    base = f"/consultations/{request.pk}/"
    seen_for_board = permissions.oversees(_fresh(responder), request)
    assert client.get(base).status_code == (200 if seen_for_board else 404)  # not seen: not found
    refused = 403 if seen_for_board else 404  # seen but not theirs to act on, or not seen
    assert client.post(base + "take/").status_code == refused
    assert client.post(base + "answer/", {"text": "Ответ"}).status_code == refused
    api = f"/api/v1/consultations/{request.pk}/"
    assert client.get(api).status_code == (200 if seen_for_board else 404)
    for action, body in (("take/", {}), ("answer/", {"text": "Ответ"})):
        assert _post(client, api + action, body).status_code in (403, 404)
    assert not selectors.waiting_for(_fresh(responder)).filter(pk=request.pk).exists()
    assert not selectors.my_requests(_fresh(responder)).filter(pk=request.pk).exists()
    with pytest.raises(PermissionDenied):
        services.answer(actor=_fresh(responder), request=request, text="Ответ")
    request.refresh_from_db()
    assert request.status == Status.SUBMITTED


def test_a_question_taken_by_one_who_left_is_free_for_the_others(world):
    board = council(world)
    request = services.ask(
        actor=world.user(ADMIN_A), addressee="council", community=board, topic=topic(),
        question="Совету?",
    )  # fmt: skip
    request = services.take(actor=world.user(SECRETARY), request=request)
    chair = world.user(LEADER_OTHER)
    assert not permissions.can_answer(chair, request)
    Membership.objects.filter(community=board, person=world.user(SECRETARY)).delete()
    assert permissions.can_answer(chair, request)
    request = services.answer(actor=chair, request=request, text="Отвечаю я")
    assert request.status == Status.ANSWERED and request.taken_by == chair
