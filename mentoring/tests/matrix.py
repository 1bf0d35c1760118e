"""This app's rows of the permission matrix (core/tests/test_permission_matrix.py).

The world's PLC gets a pair: its secretary mentors its member (a young teacher); the world's
leaders' pair community gets its two sides: school B's administrator mentors the second PLC's
member. Objects are made on first use in each test (each test's writes are rolled back, so a
kept object is looked up again rather than trusted).
"""

from __future__ import annotations

from django.utils import timezone

from communities.models import Membership
from communities.tests.factories import MembershipFactory
from core.schoolyear import school_year_of
from core.tests.conftest import MEMBER_OTHER, SECRETARY
from core.tests.matrix import (
    ADMIN_A,
    ADMIN_B,
    CENTRE,
    CREATED,
    CURATOR,
    FORBIDDEN,
    LEADER,
    MEMBER,
    NOT_FOUND,
    REDIRECT,
    SIGNED_IN,
    SUPERUSER,
    Endpoint,
    World,
    api,
    page,
)
from mentoring import services
from mentoring.models import Analysis, MentoringPlan, Pair, PlanGoal, Report, Session
from surveys.models import Survey

YEAR = school_year_of(timezone.localdate())

PLC_SIDES = [SECRETARY, MEMBER]  # the PLC pair's mentor and mentee
PLC_OVERSEERS = [SUPERUSER, ADMIN_A, LEADER]  # the school's administration and the PLC's leader
PLC_PAIR_VIEWERS = [*PLC_OVERSEERS, *PLC_SIDES]
LEADERS_SIDES = [ADMIN_B, MEMBER_OTHER]
LEADERS_PAIR_VIEWERS = [SUPERUSER, CENTRE, CURATOR, *LEADERS_SIDES]
CURATORS = [SUPERUSER, CURATOR]
ANALYSIS_VIEWERS = [SUPERUSER, CENTRE, CURATOR]


def plc_pair(w: World) -> Pair:
    pair = Pair.objects.filter(community=w.plc, mentee=w.member).first()
    if pair is None:
        pair = services.form_pair(
            community=w.plc,
            actor=None,
            mentor=w.user(SECRETARY),
            mentee=w.member,
            school_year=YEAR,
            started_on=timezone.localdate(),
        )
        PlanGoal.objects.create(plan=pair.plan, text="Освоить формирующее оценивание")
    return pair


def leaders_pair(w: World) -> Pair:
    pair = Pair.objects.filter(community=w.pair).first()
    if pair is None:
        MembershipFactory(community=w.pair, person=w.user(ADMIN_B), role=Membership.Role.MENTOR)
        MembershipFactory(
            community=w.pair, person=w.user(MEMBER_OTHER), role=Membership.Role.MENTEE
        )
        pair = services.form_pair(community=w.pair, actor=None, school_year=YEAR)
    return pair


def plc_session(w: World) -> Session:
    pair = plc_pair(w)
    session = pair.sessions.first()
    if session is None:
        session = services.log_session(
            pair=pair, actor=None, held_on=timezone.localdate(), form="mentoring", topic="Старт"
        )
    return session


def sent_report(w: World) -> Report:
    pair = plc_pair(w)
    report = pair.reports.filter(status=Report.Status.SUBMITTED).first()
    if report is None:
        report = services.save_report(
            pair=pair, actor=None, side="mentee", period="half", submit=True, done="Уроки"
        )
    return report


def submitted_plan(w: World) -> int:
    pair = plc_pair(w)
    MentoringPlan.objects.filter(pk=pair.plan.pk).update(status=MentoringPlan.Status.SUBMITTED)
    return pair.pk


def _pair_url(suffix: str = ""):
    return lambda w: f"/mentoring/pairs/{plc_pair(w).pk}/{suffix}"


def _plan_status(w: World) -> str:
    return MentoringPlan.objects.get(pair=plc_pair(w)).status


def _goal_texts(w: World) -> list:
    return list(PlanGoal.objects.filter(plan__pair=plc_pair(w)).values_list("text", flat=True))


def _plan_form(w: World) -> dict:
    plan = MentoringPlan.objects.get(pair=plc_pair(w))
    return {
        "version": plan.version,
        "goal": "n0123456789",
        "g-n0123456789-text": "Новая цель",
        "g-n0123456789-measure": "",
    }


