"""Lesson study through its public surface: services, pages, documents, API, notices."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from communities import services as community_services
from communities.models import Community
from communities.tests.factories import CommunityFactory, MembershipFactory, kind
from lesson_study import services
from lesson_study.models import Cycle, LessonVisit, ObservationSheet
from notifications.models import Notification
from organisations.tests.factories import OrganisationFactory
from people.tests.factories import PersonFactory, centre_admin, school_admin, teacher_at
from planning import services as planning_services

pytestmark = pytest.mark.django_db


class Team:
    def __init__(self):
        self.school = OrganisationFactory(name="Школа № 1")
        self.plc_leader = teacher_at(self.school, last_name="Зорина")
        self.plc = CommunityFactory(
            kind=kind("school_plc"), organisation=self.school, leader=self.plc_leader
        )
        MembershipFactory(community=self.plc, person=self.plc_leader, role="leader")
        self.team = CommunityFactory(
            kind=kind("lesson_study_team"), organisation=self.school, name="Группа LS"
        )
        self.leader = teacher_at(self.school, last_name="Ланская")
        self.team.leader = self.leader
        self.team.save()
        MembershipFactory(community=self.team, person=self.leader, role="leader")
        self.members = [
            teacher_at(self.school, last_name=name) for name in ("Орлова", "Петров", "Рябова")
        ]
        for person in self.members:
            MembershipFactory(community=self.team, person=person)
        self.outsider = teacher_at(self.school, last_name="Чужой")


@pytest.fixture
def t():
    return Team()


def make_cycle(t: Team, pupils=("A", "B", "C")) -> Cycle:
    cycle = services.create_cycle(
        community=t.team, research_question="Как учащиеся находят ошибку?", class_name="6 Б",
        subject="Математика", actor=t.leader,
    )  # fmt: skip
    services.add_lesson_plan(cycle=cycle, text="План урока v1", actor=t.members[0])
    for code in pupils:
        services.add_pupil(cycle=cycle, pseudonym=code, actor=t.members[0])
    return cycle


def schedule(t: Team, cycle: Cycle, days_ago: int = 1):
    return services.schedule_lesson(
        cycle=cycle, date=timezone.localdate() - dt.timedelta(days=days_ago),
        teacher=t.members[0], observers=[t.leader, t.members[1], t.members[2]], actor=t.leader,
    )  # fmt: skip


# Teams ----------------------------------------------------------------------------------------
def test_a_team_is_placed_under_its_schools_plc_and_the_plc_shows_it(client, t):
    # By the school's administration, who run both (the team's leader does not run the PLC).
    community_services.set_parent(community=t.team, parent=t.plc, actor=school_admin(t.school))
    client.force_login(t.plc_leader)
    page = client.get(f"/communities/{t.plc.pk}/").content.decode()
    assert 'id="teams"' in page and "Группа LS" in page
    plan = planning_services.create_plan(community=t.plc, school_year=2026, actor=t.plc_leader)
    planning_services.create_plan(community=t.team, school_year=2026, actor=t.leader)
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    assert 'id="team-plans"' in page and "Группа LS" in page


def test_a_team_cannot_be_under_another_schools_plc_or_a_non_plc(t):
    other = CommunityFactory(kind=kind("school_plc"))
    with pytest.raises(ValidationError) as error:
        community_services.set_parent(community=t.team, parent=other)
    assert "parent" in error.value.message_dict
    with pytest.raises(ValidationError):
        community_services.set_parent(community=t.plc, parent=t.plc)
    second_team = CommunityFactory(kind=kind("lesson_study_team"), organisation=t.school)
    with pytest.raises(ValidationError):
        community_services.set_parent(community=t.team, parent=second_team)


def test_only_those_who_edit_the_team_place_it(t):
    with pytest.raises(PermissionDenied):
        community_services.set_parent(community=t.team, parent=t.plc, actor=t.members[0])
    assert Community.objects.get(pk=t.team.pk).parent_id is None


def test_the_kind_rule_of_innovative_lessons_is_data():
    assert kind("school_plc").min_innovative_lessons_per_year == 4
    assert kind("micro_group").min_innovative_lessons_per_year is None


# Who sees and does what --------------------------------------------------------------------
def test_the_parent_plcs_leader_reads_the_teams_cycle_but_an_outsider_does_not(client, t):
    cycle = make_cycle(t)
    client.force_login(t.plc_leader)
    assert client.get(f"/cycles/{cycle.pk}/").status_code == 403
    community_services.set_parent(community=t.team, parent=t.plc)
    assert client.get(f"/cycles/{cycle.pk}/").status_code == 200
    assert client.post(f"/cycles/{cycle.pk}/edit/", {"research_question": "x"}).status_code == 403
    client.force_login(t.outsider)
    assert client.get(f"/cycles/{cycle.pk}/").status_code == 403
    assert client.get(f"/api/v1/lesson-study/cycles/{cycle.pk}/").status_code == 404


def test_school_admin_and_centre_read_but_do_not_work(client, t):
    cycle = make_cycle(t)
    for reader in (school_admin(t.school), centre_admin(t.school.territory)):
        client.force_login(reader)
        assert client.get(f"/cycles/{cycle.pk}/").status_code == 200
        assert client.get(f"/cycles/{cycle.pk}/edit/").status_code == 403


def test_only_the_teams_leader_moves_the_stages(t):
    cycle = make_cycle(t)
    with pytest.raises(PermissionDenied):
        services.move_stage(cycle=cycle, stage="research_lesson", actor=t.members[0])
    cycle = services.move_stage(cycle=cycle, stage="research_lesson", actor=t.leader)
    assert cycle.stage == "research_lesson"
    with pytest.raises(ValidationError):  # no research lesson scheduled yet
        services.move_stage(cycle=cycle, stage="discussion", actor=t.leader)
    with pytest.raises(ValidationError):  # one stage at a time
        services.move_stage(cycle=cycle, stage="report", actor=t.leader)


def test_a_stage_cannot_be_skipped_without_a_plan_and_pupils(t):
    cycle = services.create_cycle(community=t.team, research_question="Q", actor=t.leader)
    with pytest.raises(ValidationError):
        services.move_stage(cycle=cycle, stage="research_lesson", actor=t.leader)


# Pupils under pseudonyms -------------------------------------------------------------------
@pytest.mark.parametrize("name", ["Маша", "Ivan", "A B", "", "Иванов Петя"])
def test_a_case_pupil_is_never_named(t, name):
    cycle = make_cycle(t, pupils=())
    with pytest.raises(ValidationError):
        services.add_pupil(cycle=cycle, pseudonym=name, actor=t.leader)
    assert not cycle.pupils.exists()


def test_pseudonyms_are_letters_and_a_double_submit_adds_one(client, t):
    cycle = make_cycle(t, pupils=())
    client.force_login(t.members[0])
    client.post(f"/cycles/{cycle.pk}/pupils/", {"pseudonym": "a"})
    client.post(f"/cycles/{cycle.pk}/pupils/", {"pseudonym": "A"})
    assert list(cycle.pupils.values_list("pseudonym", flat=True)) == ["A"]
    response = client.post(
        f"/cycles/{cycle.pk}/pupils/", {"pseudonym": "Маша"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and 'id="pupils"' in response.content.decode()
    assert response.context["pupil_form"].errors
    assert cycle.pupils.count() == 1


def test_the_lesson_plan_keeps_its_revisions(client, t):
    cycle = make_cycle(t)
    client.force_login(t.members[1])
    client.post(f"/cycles/{cycle.pk}/plans/", {"text": "План v2", "note": "после обсуждения"})
    assert list(cycle.lesson_plans.values_list("number", "text")) == [
        (1, "План урока v1"), (2, "План v2"),
    ]  # fmt: skip


# Observation sheets ------------------------------------------------------------------------
def test_observers_get_a_sheet_per_pupil_and_fill_only_their_own(t):
    cycle = make_cycle(t)
    lesson = schedule(t, cycle)
    assert ObservationSheet.objects.filter(lesson=lesson).count() == 9
    pupil = cycle.pupils.get(pseudonym="A")
    observer = t.members[1]
    services.fill_sheet(lesson=lesson, pupil=pupil, observer=observer, observed="Нашёл",
                        actor=observer)  # fmt: skip
    with pytest.raises(PermissionDenied):  # someone else's sheet
        services.fill_sheet(lesson=lesson, pupil=pupil, observer=observer, observed="x",
                            actor=t.members[2])  # fmt: skip
    with pytest.raises(PermissionDenied):  # the teacher does not observe
        services.fill_sheet(lesson=lesson, pupil=pupil, observer=t.members[0], observed="x",
                            actor=t.members[0])  # fmt: skip
    assert (
        ObservationSheet.objects.get(lesson=lesson, pupil=pupil, observer=observer).observed
        == "Нашёл"
    )


def test_observers_must_be_members_and_not_the_teacher(t):
    cycle = make_cycle(t)
    with pytest.raises(ValidationError):
        services.schedule_lesson(cycle=cycle, date=timezone.localdate(), teacher=t.members[0],
                                 observers=[t.outsider], actor=t.leader)  # fmt: skip
    with pytest.raises(ValidationError):
        services.schedule_lesson(cycle=cycle, date=timezone.localdate(), teacher=t.members[0],
                                 observers=[t.members[0]], actor=t.leader)  # fmt: skip


def test_observers_are_told_and_owe_their_sheets_on_the_dashboard(client, t):
    cycle = make_cycle(t)
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        schedule(t, cycle)
    asked = set(
        Notification.objects.filter(kind="observation_asked").values_list("recipient_id", flat=True)
    )
    assert asked == {t.members[1].pk, t.members[2].pk}  # the leader scheduled it: not told
    client.force_login(t.members[1])
    page = client.get("/").content.decode()
    assert "attention-sheet" in page
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.move_stage(cycle=cycle, stage="research_lesson", actor=t.leader)
    told = set(
        Notification.objects.filter(kind="cycle_step").values_list("recipient_id", flat=True)
    )
    assert told == {m.pk for m in t.members}


def test_the_api_lets_an_observer_update_their_sheet_only(client, t):
    cycle = make_cycle(t)
    lesson = schedule(t, cycle)
    mine = ObservationSheet.objects.get(lesson=lesson, pupil__pseudonym="B", observer=t.members[1])
    client.force_login(t.members[2])
    url = f"/api/v1/lesson-study/observation-sheets/{mine.pk}/"
    response = client.patch(url, {"observed": "x"}, content_type="application/json")
    assert response.status_code == 403
    client.force_login(t.members[1])
    response = client.patch(url, {"observed": "Ответила"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["pseudonym"] == "B"
    listed = client.get(f"/api/v1/lesson-study/observation-sheets/?cycle={cycle.pk}").json()
    assert listed["count"] == 9


# The report --------------------------------------------------------------------------------
def _reported_cycle(t: Team) -> Cycle:
    cycle = make_cycle(t)
    lesson = schedule(t, cycle)
    for observer in (t.leader, t.members[1], t.members[2]):
        for pupil in cycle.pupils.all():
            services.fill_sheet(
                lesson=lesson, pupil=pupil, observer=observer, expected="Ожидание",
                observed=f"Увидел {pupil.pseudonym}", evidence=f"Тетрадь {pupil.pseudonym}",
                actor=observer,
            )  # fmt: skip
    services.update_cycle(cycle=cycle, discussion="Обсуждение урока", conclusions="Выводы",
                          actor=t.leader)  # fmt: skip
    return cycle


def sheet_heading(code: str) -> str:
    return gettext("Observation sheet: pupil %(p)s") % {"p": code}


def test_the_report_pdf_has_the_sheets_for_a_b_and_c(client, t):
    cycle = _reported_cycle(t)
    client.force_login(t.leader)
    response = client.get(f"/cycles/{cycle.pk}/report.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(response.content)).pages)
    text = " ".join(text.split())
    for code in "ABC":
        assert " ".join(sheet_heading(code).split()) in text
        assert f"Увидел {code}" in text
    assert "Школа № 1" in text and "Обсуждение урока" in text
    assert "Ланская" in text  # the team signs it
    assert "Маша" not in text


def test_the_report_docx_opens_with_the_sheets(client, t):
    cycle = _reported_cycle(t)
    client.force_login(t.members[0])
    response = client.get(f"/cycles/{cycle.pk}/report.docx")
    document = Document(BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = " ".join(c.text for table in document.tables for row in table.rows for c in row.cells)
    assert "Как учащиеся находят ошибку?" in text
    for code in "ABC":
        assert sheet_heading(code) in text and f"Тетрадь {code}" in cells


def test_action_research_is_a_lighter_cycle_with_its_report(client, t):
    cycle = services.create_cycle(
        community=t.team, kind="action_research", research_question="Поможет ли?",
        actions="Шаги", data="Анкеты", actor=t.leader,
    )  # fmt: skip
    assert cycle.stages == ["planning", "report"]
    services.move_stage(cycle=cycle, stage="report", actor=t.leader)
    client.force_login(t.members[0])
    page = client.get(f"/cycles/{cycle.pk}/").content.decode()
    assert "Шаги" in page and "Анкеты" in page
    text = " ".join(
        p.extract_text()
        for p in PdfReader(BytesIO(client.get(f"/cycles/{cycle.pk}/report.pdf").content)).pages
    )
    assert "Анкеты" in text


# Lesson visits -----------------------------------------------------------------------------
def test_members_log_their_own_visits_and_feedback_is_for_the_two(client, t):
    visitor, teacher, other = t.members
    with pytest.raises(PermissionDenied):
        services.log_visit(community=t.team, visitor=visitor, teacher=teacher,
                           date=timezone.localdate(), class_name="5 А", actor=other)  # fmt: skip
    client.force_login(visitor)
    data = {"teacher": teacher.pk, "date": timezone.localdate().isoformat(),
            "class_name": "5 А", "lesson_kind": "open", "feedback": "Секретный отзыв"}  # fmt: skip
    client.post(f"/communities/{t.team.pk}/lesson-visits/", data)
    client.post(f"/communities/{t.team.pk}/lesson-visits/", data)  # a double submit
    assert LessonVisit.objects.filter(community=t.team).count() == 1
    assert LessonVisit.objects.get().feedback_given
    client.force_login(teacher)
    assert (
        "Секретный отзыв" in client.get(f"/communities/{t.team.pk}/lesson-visits/").content.decode()
    )
    client.force_login(other)
    assert (
        "Секретный отзыв"
        not in client.get(f"/communities/{t.team.pk}/lesson-visits/").content.decode()
    )
    client.force_login(t.outsider)
    assert client.get(f"/communities/{t.team.pk}/lesson-visits/").status_code == 403


def test_visit_shares_against_the_target_and_innovative_lessons_against_the_rule(client, t):
    today = timezone.localdate()
    a, b, c = t.members
    services.log_visit(community=t.team, visitor=a, teacher=b, date=today, class_name="5 А",
                       lesson_kind="innovative")  # fmt: skip
    services.log_visit(community=t.team, visitor=c, teacher=b, date=today, class_name="5 А",
                       lesson_kind="innovative")  # the same lesson: counted once  # fmt: skip
    client.force_login(t.leader)
    response = client.get(f"/communities/{t.team.pk}/lesson-visits/")
    shares = response.context["shares"]
    assert (shares.members, shares.visited_others, shares.were_visited) == (4, 2, 1)
    assert shares.visited_share == 50 and shares.target == 100 and not shares.visited_ok
    counts = {row.person.pk: row.innovative for row in response.context["lessons"]}
    assert counts[b.pk] == 1 and counts[a.pk] == 0


def test_the_plans_visits_target_replaces_the_default(t):
    from lesson_study import selectors

    today = timezone.localdate()
    year = selectors.current_term(today)[0]
    plan = planning_services.create_plan(community=t.team, school_year=year, actor=t.leader)
    plan.targets.create(indicator="Доля педагогов, посетивших уроки коллег", unit="%", target=80)
    target, from_plan = selectors.visit_target(t.team, year)
    assert (target, from_plan) == (80, True)


def test_the_visits_export_is_formula_safe(client, t):
    a, b, _c = t.members
    services.log_visit(community=t.team, visitor=a, teacher=b, date=timezone.localdate(),
                       class_name="5 А", focus="=HYPERLINK(\"http://x\")")  # fmt: skip
    client.force_login(a)
    response = client.get(f"/communities/{t.team.pk}/lesson-visits.xlsx")
    sheet = load_workbook(BytesIO(response.content)).active
    cell = [c for row in sheet.iter_rows() for c in row if c.value and str(c.value).startswith("=")]
    assert cell and all(c.data_type == "s" for c in cell)


# Query counts ------------------------------------------------------------------------------
def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


def test_the_cycle_page_and_report_do_not_grow_with_sheets(client, t):
    cycle = make_cycle(t, pupils=("A",))
    schedule(t, cycle)
    client.force_login(t.leader)
    urls = [f"/cycles/{cycle.pk}/", f"/cycles/{cycle.pk}/report.pdf",
            f"/communities/{t.team.pk}/cycles/"]  # fmt: skip
    few = [_count(client, u) for u in urls]
    for code in "BCDE":
        services.add_pupil(cycle=cycle, pseudonym=code)
    for n in range(3):
        services.add_lesson_plan(cycle=cycle, text=f"v{n}")
    extra = PersonFactory()
    MembershipFactory(community=t.team, person=extra)
    services.schedule_lesson(cycle=cycle, date=timezone.localdate(), teacher=t.members[0],
                             observers=[t.leader, *t.members[1:], extra])  # fmt: skip
    make_cycle(t)
    many = [_count(client, u) for u in urls]
    assert few == many


def test_the_visits_page_and_export_do_not_grow(client, t):
    client.force_login(t.leader)
    urls = [f"/communities/{t.team.pk}/lesson-visits/",
            f"/communities/{t.team.pk}/lesson-visits.xlsx"]  # fmt: skip
    a, b, c = t.members
    services.log_visit(community=t.team, visitor=a, teacher=b, date=timezone.localdate(),
                       class_name="1")  # fmt: skip
    few = [_count(client, u) for u in urls]
    for n in range(8):
        services.log_visit(community=t.team, visitor=c, teacher=a,
                           date=timezone.localdate() - dt.timedelta(days=n), class_name=f"{n}",
                           feedback="ok", lesson_kind="open")  # fmt: skip
    assert [_count(client, u) for u in urls] == few
