"""Reads for plans: a plan with everything its page shows, progress, and what changed."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from core.schoolyear import YEAR_STARTS_MONTH

from .models import AgendaItem, ApprovalStep, Plan, PlannedMeeting, Target
from .services import ITEM_FIELDS, PLAN_FIELDS, TARGET_FIELDS


def plans_of(community) -> QuerySet[Plan]:
    return community.plans.order_by("-school_year", "-revision")


def plan_sources(community) -> QuerySet[Plan]:
    """What a new plan may start from: this community's own plans (last year's), or as a
    template any approved plan of a community of the same kind in the same region."""
    region_path = "/" + community.territory.path.strip("/").split("/")[0] + "/"
    return (
        Plan.objects.filter(
            Q(community=community)
            | Q(
                status=Plan.Status.APPROVED,
                community__kind=community.kind_id,
                community__territory__path__startswith=region_path,
            )
        )
        .select_related("community")
        .order_by("-school_year", "community__name", "-revision")
    )


def team_plans(plan: Plan) -> list[Plan]:
    """The latest plan of the same school year of each active team working inside the plan's
    community (a PLC's lesson-study teams and micro-groups, 002 #6): the PLC's plan includes
    theirs. One query for all the teams, after asking whether it has any."""
    if not plan.community.teams.filter(status="active").exists():
        return []
    latest = (
        Plan.objects.filter(community_id=OuterRef("community_id"), school_year=plan.school_year)
        .order_by("-revision")
        .values("pk")[:1]
    )
    return list(
        Plan.objects.filter(
            community__parent_id=plan.community_id,
            community__status="active",
            school_year=plan.school_year,
            pk=Subquery(latest),
        )
        .select_related("community__kind", "community__territory")
        .order_by("community__name", "community_id")
    )


def plan_detail(pk: int) -> Plan:
    return (
        Plan.objects.select_related(
            "community__kind", "community__territory", "community__organisation",
            "research_plan", "created_by", "next_revision",
        )
        .prefetch_related(
            Prefetch("targets", queryset=Target.objects.select_related("actual_by")),
            Prefetch(
                "meetings",
                queryset=PlannedMeeting.objects.prefetch_related("items__attachments"),
            ),
            "steps__actor",
        )
        .get(pk=pk)
    )  # fmt: skip


@dataclass
class HeldMeeting:
    """A meeting scheduled from a planned meeting, as the plan's page shows it. The meetings app
    (above this one) fills these in through signals.plan_page."""

    starts_at: dt.datetime
    status: str  # meetings' Meeting.Status value: "scheduled" or "held"
    url: str
    minutes_number: int | None = None
    minutes_signed: bool = False

    @property
    def is_held(self) -> bool:
        """Held, with its minutes signed: what the plan counts as done."""
        return self.status == "held" and self.minutes_signed


class MeetingState:
    HELD = "held"  # a meeting from it was held and its minutes are signed
    MINUTES = "minutes"  # held, its minutes not yet signed
    SCHEDULED = "scheduled"  # scheduled, not yet held
    MISSED = "missed"  # its month has passed with no meeting held
    PLANNED = "planned"  # its month is still to come


@dataclass
class MeetingRow:
    planned: PlannedMeeting
    state: str
    meetings: list[HeldMeeting] = dataclasses.field(default_factory=list)


def month_end(plan: Plan, month: int) -> dt.date:
    """The last day of a month of the plan's school year (August opens it, July closes it)."""
    year = plan.school_year if month >= YEAR_STARTS_MONTH else plan.school_year + 1
    first_of_next = dt.date(year + (month == 12), month % 12 + 1, 1)
    return first_of_next - dt.timedelta(days=1)


def meeting_rows(plan: Plan, held: dict[int, list[HeldMeeting]], today: dt.date) -> list:
    """Each planned meeting with what became of it: held, scheduled, missed or still planned."""
    rows = []
    for planned in plan.meetings.all():
        meetings = held.get(planned.pk, [])
        if any(m.is_held for m in meetings):
            state = MeetingState.HELD
        elif any(m.status == "held" for m in meetings):
            state = MeetingState.MINUTES
        elif month_end(plan, planned.month) < today:
            state = MeetingState.MISSED
        elif meetings:
            state = MeetingState.SCHEDULED
        else:
            state = MeetingState.PLANNED
        rows.append(MeetingRow(planned, state, meetings))
    return rows


@dataclass
class Progress:
    done: int
    total: int
    meetings_held: int = 0
    meetings_missed: int = 0
    meetings_total: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def progress(plan: Plan, rows: list[MeetingRow] | None = None) -> Progress:
    """How much of the meeting plan is done, from the prefetched items, and, given the meeting
    rows, how many planned meetings were held and how many missed."""
    items = [i for m in plan.meetings.all() for i in m.items.all()]
    rows = rows or []
    return Progress(
        done=sum(1 for i in items if i.done),
        total=len(items),
        meetings_held=sum(1 for r in rows if r.state == MeetingState.HELD),
        meetings_missed=sum(1 for r in rows if r.state == MeetingState.MISSED),
        meetings_total=len(rows),
    )


@dataclass
class Change:
    what: str
    before: str
    after: str


def _target_key(t: Target) -> str:
    return t.indicator.strip().lower()


def _item_line(m: PlannedMeeting, i: AgendaItem) -> str:
    return " · ".join(str(getattr(i, f)) for f in ITEM_FIELDS if getattr(i, f))


def changes(before: Plan, after: Plan) -> list[Change]:
    """What a revision changed against the one it replaces, in plain words."""
    out: list[Change] = []
    for field in PLAN_FIELDS:
        a, b = getattr(before, field), getattr(after, field)
        if a != b:
            label = str(Plan._meta.get_field(field).verbose_name)
            out.append(Change(label, str(a or "—"), str(b or "—")))
    old_targets = {_target_key(t): t for t in before.targets.all()}
    new_targets = {_target_key(t): t for t in after.targets.all()}
    for key, target in new_targets.items():
        if key not in old_targets:
            out.append(Change(_("Expected result added"), "—", target.indicator))
            continue
        old = old_targets[key]
        for field in TARGET_FIELDS:
            if getattr(old, field) != getattr(target, field):
                label = str(Target._meta.get_field(field).verbose_name)
                out.append(
                    Change(
                        f"{target.indicator}: {label}",
                        str(getattr(old, field) or "—"),
                        str(getattr(target, field) or "—"),
                    )
                )
    for key, target in old_targets.items():
        if key not in new_targets:
            out.append(Change(_("Expected result removed"), target.indicator, "—"))

    def agenda(plan: Plan) -> dict[str, set[str]]:
        return {
            f"{m.month:02d}. {m.title}": {_item_line(m, i) for i in m.items.all()}
            for m in plan.meetings.all()
        }

    old_agenda, new_agenda = agenda(before), agenda(after)
    for title in sorted(set(old_agenda) | set(new_agenda)):
        if title not in old_agenda:
            out.append(Change(_("Meeting added"), "—", title))
        elif title not in new_agenda:
            out.append(Change(_("Meeting removed"), title, "—"))
        else:
            for line in sorted(new_agenda[title] - old_agenda[title]):
                out.append(Change(_("Agenda item added to «%(m)s»") % {"m": title}, "—", line))
            for line in sorted(old_agenda[title] - new_agenda[title]):
                out.append(Change(_("Agenda item removed from «%(m)s»") % {"m": title}, line, "—"))
    return out


def _agreements(plan_ref):
    return (
        ApprovalStep.objects.filter(plan=plan_ref, action=ApprovalStep.Action.AGREED)
        .order_by("-at", "-id")
        .values_list("actor_id", flat=True)
    )


def agreed_by(plan: Plan) -> int | None:
    """Who agreed the plan most recently (after a send-back it is agreed again); read from the
    `last_agreed_by` annotation when a list selected it (see plans_waiting_for)."""
    if hasattr(plan, "last_agreed_by"):
        return plan.last_agreed_by
    return _agreements(plan).first()


def plans_waiting_for(user, limit: int = 20) -> list[Plan]:
    """Plans waiting for this person to agree or approve them, as the plan's policy answers;
    a fixed number of queries however many plans there are."""
    from . import permissions

    candidates = (
        Plan.objects.filter(permissions.waiting_q(user))
        .select_related("community__kind", "community__territory")
        .annotate(last_agreed_by=Subquery(_agreements(OuterRef("pk"))[:1]))
        .order_by("updated_at", "id")[: limit * 3]
    )
    return [plan for plan in candidates if permissions.waits_for(user, plan)][:limit]


@dataclass
class TargetRow:
    """A target with its actual value: computed from the records its source names, or typed."""

    target: Target
    actual: object  # Decimal | None
    computed: bool
    source_label: str = ""
    formula: str = ""
    detail: str = ""
    url: str = ""
    subjects: str = ""  # the subjects a pupils' results figure counts, when narrowed
    # achieved | not_yet | missed | "" (no figure yet)
    status: str = ""


def _status(target: Target, actual, year_over: bool) -> str:
    if actual is None:
        return "missed" if year_over else ""
    reached = actual >= target.target if target.higher_is_better else actual <= target.target
    if reached:
        return "achieved"
    return "missed" if year_over else "not_yet"


def target_rows(plan: Plan, today: dt.date | None = None) -> list[TargetRow]:
    """The plan's targets with their actual values and whether each is reached. A computed
    figure costs its source's few queries; a plan has a handful of targets."""
    return [target_row(target, plan, today) for target in plan.targets.all()]


def target_row(target: Target, plan: Plan, today: dt.date | None = None) -> TargetRow:
    """One target of the plan with its actual value: computed by its source, else as typed."""
    from . import indicators

    today = today or dt.date.today()
    year_over = today > indicators.year_bounds(plan.school_year)[1]
    source = indicators.get(target.source) if target.source else None
    if source is None:
        return TargetRow(
            target, target.actual, False, status=_status(target, target.actual, year_over)
        )
    options = target.source_options or {}
    measure = source.compute(plan, **{k: options[k] for k in source.options if k in options})
    actual = measure.value if measure else None
    return TargetRow(
        target,
        actual,
        True,
        source_label=str(source.label),
        formula=str(source.formula),
        detail=measure.detail if measure else _("no records to count yet"),
        url=measure.url if measure else "",
        subjects=", ".join(map(str, options.get("subjects") or []))
        if "subjects" in source.options
        else "",
        status=_status(target, actual, year_over),
    )
