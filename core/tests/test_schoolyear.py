"""One definition of the school year, used by plans, cadence and minutes alike."""

import datetime as dt

import pytest

from core.schoolyear import planning_year, school_year_of, term_bounds


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (dt.date(2027, 1, 15), 2026),
        (dt.date(2027, 5, 31), 2026),
        (dt.date(2027, 7, 31), 2026),
        (dt.date(2027, 8, 20), 2027),  # the August conference and first meetings open the year
        (dt.date(2027, 9, 1), 2027),
        (dt.date(2027, 12, 31), 2027),
    ],
)
def test_school_year_of(day, year):
    assert school_year_of(day) == year


@pytest.mark.parametrize(
    ("today", "year"),
    [
        (dt.date(2027, 3, 1), 2026),  # during the year: this year's plan
        (dt.date(2027, 6, 1), 2027),  # from June next year's plans are drafted
        (dt.date(2027, 8, 20), 2027),
        (dt.date(2027, 10, 1), 2027),
    ],
)
def test_a_new_plan_is_for_the_coming_year_from_june(today, year):
    assert planning_year(today) == year


def test_terms_cover_the_school_year():
    assert term_bounds(2026, 1) == (dt.date(2026, 9, 1), dt.date(2026, 10, 31))
    assert term_bounds(2026, 3) == (dt.date(2027, 1, 1), dt.date(2027, 3, 31))


def test_quarters_are_calendar_quarters_within_the_school_year():
    from core.schoolyear import quarters

    assert quarters(2026) == [
        (dt.date(2026, 8, 1), dt.date(2026, 9, 30)),
        (dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
        (dt.date(2027, 1, 1), dt.date(2027, 3, 31)),
        (dt.date(2027, 4, 1), dt.date(2027, 6, 30)),
    ]
