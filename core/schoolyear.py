"""School-year arithmetic: the year runs from September to August, in four terms (четверти)."""

from __future__ import annotations

import datetime as dt

# (first month, last month) of each term; a term is a school quarter (четверть).
TERMS = [(9, 10), (11, 12), (1, 3), (4, 5)]


# August belongs to the coming school year: its teachers' conference and the communities' first
# meetings (plans, roles) open the year. Next year's plans are drafted from June, when this
# year's analysis is written.
YEAR_STARTS_MONTH = 8
PLANNING_STARTS_MONTH = 6


def school_year_of(day: dt.date) -> int:
    """The year a school year starts in: 15.01.2027 is in 2026/2027, 20.08.2027 in 2027/2028."""
    return day.year if day.month >= YEAR_STARTS_MONTH else day.year - 1


def year_bounds(school_year: int) -> tuple[dt.date, dt.date]:
    """The first and the last day of the school year starting in `school_year` (August–July)."""
    start = dt.date(school_year, YEAR_STARTS_MONTH, 1)
    return start, dt.date(school_year + 1, YEAR_STARTS_MONTH, 1) - dt.timedelta(days=1)


def planning_year(today: dt.date) -> int:
    """The school year a plan started today is most likely for: the coming one from June."""
    return today.year if today.month >= PLANNING_STARTS_MONTH else today.year - 1


def term_bounds(school_year: int, term: int) -> tuple[dt.date, dt.date]:
    """First and last day of term 1..4 of the school year starting in `school_year`."""
    first, last = TERMS[term - 1]
    year = school_year if first >= 9 else school_year + 1
    start = dt.date(year, first, 1)
    end_month_next = dt.date(year + (last == 12), last % 12 + 1, 1)
    return start, end_month_next - dt.timedelta(days=1)


def quarters(school_year: int) -> list[tuple[dt.date, dt.date]]:
    """The calendar quarters of a school year, each as far as it lies in the year: August (which
    opens the year) and September, then October–December, January–March, April–June. July is
    the summer break."""
    next_year = school_year + 1
    return [
        (dt.date(school_year, YEAR_STARTS_MONTH, 1), dt.date(school_year, 9, 30)),
        (dt.date(school_year, 10, 1), dt.date(school_year, 12, 31)),
        (dt.date(next_year, 1, 1), dt.date(next_year, 3, 31)),
        (dt.date(next_year, 4, 1), dt.date(next_year, 6, 30)),
    ]