def _sessions(w: World) -> int:
    return Session.objects.filter(pair=plc_pair(w)).count()


def _session_form(w: World) -> dict:
    return {
        "held_on": timezone.localdate().isoformat(),
        "form": "consultation",
        "topic": "Проверка тетрадей",
        "notes": "",
        "next_steps": "",
    }


def _reports(w: World) -> int:
    return Report.objects.filter(pair=plc_pair(w)).count()


def _analysis(w: World) -> int:
    return Analysis.objects.count()


def _analysis_form(w: World) -> dict:
    return {"version": 0, "conclusions": "Вывод", "problems": "", "proposals": ""}


def _surveys(w: World) -> int:
    return Survey.objects.filter(community=w.pair).count()


def _territory_url(suffix: str):
    def url(w: World) -> str:
        leaders_pair(w)
        return f"/mentoring/analysis/{w.region.pk}/{YEAR}{suffix}"

    return url


def _community_url(suffix: str):
    def url(w: World) -> str:
        plc_pair(w)
        return f"/communities/{w.plc.pk}/mentoring/{YEAR}{suffix}"

    return url


HIDDEN_PLC_PAIR = {r: NOT_FOUND for r in SIGNED_IN if r not in PLC_PAIR_VIEWERS}
NOT_A_SIDE = dict.fromkeys(PLC_OVERSEERS, FORBIDDEN)


