"""The report's built-in sections, each read from its app's records in a fixed number of queries.

Plan execution (planning), targets (planning), meetings against the kind's cadence (meetings,
communities), decisions (meetings), events and their photos (events), lesson-study cycles
(lesson_study), mentoring (mentoring, carrying the curators' or the PLC's mentoring analysis).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from core.text import plain_number
from events.models import Event, Material
from lesson_study.models import Cycle
from meetings import cadence
from meetings.models import Decision, Meeting
from mentoring import selectors as mentoring_selectors
from mentoring.models import Analysis, Pair
from planning import selectors as plan_selectors
from planning.models import AgendaItem, Plan, Target

from .sections import ALL_OWNERS, Scope, Section, register

CHART_LIMIT = 25  # bars in one chart; a centre's long list stays in the table
ROW_LIMIT = 200  # rows of a table; the rest is summed up


def _d(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return f"{value:%d.%m.%Y}"


def _n(value) -> str:
    """A figure as the report's tables write it: 70 rather than 70.0, a dash for none."""
    if value is None:
        return "—"
    if isinstance(value, float):
        value = Decimal(repr(value))
    return str(plain_number(value))


def _pct(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def _year_q(field: str, scope: Scope) -> Q:
    return Q(**{f"{field}__date__gte": scope.starts, f"{field}__date__lte": scope.ends})


def _plans(scope: Scope) -> list[Plan]:
    """The year's current plan of each community (its latest revision not replaced)."""
    chosen: dict[int, Plan] = {}
    for plan in (
        Plan.objects.filter(community__in=scope.communities, school_year=scope.school_year)
        .exclude(status=Plan.Status.SUPERSEDED)
        .select_related("community")
        .order_by("community__name", "community_id", "-revision")
    ):
        chosen.setdefault(plan.community_id, plan)
    return list(chosen.values())


# -- plan execution -----------------------------------------------------------------------------


def plan_execution(scope: Scope) -> dict:
    plans = _plans(scope)
    if not plans:
        return {"blocks": [{"type": "text", "text": _("No plan of work for this year.")}]}
    items = list(
        AgendaItem.objects.filter(meeting__plan__in=[p.pk for p in plans])
        .select_related("meeting")
        .order_by("meeting__plan_id", "meeting__order", "meeting_id", "order", "id")
    )
    done = sum(i.done for i in items)
    blocks: list[dict] = [
        {
            "type": "facts",
            "rows": [
                [_("Items in the plan"), str(len(items))],
                [_("Done"), str(done)],
                [_("Not done"), str(len(items) - done)],
                [_("Done, %"), _n(_pct(done, len(items)))],
            ],
        }
    ]
    notes = {
        "summary": [
            _("%(done)s of the %(total)s items of the plan were done.")
            % {"done": done, "total": len(items)}
        ],
        "problems": [_("Items of the plan not done: %(n)s.") % {"n": len(items) - done}]
        if done < len(items)
        else [],
    }
    if scope.single:
        rows = [[_("Meeting"), _("Item"), _("Responsible"), _("Done")]]
        for item in items[:ROW_LIMIT]:
            rows.append(
                [
                    f"{item.meeting.get_month_display()}: {item.meeting.title}",
                    item.action,
                    item.leaders,
                    _("yes") if item.done else _("no"),
                ]
            )
        blocks.append({"type": "table", "title": _("Plan items"), "rows": rows})
        return {"blocks": blocks, **notes}
    per_plan: dict[int, list[int]] = {}
    for item in items:
        counts = per_plan.setdefault(item.meeting.plan_id, [0, 0])
        counts[0] += item.done
        counts[1] += 1
    rows = [[_("Community"), _("Items"), _("Done"), _("Done, %")]]
    labels, values = [], []
    for plan in plans:
        got, total = per_plan.get(plan.pk, [0, 0])
        rows.append([plan.community.name, str(total), str(got), _n(_pct(got, total))])
        labels.append(plan.community.name)
        values.append(_pct(got, total))
    blocks.append({"type": "table", "title": _("Plan items by community"), "rows": rows})
    blocks.append(
        {
            "type": "chart",
            "title": _("Plan items done, %"),
            "labels": labels[:CHART_LIMIT],
            "series": [{"name": _("Done, %"), "values": values[:CHART_LIMIT]}],
            "unit": "%",
        }
    )
    return {"blocks": blocks, **notes}


# -- targets ------------------------------------------------------------------------------------


def target_state(status: str) -> str:
    """The words of planning's judgement of a target (planning.selectors.target_row)."""
    return {
        "achieved": pgettext("target", "achieved"),
        "not_yet": pgettext("target", "not yet"),
        "missed": pgettext("target", "missed"),
    }.get(status, _("not entered"))


def targets(scope: Scope) -> dict:
    plans = _plans(scope)
    rows_qs = list(
        Target.objects.filter(plan__in=[p.pk for p in plans])
        .select_related("plan__community")
        .order_by("plan__community__name", "plan_id", "order", "id")
    )
    if not rows_qs:
        return {"blocks": [{"type": "text", "text": _("The plan sets no targets.")}]}
    head = [_("Indicator"), _("Unit"), _("Baseline"), _("Target"), _("Actual"), _("Result")]
    rows = [head if scope.single else [_("Community"), *head]]
    achieved = 0
    labels, planned, actual = [], [], []
    today = timezone.localdate()
    # A computed target's value is computed by its source (a few queries each): only those shown.
    for t in rows_qs[:ROW_LIMIT]:
        value = plan_selectors.target_row(t, t.plan, today)
        achieved += value.status == "achieved"
        state = target_state(value.status)
        if value.computed:
            state = f"{state} ({value.detail})"
        cells = [t.indicator, t.unit, _n(t.baseline), _n(t.target), _n(value.actual), state]
        rows.append(cells if scope.single else [t.plan.community.name, *cells])
        if t.unit.strip() == "%" and len(labels) < CHART_LIMIT:
            labels.append(t.indicator[:40])
            planned.append(float(t.target))
            actual.append(float(value.actual or 0))
    blocks = [
        {
            "type": "facts",
            "rows": [[_("Targets"), str(len(rows_qs))], [_("Achieved"), str(achieved)]],
        },
        {"type": "table", "title": _("Targets and their actual values"), "rows": rows},
    ]
    if labels:
        blocks.append(
            {
                "type": "chart",
                "title": _("Targets in per cent: planned and actual"),
                "labels": labels,
                "series": [
                    {"name": _("Target"), "values": planned},
                    {"name": _("Actual"), "values": actual},
                ],
                "unit": "%",
            }
        )
    missed = len(rows_qs) - achieved
    return {
        "blocks": blocks,
        "summary": [
            _("%(n)s of the %(total)s targets were achieved.")
            % {"n": achieved, "total": len(rows_qs)}
        ],
        "problems": [_("Targets not achieved: %(n)s.") % {"n": missed}] if missed else [],
    }


# -- meetings against the cadence ---------------------------------------------------------------


def _expected(kind, school_year: int) -> int:
    return max(kind.min_meetings_per_year, len(cadence.periods(kind.meeting_cadence, school_year)))


def meetings(scope: Scope) -> dict:
    communities = list(scope.communities.select_related("kind").order_by("name", "pk"))
    held = list(
        Meeting.objects.filter(
            community__in=[c.pk for c in communities], status=Meeting.Status.HELD
        )
        .filter(_year_q("starts_at", scope))
        .select_related("minutes")
        .order_by("starts_at", "pk")
    )
    by_community: dict[int, list[Meeting]] = {}
    for meeting in held:
        by_community.setdefault(meeting.community_id, []).append(meeting)
    rows = [[_("Community"), _("Held"), _("Required by the rule"), _("Periods without a meeting")]]
    labels, got, wanted = [], [], []
    behind = 0
    for community in communities:
        mine = by_community.get(community.pk, [])
        days = [timezone.localtime(m.starts_at).date() for m in mine]
        gaps = [
            f"{_d(first)}–{_d(last)}"
            for first, last in cadence.periods(community.kind.meeting_cadence, scope.school_year)
            if last <= timezone.localdate() and not any(first <= d <= last for d in days)
        ]
        expected = _expected(community.kind, scope.school_year)
        behind += bool(gaps) or len(mine) < community.kind.min_meetings_per_year
        if len(rows) <= ROW_LIMIT:
            rows.append([community.name, str(len(mine)), str(expected or "—"), ", ".join(gaps)])
        if len(labels) < CHART_LIMIT:
            labels.append(community.name)
            got.append(len(mine))
            wanted.append(expected)
    blocks: list[dict] = [
        {
            "type": "facts",
            "rows": [
                [_("Meetings held"), str(len(held))],
                [_("Communities behind their cadence"), str(behind)],
            ],
        }
    ]
    notes = {
        "summary": [_("Meetings held: %(n)s.") % {"n": len(held)}],
        "problems": [_("Communities behind their meeting cadence: %(n)s.") % {"n": behind}]
        if behind
        else [],
    }
    if scope.single:
        list_rows = [[_("Date"), _("Meeting"), _("Minutes")]]
        for meeting in held[:ROW_LIMIT]:
            minutes = getattr(meeting, "minutes", None)
            list_rows.append(
                [_d(meeting.starts_at), meeting.title, f"№ {minutes.number}" if minutes else "—"]
            )
        blocks.append({"type": "table", "title": _("Meetings held"), "rows": list_rows})
        if rows[1:] and rows[1][3]:
            blocks.append({"type": "text", "text": _("Periods without a meeting: %s") % rows[1][3]})
        return {"blocks": blocks, **notes}
    blocks.append({"type": "table", "title": _("Meetings by community"), "rows": rows})
    blocks.append(
        {
            "type": "chart",
            "title": _("Meetings held and required"),
            "labels": labels,
            "series": [
                {"name": _("Held"), "values": got},
                {"name": _("Required by the rule"), "values": wanted},
            ],
        }
    )
    return {"blocks": blocks, **notes}


# -- decisions ----------------------------------------------------------------------------------


def decisions(scope: Scope) -> dict:
    today = timezone.localdate()
    rows_qs = list(
        Decision.objects.filter(community__in=scope.communities)
        .filter(_year_q("meeting__starts_at", scope))
        .select_related("assignee", "community", "meeting")
        .order_by("due_on", "pk")
    )
    done = [d for d in rows_qs if d.status == Decision.Status.DONE]
    overdue = [
        d for d in rows_qs if d.status != Decision.Status.DONE and d.due_on and d.due_on < today
    ]
    blocks: list[dict] = [
        {
            "type": "facts",
            "rows": [
                [_("Decisions taken"), str(len(rows_qs))],
                [_("Done"), str(len(done))],
                [_("Overdue"), str(len(overdue))],
                [_("Still open"), str(len(rows_qs) - len(done) - len(overdue))],
            ],
        }
    ]
    if overdue:
        rows = [[_("Decision"), _("Community"), _("Assignee"), _("Due")]]
        for d in overdue[:ROW_LIMIT]:
            rows.append(
                [d.text[:300], d.community.name, d.assignee.full_name if d.assignee else "—",
                 _d(d.due_on)]
            )  # fmt: skip
        blocks.append({"type": "table", "title": _("Overdue decisions"), "rows": rows})
    return {
        "blocks": blocks,
        "summary": [
            _("%(done)s of the %(n)s decisions were carried out.")
            % {"done": len(done), "n": len(rows_qs)}
        ]
        if rows_qs
        else [],
        "problems": [_("Overdue decisions: %(n)s.") % {"n": len(overdue)}] if overdue else [],
    }


# -- events and photos --------------------------------------------------------------------------


def _events_q(scope: Scope) -> Q:
    q = Q(organiser_community__in=scope.communities)
    if scope.organisation_ids:
        q |= Q(organiser_organisation_id__in=scope.organisation_ids)
    if scope.network_ids:
        q |= Q(organiser_network_id__in=scope.network_ids)
    if scope.territory_path:
        q |= Q(organiser_territory__path__startswith=scope.territory_path)
    return q


def _held_events(scope: Scope):
    return Event.objects.filter(_events_q(scope), status=Event.Status.HELD).filter(
        _year_q("starts_at", scope)
    )


def events(scope: Scope) -> dict:
    rows_qs = list(
        _held_events(scope)
        .select_related("kind")
        .annotate(
            n_present=Count("registrations", filter=Q(registrations__attended=True), distinct=True)
        )
        .order_by("starts_at", "pk")
    )
    if not rows_qs:
        return {"blocks": [{"type": "text", "text": _("No events were held.")}]}
    present = sum(e.n_present for e in rows_qs)
    rows = [[_("Date"), _("Event"), _("Kind"), _("Attended")]]
    for event in rows_qs[:ROW_LIMIT]:
        rows.append([_d(event.starts_at), event.title, str(event.kind), str(event.n_present)])
    by_kind: dict[str, int] = {}
    for event in rows_qs:
        by_kind[str(event.kind)] = by_kind.get(str(event.kind), 0) + 1
    return {
        "summary": [
            _("%(n)s events were held, attended %(present)s times.")
            % {"n": len(rows_qs), "present": present}
        ],
        "blocks": [
            {
                "type": "facts",
                "rows": [[_("Events held"), str(len(rows_qs))], [_("Attended"), str(present)]],
            },
            {"type": "table", "title": _("Events held"), "rows": rows},
            {
                "type": "chart",
                "title": _("Events by kind"),
                "labels": list(by_kind)[:CHART_LIMIT],
                "series": [{"name": _("Events"), "values": list(by_kind.values())[:CHART_LIMIT]}],
            },
        ],
    }


PHOTO_LIMIT = 12


def photos(scope: Scope) -> dict:
    items = list(
        Material.objects.filter(event__in=_held_events(scope), is_photo=True)
        .exclude(file="")
        .select_related("event")
        .order_by("-event__starts_at", "pk")[:PHOTO_LIMIT]
    )
    if not items:
        return {"blocks": [{"type": "text", "text": _("No photos from events.")}]}
    return {
        "blocks": [
            {
                "type": "photos",
                "items": [
                    {"title": f"{m.event.title}: {m.title}", "material": m.pk} for m in items
                ],
            }
        ]
    }


# -- lesson study -------------------------------------------------------------------------------


def lesson_study(scope: Scope) -> dict:
    cycles = list(
        Cycle.objects.filter(community__in=scope.communities)
        .filter(
            Q(starts_on__gte=scope.starts, starts_on__lte=scope.ends)
            | Q(starts_on__isnull=True) & _year_q("created_at", scope)
        )
        .select_related("community")
        .order_by("community__name", "pk")
    )
    if not cycles:
        return {"blocks": [{"type": "text", "text": _("No lesson-study cycles this year.")}]}
    finished = sum(c.stage == Cycle.Stage.REPORT for c in cycles)
    rows = [[_("Community"), _("Research question"), _("Subject, class"), _("Stage")]]
    for c in cycles[:ROW_LIMIT]:
        rows.append(
            [c.community.name, c.research_question[:300],
             ", ".join(x for x in (c.subject, c.class_name) if x), c.get_stage_display()]
        )  # fmt: skip
    return {
        "summary": [_("Lesson-study cycles: %(n)s.") % {"n": len(cycles)}],
        "blocks": [
            {
                "type": "facts",
                "rows": [[_("Cycles"), str(len(cycles))], [_("Came to the report"), str(finished)]],
            },
            {"type": "table", "title": _("Lesson-study cycles"), "rows": rows},
        ],
    }


# -- mentoring ----------------------------------------------------------------------------------


def mentoring(scope: Scope) -> dict:
    pairs = Pair.objects.filter(community__in=scope.communities, school_year=scope.school_year)
    data = mentoring_selectors.analysis_data(pairs, scope.school_year, str(scope.owner))
    blocks: list[dict] = []
    if data.rows:
        blocks.append(
            {
                "type": "facts",
                "rows": [
                    [_("Pairs"), str(data.pairs)],
                    [_("Sessions logged"), str(data.sessions)],
                    [_("Reports sent / due"), f"{data.reports_sent} / {data.reports_due}"],
                    [_("Plans approved"), str(data.plans_approved)],
                ],
            }
        )
        rows = [[_("Mentor"), _("Mentee"), _("Sessions"), _("Last session"), _("Reports missing")]]
        for row in data.rows[:ROW_LIMIT]:
            rows.append(
                [row.pair.mentor.full_name, row.pair.mentee.full_name, str(row.sessions),
                 _d(row.last_session), "; ".join(row.missing) or "—"]
            )  # fmt: skip
        blocks.append({"type": "table", "title": _("Mentoring pairs"), "rows": rows})
    # The year-end analysis of the pairs (the curators' report, 003 app. 3 §5.3–5.4, or the PLC's
    # mentoring report) is carried into the report and linked.
    analysis = None
    if scope.owner_type == "community":
        analysis = Analysis.objects.filter(
            community=scope.owner, school_year=scope.school_year
        ).first()
        url = reverse("mentoring:community_analysis", args=[scope.owner.pk, scope.school_year])
    elif scope.owner_type == "centre":
        analysis = Analysis.objects.filter(
            territory=scope.owner, community__isnull=True, school_year=scope.school_year
        ).first()
        url = reverse("mentoring:analysis", args=[scope.owner.pk, scope.school_year])
    if analysis is not None:
        blocks.append({"type": "link", "title": _("The mentoring analysis"), "url": url})
        for label, text in (
            (_("Conclusions"), analysis.conclusions),
            (_("Problems"), analysis.problems),
            (_("Proposals"), analysis.proposals),
        ):
            if text.strip():
                blocks.append({"type": "text", "text": f"{label}: {text}"})
    if not blocks:
        blocks.append({"type": "text", "text": _("No mentoring pairs this year.")})
    summary = (
        [_("Mentoring pairs: %(n)s, sessions: %(s)s.") % {"n": data.pairs, "s": data.sessions}]
        if data.rows
        else []
    )
    return {"blocks": blocks, "summary": summary}


# -- pupils' results ------------------------------------------------------------------------------


def _results_scope(scope: Scope):
    from results import selectors as results_selectors

    owner = scope.owner
    if scope.owner_type == "community":
        return results_selectors.community_scope(owner), owner.territory.country_code
    if scope.owner_type == "school":
        return results_selectors.school_scope(owner), owner.territory.country_code
    if scope.owner_type == "network":
        return results_selectors.network_scope(owner), owner.territory.country_code
    return results_selectors.territory_scope(owner), owner.country_code


def pupils_results(scope: Scope) -> dict:
    """Knowledge quality and pass rate by subject for the year's last period with results (the
    year's own once in), with the change from the period before; computed by the results app."""
    from results import selectors as results_selectors
    from results.indicators import PASS_RATE, QUALITY

    results_scope, country = _results_scope(scope)
    table = results_selectors.indicator_table(results_scope, scope.school_year, country)
    if not table.periods:
        return {"blocks": [{"type": "text", "text": _("No pupils' results were imported.")}]}
    period = max(table.periods, key=lambda p: (p.kind == "year", p.position))
    head = [_("Subject"), str(QUALITY.name), _("change"), str(PASS_RATE.name), _("change")]
    rows = [head]
    labels, quality, passed = [], [], []
    for subject in table.subjects:
        cell = table.cell(subject, period)
        if cell is None:
            continue
        name = subject or _("All subjects")
        q, p = cell.values.get("quality"), cell.values.get("pass_rate")
        rows.append([name, _n(q), _change(cell, "quality"), _n(p), _change(cell, "pass_rate")])
        if subject and len(labels) < CHART_LIMIT:
            labels.append(name[:30])
            quality.append(float(q or 0))
            passed.append(float(p or 0))
    total = table.cell("", period)
    facts = [[_("Period"), period.name]]
    if total is not None:
        facts += [
            [str(QUALITY.name), _n(total.values.get("quality"))],
            [str(PASS_RATE.name), _n(total.values.get("pass_rate"))],
            [_("Pupils assessed"), str(total.assessed)],
        ]
    blocks = [
        {"type": "facts", "rows": facts},
        {"type": "text", "text": f"{QUALITY.name}: {QUALITY.formula}. {PASS_RATE.name}: "
                                 f"{PASS_RATE.formula}."},
        {"type": "table", "title": _("Results by subject"), "rows": rows},
    ]  # fmt: skip
    if labels:
        blocks.append(
            {
                "type": "chart",
                "title": _("Knowledge quality and pass rate by subject, %"),
                "labels": labels,
                "series": [
                    {"name": str(QUALITY.name), "values": quality},
                    {"name": str(PASS_RATE.name), "values": passed},
                ],
                "unit": "%",
            }
        )
    summary = []
    if total is not None and total.values.get("quality") is not None:
        summary.append(
            _("Knowledge quality %(q)s%%, pass rate %(p)s%% (%(period)s).")
            % {
                "q": _n(total.values["quality"]),
                "p": _n(total.values.get("pass_rate")),
                "period": period.name,
            }
        )
    return {"blocks": blocks, "summary": summary}


def _change(cell, code: str) -> str:
    """The change from the period before, signed; a dash when either figure is missing."""
    now, before = cell.values.get(code), cell.previous.get(code)
    if now is None or before is None:
        return "—"
    value = now - before
    return ("+" if value > 0 else "") + _n(value)


def register_all() -> None:
    for section in (
        Section("plan", gettext_lazy("Plan execution"), ALL_OWNERS, plan_execution, 10),
        Section("targets", gettext_lazy("Targets and results"), ALL_OWNERS, targets, 20),
        Section("meetings", gettext_lazy("Meetings held"), ALL_OWNERS, meetings, 30),
        Section("decisions", gettext_lazy("Decisions"), ALL_OWNERS, decisions, 40),
        Section("events", gettext_lazy("Events held and attended"), ALL_OWNERS, events, 50),
        Section("lesson_study", gettext_lazy("Lesson study"), ALL_OWNERS, lesson_study, 60),
        Section("mentoring", gettext_lazy("Mentoring"), ALL_OWNERS, mentoring, 70),
        Section("pupils_results", gettext_lazy("Pupils' results"), ALL_OWNERS, pupils_results, 25),
        Section("photos", gettext_lazy("Photos from events"), ALL_OWNERS, photos, 90),
    ):
        register(section)
