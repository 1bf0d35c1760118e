"""What lesson study adds to a teacher's portfolio (people.signals.portfolio_sections): the
cycles the teacher took part in, with the question, the stage and the teacher's part, on the
page and in the PDF, in a number of queries that does not grow with the cycles."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext
from pypdf import PdfReader

from communities.models import Membership
from communities.tests.factories import CommunityFactory, MembershipFactory, kind
from lesson_study import services
from lesson_study.models import Cycle
from people.tests.factories import OrganisationFactory, teacher_at

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(BytesIO(content)).pages).split())


class School:
    def __init__(self):
        self.school = OrganisationFactory(name="Школа № 3")
        self.leader = teacher_at(self.school, last_name="Ведущая")
        self.teacher = teacher_at(self.school, last_name="Исследова")
        self.colleague = teacher_at(self.school, last_name="Коллегова")
        self.teams = []

    def team(self, name: str, *, member: bool = True):
        team = CommunityFactory(
            kind=kind("lesson_study_team"), organisation=self.school, name=name, leader=self.leader
        )
        MembershipFactory(community=team, person=self.leader, role="leader")
        MembershipFactory(community=team, person=self.colleague)
        if member:
            MembershipFactory(community=team, person=self.teacher)
        return team

    def cycle(self, team, question: str, **kwargs) -> Cycle:
        return services.create_cycle(
            community=team, research_question=question, class_name="7 А", subject="Физика",
            actor=self.leader, **kwargs,
        )  # fmt: skip


@pytest.fixture
def s():
    return School()


def test_cycles_taken_part_in_are_in_the_portfolio_page_and_pdf(client, s):
    team = s.team("Группа LS физиков")
    member_cycle = s.cycle(team, "Как ученики объясняют опыт?")
    services.schedule_lesson(
        cycle=member_cycle, date=timezone.localdate() - dt.timedelta(days=2),
        teacher=s.teacher, observers=[s.leader], actor=s.leader,
    )  # fmt: skip
    services.add_lesson_plan(cycle=member_cycle, text="План урока", actor=s.teacher)
    services.add_pupil(cycle=member_cycle, pseudonym="A", actor=s.teacher)
    services.move_stage(cycle=member_cycle, stage=Cycle.Stage.RESEARCH_LESSON, actor=s.leader)
    # A team the teacher has left: the cycle whose lesson they observed shows, another does not.
    other = s.team("Группа химиков")
    observed = s.cycle(other, "Что мешает ученикам задавать вопросы?")
    services.schedule_lesson(
        cycle=observed, date=timezone.localdate() - dt.timedelta(days=1),
        teacher=s.colleague, observers=[s.teacher], actor=s.leader,
    )  # fmt: skip
    Membership.objects.filter(community=other, person=s.teacher).delete()
    s.cycle(other, "Чужой вопрос о лабораторных")
    s.cycle(team, "Давний вопрос", starts_on=dt.date(2015, 9, 1), ends_on=dt.date(2016, 5, 1))

    client.force_login(s.teacher)
    page = client.get(f"/people/{s.teacher.pk}/portfolio/").content.decode()
    response = client.get(f"/people/{s.teacher.pk}/portfolio.pdf")
    assert response.status_code == 200
    text = pdf_text(response.content)
    for body in (page, text):
        for expected in (
            gettext("Lesson-study cycles"),
            "Группа LS физиков",
            "Как ученики объясняют опыт?",
            str(Cycle.Stage.RESEARCH_LESSON.label),
            gettext("taught the lesson"),
            "Что мешает ученикам задавать вопросы?",
            gettext("observer"),
        ):
            assert expected in body, expected
        assert "Чужой вопрос" not in body and "Давний вопрос" not in body


def test_the_portfolio_reads_the_cycles_in_a_fixed_number_of_queries(
    client, s, django_assert_max_num_queries
):
    team = s.team("Группа LS")
    s.cycle(team, "Вопрос 0")
    client.force_login(s.teacher)
    url = f"/people/{s.teacher.pk}/portfolio/"
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in range(1, 8):
        cycle = s.cycle(s.team(f"Группа {n}"), f"Вопрос {n}")
        services.schedule_lesson(
            cycle=cycle, date=timezone.localdate(), teacher=s.colleague,
            observers=[s.teacher, s.leader], actor=s.leader,
        )  # fmt: skip
    with django_assert_max_num_queries(len(one)):
        page = client.get(url).content.decode()
    assert "Вопрос 7" in page