ENDPOINTS: list[Endpoint] = [
    page("mentoring pairs", "get", lambda w: "/mentoring/", SIGNED_IN),
    page(
        "mentoring form a PLC pair (form)",
        "get",
        lambda w: f"/communities/{w.plc.pk}/mentoring/new/",
        PLC_OVERSEERS,
    ),
    page(
        "mentoring form a PLC pair",
        "post",
        lambda w: f"/communities/{w.plc.pk}/mentoring/new/",
        PLC_OVERSEERS,
        REDIRECT,
        data=lambda w: {
            "mentor": w.leader.pk,
            "mentee": w.user(SECRETARY).pk,
            "school_year": YEAR,
            "started_on": timezone.localdate().isoformat(),
            "focus": "",
        },
        changed=lambda w: Pair.objects.filter(mentee=w.user(SECRETARY)).exists(),
    ),
    page("mentoring PLC pair page", "get", _pair_url(), PLC_PAIR_VIEWERS),
    page(
        "mentoring leaders' pair page",
        "get",
        lambda w: f"/mentoring/pairs/{leaders_pair(w).pk}/",
        LEADERS_PAIR_VIEWERS,
    ),
    page(
        "mentoring finish a pair",
        "post",
        _pair_url("finish/"),
        PLC_OVERSEERS,
        REDIRECT,
        changed=lambda w: Pair.objects.get(pk=plc_pair(w).pk).status,
    ),
    page(
        "mentoring pair survey launch",
        "post",
        lambda w: f"/mentoring/pairs/{leaders_pair(w).pk}/survey/",
        [SUPERUSER, CENTRE, CURATOR],
        REDIRECT,
        changed=_surveys,
    ),
    page(
        "mentoring PLC pair survey launch",
        "post",
        _pair_url("survey/"),
        PLC_OVERSEERS,
        REDIRECT,
        changed=lambda w: Survey.objects.filter(mentoring_pair_link__pair=plc_pair(w)).count(),
    ),
    page("mentoring plan edit (form)", "get", _pair_url("plan/"), PLC_SIDES),
    page(
        "mentoring plan edit",
        "post",
        _pair_url("plan/"),
        PLC_SIDES,
        REDIRECT,
        data=_plan_form,
        changed=_goal_texts,
    ),
    page("mentoring plan row", "get", lambda w: _pair_url("plan/row/")(w) + "?add=goal", PLC_SIDES),
    page(
        "mentoring plan submit",
        "post",
        _pair_url("plan/submit/"),
        PLC_SIDES,
        REDIRECT,
        changed=_plan_status,
    ),
    page(
        "mentoring plan approve",
        "post",
        lambda w: f"/mentoring/pairs/{submitted_plan(w)}/plan/approve/",
        [SUPERUSER, ADMIN_A],
        REDIRECT,
        changed=_plan_status,
    ),
    page("mentoring log a session (form)", "get", _pair_url("sessions/new/"), PLC_SIDES),
    page(
        "mentoring log a session",
        "post",
        _pair_url("sessions/new/"),
        PLC_SIDES,
        REDIRECT,
        data=_session_form,
        changed=_sessions,
    ),
    page("mentoring report (form)", "get", _pair_url("reports/half/"), PLC_SIDES),
    page(
        "mentoring report save",
        "post",
        _pair_url("reports/half/"),
        PLC_SIDES,
        REDIRECT,
        data=lambda w: {"done": "Посетили уроки", "results": "", "difficulties": "", "plans": ""},
        changed=_reports,
    ),
    page(
        "mentoring sent report",
        "get",
        lambda w: f"/mentoring/reports/{sent_report(w).pk}/",
        PLC_PAIR_VIEWERS,
    ),
    page(
        "mentoring report seen",
        "post",
        lambda w: f"/mentoring/reports/{sent_report(w).pk}/seen/",
        PLC_OVERSEERS,
        REDIRECT,
        changed=lambda w: Report.objects.get(pk=sent_report(w).pk).seen_at,
    ),
    page("mentoring analyses", "get", lambda w: "/mentoring/analysis/", CURATORS),
    page("mentoring territory analysis", "get", _territory_url("/"), ANALYSIS_VIEWERS),
    page(
        "mentoring territory analysis save",
        "post",
        _territory_url("/"),
        CURATORS,
        REDIRECT,
        data=_analysis_form,
        changed=_analysis,
    ),
    page(
        "mentoring territory survey launch",
        "post",
        _territory_url("/survey/"),
        CURATORS,
        REDIRECT,
        changed=_surveys,
    ),
    page("mentoring territory analysis docx", "get", _territory_url(".docx"), ANALYSIS_VIEWERS),
    page("mentoring territory analysis pdf", "get", _territory_url(".pdf"), ANALYSIS_VIEWERS),
    page("mentoring PLC report", "get", _community_url("/"), PLC_OVERSEERS),
    page(
        "mentoring PLC report save",
        "post",
        _community_url("/"),
        PLC_OVERSEERS,
        REDIRECT,
        data=_analysis_form,
        changed=_analysis,
    ),
    page("mentoring PLC report docx", "get", _community_url(".docx"), PLC_OVERSEERS),
    page("mentoring PLC report pdf", "get", _community_url(".pdf"), PLC_OVERSEERS),
    # -- API ------------------------------------------------------------------------------------
    api("mentoring pair list", "get", lambda w: "/mentoring/pairs/", SIGNED_IN),
    api(
        "mentoring pair",
        "get",
        lambda w: f"/mentoring/pairs/{plc_pair(w).pk}/",
        PLC_PAIR_VIEWERS,
        overrides=HIDDEN_PLC_PAIR,
    ),
    api("mentoring session list", "get", lambda w: "/mentoring/sessions/", SIGNED_IN),
    api(
        "mentoring session",
        "get",
        lambda w: f"/mentoring/sessions/{plc_session(w).pk}/",
        PLC_PAIR_VIEWERS,
        overrides=HIDDEN_PLC_PAIR,
    ),
    api(
        "mentoring session create",
        "post",
        lambda w: "/mentoring/sessions/",
        PLC_SIDES,
        CREATED,
        data=lambda w: {"pair": plc_pair(w).pk} | _session_form(w),
        changed=_sessions,
        overrides=HIDDEN_PLC_PAIR | NOT_A_SIDE,
    ),
    api("mentoring report list", "get", lambda w: "/mentoring/reports/", SIGNED_IN),
    api(
        "mentoring report",
        "get",
        lambda w: f"/mentoring/reports/{sent_report(w).pk}/",
        PLC_PAIR_VIEWERS,
        overrides=HIDDEN_PLC_PAIR,
    ),
    api(
        "mentoring report create",
        "post",
        lambda w: "/mentoring/reports/",
        PLC_SIDES,
        CREATED,
        data=lambda w: {"pair": plc_pair(w).pk, "period": "year", "done": "Итоги"},
        changed=_reports,
        overrides=HIDDEN_PLC_PAIR | NOT_A_SIDE,
    ),
]
