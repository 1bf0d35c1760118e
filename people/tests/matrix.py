"""This app's rows of the permission matrix added with issue 8 (attestation and growth); the
databank's older rows stay in core/tests/test_permission_matrix.py."""

from core.tests.matrix import (
    ANY_CENTRE_ADMIN,
    LEADER,
    MEMBER_RECORD,
    MEMBER_RECORD_VIEWERS,
    PLC_ADMINS,
    REDIRECT,
    ROLES,
    SUPERUSER,
    Endpoint,
    api,
    page,
)
from people.models import CourseSupport, DatabankAccess

SUPPORT_PLAN = "План поддержки из матрицы"


def _support(w) -> CourseSupport:
    """A support record of the PLC member, made by a trusted caller when the case needs it (each
    case's writes are rolled back, so it is looked up, not kept on the world)."""
    from people import services

    found = CourseSupport.objects.filter(profile__person=w.member, plan=SUPPORT_PLAN).first()
    return found or services.save_course_support(person=w.member, plan=SUPPORT_PLAN)


def _exported(w) -> bool:
    return DatabankAccess.objects.filter(subject=w.member, action="export").exists()


GROWTH_VIEWERS = [*PLC_ADMINS, LEADER]  # the PLC's leader and those who keep its members' records

ENDPOINTS: list[Endpoint] = [
    page("centre attestation list", "get", lambda w: "/attestation/", ANY_CENTRE_ADMIN),
    page(
        "centre attestation export",
        "get",
        lambda w: "/attestation/attestation.xlsx?status=all",
        ANY_CENTRE_ADMIN,
    ),
    page(
        "school attestation list",
        "get",
        lambda w: f"/organisations/{w.school_a.pk}/attestation/",
        PLC_ADMINS,
    ),
    page(
        "school attestation export",
        "get",
        lambda w: f"/organisations/{w.school_a.pk}/attestation.xlsx?status=all",
        PLC_ADMINS,
        changed=_exported,
    ),
    page(
        "PLC attestation list",
        "get",
        lambda w: f"/communities/{w.plc.pk}/attestation/",
        GROWTH_VIEWERS,
    ),
    page(
        "PLC attestation export",
        "get",
        lambda w: f"/communities/{w.plc.pk}/attestation.xlsx?status=all",
        GROWTH_VIEWERS,
        changed=_exported,
    ),
    page(
        "PLC composition",
        "get",
        lambda w: f"/communities/{w.plc.pk}/composition/",
        GROWTH_VIEWERS,
    ),
    page(
        "member's portfolio",
        "get",
        lambda w: f"/people/{w.member.pk}/portfolio/",
        MEMBER_RECORD_VIEWERS,
    ),
    page(
        "member's portfolio PDF",
        "get",
        lambda w: f"/people/{w.member.pk}/portfolio.pdf",
        MEMBER_RECORD_VIEWERS,
    ),
    api(
        "member's portfolio",
        "get",
        lambda w: f"/people/{w.member.pk}/portfolio/",
        MEMBER_RECORD_VIEWERS,
    ),
    page(
        "member's course support form",
        "get",
        lambda w: f"/people/{w.member.pk}/course-support/",
        MEMBER_RECORD,
    ),
    page(
        "member's course support add",
        "post",
        lambda w: f"/people/{w.member.pk}/course-support/",
        MEMBER_RECORD,
        REDIRECT,
        data=lambda w: {"plan": "Посещение уроков после курсов"},
        changed=lambda w: CourseSupport.objects.filter(
            profile__person=w.member, plan="Посещение уроков после курсов"
        ).exists(),
    ),
    page(
        "member's course support delete",
        "post",
        lambda w: f"/people/{w.member.pk}/course-support/{_support(w).pk}/delete/",
        MEMBER_RECORD,
        REDIRECT,
        changed=lambda w: CourseSupport.objects.filter(plan=SUPPORT_PLAN).count(),
    ),
    # Adding "people" to the matrix's apps brings in its admin pages too (people.admin).
    page(
        "admin: member's databank record",
        "get",
        lambda w: f"/admin/people/teacherprofile/{w.member.teacher_profile.pk}/change/",
        [SUPERUSER],
        overrides={r: REDIRECT for r in ROLES if r != SUPERUSER},
    ),
]
