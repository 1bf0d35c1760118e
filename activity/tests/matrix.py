"""This app's rows of the permission matrix (core/tests/test_permission_matrix.py).

A community's activity statistics are seen by those who run it (communities' `can_edit`): the
PLC's leader and school A's administration with the centre, and for the curated public network
group its curator and the centre. Plain members and everyone else are refused; those of the other
region do not find the internal PLC at all.
"""

from __future__ import annotations

from core.tests.matrix import (
    CENTRE_ADMINS,
    CURATOR,
    HIDDEN_ELSEWHERE,
    PLC_MANAGERS,
    api,
    page,
)

ENDPOINTS = [
    page(
        "PLC statistics",
        "get",
        lambda w: f"/communities/{w.plc.pk}/statistics/",
        PLC_MANAGERS,
        overrides=HIDDEN_ELSEWHERE,
    ),
    page(
        "PLC statistics CSV",
        "get",
        lambda w: f"/communities/{w.plc.pk}/statistics.csv",
        PLC_MANAGERS,
        overrides=HIDDEN_ELSEWHERE,
    ),
    page(
        "PLC statistics XLSX",
        "get",
        lambda w: f"/communities/{w.plc.pk}/statistics.xlsx?period=week",
        PLC_MANAGERS,
        overrides=HIDDEN_ELSEWHERE,
    ),
    page(
        "public group statistics (curated)",
        "get",
        lambda w: f"/communities/{w.public_group.pk}/statistics/",
        [*CENTRE_ADMINS, CURATOR],
    ),
    api(
        "PLC activity",
        "get",
        lambda w: f"/communities/{w.plc.pk}/activity/?period=month",
        PLC_MANAGERS,
        overrides=HIDDEN_ELSEWHERE,
    ),
    api(
        "public group activity (curated)",
        "get",
        lambda w: f"/communities/{w.public_group.pk}/activity/",
        [*CENTRE_ADMINS, CURATOR],
    ),
]
