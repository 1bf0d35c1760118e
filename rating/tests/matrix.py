"""This app's rows of the permission matrix (core/tests/test_permission_matrix.py).

School A's administration sets its rating scheme and sees its teachers' rows; the PLC's leader
sees the PLC members' rows; everyone signed in sees their own; school A's staff read its scheme
through the API. Nobody else: not the centre, the curator nor the superuser. The scheme of
school A for YEAR is made on first use by the rows that need one.
"""

from __future__ import annotations

from decimal import Decimal

from core.tests.conftest import LEADER_OTHER, MEMBER_OTHER, REMOVED, SECRETARY, TEACHER_A
from core.tests.matrix import (
    ADMIN_A,
    LEADER,
    MEMBER,
    REDIRECT,
    SIGNED_IN,
    Endpoint,
    World,
    api,
    page,
)
from rating.models import Criterion, RatingScheme

YEAR = 2025
SCHOOL_A_STAFF = [
    ADMIN_A,
    LEADER,
    MEMBER,
    TEACHER_A,
    REMOVED,
    SECRETARY,
    LEADER_OTHER,
    MEMBER_OTHER,
]


def scheme(w: World, year: int = YEAR) -> RatingScheme:
    found, created = RatingScheme.objects.get_or_create(organisation=w.school_a, school_year=year)
    if created:
        Criterion.objects.create(
            scheme=found, measure="courses_completed", weight=Decimal(2), order=1
        )
    return found


def _school(suffix: str = "", *, year: int = YEAR, make: bool = True):
    def url(w: World) -> str:
        if make:
            scheme(w)
        return f"/rating/schools/{w.school_a.pk}/{suffix}?year={year}"

    return url


def _community(suffix: str = ""):
    def url(w: World) -> str:
        scheme(w)
        return f"/rating/communities/{w.plc.pk}/{suffix}?year={YEAR}"

    return url


ENDPOINTS: list[Endpoint] = [
    page("rating of a school", "get", _school(), [ADMIN_A]),
    page("rating of a school xlsx", "get", _school("rating.xlsx"), [ADMIN_A]),
    page("rating scheme editor", "get", _school("scheme/"), [ADMIN_A]),
    page(
        "rating scheme save",
        "post",
        _school("scheme/", make=False),
        [ADMIN_A],
        REDIRECT,
        data=lambda w: {
            "criteria-TOTAL_FORMS": "1",
            "criteria-INITIAL_FORMS": "0",
            "criteria-0-measure": "courses_completed",
            "criteria-0-weight": "3",
        },
        changed=lambda w: list(Criterion.objects.values_list("measure", "weight")),
    ),
    page(
        "rating scheme copy",
        "post",
        _school("scheme/copy/", year=YEAR + 1),
        [ADMIN_A],
        REDIRECT,
        changed=lambda w: RatingScheme.objects.filter(school_year=YEAR + 1).count(),
    ),
    page("rating of a community", "get", _community(), [LEADER]),
    page("rating of a community xlsx", "get", _community("rating.xlsx"), [LEADER]),
    page("my rating", "get", lambda w: f"/rating/me/?year={YEAR}", SIGNED_IN),
    api(
        "rating scheme",
        "get",
        lambda w: f"/rating/scheme/?organisation={scheme(w).organisation_id}&year={YEAR}",
        SCHOOL_A_STAFF,
    ),
    api(
        "rating rows of a school",
        "get",
        lambda w: f"/rating/rows/?organisation={scheme(w).organisation_id}&year={YEAR}",
        [ADMIN_A],
    ),
    api(
        "rating rows of a community",
        "get",
        lambda w: f"/rating/rows/?community={w.plc.pk}&year={scheme(w).school_year}",
        [LEADER],
    ),
    api(
        "own rating rows", "get", lambda w: f"/rating/rows/?year={scheme(w).school_year}", SIGNED_IN
    ),
]
