"""Reads for mentoring pages, the API, the dashboard and the year-end analysis.

Lists are flat: the counts a row shows are subqueries of the list's one query, so a page's
number of queries does not grow with its rows (mentoring/tests/test_query_counts.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from communities.models import Community
from core.schoolyear import term_bounds
from organisations.models import Territory

from . import permissions
from .models import Analysis, MentoringPlan, Pair, PlanGoal, Report, Session

# A report of a period is due at its end: the first half-year with term 2, the year with term 4.
PERIOD_TERM = {Report.Period.HALF: 2, Report.Period.YEAR: 4}
# A side is reminded of a report from this many days before it is due.
REMIND_DAYS = 14


def due_on(school_year: int, period: str) -> dt.date:
    return term_bounds(school_year, PERIOD_TERM[period])[1]


def due_periods(school_year: int, today: dt.date | None = None) -> list[str]:
    """The periods whose reports are due by `today`."""
    today = today or timezone.localdate()
    return [p for p in Report.Period.values if due_on(school_year, p) <= today]


def _count(qs: QuerySet) -> Subquery:
    return Coalesce(
        Subquery(qs.order_by().values("pair_id").annotate(n=Count("pk")).values("n")[:1]),
        Value(0),
        output_field=IntegerField(),
    )


def _submitted(period: str):
    return _count(
        Report.objects.filter(pair_id=OuterRef("pk"), period=period, status=Report.Status.SUBMITTED)
    )


def with_figures(qs: QuerySet[Pair]) -> QuerySet[Pair]:
    """Each pair with its sessions' count and last date and the reports sent per period."""
    sessions = Session.objects.filter(pair_id=OuterRef("pk"))
    return qs.annotate(
        sessions_count=_count(sessions),
        last_session=Subquery(sessions.order_by("-held_on").values("held_on")[:1]),
        half_in=_submitted(Report.Period.HALF),
        year_in=_submitted(Report.Period.YEAR),
    )


def reports_missing(pair: Pair, today: dt.date | None = None) -> int:
    """How many of the reports due by today (two a period, one each side) are not sent."""
    sent = {Report.Period.HALF: pair.half_in, Report.Period.YEAR: pair.year_in}
    return sum(max(0, 2 - sent[p]) for p in due_periods(pair.school_year, today))


def visible_pairs(user) -> QuerySet[Pair]:
    return Pair.objects.filter(permissions.visible_q(user))


def pair_list(
    user, *, school_year: int | None = None, kind: str = "", status: str = ""
) -> QuerySet[Pair]:
    qs = visible_pairs(user).select_related(
        "mentor", "mentee", "community", "community__organisation", "plan"
    )
    if school_year:
        qs = qs.filter(school_year=school_year)
    if kind in Pair.Kind.values:
        qs = qs.filter(kind=kind)
    if status in Pair.Status.values:
        qs = qs.filter(status=status)
    return with_figures(qs).order_by("-school_year", "community__name", "pk")


def pair_detail(pk: int) -> Pair:
    return Pair.objects.select_related(
        "community__kind",
        "community__territory",
        "community__organisation",
        "mentor",
        "mentee",
        "plan__submitted_by",
        "plan__approved_by",
    ).get(pk=pk)


def sessions_of(pair: Pair) -> QuerySet[Session]:
    return pair.sessions.select_related("logged_by").order_by("-held_on", "-pk")


def reports_of(pair: Pair) -> dict[tuple[str, str], Report]:
    return {(r.period, r.side): r for r in pair.reports.select_related("author", "seen_by")}


def pairs_of_community(community: Community) -> QuerySet[Pair]:
    return with_figures(
        Pair.objects.filter(community=community).select_related("mentor", "mentee")
    ).order_by("-school_year", "pk")


def pairs_of_person(person, since: dt.date) -> QuerySet[Pair]:
    """The pairs the person was a mentor or a mentee in, not ended before `since` (the
    teacher's portfolio)."""
    return (
        Pair.objects.filter(Q(mentor=person) | Q(mentee=person))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=since))
        .select_related("mentor", "mentee")
        .order_by("school_year", "started_on", "pk")
    )


def plans_to_approve_for(user, limit: int) -> list[MentoringPlan]:
    return list(
        MentoringPlan.objects.filter(permissions.plan_approvers_q(user))
        .select_related("pair__mentor", "pair__mentee", "pair__community")
        .order_by("submitted_at", "pk")[:limit]
    )


@dataclass
class OwedReport:
    pair: Pair
    side: str
    period: str
    due: dt.date


