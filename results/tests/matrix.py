"""This app's rows of the permission matrix (core/tests/test_permission_matrix.py).

School A's administration and the region's centre import school A's results; the region's
curator also reads them; the PLC's leader and administrators read the PLC's (its members'
classes). A checked dry run of school A is made on first use by the rows that need one. The
API upload itself (multipart only) is tested in results/tests/test_import_pages.py.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from core.tests.matrix import (
    CENTRE,
    COORDINATOR,
    CREATED,
    CURATOR,
    LEADER,
    NO_CONTENT,
    PLC_ADMINS,
    REDIRECT,
    SUPERUSER,
    Endpoint,
    World,
    api,
    page,
)
from results import imports
from results.models import InnovativeClass, ResultImport, ResultRow

from .files import GOOD, csv_bytes

YEAR = 2025
SCHOOL_VIEWERS = [*PLC_ADMINS, CURATOR]
PLC_VIEWERS = [*PLC_ADMINS, LEADER]
TERRITORY_VIEWERS = [SUPERUSER, CENTRE, CURATOR]  # of the region (the other region's centre not)
NETWORK_VIEWERS = [*TERRITORY_VIEWERS, COORDINATOR]


def checked_import(w: World) -> ResultImport:
    record = ResultImport.objects.filter(organisation=w.school_a, dry_run=True).first()
    if record is None:
        record = imports.create_import(
            organisation=w.school_a,
            school_year=YEAR,
            file=SimpleUploadedFile("итоги.csv", csv_bytes(_rows())),
            dry_run=True,
        )
        record = imports.run_import(record.pk)
    return record


def _rows():
    # Russian periods: the world's territories are Russian.
    return [[*row[:3], "1 четверть", *row[4:]] for row in GOOD]


def _school(suffix: str = ""):
    return lambda w: f"/results/schools/{w.school_a.pk}/{suffix}"


ENDPOINTS: list[Endpoint] = [
    page("results school", "get", _school(f"?year={YEAR}"), SCHOOL_VIEWERS),
    page("results school rows", "get", _school(f"rows/?year={YEAR}"), SCHOOL_VIEWERS),
    page("results import form", "get", _school("import/"), PLC_ADMINS),
    page(
        "results import upload",
        "post",
        _school("import/"),
        PLC_ADMINS,
        REDIRECT,
        data=lambda w: {
            "file": SimpleUploadedFile("итоги.csv", csv_bytes(_rows())),
            "school_year": YEAR,
            "dry_run": "on",
        },
        changed=lambda w: ResultImport.objects.count(),
    ),
    page(
        "results import status",
        "get",
        lambda w: f"/results/schools/{w.school_a.pk}/imports/{checked_import(w).pk}/",
        PLC_ADMINS,
    ),
    page(
        "results import apply",
        "post",
        lambda w: f"/results/schools/{w.school_a.pk}/imports/{checked_import(w).pk}/apply/",
        PLC_ADMINS,
        REDIRECT,
        changed=lambda w: ResultRow.objects.count(),
    ),
    page("results community", "get", lambda w: f"/results/communities/{w.plc.pk}/", PLC_VIEWERS),
    page(
        "results community rows",
        "get",
        lambda w: f"/results/communities/{w.plc.pk}/rows/",
        PLC_VIEWERS,
    ),
    api(
        "results indicators of a school",
        "get",
        lambda w: f"/results/indicators/?organisation={w.school_a.pk}",
        SCHOOL_VIEWERS,
    ),
    api(
        "results indicators of a community",
        "get",
        lambda w: f"/results/indicators/?community={w.plc.pk}",
        PLC_VIEWERS,
    ),
    api(
        "results rows of a school",
        "get",
        lambda w: f"/results/rows/?organisation={w.school_a.pk}",
        SCHOOL_VIEWERS,
    ),
    page("results network", "get", lambda w: f"/results/networks/{w.network.pk}/", NETWORK_VIEWERS),
    page(
        "results network rows",
        "get",
        lambda w: f"/results/networks/{w.network.pk}/rows/",
        NETWORK_VIEWERS,
    ),
    page(
        "results network schools compared",
        "get",
        lambda w: f"/results/networks/{w.network.pk}/schools/",
        NETWORK_VIEWERS,
    ),
    page(
        "results territory schools compared",
        "get",
        lambda w: f"/results/territories/{w.region.pk}/schools/",
        TERRITORY_VIEWERS,
    ),
    page(
        "results territory",
        "get",
        lambda w: f"/results/territories/{w.region.pk}/",
        TERRITORY_VIEWERS,
    ),
    page(
        "results territory rows",
        "get",
        lambda w: f"/results/territories/{w.region.pk}/rows/",
        TERRITORY_VIEWERS,
    ),
    api(
        "results indicators of a network",
        "get",
        lambda w: f"/results/indicators/?network={w.network.pk}",
        NETWORK_VIEWERS,
    ),
    api(
        "results indicators of a territory",
        "get",
        lambda w: f"/results/indicators/?territory={w.region.pk}",
        TERRITORY_VIEWERS,
    ),
    api(
        "results import detail",
        "get",
        lambda w: f"/results/imports/{checked_import(w).pk}/",
        PLC_ADMINS,
    ),
]


# Exams and control works: the same readers and importers as the results above.
import datetime  # noqa: E402

from results.imports import exams as exam_imports  # noqa: E402
from results.models import AssessmentKind, ExamImport, ExamResult  # noqa: E402

EXAM_HEADER = ["Класс", "Предмет", "Балл", "Отметка"]
EXAM_ROWS = [["11А", "Математика", 70, ""], ["11А", "Математика", 20, ""]]


def _exam_file():
    return SimpleUploadedFile("егэ.csv", csv_bytes(EXAM_ROWS, header=EXAM_HEADER))


def _ege() -> AssessmentKind:
    return AssessmentKind.objects.get(country_code="RU", code="ege")


def checked_exam_import(w: World) -> ExamImport:
    record = ExamImport.objects.filter(organisation=w.school_a, dry_run=True).first()
    if record is None:
        record = exam_imports.create_exam_import(
            organisation=w.school_a, school_year=YEAR, kind=_ege(),
            held_on=datetime.date(YEAR + 1, 6, 10), file=_exam_file(), dry_run=True,
        )  # fmt: skip
        record = exam_imports.run_exam_import(record.pk)
    return record


ENDPOINTS += [
    page("exams of a school", "get", _school(f"exams/?year={YEAR}"), SCHOOL_VIEWERS),
    page("exam rows of a school", "get", _school(f"exams/rows/?year={YEAR}"), SCHOOL_VIEWERS),
    page("exam import form", "get", _school("exams/import/"), PLC_ADMINS),
    page(
        "exam import upload",
        "post",
        _school("exams/import/"),
        PLC_ADMINS,
        REDIRECT,
        data=lambda w: {
            "file": _exam_file(),
            "kind": _ege().pk,
            "held_on": f"{YEAR + 1}-06-10",
            "school_year": YEAR,
            "dry_run": "on",
        },
        changed=lambda w: ExamImport.objects.count(),
    ),
    page(
        "exam import status",
        "get",
        lambda w: f"/results/schools/{w.school_a.pk}/exams/imports/{checked_exam_import(w).pk}/",
        PLC_ADMINS,
    ),
    page(
        "exam import apply",
        "post",
        lambda w: (
            f"/results/schools/{w.school_a.pk}/exams/imports/{checked_exam_import(w).pk}/apply/"
        ),
        PLC_ADMINS,
        REDIRECT,
        changed=lambda w: ExamResult.objects.count(),
    ),
    page(
        "exams of a network",
        "get",
        lambda w: f"/results/networks/{w.network.pk}/exams/",
        NETWORK_VIEWERS,
    ),
    page(
        "exam rows of a network",
        "get",
        lambda w: f"/results/networks/{w.network.pk}/exams/rows/",
        NETWORK_VIEWERS,
    ),
    page(
        "exams of a territory",
        "get",
        lambda w: f"/results/territories/{w.region.pk}/exams/",
        TERRITORY_VIEWERS,
    ),
    page(
        "exam rows of a territory",
        "get",
        lambda w: f"/results/territories/{w.region.pk}/exams/rows/",
        TERRITORY_VIEWERS,
    ),
    api(
        "exams of a school",
        "get",
        lambda w: f"/results/exams/?organisation={w.school_a.pk}",
        SCHOOL_VIEWERS,
    ),
    api(
        "exams of a territory",
        "get",
        lambda w: f"/results/exams/?territory={w.region.pk}",
        TERRITORY_VIEWERS,
    ),
    api(
        "exam rows of a school",
        "get",
        lambda w: f"/results/exam-rows/?organisation={w.school_a.pk}",
        SCHOOL_VIEWERS,
    ),
    api(
        "exam import detail",
        "get",
        lambda w: f"/results/exam-imports/{checked_exam_import(w).pk}/",
        PLC_ADMINS,
    ),
    # Classes doing innovative work: the school's comparison is read by those who read its
    # results; marking is its administration's.
    page("innovative classes of a school", "get", _school(f"innovative/?year={YEAR}"),
         SCHOOL_VIEWERS),
    page("innovative classes' rows of a school", "get",
         _school(f"innovative/rows/?year={YEAR}&group=innovative"), SCHOOL_VIEWERS),
    page("innovative classes marking form", "get", _school(f"innovative/mark/?year={YEAR}"),
         PLC_ADMINS),
    page("innovative classes of a network", "get",
         lambda w: f"/results/networks/{w.network.pk}/innovative/", NETWORK_VIEWERS),
    page("innovative classes' rows of a network", "get",
         lambda w: f"/results/networks/{w.network.pk}/innovative/rows/", NETWORK_VIEWERS),
    page("innovative classes of a territory", "get",
         lambda w: f"/results/territories/{w.region.pk}/innovative/", TERRITORY_VIEWERS),
    page("innovative classes' rows of a territory", "get",
         lambda w: f"/results/territories/{w.region.pk}/innovative/rows/", TERRITORY_VIEWERS),
    api("innovation comparison of a school", "get",
        lambda w: f"/results/innovation/?organisation={w.school_a.pk}", SCHOOL_VIEWERS),
    api("innovative classes of a school", "get",
        lambda w: f"/results/innovative-classes/?organisation={w.school_a.pk}", SCHOOL_VIEWERS),
    api(
        "innovative class marked",
        "post",
        lambda w: "/results/innovative-classes/",
        PLC_ADMINS,
        CREATED,
        data=lambda w: {"organisation": w.school_a.pk, "school_year": YEAR, "grade": 7,
                        "letter": "А", "innovation": "Проектное обучение"},
        changed=lambda w: InnovativeClass.objects.count(),
    ),
    api(
        "innovative class unmarked",
        "delete",
        lambda w: f"/results/innovative-classes/{_marked(w).pk}/",
        PLC_ADMINS,
        NO_CONTENT,
        changed=lambda w: InnovativeClass.objects.count(),
    ),
]  # fmt: skip


def _marked(w: World) -> InnovativeClass:
    record, _new = InnovativeClass.objects.get_or_create(
        organisation=w.school_a, school_year=YEAR, grade=8, letter="Б", subject="",
        defaults={"innovation": "Смешанное обучение"},
    )  # fmt: skip
    return record
