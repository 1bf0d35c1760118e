"""The minutes a school files (протокол): chair and secretary, present and absent, the agenda, what
was heard and decided on each question, and two signature lines; the same in DOCX and PDF. And every
DOCX Collegium makes opens in LibreOffice as an A4 PDF with the text it should have.

People come from factories; assertions on wording go through gettext, so they hold before and
after the Russian translation lands.
"""

import datetime as dt
import os
import shutil
import subprocess
from io import BytesIO
from types import SimpleNamespace

import pytest
from django.utils import timezone
from django.utils.translation import gettext
from docx import Document
from pypdf import PdfReader

from communities import services as community_services
from communities.models import Community, Membership
from communities.tests.factories import kind
from meetings import services
from meetings.models import Minutes
from organisations.tests.factories import OrganisationFactory
from people.tests.factories import PersonFactory, school_admin, teacher_at
from planning import services as planning_services
from planning.models import Plan

pytestmark = pytest.mark.django_db

A4_PORTRAIT = (595, 842)  # points
A4_LANDSCAPE = (842, 595)


def named(make, *args, last, first, middle):
    return make(*args, last_name=last, first_name=first, middle_name=middle)


@pytest.fixture
def w():
    """A school PLC: its leader chairs a meeting, a member keeps the minutes, another member is
    away and a teacher of another school is a guest; the deputy agrees the plan, the director
    approves it."""
    school, elsewhere = OrganisationFactory(name="Гимназия № 3 «Фабрика»"), OrganisationFactory()
    w = SimpleNamespace(
        school=school,
        director=named(school_admin, school, last="Директорова", first="Дина", middle="Ильинична"),
        deputy=named(school_admin, school, last="Заместова", first="Зоя", middle="Петровна"),
        leader=named(teacher_at, school, last="Лидерова", first="Лада", middle="Юрьевна"),
        secretary=named(teacher_at, school, last="Писарева", first="Софья", middle="Сергеевна"),
        away=named(teacher_at, school, last="Отпускова", first="Ольга", middle="Олеговна"),
        guest=named(teacher_at, elsewhere, last="Гостева", first="Галина", middle="Ивановна"),
        outsider=PersonFactory(),
    )  # fmt: skip
    w.plc = community_services.create_community(
        kind=kind("school_plc"), name="ПОС учителей математики «Модель»", organisation=school,
        leader=w.leader, visibility=Community.Visibility.PUBLIC,
    )  # fmt: skip
    for person in (w.secretary, w.away):
        community_services.add_member(community=w.plc, person=person, role=Membership.Role.MEMBER)
    w.meeting = services.schedule_meeting(
        confirmed=True,
        community=w.plc, actor=w.leader, title="Формирующее оценивание: итоги четверти",
        chair=w.leader, place="Кабинет 12", starts_at=timezone.now() - dt.timedelta(days=1),
        questions=["Итоги четверти"], guests=[w.guest],
    )  # fmt: skip
    return w


def write(w, secretary=services.UNCHANGED, attended=None):
    minutes = Minutes.objects.filter(meeting=w.meeting).first()
    return services.write_minutes(
        meeting=w.meeting, version=minutes.version if minutes else 0,
        attended=[p.pk for p in attended or (w.leader, w.secretary, w.guest)],
        questions=[{"title": "Итоги четверти", "speakers": "Лидерова Л. Ю.",
                    "summary": "Итоги контрольных работ обсуждены"}],
        decisions=[{"text": "Провести открытый урок", "assignee": w.secretary,
                    "due_on": dt.date(2026, 12, 1), "question": 0},
                   {"text": "Обновить банк заданий", "assignee": None, "due_on": None}],
        secretary=secretary,
    )  # fmt: skip


def approved_plan(w) -> Plan:
    plan = planning_services.create_plan(community=w.plc, school_year=2026, actor=w.leader)
    plan = planning_services.update_plan(
        plan=plan, version=plan.version, fields={"theme": "Формирующее оценивание"},
        targets=[{"indicator": "Доля уроков с листами самооценки", "unit": "%", "target": 60}],
        meetings=[{"month": 10, "title": "Итоги четверти",
                   "items": [{"section": "Анализ", "action": "Обсудить итоги"}]}],
    )  # fmt: skip
    plan = planning_services.record_discussion(plan=plan, actor=w.leader)
    plan = planning_services.agree(plan=plan, actor=w.deputy)
    return planning_services.approve(plan=plan, actor=w.director)