def reports_owed_by(user, limit: int, today: dt.date | None = None) -> list[OwedReport]:
    """Reports the user owes as a side of an active pair: due within REMIND_DAYS or overdue,
    not sent yet (one query)."""
    if not (user and user.is_authenticated):
        return []
    today = today or timezone.localdate()
    pairs = list(
        Pair.objects.filter(Q(mentor_id=user.pk) | Q(mentee_id=user.pk), status=Pair.Status.ACTIVE)
        .select_related("community")
        .prefetch_related("reports")
        .order_by("pk")[:limit]
    )
    owed = []
    for pair in pairs:
        side = pair.side_of(user)
        sent = {r.period for r in pair.reports.all() if r.side == side and r.is_submitted}
        for period in Report.Period.values:
            due = due_on(pair.school_year, period)
            if period not in sent and due - dt.timedelta(days=REMIND_DAYS) <= today:
                owed.append(OwedReport(pair, side, period, due))
    return owed[:limit]


# -- the year-end analysis ----------------------------------------------------------------------

FORMS = list(Session.Form.values)


@dataclass
class PairRow:
    pair: Pair
    by_form: dict[str, int]
    sessions: int
    remote: int
    last_session: dt.date | None
    goals: list[str]
    planned: int
    plan_status: str
    reports: dict[tuple[str, str], Report]
    missing: list[str]


@dataclass
class AnalysisData:
    school_year: int
    title_place: str
    rows: list[PairRow] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    sessions: int = 0
    remote: int = 0
    reports_sent: int = 0
    reports_due: int = 0
    plans_approved: int = 0
    quiet_pairs: list[PairRow] = field(default_factory=list)
    survey: dict | None = None

    @property
    def pairs(self) -> int:
        return len(self.rows)


def territory_pairs(territory: Territory, school_year: int) -> QuerySet[Pair]:
    return Pair.objects.filter(
        kind=Pair.Kind.LEADERS,
        school_year=school_year,
        community__territory__path__startswith=territory.path,
    )


def community_pairs(community: Community, school_year: int) -> QuerySet[Pair]:
    return Pair.objects.filter(community=community, school_year=school_year)


def analysis_data(
    pairs: QuerySet[Pair], school_year: int, place: str, today: dt.date | None = None
) -> AnalysisData:
    """The figures of the analysis, read from the records in a fixed number of queries."""
    today = today or timezone.localdate()
    counts = {
        f"n_{form}": Count("sessions", filter=Q(sessions__form=form), distinct=True)
        for form in FORMS
    }
    rows = list(
        pairs.select_related("mentor", "mentee", "community", "plan")
        .annotate(
            **counts,
            n_remote=Count("sessions", filter=Q(sessions__remote=True), distinct=True),
            last_held=Max("sessions__held_on"),
        )
        .order_by("community__name", "pk")
    )
    ids = [p.pk for p in rows]
    goals: dict[int, list[str]] = {}
    for pair_id, text in (
        PlanGoal.objects.filter(plan__pair_id__in=ids)
        .order_by("plan__pair_id", "order", "pk")
        .values_list("plan__pair_id", "text")
    ):
        goals.setdefault(pair_id, []).append(text)
    planned = dict(
        MentoringPlan.objects.filter(pair_id__in=ids)
        .annotate(n=Count("meetings"))
        .values_list("pair_id", "n")
    )
    reports: dict[int, dict] = {}
    for report in Report.objects.filter(pair_id__in=ids):
        reports.setdefault(report.pair_id, {})[(report.period, report.side)] = report
    data = AnalysisData(school_year=school_year, title_place=place)
    data.totals = dict.fromkeys(FORMS, 0)
    for pair in rows:
        by_form = {form: getattr(pair, f"n_{form}") for form in FORMS}
        mine = reports.get(pair.pk, {})
        missing = [
            f"{Report.Period(period).label}: {Report.Side(side).label}"
            for period in due_periods(school_year, today)
            for side in Report.Side.values
            if not (mine.get((period, side)) and mine[(period, side)].is_submitted)
        ]
        plan = getattr(pair, "plan", None)
        row = PairRow(
            pair=pair,
            by_form=by_form,
            sessions=sum(by_form.values()),
            remote=pair.n_remote,
            last_session=pair.last_held,
            goals=goals.get(pair.pk, []),
            planned=planned.get(pair.pk, 0),
            plan_status=plan.status if plan else "",
            reports=mine,
            missing=[str(m) for m in missing],
        )
        data.rows.append(row)
        for form, n in by_form.items():
            data.totals[form] += n
        data.sessions += row.sessions
        data.remote += row.remote
        due = len(due_periods(school_year, today)) * 2
        data.reports_due += due
        data.reports_sent += due - len(missing)
        data.plans_approved += row.plan_status == MentoringPlan.Status.APPROVED
        if row.sessions < 3:
            data.quiet_pairs.append(row)
    return data


def analysis_of(*, school_year: int, territory=None, community=None) -> Analysis | None:
    if community is not None:
        return Analysis.objects.filter(community=community, school_year=school_year).first()
    return Analysis.objects.filter(
        territory=territory, community__isnull=True, school_year=school_year
    ).first()
