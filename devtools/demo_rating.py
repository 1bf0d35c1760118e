"""The demo school's teachers' rating (called by devtools.demo.load_demo with its world): a
scheme for СШ № 14 of this school year, set by its director, so `director` sees the school's
rating and `teacher` their own."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from core.schoolyear import school_year_of
from rating import services
from rating.models import RatingScheme

CRITERIA = [
    {"measure": "courses_completed", "weight": "3", "cap": "3"},
    {"measure": "events_spoken", "weight": "5"},
    {"measure": "events_attended", "weight": "1", "cap": "10"},
    {"measure": "open_lessons_given", "weight": "4"},
    {"measure": "lessons_visited", "weight": "1", "cap": "12"},
    {"measure": "mentoring_sessions", "weight": "2"},
    {"measure": "results_quality", "weight": "0.1"},
]


def load(world: dict[str, Any]) -> None:
    """Add this app's demo records; safe to run again (load_demo is idempotent)."""
    school, director = world["orgs"]["school14"], world["users"]["director"]
    year = school_year_of(timezone.localdate())
    if RatingScheme.objects.filter(organisation=school, school_year=year).exists():
        return
    services.save_scheme(organisation=school, school_year=year, rows=CRITERIA, actor=director)
