import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from certificates import permissions, services
from certificates.models import Certificate
from certificates.tests.factories import held_event
from events import services as event_services
from events.models import Event
from notifications.models import Notification
from people.models import Achievement

pytestmark = pytest.mark.django_db


def _roles(event):
    return sorted((c.holder.last_name, c.role) for c in Certificate.objects.filter(event=event))


def test_marking_the_event_held_issues_the_certificates_it_owes(
    django_capture_on_commit_callbacks,
):
    h = held_event(status=Event.Status.ANNOUNCED)
    with django_capture_on_commit_callbacks(execute=True):
        event_services.close_attendance(actor=h.leader, event=h.event)
    assert _roles(h.event) == [
        ("Ведущая", "organiser"),
        ("Докладчиков", "speaker"),
        ("Участникова", "participant"),
    ]
    certificate = Certificate.objects.get(holder=h.participant)
    assert certificate.number.startswith("СЕРТ-")
    assert certificate.event_title == "Мастер-класс «Смысловое чтение»"
    assert certificate.organiser_level == Certificate.Level.SCHOOL
    assert certificate.signer_name == h.leader.full_name
    assert len(certificate.token) >= 20
    # The holder is told (the organiser acted, so is not told of their own certificate).
    told = Notification.objects.filter(kind=Notification.Kind.CERTIFICATE_ISSUED)
    assert set(told.values_list("recipient__last_name", flat=True)) == {
        "Участникова",
        "Докладчиков",
    }
    assert (
        told.get(recipient=h.participant).url == f"/certificates/{certificate.pk}/certificate.pdf"
    )


def test_issuing_twice_makes_no_second_certificate():
    h = held_event()
    first = services.issue_for_event(event=h.event, actor=h.leader)
    again = services.issue_for_event(event=h.event, actor=h.leader)
    assert len(first) == 3 and again == []
    certificate, created = services.issue(
        event=h.event, person=h.participant, role="participant", actor=h.leader
    )
    assert not created
    assert Certificate.objects.filter(event=h.event).count() == 3


def test_a_renamed_event_leaves_issued_certificates_as_they_were():
    h = held_event()
    services.issue_for_event(event=h.event, actor=h.leader)
    Event.objects.filter(pk=h.event.pk).update(title="Другое название")
    assert Certificate.objects.get(holder=h.participant).event_title.startswith("Мастер-класс")


def test_only_those_who_manage_a_held_event_issue():
    h = held_event()
    assert permissions.can_issue(h.leader, h.event)
    assert not permissions.can_issue(h.participant, h.event)
    assert not permissions.can_issue(None, h.event)
    with pytest.raises(PermissionDenied):
        services.issue_for_event(event=h.event, actor=h.outsider)
    assert not Certificate.objects.exists()
    announced = held_event(status=Event.Status.ANNOUNCED)
    assert not permissions.can_issue(announced.leader, announced.event)


def test_revoking_needs_a_manager_and_a_reason_and_allows_reissue():
    h = held_event()
    services.issue_for_event(event=h.event, actor=h.leader)
    certificate = Certificate.objects.get(holder=h.participant)
    assert not permissions.can_revoke(h.participant, certificate)
    with pytest.raises(PermissionDenied):
        services.revoke(certificate=certificate, actor=h.participant, reason="нет")
    with pytest.raises(ValidationError):
        services.revoke(certificate=certificate, actor=h.leader, reason="  ")
    services.revoke(certificate=certificate, actor=h.leader, reason="Ошибка в ФИО")
    certificate.refresh_from_db()
    assert certificate.is_revoked and certificate.revoke_reason == "Ошибка в ФИО"
    assert not permissions.can_revoke(h.leader, certificate)
    with pytest.raises(ValidationError):
        services.revoke(certificate=certificate, actor=h.leader, reason="ещё раз")
    # A new certificate may be issued in place of the revoked one, with a new number.
    new, created = services.issue(
        event=h.event, person=h.participant, role="participant", actor=h.leader
    )
    assert created and new.number != certificate.number and new.token != certificate.token