def pdf_text(content: bytes) -> str:
    """The PDF's text with line breaks and runs of spaces made single spaces."""
    reader = PdfReader(BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def page_sizes(content: bytes) -> set[tuple[int, int]]:
    pages = PdfReader(BytesIO(content)).pages
    return {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pages}


def docx_lines(content: bytes) -> list[str]:
    return [p.text for p in Document(BytesIO(content)).paragraphs]


def expected_minutes(w) -> list[str]:
    """What the minutes must say, whichever the format."""
    return [
        w.school.name,
        w.plc.name,
        gettext("MINUTES No. %(n)s") % {"n": 1},
        w.meeting.title,
        gettext("Chair: %(name)s") % {"name": w.leader.full_name},
        gettext("Secretary: %(name)s") % {"name": w.secretary.full_name},
        gettext("Present: %(n)s") % {"n": 3},
        # Present in alphabetical order, the guest marked.
        f"{w.guest.full_name} ({gettext('guest')}), {w.leader.full_name}, {w.secretary.full_name}",
        gettext("Absent: %(n)s") % {"n": 1},
        w.away.full_name,
        gettext("HEARD: %(text)s") % {"text": "Лидерова Л. Ю. — Итоги контрольных работ обсуждены"},
        "1.1. Провести открытый урок; "
        + gettext("assignee: %(name)s") % {"name": w.secretary.full_name} + "; "
        + gettext("due %(date)s") % {"date": "01.12.2026"},
        "1. Обновить банк заданий",
        gettext("Chair %(line)s /%(name)s/") % {"line": "____________", "name": "Л. Ю. Лидерова"},
        gettext("Secretary %(line)s /%(name)s/")
        % {"line": "____________", "name": "С. С. Писарева"},
    ]  # fmt: skip


# -- the secretary is chosen on the minutes page and in the API ---------------------------------
def page_data(w, **extra) -> dict:
    return {
        "version": "0",
        "attended": [w.leader.pk, w.secretary.pk],
        "question": ["n00000001"],
        "q-n00000001-title": "Итоги четверти",
        **extra,
    }


def test_the_leader_names_the_secretary_on_the_minutes_page(client, w):
    client.force_login(w.leader)
    url = f"/meetings/{w.meeting.pk}/minutes/"
    page = client.get(url)
    options = page.context["secretary"].fields["secretary"].queryset
    # Only the meeting's invitees are offered.
    assert set(options) == {w.leader, w.secretary, w.away, w.guest}
    response = client.post(url, page_data(w, secretary=w.secretary.pk))
    assert response.status_code == 302
    assert Minutes.objects.get(meeting=w.meeting).secretary == w.secretary
    # Shown again when the minutes are edited, and can be cleared.
    assert client.get(url).context["secretary"]["secretary"].value() == w.secretary.pk
    assert client.post(url, page_data(w, version="1", secretary="")).status_code == 302
    assert Minutes.objects.get(meeting=w.meeting).secretary is None


def test_the_communitys_secretary_is_offered_first(client, w):
    Membership.objects.filter(community=w.plc, person=w.secretary).update(
        role=Membership.Role.SECRETARY
    )
    client.force_login(w.leader)
    page = client.get(f"/meetings/{w.meeting.pk}/minutes/")
    assert page.context["secretary"]["secretary"].value() == w.secretary.pk


@pytest.mark.parametrize("who", ["away", "outsider"])
def test_the_secretary_must_be_present(client, w, who):
    """Someone absent is refused by the service, someone not invited by the form: nothing saved."""
    client.force_login(w.leader)
    response = client.post(
        f"/meetings/{w.meeting.pk}/minutes/", page_data(w, secretary=getattr(w, who).pk)
    )
    assert response.status_code == 200
    if who == "away":
        assert len(response.context["errors"]) == 1  # the service's refusal
    else:
        assert list(response.context["secretary"].errors) == ["secretary"]
        assert b"has-error" in response.content
    assert not Minutes.objects.filter(meeting=w.meeting).exists()
    assert not w.meeting.participants.filter(attended__isnull=False).exists()
    w.meeting.refresh_from_db()
    assert w.meeting.status == w.meeting.Status.SCHEDULED


def api_body(w, **extra) -> dict:
    return {
        "attended": [w.leader.pk, w.secretary.pk],
        "questions": [{"title": "Итоги четверти"}],
        **extra,
    }


def test_the_api_sets_keeps_and_clears_the_secretary(client, w):
    client.force_login(w.leader)
    url = f"/api/v1/meetings/{w.meeting.pk}/minutes/"
    put = lambda body: client.put(url, body, content_type="application/json")  # noqa: E731
    response = put(api_body(w, version=0, secretary=w.secretary.pk))
    assert response.status_code == 200
    assert response.json()["minutes"]["secretary"] == w.secretary.pk
    # Left out, the minutes keep theirs (clients written before the field are unaffected).
    response = put(api_body(w, version=1))
    assert response.status_code == 200 and response.json()["minutes"]["secretary"] == w.secretary.pk
    # Marking the secretary absent while they stay the secretary is refused; nothing changes.
    response = put(api_body(w, version=2, attended=[w.leader.pk]))
    assert response.status_code == 400
    minutes = Minutes.objects.get(meeting=w.meeting)
    assert minutes.version == 2 and minutes.secretary == w.secretary
    assert w.meeting.participants.get(person=w.secretary).attended is True
    response = put(api_body(w, version=2, secretary=None))
    assert response.status_code == 200 and response.json()["minutes"]["secretary"] is None
    assert put(api_body(w, version=3, secretary=w.outsider.pk)).status_code == 400
    assert Minutes.objects.get(meeting=w.meeting).secretary is None


def test_a_member_cannot_name_the_secretary(client, w):
    write(w, secretary=w.secretary)
    client.force_login(w.away)
    response = client.put(
        f"/api/v1/meetings/{w.meeting.pk}/minutes/",
        api_body(w, version=1, secretary=w.leader.pk),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert (
        client.post(
            f"/meetings/{w.meeting.pk}/minutes/", page_data(w, version="1", secretary=w.leader.pk)
        ).status_code
        == 403
    )
    assert Minutes.objects.get(meeting=w.meeting).secretary == w.secretary


# -- the documents -------------------------------------------------------------------------------
def test_the_minutes_docx_reads_as_a_protocol(client, w):
    write(w, secretary=w.secretary)
    client.force_login(w.leader)
    lines = docx_lines(client.get(f"/meetings/{w.meeting.pk}/minutes.docx").content)
    expected = expected_minutes(w)
    for piece in expected:
        assert any(piece in line for line in lines), piece
    # In the order of a протокол: heading, people, agenda, questions, then the two signatures.
    at = [next(n for n, line in enumerate(lines) if piece in line) for piece in expected]
    assert at == sorted(at)
    assert lines[-2].startswith(gettext("Chair %(line)s /%(name)s/").split("%")[0])


def test_minutes_without_a_secretary_leave_the_line_to_fill_in(client, w):
    write(w)
    client.force_login(w.leader)
    lines = docx_lines(client.get(f"/meetings/{w.meeting.pk}/minutes.docx").content)
    blank = gettext("Secretary %(line)s /%(name)s/") % {
        "line": "____________",
        "name": "____________",
    }
    assert lines[-1] == blank
    assert not any(w.secretary.last_name in line for line in lines[-2:])


def test_the_minutes_pdf_says_the_same_on_a4_portrait(client, w):
    write(w, secretary=w.secretary)
    client.force_login(w.leader)
    content = client.get(f"/meetings/{w.meeting.pk}/minutes.pdf").content
    text = pdf_text(content)
    for piece in expected_minutes(w):
        assert " ".join(piece.split()) in text, piece
    assert page_sizes(content) == {A4_PORTRAIT}


# Skipped on a laptop without LibreOffice; in CI (which installs it) its absence is a failure.
@pytest.mark.skipif(
    not shutil.which("soffice") and not os.environ.get("CI"), reason="LibreOffice is not installed"
)
@pytest.mark.sqlite_only("LibreOffice reads the DOCX files; the other tests here check their text")
def test_libreoffice_turns_every_docx_into_an_a4_pdf_with_its_text(client, w, tmp_path):
    """Each DOCX Collegium makes (the plan, the minutes) converted in one LibreOffice run."""
    plan = approved_plan(w)
    write(w, secretary=w.secretary)
    client.force_login(w.leader)
    sources = {
        "plan": f"/plans/{plan.pk}/plan.docx",
        "minutes": f"/meetings/{w.meeting.pk}/minutes.docx",
    }
    for name, url in sources.items():
        response = client.get(url)
        assert response.status_code == 200
        (tmp_path / f"{name}.docx").write_bytes(response.content)
    out = tmp_path / "pdf"
    # A profile of its own: parallel test workers' LibreOffice instances do not share one.
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(out),
         *(str(tmp_path / f"{name}.docx") for name in sources)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    plan_pdf = (out / "plan.pdf").read_bytes()
    text = pdf_text(plan_pdf)
    for piece in (
        w.school.name,
        "УТВЕРЖДАЮ",
        w.director.full_name,
        timezone.localdate().strftime("%d.%m.%Y"),
        "Доля уроков с листами самооценки",
        *("Содержание", "Действия", "Лидеры", "Мониторинг исполнения"),  # the seed's columns
    ):
        assert piece in text, piece
    assert page_sizes(plan_pdf) == {A4_LANDSCAPE}

    minutes_pdf = (out / "minutes.pdf").read_bytes()
    text = pdf_text(minutes_pdf)
    for piece in expected_minutes(w):
        assert " ".join(piece.split()) in text, piece
    assert page_sizes(minutes_pdf) == {A4_PORTRAIT}
