"""The demo's consultations as its people see them."""

import pytest
from django.core.management import call_command

from consultations.models import ConsultationRequest, FaqEntry
from people.models import Person

pytestmark = pytest.mark.django_db


def test_the_demo_shows_an_answered_question_a_waiting_one_and_the_faq(client):
    call_command("load_demo", verbosity=0)
    closed = ConsultationRequest.objects.get(status="closed")
    assert closed.asker.username == "mentee" and closed.answer.author.username == "mentor"
    assert closed.rating.score == 5
    waiting = ConsultationRequest.objects.get(status="submitted")
    assert waiting.urgency == "urgent" and waiting.is_overdue
    assert FaqEntry.objects.count() == 1
    client.force_login(Person.objects.get(username="centre"))
    board = client.get("/consultations/board/")
    assert board.status_code == 200 and waiting in board.context["page"]
    dashboard = client.get("/").content.decode()
    assert f"/consultations/{waiting.pk}/" in dashboard  # the chair of the council is asked
    client.force_login(Person.objects.get(username="mentee"))
    assert client.get(f"/consultations/{closed.pk}/").status_code == 200
    client.logout()
    assert "ОГЭ" in client.get("/consultations/faq/").content.decode()
    call_command("load_demo", verbosity=0)
    assert ConsultationRequest.objects.count() == 2
