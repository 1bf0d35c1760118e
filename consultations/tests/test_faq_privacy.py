"""The FAQ is public: a text that names the asker, their school, their e-mail or any phone
number is refused on its field (saying what kind of data, not repeating it); the form starts
from the question with such data replaced; the publisher confirms there is none."""

import json

import pytest
from django.core.exceptions import ValidationError

from consultations import services
from consultations.models import FaqEntry
from core.tests.conftest import ADMIN_B, CURATOR, MEMBER_OTHER

from .matrix import asked, topic


@pytest.fixture
def answered(world):
    asker = world.user(MEMBER_OTHER)
    asker.last_name, asker.first_name, asker.middle_name = "Смирнова", "Анна", "Сергеевна"
    asker.email = "a.smirnova@school7.example"
    asker.save()
    school = world.school_a
    school.name, school.short_name = "МБОУ «Средняя школа № 7 г. Лесной»", "СОШ № 7"
    school.save()
    request = asked(world)
    assert request.organisation_id == school.pk
    services.answer(actor=world.user(ADMIN_B), request=request, text="Начните с диагностики.")
    return request


def _publish(world, request, question, answer="Начните с диагностики.", confirmed=True):
    return services.publish_faq(
        actor=world.user(CURATOR), source=request, topic=topic(), question=question,
        answer_text=answer, confirmed=confirmed,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("Вопрос от Смирновой о подготовке к ОГЭ", "фамилия"),
        ("СМИРНОВА спрашивает про ОГЭ", "фамилия"),
        ("Анна Сергеевна спрашивает про ОГЭ", "имя и отчество"),
        ("Пишите на a.smirnova@school7.example", "электронной почты"),
        ("Как в МБОУ «Средняя школа №7 г. Лесной» готовить к ОГЭ?", "школ"),
        ("Как в СОШ №7 готовить к ОГЭ?", "школ"),
        ("Позвоните +7 (900) 000-00-00", "телефон"),
        ("Позвоните 8 900 000 00 00", "телефон"),
        ("Позвоните 89000000000", "телефон"),
        ("Позвоните 000-00-00", "телефон"),
    ],
)
def test_a_text_with_personal_data_is_refused_on_its_field(world, answered, question, said):
    with pytest.raises(ValidationError) as exc:
        _publish(world, answered, question)
    errors = exc.value.message_dict
    assert list(errors) == ["question"]
    assert said in errors["question"][0]
    # The message names the kind of data, never the data itself.
    for data in ("Смирнов", "Анна", "smirnova", "Лесной", "000"):
        assert data.lower() not in " ".join(errors["question"]).lower()
    assert not FaqEntry.objects.exists()


def test_the_answer_is_checked_too(world, answered):
    with pytest.raises(ValidationError) as exc:
        _publish(world, answered, "Как готовить к ОГЭ?", "Спросите Анну Сергеевну, тел. 000-00-00")
    assert list(exc.value.message_dict) == ["answer"]
    assert len(exc.value.message_dict["answer"]) == 3  # the name, the phone, what to do


def test_ordinary_numbers_and_other_names_pass(world, answered):
    entry = _publish(
        world, answered,
        "Как в 2024-2025 учебном году готовить 9 класс к ОГЭ (20 учеников, 5 часов)?",
        "Как советует методист Петрова, начните с диагностики по кодификатору 2025 года.",
    )  # fmt: skip
    assert FaqEntry.objects.get() == entry


def test_publishing_needs_the_confirmation(world, answered):
    with pytest.raises(ValidationError) as exc:
        _publish(world, answered, "Как готовить к ОГЭ?", confirmed=False)
    assert list(exc.value.message_dict) == ["confirmed"]
    assert not FaqEntry.objects.exists()


def test_the_form_starts_without_the_personal_data(client, world, answered):
    answered.question = (
        "Я, Смирнова Анна Сергеевна из СОШ № 7, тел. +7 900 000-00-00, a.smirnova@school7.example:"
        " как готовить к ОГЭ?"
    )
    answered.save(update_fields=["question"])
    client.force_login(world.user(CURATOR))
    page = client.get(f"/consultations/{answered.pk}/faq/")
    prefilled = page.context["form"].initial["question"]
    assert "как готовить к ОГЭ?" in prefilled and "[…]" in prefilled
    for data in ("Смирнова", "Анна Сергеевна", "СОШ № 7", "000-00-00", "a.smirnova"):
        assert data not in prefilled
        assert data not in page.content.decode().split("<textarea")[1]
    # Sent as prefilled it is still not published: the publisher confirms.
    body = {"topic": topic().pk, "question": prefilled, "answer": "Диагностика."}
    refused = client.post(f"/consultations/{answered.pk}/faq/", body)
    assert refused.status_code == 200 and "confirmed" in refused.context["form"].errors
    named = client.post(
        f"/consultations/{answered.pk}/faq/",
        {**body, "question": "Смирнова спрашивает", "confirmed": "on"},
    )
    assert "фамилия" in named.context["form"].errors["question"][0]
    done = client.post(f"/consultations/{answered.pk}/faq/", {**body, "confirmed": "on"})
    assert done.status_code == 302 and FaqEntry.objects.count() == 1


def test_publishing_through_the_api(client, world, answered):
    url = f"/api/v1/consultations/{answered.pk}/publish/"
    body = {"topic": topic().pk, "question": "Как готовить к ОГЭ?", "answer": "Так."}

    def post(data):
        return client.post(url, data=json.dumps(data), content_type="application/json")

    client.force_login(world.user(MEMBER_OTHER))
    assert post({**body, "confirmed": True}).status_code == 403
    client.force_login(world.user(CURATOR))
    unconfirmed = post(body)
    assert unconfirmed.status_code == 400 and "confirmed" in unconfirmed.json()
    phone = post({**body, "question": "Звоните 000-00-00", "confirmed": True})
    assert phone.status_code == 400 and "question" in phone.json()
    made = post({**body, "confirmed": True})
    assert made.status_code == 201 and made.json()["question"] == "Как готовить к ОГЭ?"
    again = post({**body, "confirmed": True})
    assert again.status_code == 200 and again.json()["id"] == made.json()["id"]
    assert FaqEntry.objects.count() == 1
