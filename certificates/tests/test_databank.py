"""A certificate appears in the holder's databank by itself, read-only, in the page, the API and
the XLSX export; revoked, it leaves."""

import io

import pytest
from openpyxl import load_workbook

from certificates import services
from certificates.models import Certificate
from certificates.tests.factories import held_event
from people.models import Achievement

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued():
    h = held_event()
    services.issue_for_event(event=h.event, actor=h.leader)
    return h


def test_the_holder_sees_the_certificate_in_the_databank_without_typing_it(client, issued):
    certificate = Certificate.objects.get(holder=issued.participant)
    client.force_login(issued.participant)
    page = client.get(f"/people/{issued.participant.pk}/").content.decode()
    assert "Сертификат участника: Мастер-класс «Смысловое чтение»" in page
    assert f"/c/{certificate.token}/" in page
    assert "школьный" in page
    speaker = client.get(f"/people/{issued.speaker.pk}/")
    assert speaker.status_code == 200
    client.force_login(issued.speaker)
    page = client.get(f"/people/{issued.speaker.pk}/").content.decode()
    assert "Выступление: Мастер-класс «Смысловое чтение»" in page


def test_api_and_export_carry_the_recorded_achievement(client, issued):
    certificate = Certificate.objects.get(holder=issued.participant)
    client.force_login(issued.participant)
    body = client.get(f"/api/v1/people/{issued.participant.pk}/").json()
    [row] = body["databank"]["achievements"]
    assert row["source"] == f"certificate:{certificate.number}"
    assert row["description"] == "Сертификат участника: Мастер-класс «Смысловое чтение»"
    assert row["url"].endswith(f"/c/{certificate.token}/")
    export = client.get(f"/people/{issued.participant.pk}/databank.xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    assert any("Сертификат участника: Мастер-класс" in c for c in cells)


def _form(person, extra=None):
    form = {
        "person-last_name": person.last_name,
        "person-first_name": person.first_name,
        "person-middle_name": person.middle_name,
        "person-email": person.email,
        "person-phone": "",
    }
    for prefix in ("qualification", "courses", "awards", "achievements"):
        form |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return form | (extra or {})


def test_saving_the_databank_form_neither_changes_nor_deletes_recorded_rows(client, issued):
    person = issued.participant
    recorded = Achievement.objects.get(profile__person=person)
    client.force_login(person)
    page = client.get(f"/people/{person.pk}/edit/").content.decode()
    assert "Достижения, внесённые Collegium" in page
    assert 'name="achievements-INITIAL_FORMS" value="0"' in page  # not an editable row
    typed = {
        "achievements-TOTAL_FORMS": "1",
        "achievements-0-kind": "teacher",
        "achievements-0-year": "2025",
        "achievements-0-description": "Призёр конкурса",
    }
    assert client.post(f"/people/{person.pk}/edit/", _form(person, typed)).status_code == 302
    # A forged form naming the recorded row, to change it or to delete it.
    forged = {
        "achievements-TOTAL_FORMS": "1",
        "achievements-INITIAL_FORMS": "1",
        "achievements-0-id": str(recorded.pk),
        "achievements-0-kind": "pupils",
        "achievements-0-year": "1999",
        "achievements-0-description": "Подделка",
        "achievements-0-DELETE": "on",
    }
    client.post(f"/people/{person.pk}/edit/", _form(person, forged))
    recorded.refresh_from_db()
    assert recorded.description.startswith("Сертификат участника")
    assert recorded.year != 1999 and recorded.kind == "teacher"
    descriptions = set(
        Achievement.objects.filter(profile__person=person).values_list("description", flat=True)
    )
    assert "Призёр конкурса" in descriptions and "Подделка" not in descriptions


def test_revoking_removes_the_achievement_from_the_page(client, issued):
    certificate = Certificate.objects.get(holder=issued.participant)
    services.revoke(certificate=certificate, actor=issued.leader, reason="Не присутствовала")
    client.force_login(issued.participant)
    page = client.get(f"/people/{issued.participant.pk}/").content.decode()
    assert "Сертификат участника" not in page
