"""To whom and by when a report goes: a community's kind says so (CommunityKind.report_receiver
and report_deadline_month/day), a school's, a network's and the centre's report follow
``OwnerRule`` (seeded: the centre's report on its communities by 25 December, 003 order §2.2)."""

from __future__ import annotations

import datetime as dt

from django.db.utils import DatabaseError

from .models import Owner, OwnerRule

# A year's report is written when the year's last term is over; a deadline is the first such
# day after 1 June of the school year's second calendar year (15 July: that summer; 25 December:
# the winter after).
REPORTING_STARTS_MONTH = 6


def due_date(school_year: int, month: int | None, day: int | None) -> dt.date | None:
    if not (month and day):
        return None
    year = school_year + 1 if month >= REPORTING_STARTS_MONTH else school_year + 2
    try:
        return dt.date(year, month, day)
    except ValueError:  # 29 February in a common year
        return dt.date(year, month, 28)


def _owner_rule(owner_type: str) -> OwnerRule | None:
    try:
        return OwnerRule.objects.filter(owner_type=owner_type).first()
    except DatabaseError:  # pragma: no cover - before the migration ran
        return None


def rule_for(owner_type: str, owner) -> tuple[str, int | None, int | None]:
    """(receiver, deadline month, deadline day); an empty receiver: nobody receives it."""
    if owner_type == Owner.COMMUNITY:
        kind = owner.kind
        return kind.report_receiver, kind.report_deadline_month, kind.report_deadline_day
    rule = _owner_rule(owner_type)
    if rule is None:
        return "", None, None
    return rule.receiver, rule.deadline_month, rule.deadline_day


def receiver_of(report) -> str:
    return rule_for(report.owner_type, report.owner)[0]


def due_of(report) -> dt.date | None:
    _receiver, month, day = rule_for(report.owner_type, report.owner)
    return due_date(report.school_year, month, day)
