"""The consultation's life: asked, routed, taken, answered, rated, published — and refused
where the policy or the state says no, with nothing half-written."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from consultations import permissions, selectors, services
from consultations.models import ConsultationAttachment, ConsultationRequest, FaqEntry
from core.tests.conftest import (
    ADMIN_A,
    ADMIN_B,
    CENTRE,
    CURATOR,
    LEADER_OTHER,
    MEMBER_OTHER,
    SECRETARY,
    TEACHER_A,
)
from notifications.models import Notification
from portal.selectors import waiting_items

from .matrix import PDF, asked, council, leaders_pair, topic

Status = ConsultationRequest.Status


def _told(kind):
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_mentee_asks_mentor_answers_mentee_rates(world, django_capture_on_commit_callbacks):
    leaders_pair(world)
    mentee, mentor = world.user(MEMBER_OTHER), world.user(ADMIN_B)
    with django_capture_on_commit_callbacks(execute=True):
        request = services.ask(
            actor=mentee, addressee="mentor", topic=topic("oge"), question="Как готовить к ОГЭ?"
        )
    assert request.responder == mentor and request.territory == world.pair.territory
    assert _told("consult_asked") == {mentor.username}
    assert any(i.kind == "consultation" for i in waiting_items(mentor))

    with django_capture_on_commit_callbacks(execute=True):
        services.take(actor=mentor, request=request)
    assert _told("consult_taken") == {mentee.username}

    with django_capture_on_commit_callbacks(execute=True):
        request = services.answer(actor=mentor, request=request, text="Начните с диагностики.")
    assert request.status == Status.ANSWERED and request.answered_at
    assert _told("consult_answered") == {mentee.username}
    assert [i.action for i in waiting_items(mentee) if i.kind == "consultation"]
    assert not [i for i in waiting_items(mentor) if i.kind == "consultation"]

    with django_capture_on_commit_callbacks(execute=True):
        services.rate(actor=mentee, request=request, score=5, comment="Спасибо")
    request.refresh_from_db()
    assert request.status == Status.CLOSED and request.rating.score == 5
    assert _told("consult_rated") == {mentor.username}


def test_rating_twice_is_refused(world):
    request = asked(world)
    services.answer(actor=world.user(ADMIN_B), request=request, text="Ответ")
    services.rate(actor=world.user(MEMBER_OTHER), request=request, score=4)
    with pytest.raises(ValidationError):
        services.rate(actor=world.user(MEMBER_OTHER), request=request, score=1)
    request.refresh_from_db()
    assert request.rating.score == 4


def test_only_the_asker_rates_and_only_after_an_answer(world):
    request = asked(world)
    with pytest.raises(ValidationError):
        services.rate(actor=world.user(MEMBER_OTHER), request=request, score=5)
    services.answer(actor=world.user(ADMIN_B), request=request, text="Ответ")
    with pytest.raises(PermissionDenied):
        services.rate(actor=world.user(ADMIN_B), request=request, score=5)
    with pytest.raises(ValidationError):
        services.rate(actor=world.user(MEMBER_OTHER), request=request, score=9)


def test_asking_twice_makes_one_request(world):
    asked(world)
    with pytest.raises(services.AlreadyDone):
        services.ask(
            actor=world.user(MEMBER_OTHER), addressee="mentor", topic=topic(),
            question="  Как готовить   к ОГЭ? ",
        )  # fmt: skip
    assert ConsultationRequest.objects.count() == 1


def test_a_council_question_goes_to_its_members_and_chair(
    world, django_capture_on_commit_callbacks
):
    board = council(world)
    with django_capture_on_commit_callbacks(execute=True):
        request = services.ask(
            actor=world.user(ADMIN_A), addressee="council", community=board, topic=topic("vpr"),
            question="ВПР по математике?", urgency="urgent",
        )  # fmt: skip
    assert _told("consult_asked") == {world.user(LEADER_OTHER).username, "secretary"}
    assert (request.due_by - timezone.localdate(request.created_at)).days == 3
    secretary, chair = world.user(SECRETARY), world.user(LEADER_OTHER)
    services.take(actor=secretary, request=request)
    with pytest.raises(ValidationError):
        services.answer(actor=chair, request=request, text="Я тоже")  # taken by the secretary
    with pytest.raises(PermissionDenied):
        services.take(actor=world.user(TEACHER_A), request=request)
    assert permissions.can_see_board(chair)
    assert selectors.board_requests(chair).filter(pk=request.pk).exists()


def test_nobody_addresses_someone_not_theirs(world):
    leaders_pair(world)
    with pytest.raises(ValidationError) as exc:
        services.ask(
            actor=world.user(ADMIN_A), addressee="mentor", topic=topic(), question="Вопрос"
        )
    assert "addressee" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.ask(
            actor=world.user(ADMIN_A), addressee="curator", responder=world.user(CENTRE),
            topic=topic(), question="Вопрос",
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.ask(actor=world.user(TEACHER_A), addressee="council", topic=topic(), question="?")
    curator_request = services.ask(
        actor=world.user(ADMIN_A), addressee="curator", responder=world.user(CURATOR),
        topic=topic(), question="Вопрос куратору",
    )  # fmt: skip
    assert permissions.is_responder(world.user(CURATOR), curator_request)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("plan.pdf", b"<html><script>alert(1)</script></html>"),
        ("photo.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),  # the name lies about the bytes
        ("run.pdf", b"MZ\x90\x00" + b"\x00" * 64),
    ],
)
def test_a_hostile_attachment_is_refused_and_nothing_is_written(world, name, content):
    leaders_pair(world)
    with pytest.raises(ValidationError) as exc:
        services.ask(
            actor=world.user(MEMBER_OTHER), addressee="mentor", topic=topic(), question="Вопрос",
            files=[SimpleUploadedFile(name, content, content_type="application/pdf")],
        )  # fmt: skip
    assert "files" in exc.value.message_dict
    assert not ConsultationRequest.objects.exists()
    assert not ConsultationAttachment.objects.exists()


def test_a_good_attachment_is_kept_under_a_generated_name(world):
    request = asked(world)
    attachment = request.attachments.get()
    assert attachment.filename == "plan.pdf" and "plan" not in attachment.file.name
    assert attachment.file.read() == PDF


def test_the_faq_is_published_without_the_asker(world):
    request = asked(world)
    services.answer(actor=world.user(ADMIN_B), request=request, text="Ответ")
    name = world.user(MEMBER_OTHER).full_name
    with pytest.raises(ValidationError):
        services.publish_faq(
            actor=world.user(CURATOR), source=request, topic=topic(),
            question=f"{name} спрашивает про ОГЭ", answer_text="Ответ",
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.publish_faq(
            actor=world.user(ADMIN_B), source=request, topic=topic(), question="Q",
            answer_text="A",
        )  # fmt: skip
    entry = services.publish_faq(
        actor=world.user(CURATOR), source=request, topic=topic(), question="Как готовить к ОГЭ?",
        answer_text="Начните с диагностики.", confirmed=True,
    )  # fmt: skip
    assert FaqEntry.objects.get() == entry


def test_withdrawn_requests_wait_for_nobody(world):
    request = asked(world)
    services.withdraw(actor=world.user(MEMBER_OTHER), request=request)
    assert not selectors.waiting_for(world.user(ADMIN_B)).exists()
    with pytest.raises(ValidationError):
        services.take(actor=world.user(ADMIN_B), request=request)


def test_an_answer_may_be_a_consultation_event_the_answerer_organises(world):
    from events.models import EventKind
    from events.tests.factories import EventFactory

    request = asked(world)
    mentor = world.user(ADMIN_B)
    consultation = EventKind.objects.get(code="individual-consultation")
    mine = EventFactory(kind=consultation, organiser_community=world.pair, created_by=mentor)
    seminar = EventFactory(organiser_community=world.pair, created_by=mentor)
    theirs = EventFactory(kind=consultation, organiser_community=world.pair)
    for event in (seminar, theirs):
        with pytest.raises(ValidationError) as exc:
            services.answer(actor=mentor, request=request, event=event)
        assert "event" in exc.value.message_dict
    request = services.answer(actor=mentor, request=request, event=mine)
    assert request.answer.event == mine and request.answer.text == ""
