"""The pages as a person uses them: ask (twice, with a hostile file), answer, rate, the board
and the public FAQ."""

from django.core.files.uploadedfile import SimpleUploadedFile

from consultations import services
from consultations.models import ConsultationRequest, FaqEntry
from core.tests.conftest import ADMIN_A, ADMIN_B, CENTRE, CURATOR, MEMBER_OTHER

from .matrix import asked, council, leaders_pair, topic


def _form(world, **extra):
    return {
        "addressee": "council",
        "community": council(world).pk,
        "topic": topic("pisa").pk,
        "urgency": "normal",
        "question": "Как готовиться к PISA?",
        **extra,
    }


def test_a_double_submit_of_the_ask_form_makes_one_request(client, world):
    client.force_login(world.user(ADMIN_A))
    first = client.post("/consultations/ask/", _form(world))
    second = client.post("/consultations/ask/", _form(world))
    assert first.status_code == second.status_code == 302
    assert first.url == second.url
    assert ConsultationRequest.objects.count() == 1


def test_a_hostile_file_is_refused_on_the_field(client, world):
    client.force_login(world.user(ADMIN_A))
    bad = SimpleUploadedFile("report.pdf", b"<svg onload=alert(1)>", content_type="application/pdf")
    response = client.post("/consultations/ask/", _form(world, files=[bad]))
    assert response.status_code == 200
    assert response.context["form"].errors["files"]
    assert not ConsultationRequest.objects.exists()


def test_the_mentor_answers_and_the_mentee_rates_on_the_page(client, world):
    request = asked(world)
    client.force_login(world.user(ADMIN_B))
    page = client.get(f"/consultations/{request.pk}/").content.decode()
    assert 'id="answer-form"' in page and "plan.pdf" in page
    empty = client.post(f"/consultations/{request.pk}/answer/", {"text": ""})
    assert empty.status_code == 200 and empty.context["answer_form"].errors
    client.post(f"/consultations/{request.pk}/answer/", {"text": "Начните с диагностики"})
    client.force_login(world.user(MEMBER_OTHER))
    page = client.get(f"/consultations/{request.pk}/").content.decode()
    assert "Начните с диагностики" in page and 'id="rate"' in page
    client.post(f"/consultations/{request.pk}/rate/", {"score": "4", "comment": ""})
    again = client.post(f"/consultations/{request.pk}/rate/", {"score": "1", "comment": ""})
    assert again.status_code == 302
    request.refresh_from_db()
    assert request.status == "closed" and request.rating.score == 4


def test_the_attachment_is_downloaded_by_viewers_only(client, world):
    request = asked(world)
    url = f"/consultations/attachments/{request.attachments.get().pk}/"
    client.force_login(world.user(ADMIN_B))
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(world.user(ADMIN_A))
    assert client.get(url).status_code == 404  # not shown is not found


def test_the_board_shows_age_filters_and_response_times(client, world):
    request = asked(world)
    other = asked(world, "Второй вопрос")
    services.answer(actor=world.user(ADMIN_B), request=other, text="Ответ")
    client.force_login(world.user(CENTRE))
    response = client.get("/consultations/board/")
    assert response.status_code == 200
    times = response.context["times"]
    assert times.answered == 1 and times.open_count == 1 and times.median_hours is not None
    open_only = client.get("/consultations/board/?status=open")
    assert [c.pk for c in open_only.context["page"]] == [request.pk]
    by_topic = client.get(f"/consultations/board/?topic={topic('ege').pk}")
    assert list(by_topic.context["page"]) == []
    hostile = client.get("/consultations/board/?status=<x>&topic=99999999999999&addressee=%00")
    assert hostile.status_code == 200


def test_the_faq_is_public_and_anonymous(client, world):
    request = asked(world)
    services.answer(actor=world.user(ADMIN_B), request=request, text="Ответ")
    client.force_login(world.user(CURATOR))
    form = client.get(f"/consultations/{request.pk}/faq/")
    assert form.status_code == 200
    body = {"topic": topic().pk, "question": "Как готовить к ОГЭ?", "answer": "Диагностика."}
    unconfirmed = client.post(f"/consultations/{request.pk}/faq/", body)
    assert "confirmed" in unconfirmed.context["form"].errors
    assert not FaqEntry.objects.exists()
    client.post(f"/consultations/{request.pk}/faq/", {**body, "confirmed": "on"})
    assert FaqEntry.objects.count() == 1
    client.logout()
    page = client.get("/consultations/faq/").content.decode()
    assert "Диагностика." in page
    asker = world.user(MEMBER_OTHER)
    assert asker.full_name not in page and asker.username not in page
    assert client.get("/consultations/faq/?topic=abc").status_code == 200


def test_the_ask_form_offers_the_mentor_by_name(client, world):
    leaders_pair(world)
    client.force_login(world.user(MEMBER_OTHER))
    page = client.get("/consultations/ask/").content.decode()
    assert world.user(ADMIN_B).full_name in page
