import io

import pytest
from pypdf import PdfReader

from certificates import services
from certificates.models import Certificate
from certificates.tests.factories import held_event
from events.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued():
    h = held_event()
    services.issue_for_event(event=h.event, actor=h.leader)
    return h


def _pdf_text(content: bytes) -> tuple[str, list[str]]:
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    links = [
        annotation.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if annotation.get_object().get("/A", {}).get("/URI")
    ]
    return text, links


def test_the_holder_downloads_the_pdf_with_its_number_and_check_link(client, issued, settings):
    settings.SITE_URL = "https://collegium.example.org"
    certificate = Certificate.objects.get(holder=issued.participant)
    client.force_login(issued.participant)
    response = client.get(f"/certificates/{certificate.pk}/certificate.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text, links = _pdf_text(response.content)
    url = f"https://collegium.example.org/c/{certificate.token}/"
    for expected in (
        "СЕРТИФИКАТ",
        certificate.number,
        "Участникова Мария",
        "Мастер-класс «Смысловое чтение»",
        "Роль: Участник",
        "ПОС учителей (СШ № 7)",
        "Ведущая Анна",  # the organiser's signature block
        "Организатор",
    ):
        assert expected in text, expected
    assert url in text.replace("\n", "")  # printed under the QR code
    assert links == [url]  # the QR code is a link to the public check


def test_only_the_holder_and_the_organisers_get_the_pdf(client, issued):
    certificate = Certificate.objects.get(holder=issued.participant)
    url = f"/certificates/{certificate.pk}/certificate.pdf"
    client.force_login(issued.leader)
    assert client.get(url).status_code == 200
    client.force_login(issued.speaker)
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


def test_the_public_check_shows_only_name_event_role_and_date(client, issued):
    certificate = Certificate.objects.get(holder=issued.participant)
    response = client.get(f"/c/{certificate.token}/")
    assert response.status_code == 200
    assert "noindex" in response["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex' in response.content.decode()
    page = response.content.decode()
    for shown in ("Участникова", "Мастер-класс «Смысловое чтение»", "Участник", "Действителен"):
        assert shown in page, shown
    date = certificate.event_date.strftime("%d.%m.%Y")
    assert date in page
    for hidden in ("maria@example.org", "СШ № 7", "Докладчиков", "Ведущая", "Ошибка"):
        assert hidden not in page, hidden


def test_the_public_check_says_revoked_and_not_found(client, issued):
    certificate = Certificate.objects.get(holder=issued.participant)
    services.revoke(certificate=certificate, actor=issued.leader, reason="Секретная причина")
    page = client.get(f"/c/{certificate.token}/").content.decode()
    assert "отозван" in page
    assert "Участникова" not in page and "Секретная причина" not in page
    missing = client.get("/c/AAAAAAAAAAAAAAAAAAAAAA/")
    assert missing.status_code == 404
    assert "нет" in missing.content.decode()
    assert client.get(f"/c/{certificate.pk}/").status_code == 404  # the id is not a key


def test_the_public_check_is_rate_limited(client, issued, settings):
    settings.CERTIFICATE_CHECK_RATE = "5/m"
    for _ in range(5):
        assert client.get("/c/guess/").status_code == 404
    assert client.get("/c/guess/").status_code == 429


def test_my_certificates_lists_mine_only(client, issued):
    client.force_login(issued.participant)
    page = client.get("/certificates/").content.decode()
    mine = Certificate.objects.get(holder=issued.participant)
    assert mine.number in page
    assert f"/certificates/{mine.pk}/certificate.pdf" in page
    speaker = Certificate.objects.get(holder=issued.speaker)
    assert speaker.number not in page


def test_the_organiser_issues_and_revokes_from_the_event_page(client):
    h = held_event()
    client.force_login(h.leader)
    page = client.get(f"/events/{h.event.pk}/certificates/")
    assert page.status_code == 200
    response = client.post(f"/events/{h.event.pk}/certificates/issue/")
    assert response.status_code == 302
    client.post(f"/events/{h.event.pk}/certificates/issue/")  # a double submit
    assert Certificate.objects.filter(event=h.event).count() == 3
    certificate = Certificate.objects.get(holder=h.participant)
    page = client.get(f"/events/{h.event.pk}/certificates/").content.decode()
    assert certificate.number in page and "Участникова" in page
    client.post(f"/certificates/{certificate.pk}/revoke/", {"reason": ""})
    certificate.refresh_from_db()
    assert not certificate.is_revoked
    client.post(f"/certificates/{certificate.pk}/revoke/", {"reason": "Ошибка в ФИО"})
    certificate.refresh_from_db()
    assert certificate.is_revoked and certificate.revoke_reason == "Ошибка в ФИО"


def test_a_certificate_is_not_issued_before_the_event_is_held(client):
    h = held_event(status=Event.Status.ANNOUNCED)
    client.force_login(h.leader)
    client.post(f"/events/{h.event.pk}/certificates/issue/")
    assert not Certificate.objects.exists()


def test_others_may_not_open_the_event_certificates(client):
    h = held_event()
    client.force_login(h.participant)
    assert client.get(f"/events/{h.event.pk}/certificates/").status_code == 403
    assert client.post(f"/events/{h.event.pk}/certificates/issue/").status_code == 403
    assert not Certificate.objects.exists()
