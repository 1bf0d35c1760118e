"""This app's rows of the permission matrix (core/tests/test_permission_matrix.py).

The world's PLC writes a year's report (its leader); its kind's rule sends it to the host
school's administration (ADMIN_A). Objects are made on first use in each test.
"""

from __future__ import annotations

from core.tests.matrix import (
    ADMIN_A,
    ADMIN_B,
    CENTRE,
    CENTRE_OTHER,
    COORDINATOR,
    CURATOR,
    FORBIDDEN,
    LEADER,
    NOT_FOUND,
    REDIRECT,
    SIGNED_IN,
    SUPERUSER,
    Endpoint,
    World,
    api,
    page,
)
from reports import services
from reports.models import Owner, Report, ReportFile

YEAR = 2025

WRITERS = [SUPERUSER, LEADER]
VIEWERS = [SUPERUSER, LEADER, ADMIN_A]  # the writer and the receiver
DECIDERS = [SUPERUSER, ADMIN_A]
STAFF = [SUPERUSER, CENTRE, CENTRE_OTHER, CURATOR, COORDINATOR, ADMIN_A, ADMIN_B]
HIDDEN = {r: NOT_FOUND for r in SIGNED_IN if r not in VIEWERS}


def draft(w: World) -> Report:
    report = Report.objects.filter(community=w.plc, school_year=YEAR).first()
    if report is None:
        report = services.start_report(
            actor=None, owner_type=Owner.COMMUNITY, owner=w.plc, school_year=YEAR
        )
    return report


def submitted(w: World) -> Report:
    report = draft(w)
    if report.status != Report.Status.SUBMITTED:
        services.submit(actor=None, report=report)
        report.refresh_from_db()
    return report


def built(w: World) -> ReportFile:
    report = draft(w)
    job = ReportFile.objects.filter(report=report, status=ReportFile.Status.DONE).first()
    if job is None:
        job = services.request_file(actor=None, report=report, fmt="pdf")
        services.build_file(job.pk)
    return job


def _url(suffix: str = "", make=draft):
    return lambda w: f"/reports/{make(w).pk}/{suffix}"


def _api(suffix: str = "", make=draft):
    return lambda w: f"/year-reports/{make(w).pk}/{suffix}"


def _status(w: World) -> str:
    return Report.objects.get(community=w.plc, school_year=YEAR).status


def _analysis(w: World) -> str:
    return Report.objects.get(community=w.plc, school_year=YEAR).analysis


def _files(w: World) -> int:
    return ReportFile.objects.count()


ENDPOINTS: list[Endpoint] = [
    page("year reports", "get", lambda w: "/reports/", SIGNED_IN),
    page(
        "year report start",
        "post",
        lambda w: "/reports/start/",
        WRITERS,
        REDIRECT,
        data=lambda w: {"owner_type": "community", "owner": w.plc.pk, "school_year": YEAR},
        changed=lambda w: Report.objects.filter(community=w.plc).exists(),
    ),
    page("year reports board", "get", lambda w: "/reports/board/", STAFF),
    page("year report page", "get", _url(), VIEWERS),
    page(
        "year report narrative",
        "post",
        _url(),
        WRITERS,
        REDIRECT,
        data=lambda w: {"version": draft(w).version, "analysis": "Итоги", "problems": ""},
        changed=_analysis,
    ),
    page(
        "year report submit",
        "post",
        _url("submit/"),
        WRITERS,
        REDIRECT,
        changed=_status,
    ),
    page(
        "year report decide",
        "post",
        _url("decide/", submitted),
        DECIDERS,
        REDIRECT,
        data=lambda w: {"decision": "return", "comment": "Добавьте фото"},
        changed=_status,
    ),
    page(
        "year report build",
        "post",
        _url("build/"),
        VIEWERS,
        REDIRECT,
        data=lambda w: {"format": "pdf"},
        changed=_files,
    ),
    page("year report docx", "get", _url("report.docx"), VIEWERS),
    page("year report pdf", "get", _url("report.pdf"), VIEWERS),
    page("year report file", "get", lambda w: f"/reports/files/{built(w).pk}/", VIEWERS),
    page(
        "year report file download",
        "get",
        lambda w: f"/reports/files/{built(w).pk}/download/",
        VIEWERS,
    ),
    api("year reports", "get", lambda w: "/year-reports/", SIGNED_IN),
    api("year report", "get", _api(), VIEWERS, overrides=HIDDEN),
    api(
        "year report submit",
        "post",
        _api("submit/"),
        WRITERS,
        overrides={**HIDDEN, ADMIN_A: FORBIDDEN},
        changed=_status,
    ),
    api(
        "year report accept",
        "post",
        _api("accept/", submitted),
        DECIDERS,
        overrides={**HIDDEN, LEADER: FORBIDDEN},
        changed=_status,
    ),
    api(
        "year report return",
        "post",
        _api("return/", submitted),
        DECIDERS,
        data=lambda w: {"comment": "Добавьте анализ"},
        overrides={**HIDDEN, LEADER: FORBIDDEN},
        changed=_status,
    ),
]
