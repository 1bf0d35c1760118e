"""The demo's attestation and growth (called by devtools.demo.load_demo with its world): dates
relative to today, so «Аттестация педагогов» always has someone due soon and someone late."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from people import services as people_services
from people.models import Course, CourseSupport, QualificationCategory, TeacherProfile
from people.selectors import add_months

LEVEL_COURSE = "Уровневая программа повышения квалификации (второй уровень)"
SUPPORT_PLAN = (
    "Посещение двух уроков в четверть с разбором; открытый урок по теме курса на заседании ПСП"
)


def load(world: dict[str, Any]) -> None:
    """Add this app's demo records; safe to run again (load_demo is idempotent)."""
    today = timezone.localdate()
    users = world["users"]
    plc_people = [person for person, _subject in world["plc_people"]]
    # (person, next attestation in months from today): two upcoming, one overdue.
    due = [(users["teacher"], 4), (users["leader"], 9)]
    if plc_people:
        due.append((plc_people[0], -1))
    for person, months in due:
        TeacherProfile.objects.filter(person=person).update(
            next_attestation_on=add_months(today, months)
        )
    highest = QualificationCategory.objects.filter(name="высшая").first()
    if highest is not None:
        TeacherProfile.objects.filter(person=users["teacher"]).update(category_sought=highest)
    profile = TeacherProfile.objects.filter(person=users["teacher"]).first()
    if profile is None:
        return
    course, _created = Course.objects.get_or_create(
        profile=profile,
        title=LEVEL_COURSE,
        defaults={
            "kind": Course.Kind.LEVEL,
            "provider": "Центр педагогического мастерства",
            "hours": 240,
            "completed_on": today - dt.timedelta(days=120),
        },
    )
    if not CourseSupport.objects.filter(profile=profile, plan=SUPPORT_PLAN).exists():
        people_services.save_course_support(
            person=users["teacher"],
            course=course,
            supporter=users["leader"],
            plan=SUPPORT_PLAN,
            started_on=today - dt.timedelta(days=90),
            follow_up_on=today + dt.timedelta(days=21),
        )
