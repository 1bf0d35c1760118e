"""Issue 8's "Done when", in the demo, as its people do it through the pages: the leader
announces a master class for the school's teachers; the teacher registers, scans the code shown
at the event, leaves feedback and downloads a certificate whose QR code opens a public page; the
databank lists it without anyone typing it; the PLC shows its lesson-study teams and a cycle with
sheets for pupils A, B and C and its PDF; the mentor and the mentee log a session and both send
a report; the needs survey answered by at least five teachers shows the deficits map; and the
certificate's Open Badges assertion passes 1EdTech's validator."""

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from certificates.models import Certificate
from communities.models import Community
from devtools.demo_surveys import NEEDS_TITLE, _needs_answers
from events.models import Event, EventKind, Feedback, Registration
from lesson_study.models import Cycle, ObservationSheet
from mentoring.models import Pair, Report, Session
from notifications.models import Notification
from people.models import Person
from surveys.models import Survey

pytestmark = pytest.mark.django_db

PASSWORD = "collegium-demo"
TITLE = "Мастер-класс «Кейс-метод на уроках физики»"


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


def _as(client, login):
    person = Person.objects.get(username=login)
    assert person.check_password(PASSWORD)
    client.force_login(person)
    return client


def _pdf(response) -> tuple[str, list[str]]:
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    links = [
        annotation.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if annotation.get_object().get("/A", {}).get("/URI")
    ]
    return text, links


def _plc() -> Community:
    return Community.objects.get(leader__username="leader", parent__isnull=True)


