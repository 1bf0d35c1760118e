"""Each app's per-person measures count that person's records of the school year, in bulk."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from certificates import services as certificate_services
from certificates.tests.factories import held_event
from communities.tests.factories import CommunityFactory
from core.schoolyear import school_year_of
from lesson_study.models import Cycle, LessonVisit, ResearchLesson
from mentoring.models import Pair, Session
from people import measures
from people.models import Course, TeacherProfile
from people.tests.factories import QualificationCategoryFactory
from results.models import AssessmentPeriod, ResultRow

pytestmark = pytest.mark.django_db


def values(code: str, people, year: int) -> list[Decimal]:
    found = measures.get(code).compute([p.pk for p in people], year)
    return [found.get(p.pk, (Decimal(0), ""))[0] for p in people]


def test_every_app_registers_its_measures():
    codes = {m.code for m in measures.all_measures()}
    assert {
        "courses_completed",
        "qualification_category",
        "events_spoken",
        "events_attended",
        "certificates",
        "lessons_visited",
        "open_lessons_given",
        "lesson_study_cycles",
        "mentoring_sessions",
        "results_quality",
    } <= codes


def test_measures_count_each_persons_records_of_the_year(django_assert_max_num_queries):
    held = held_event()
    year = school_year_of(timezone.localdate())
    today = timezone.localdate()
    speaker, participant, absent = held.speaker, held.participant, held.absent
    people = [speaker, participant, absent]
    profile = TeacherProfile.objects.create(
        person=speaker, qualification_category=QualificationCategoryFactory()
    )
    Course.objects.create(profile=profile, title="Курс", completed_on=today)
    Course.objects.create(profile=profile, title="Старый курс", completed_on=dt.date(2001, 1, 1))
    certificate_services.issue(
        event=held.event, person=participant, role="participant", actor=held.leader
    )
    community = CommunityFactory(organisation=held.event.organiser_community.organisation)
    for visitor in (speaker, absent):
        LessonVisit.objects.create(
            community=community,
            visitor=visitor,
            teacher=participant,
            date=today,
            class_name="5 А",
            lesson_kind=LessonVisit.LessonKind.OPEN,
        )
    cycle = Cycle.objects.create(community=community, kind=Cycle.Kind.LESSON_STUDY)
    lesson = ResearchLesson.objects.create(cycle=cycle, date=today, teacher=participant)
    lesson.observers.add(speaker)
    pair = Pair.objects.create(
        community=community,
        kind=Pair.Kind.SCHOOL,
        mentor=speaker,
        mentee=absent,
        school_year=year,
        started_on=today,
    )
    Session.objects.create(pair=pair, held_on=today, form="mentoring", topic="Планирование")
    organisation = held.event.organiser_community.organisation
    q1, whole = (
        AssessmentPeriod.objects.get(country_code="RU", code=code) for code in ("q1", "year")
    )
    for period, counts in ((q1, (1, 1, 2, 0, 0)), (whole, (2, 2, 1, 0, 0))):
        ResultRow.objects.create(
            organisation=organisation,
            school_year=year,
            period=period,
            grade=5,
            letter="А",
            subject="Математика",
            teacher=participant,
            **dict(zip(ResultRow.COUNT_FIELDS, counts, strict=True)),
        )

    assert values("courses_completed", people, year) == [1, 0, 0]
    assert values("qualification_category", people, year) == [1, 0, 0]
    assert values("events_spoken", people, year) == [1, 0, 0]
    assert values("events_attended", people, year) == [0, 1, 0]
    assert values("certificates", people, year) == [0, 1, 0]
    assert values("lessons_visited", people, year) == [1, 0, 1]
    assert values("open_lessons_given", people, year) == [0, 1, 0]  # two visits, one lesson
    assert values("lesson_study_cycles", people, year) == [1, 1, 0]
    assert values("mentoring_sessions", people, year) == [1, 0, 0]
    assert values("results_quality", people, year) == [0, Decimal("80.0"), 0]  # the year's
    assert values("courses_completed", people, year - 1) == [0, 0, 0]
    url = measures.get("results_quality").compute([participant.pk], year)[participant.pk][1]
    assert f"/results/schools/{organisation.pk}/rows/" in url and "period=year" in url
    with django_assert_max_num_queries(2):
        measures.get("lesson_study_cycles").compute([p.pk for p in people], year)