def test_a_certificate_is_seen_by_its_holder_and_the_organisers_only():
    h = held_event()
    services.issue_for_event(event=h.event, actor=h.leader)
    certificate = Certificate.objects.get(holder=h.participant)
    assert permissions.can_view(h.participant, certificate)
    assert permissions.can_view(h.leader, certificate)
    assert not permissions.can_view(h.speaker, certificate)
    assert not permissions.can_view(h.outsider, certificate)
    assert not permissions.can_view(None, certificate)


def test_the_databank_gets_the_achievement_and_loses_it_on_revocation():
    h = held_event()
    services.issue_for_event(event=h.event, actor=h.leader)
    participant = Certificate.objects.get(holder=h.participant)
    row = Achievement.objects.get(profile__person=h.participant)
    assert row.source == f"certificate:{participant.number}"
    assert row.description == "Сертификат участника: Мастер-класс «Смысловое чтение»"
    assert row.kind == "teacher" and row.level == "школьный"
    assert row.year == participant.event_date.year
    assert row.url.endswith(f"/c/{participant.token}/")
    talk = Achievement.objects.get(profile__person=h.speaker)
    assert talk.description == "Выступление: Мастер-класс «Смысловое чтение»"
    services.revoke(certificate=participant, actor=h.leader, reason="Не был")
    assert not Achievement.objects.filter(profile__person=h.participant).exists()
    assert Achievement.objects.filter(profile__person=h.speaker).exists()


def test_an_event_of_a_region_is_recorded_at_the_regional_level():
    from organisations.models import Territory
    from organisations.tests.factories import TerritoryFactory

    h = held_event()
    region = TerritoryFactory(kind=Territory.Kind.REGION, name="Область")
    Event.objects.filter(pk=h.event.pk).update(
        organiser_community=None, organiser_territory=region, territory=region
    )
    event = Event.objects.get(pk=h.event.pk)
    services.issue_for_event(event=event, actor=None)
    certificate = Certificate.objects.get(holder=h.participant)
    assert certificate.organiser_name == "Область"
    assert certificate.organiser_level == Certificate.Level.REGIONAL
    assert Achievement.objects.get(profile__person=h.participant).level == "региональный"


def test_the_holder_is_told_of_a_revoked_certificate_and_why_and_nobody_else(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    h = held_event()
    services.issue_for_event(event=h.event, actor=h.leader)
    certificate = Certificate.objects.get(holder=h.participant)
    client.force_login(h.leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/certificates/{certificate.pk}/revoke/", {"reason": "Ошибка в фамилии"}
        )
    assert response.status_code == 302
    told = Notification.objects.filter(kind=Notification.Kind.CERTIFICATE_REVOKED)
    assert list(told.values_list("recipient", flat=True)) == [h.participant.pk]
    notice = told.get()
    for expected in (certificate.number, "Мастер-класс «Смысловое чтение»", "Ошибка в фамилии"):
        assert expected in notice.text
    assert notice.url == "/certificates/"
    # E-mailed at once, the default the holder did not change.
    assert [m.to for m in mailoutbox] == [["maria@example.org"]]
    assert "Ошибка в фамилии" in mailoutbox[0].body
    # The holder's bell lists it.
    client.force_login(h.participant)
    assert "Ошибка в фамилии" in client.get("/notifications/").content.decode()


def test_a_holder_who_chose_the_app_only_gets_no_email_and_a_refused_revocation_tells_nobody(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    from notifications.models import Delivery, Preference

    h = held_event()
    services.issue_for_event(event=h.event, actor=h.leader)
    certificate = Certificate.objects.get(holder=h.participant)
    Preference.objects.create(
        person=h.participant, kind=Notification.Kind.CERTIFICATE_REVOKED, delivery=Delivery.APP
    )
    client.force_login(h.outsider)
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            client.post(f"/certificates/{certificate.pk}/revoke/", {"reason": "x"}).status_code
            == 403
        )
    assert not Notification.objects.filter(kind=Notification.Kind.CERTIFICATE_REVOKED).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke(certificate=certificate, actor=h.leader, reason="Не присутствовала")
    notice = Notification.objects.get(kind=Notification.Kind.CERTIFICATE_REVOKED)
    assert notice.recipient == h.participant and notice.delivery == Delivery.APP
    assert mailoutbox == []