def test_master_class_from_announcement_to_a_checked_certificate(
    demo, client, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://collegium.example.org"
    plc = _plc()
    starts = timezone.localtime() + dt.timedelta(hours=1)

    # The leader drafts the master class for the school's teachers and announces it.
    form = _as(client, "leader").get("/events/new/").content.decode()
    assert f'value="community:{plc.pk}"' in form
    response = client.post(
        "/events/new/",
        {
            "organiser": f"community:{plc.pk}",
            "kind": EventKind.objects.get(code="master-class").pk,
            "title": TITLE,
            "subject": "Физика",
            "audience": Event.Audience.SCHOOL,
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "place": "СШ № 14, каб. 31",
            "capacity": "15",
            "programme-TOTAL_FORMS": "1",
            "programme-INITIAL_FORMS": "0",
            "programme-0-time": starts.strftime("%H:%M"),
            "programme-0-title": "Разбор кейса «Тормозной путь»",
            "programme-0-speaker": str(Person.objects.get(username="leader").pk),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    event = Event.objects.get(title=TITLE)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/events/{event.pk}/announce/").status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.ANNOUNCED
    # The school's teacher is told, and the event is in their calendar.
    assert Notification.objects.filter(recipient__username="teacher", url__contains=f"/{event.pk}/")
    assert TITLE in _as(client, "teacher").get("/events/").content.decode()

    # The teacher registers; the page says so.
    assert client.post(f"/events/{event.pk}/register/").status_code == 302
    registration = Registration.objects.get(event=event, person__username="teacher")
    assert registration.status == Registration.Status.REGISTERED
    assert "Вы зарегистрированы" in client.get(f"/events/{event.pk}/").content.decode()

    # An hour later the master class begins (the clock is moved by moving the event back).
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - dt.timedelta(minutes=5))
    # At the event the leader shows the code; the teacher's scan marks them present.
    attendance = _as(client, "leader").get(f"/events/{event.pk}/attendance/")
    check_in_url = attendance.context["qr_url"]
    assert f"/events/{event.pk}/check-in/?code=" in check_in_url
    scanned = _as(client, "teacher").get(check_in_url.removeprefix("http://testserver"))
    assert scanned.status_code == 200
    registration.refresh_from_db()
    assert registration.attended and registration.marked_by == Registration.Marked.QR
    live = _as(client, "leader").get(f"/events/{event.pk}/attendance/live/").content.decode()
    assert str(Person.objects.get(username="teacher")) in live

    # The leader closes attendance: the event is held and the certificates are issued.
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/events/{event.pk}/attendance/close/").status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.HELD
    certificate = Certificate.objects.get(event=event, holder__username="teacher")

    # The teacher leaves feedback with ratings.
    _as(client, "teacher")
    post = {"rating": "5", "usefulness": "4", "comment": "Кейс про тормозной путь — беру."}
    assert client.post(f"/events/{event.pk}/feedback/", post).status_code == 302
    assert Feedback.objects.get(event=event, person__username="teacher").usefulness == 4

    # "My certificates" lists it; its PDF has the number and a QR code linking to the check.
    assert certificate.number in client.get("/certificates/").content.decode()
    text, links = _pdf(client.get(f"/certificates/{certificate.pk}/certificate.pdf"))
    check_url = f"https://collegium.example.org/c/{certificate.token}/"
    assert certificate.number in text and "Кейс-метод" in text
    assert links == [check_url]

    # Anyone who scans it — not signed in — sees the holder, the event, the role and the date.
    client.logout()
    public = client.get(check_url.removeprefix("https://collegium.example.org"))
    page = public.content.decode()
    assert public.status_code == 200
    teacher = Person.objects.get(username="teacher")
    assert str(teacher) in page and "Кейс-метод на уроках физики" in page
    assert "Участник" in page
    assert teacher.email not in page

    # The teacher's databank lists the certificate, though nobody typed it.
    databank = _as(client, "teacher").get(f"/people/{teacher.pk}/").content.decode()
    assert "Кейс-метод на уроках физики" in databank
    achievements = teacher.teacher_profile.achievements
    assert achievements.filter(source=f"certificate:{certificate.number}").exists()


def test_the_plc_shows_its_teams_and_a_cycle_with_sheets_for_a_b_and_c(demo, client):
    plc = _plc()
    teams = list(plc.teams.all())
    assert len(teams) >= 2
    page = _as(client, "leader").get(f"/communities/{plc.pk}/").content.decode()
    for team in teams:
        assert team.name in page

    cycle = Cycle.objects.filter(community__parent=plc, kind=Cycle.Kind.LESSON_STUDY).get()
    sheets = ObservationSheet.objects.filter(lesson__cycle=cycle)
    assert set(sheets.values_list("pupil__pseudonym", flat=True)) == {"A", "B", "C"}
    assert client.get(f"/cycles/{cycle.pk}/").status_code == 200
    response = client.get(f"/cycles/{cycle.pk}/report.pdf")
    assert response["Content-Type"] == "application/pdf"
    text, _links = _pdf(response)
    for code in "ABC":
        assert f"Лист наблюдения: учащийся {code}" in text
    assert "Оценочный лист" in text


def test_mentor_and_mentee_keep_a_log_and_both_send_a_report(
    demo, client, django_capture_on_commit_callbacks
):
    pair = Pair.objects.get(mentor__username="mentor", mentee__username="mentee")
    sessions = Session.objects.filter(pair=pair).count()
    with django_capture_on_commit_callbacks(execute=True):
        response = _as(client, "mentee").post(
            f"/mentoring/pairs/{pair.pk}/sessions/new/",
            {
                "held_on": timezone.localdate().isoformat(),
                "form": Session.Form.CONSULTATION,
                "topic": "Подготовка к педсовету по итогам четверти",
                "notes": "Разобрали структуру выступления и данные по качеству знаний.",
                "next_steps": "Прислать черновик выступления до пятницы.",
            },
        )
    assert response.status_code == 302
    assert Session.objects.filter(pair=pair).count() == sessions + 1
    # The other side is told, and the log on the pair's page shows it to them.
    assert Notification.objects.filter(recipient__username="mentor", url__contains=str(pair.pk))
    page = _as(client, "mentor").get(f"/mentoring/pairs/{pair.pk}/").content.decode()
    assert "Подготовка к педсовету по итогам четверти" in page

    for login in ("mentor", "mentee"):
        response = _as(client, login).post(
            f"/mentoring/pairs/{pair.pk}/reports/year/",
            {
                "done": f"Итоги года ({login}): проведено шесть встреч.",
                "results": "Освоены приёмы анализа урока.",
                "difficulties": "Мало времени на взаимные посещения.",
                "plans": "Продолжить в следующем году.",
                "submit": "1",
            },
        )
        assert response.status_code == 302
    sent = Report.objects.filter(pair=pair, period=Report.Period.YEAR, status="submitted")
    assert set(sent.values_list("side", flat=True)) == {"mentor", "mentee"}


def test_the_needs_survey_answered_by_five_and_more_shows_the_deficits_map(demo, client):
    survey = Survey.objects.get(title=NEEDS_TITLE)
    before = survey.response_count
    assert before >= 5
    # The demo's teacher answers it too, through the page.
    _as(client, "teacher")
    assert client.get(f"/surveys/{survey.pk}/answer/").status_code == 200
    data = {}
    for pk, value in _needs_answers(survey, "Физика", 3).items():
        data[f"q{pk}"] = [str(v) for v in value] if isinstance(value, list) else str(value)
    assert client.post(f"/surveys/{survey.pk}/answer/", data).status_code == 302
    survey.refresh_from_db()
    assert survey.response_count == before + 1

    # The centre sees the deficits map: areas with averages where five or more answered.
    page = _as(client, "centre").get("/surveys/needs-map/?by=subject")
    assert page.status_code == 200
    cells = [c for row in page.context["map"].rows for c in row.cells]
    assert any(not c.suppressed for c in cells)
    # A teacher is not shown the map.
    assert _as(client, "teacher").get("/surveys/needs-map/").status_code == 403


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrations_data")
def test_the_demo_certificate_passes_the_open_badges_validator(live_server, settings):
    from certificates.tests.test_openbadges import _validate

    call_command("load_demo", verbosity=0)
    settings.SITE_URL = live_server.url
    certificate = Certificate.objects.get(holder__username="teacher")
    url = f"{live_server.url}/openbadges/assertions/{certificate.token}.json"
    report = _validate(url, live_server.url)["result"]["report"]
    assert report["valid"] is True, report
    assert re.fullmatch(r"2\.0", report["openBadgesVersion"])
