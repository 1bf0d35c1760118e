"""Writes for mentoring: forming pairs, plans, the session log, reports, the year-end analysis.

Each function is one transaction that asks the policy (`permissions`) about `actor`
(`actor=None` is a trusted caller) and tells the apps above on commit (`signals`).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities.models import Community, Membership
from core.actions import announce, require
from core.rows import match_rows
from core.schoolyear import school_year_of
from core.text import clean_text
from organisations.models import Territory

from . import permissions, signals
from .models import (
    Analysis,
    AnalysisVersion,
    MentoringPlan,
    Pair,
    PlanGoal,
    PlannedSession,
    Report,
    Session,
)

STALE = gettext_lazy(
    "Someone else saved this while you were editing it. Reload the page: your text is shown "
    "below so you can copy it into the newer version."
)
GOAL_FIELDS = ("text", "measure")
MEETING_FIELDS = ("planned_on", "form", "topic")
REPORT_FIELDS = ("done", "results", "difficulties", "plans")
ANALYSIS_FIELDS = ("conclusions", "problems", "proposals")
MAX_ROWS = 60


class AlreadyDone(Exception):  # noqa: N818 - not an error: the request was already done
    """The same request came twice (a double click, a retried call); `obj` is what it made."""

    def __init__(self, obj):
        super().__init__(obj.pk)
        self.obj = obj


def _plausible(day: dt.date | None, field: str) -> None:
    if day is None:
        raise ValidationError({field: _("Give the date.")})
    if not (2000 <= day.year <= 2100):
        raise ValidationError({field: _("This date is not plausible.")})


def _side_memberships(community: Community) -> tuple:
    roles = list(
        Membership.objects.filter(
            community=community, role__in=(Membership.Role.MENTOR, Membership.Role.MENTEE)
        ).select_related("person")
    )
    mentors = [m.person for m in roles if m.role == Membership.Role.MENTOR]
    mentees = [m.person for m in roles if m.role == Membership.Role.MENTEE]
    if len(mentors) != 1 or len(mentees) != 1:
        raise ValidationError(
            _("A leaders' pair needs exactly one mentor and one mentee among its members.")
        )
    return mentors[0], mentees[0]


def form_pair(
    *,
    community: Community,
    actor,
    mentor=None,
    mentee=None,
    school_year: int | None = None,
    started_on: dt.date | None = None,
    focus: str = "",
) -> Pair:
    """Form a pair: a leaders' pair takes its sides from the community's mentor and mentee;
    in a school PLC the appointed mentor and the young teacher must both be its members."""
    started_on = started_on or timezone.localdate()
    _plausible(started_on, "started_on")
    school_year = school_year or school_year_of(started_on)
    with transaction.atomic():
        community = (
            Community.objects.select_for_update().select_related("kind").get(pk=community.pk)
        )
        require(actor, lambda: permissions.can_appoint(actor, community))
        if not community.is_active:
            raise ValidationError(_("The community does not work any more."))
        if community.kind.requires_pair_roles:
            existing = Pair.objects.filter(community=community).first()
            if existing is not None:
                raise AlreadyDone(existing)
            mentor, mentee = _side_memberships(community)
            kind = Pair.Kind.LEADERS
        else:
            if community.organisation_id is None:
                raise ValidationError(_("Pairs are formed inside a school's community."))
            kind = Pair.Kind.SCHOOL
            errors = {}
            members = set(
                Membership.objects.filter(community=community).values_list("person_id", flat=True)
            )
            if mentor is None or mentor.pk not in members:
                errors["mentor"] = _("The mentor must be a member of the community.")
            if mentee is None or mentee.pk not in members:
                errors["mentee"] = _("The young teacher must be a member of the community.")
            elif mentor is not None and mentor.pk == mentee.pk:
                errors["mentee"] = _("The mentor and the mentee must be two different people.")
            if errors:
                raise ValidationError(errors)
            existing = Pair.objects.filter(
                community=community, mentee=mentee, school_year=school_year
            ).first()
            if existing is not None:
                if existing.mentor_id == mentor.pk:
                    raise AlreadyDone(existing)
                raise ValidationError(
                    {"mentee": _("This teacher already has a mentor this school year.")}
                )
        pair = Pair.objects.create(
            community=community,
            kind=kind,
            mentor=mentor,
            mentee=mentee,
            school_year=school_year,
            started_on=started_on,
            focus=clean_text(focus)[:500],
            appointed_by=actor,
        )
        MentoringPlan.objects.create(pair=pair)
        announce(signals.pair_formed, Pair, pair=pair, actor=actor)
    return pair


@transaction.atomic
def finish_pair(*, pair: Pair, actor, ended_on: dt.date | None = None) -> Pair:
    pair = Pair.objects.select_for_update().get(pk=pair.pk)
    require(actor, lambda: permissions.can_manage(actor, pair))
    if pair.is_active:
        pair.status = Pair.Status.FINISHED
        pair.ended_on = ended_on or timezone.localdate()
        pair.save(update_fields=["status", "ended_on"])
    return pair


def _lock_plan(plan: MentoringPlan, version: int | None) -> MentoringPlan:
    fresh = MentoringPlan.objects.select_for_update().select_related("pair").get(pk=plan.pk)
    if version is not None and fresh.version != version:
        raise ValidationError(STALE, code="stale")
    return fresh


def _save_rows(model, existing, rows: list[dict], fields: tuple[str, ...], **parent) -> None:
    if len(rows) > MAX_ROWS:
        raise ValidationError(_("A plan holds at most %(n)s such rows.") % {"n": MAX_ROWS})
    pairs, removed = match_rows(existing, rows, field="__all__")
    model.objects.filter(pk__in=[r.pk for r in removed]).delete()
    for order, (obj, row) in enumerate(pairs):
        values = {f: row[f] for f in fields}
        for f, v in values.items():
            if isinstance(v, str):
                values[f] = clean_text(v)
        if obj is None:
            model.objects.create(order=order, **values, **parent)
        else:
            for f, v in values.items():
                setattr(obj, f, v)
            obj.order = order
            obj.save()


def save_plan(
    *, plan: MentoringPlan, actor, version: int | None, goals: list[dict], meetings: list[dict]
) -> MentoringPlan:
    """Save the plan's goals and planned meetings (rows keep their ids). A change to a
    submitted or approved plan makes it a draft again, to be approved anew."""
    with transaction.atomic():
        plan = _lock_plan(plan, version)
        require(actor, lambda: permissions.can_edit_plan(actor, plan.pair))
        for n, row in enumerate(meetings, start=1):
            day = row.get("planned_on")
            if day is None or not (2000 <= day.year <= 2100):
                raise ValidationError(
                    _("Planned meeting %(n)s: this date is not plausible.") % {"n": n}
                )
        _save_rows(PlanGoal, plan.goals.all(), goals, GOAL_FIELDS, plan=plan)
        _save_rows(PlannedSession, plan.meetings.all(), meetings, MEETING_FIELDS, plan=plan)
        plan.version += 1
        plan.status = MentoringPlan.Status.DRAFT
        plan.approved_by = plan.approved_at = None
        plan.save()
    return plan


def submit_plan(*, plan: MentoringPlan, actor) -> MentoringPlan:
    with transaction.atomic():
        plan = _lock_plan(plan, None)
        require(actor, lambda: permissions.can_edit_plan(actor, plan.pair))
        if plan.status != MentoringPlan.Status.DRAFT:
            return plan  # sent already (a double click): nothing to do
        if not plan.goals.exists():
            raise ValidationError(_("Write at least one goal before sending the plan."))
        plan.status = MentoringPlan.Status.SUBMITTED
        plan.submitted_by, plan.submitted_at = actor, timezone.now()
        plan.save()
        announce(signals.plan_submitted, MentoringPlan, plan=plan, actor=actor)
    return plan


@transaction.atomic
def approve_plan(*, plan: MentoringPlan, actor) -> MentoringPlan:
    plan = _lock_plan(plan, None)
    if actor is None and plan.status == MentoringPlan.Status.DRAFT:
        plan.status = MentoringPlan.Status.SUBMITTED  # a trusted caller (the demo) skips a step
    if plan.status == MentoringPlan.Status.APPROVED:
        return plan
    require(actor, lambda: permissions.can_approve_plan(actor, plan))
    if plan.status != MentoringPlan.Status.SUBMITTED:
        raise ValidationError(_("Only a plan sent for approval can be approved."))
    plan.status = MentoringPlan.Status.APPROVED
    plan.approved_by, plan.approved_at = actor, timezone.now()
    plan.save()
    return plan


def log_session(
    *,
    pair: Pair,
    actor,
    held_on: dt.date,
    form: str,
    topic: str,
    notes: str = "",
    next_steps: str = "",
    remote: bool = False,
) -> Session:
    """Log a session; the same entry sent twice is logged once (AlreadyDone)."""
    _plausible(held_on, "held_on")
    if held_on > timezone.localdate() + dt.timedelta(days=1):
        raise ValidationError({"held_on": _("Log a session once it has taken place.")})
    if form not in Session.Form.values:
        raise ValidationError({"form": _("Choose the form of the session.")})
    topic = clean_text(topic).strip()[:300]
    if not topic:
        raise ValidationError({"topic": _("Give the topic of the session.")})
    with transaction.atomic():
        pair = Pair.objects.select_for_update().get(pk=pair.pk)
        require(actor, lambda: permissions.can_log(actor, pair))
        existing = Session.objects.filter(
            pair=pair, held_on=held_on, form=form, topic=topic
        ).first()
        if existing is not None:
            raise AlreadyDone(existing)
        try:
            with transaction.atomic():
                session = Session.objects.create(
                    pair=pair,
                    held_on=held_on,
                    form=form,
                    topic=topic,
                    notes=clean_text(notes),
                    next_steps=clean_text(next_steps),
                    remote=bool(remote),
                    logged_by=actor,
                )
        except IntegrityError as exc:
            raise AlreadyDone(
                Session.objects.get(pair=pair, held_on=held_on, form=form, topic=topic)
            ) from exc
        announce(signals.session_logged, Session, session=session, actor=actor)
    return session


def save_report(
    *,
    pair: Pair,
    actor,
    side: str,
    period: str,
    submit: bool = False,
    **texts: str,
) -> Report:
    """Write (and with `submit`, send) one side's report for a period. A sent report is final."""
    if side not in Report.Side.values:
        raise ValidationError({"side": _("Choose the side.")})
    if period not in Report.Period.values:
        raise ValidationError({"period": _("Choose the period.")})
    unknown = set(texts) - set(REPORT_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s") % {"names": ", ".join(unknown)})
    with transaction.atomic():
        pair = Pair.objects.select_for_update().get(pk=pair.pk)
        require(actor, lambda: permissions.can_write_report(actor, pair, side))
        report, _created = Report.objects.get_or_create(pair=pair, side=side, period=period)
        if report.is_submitted:
            raise ValidationError(_("This report has been sent already and cannot be changed."))
        for name in REPORT_FIELDS:
            if name in texts:
                setattr(report, name, clean_text(texts[name] or ""))
        report.author = actor if actor is not None else report.author
        if submit:
            if not report.done.strip():
                raise ValidationError({"done": _("Say what was done before sending the report.")})
            report.status = Report.Status.SUBMITTED
            report.submitted_at = timezone.now()
        report.save()
        if submit:
            announce(signals.report_submitted, Report, report=report, actor=actor)
    return report


@transaction.atomic
def mark_seen(*, report: Report, actor) -> Report:
    report = Report.objects.select_for_update().select_related("pair__community").get(pk=report.pk)
    if report.seen_at is not None:
        return report
    require(actor, lambda: permissions.can_mark_seen(actor, report))
    if not report.is_submitted:
        raise ValidationError(_("The report has not been sent yet."))
    report.seen_by, report.seen_at = actor, timezone.now()
    report.save(update_fields=["seen_by", "seen_at"])
    return report


def save_analysis(
    *,
    actor,
    school_year: int,
    version: int,
    territory: Territory | None = None,
    community: Community | None = None,
    **texts: str,
) -> Analysis:
    """Save the narrative of the year-end analysis as a new version (`version` is the one the
    author read: 0 for an analysis not saved yet)."""
    if (territory is None) == (community is None):
        raise ValueError("An analysis is of a territory or of a community")
    if territory is not None:
        require(actor, lambda: permissions.can_analyse_territory(actor, territory))
    else:
        require(actor, lambda: permissions.can_analyse_community(actor, community))
    with transaction.atomic():
        where = (
            {"territory": territory, "community": None}
            if territory is not None
            else {"community": community}
        )
        try:
            with transaction.atomic():
                analysis, _created = Analysis.objects.get_or_create(
                    school_year=school_year,
                    **where,
                    defaults={"territory": community.territory} if community else {},
                )
        except IntegrityError:
            analysis = Analysis.objects.get(school_year=school_year, **where)
        analysis = Analysis.objects.select_for_update().get(pk=analysis.pk)
        if analysis.version != version:
            raise ValidationError(STALE, code="stale")
        for name in ANALYSIS_FIELDS:
            setattr(analysis, name, clean_text(texts.get(name, "") or ""))
        analysis.version += 1
        analysis.updated_by = actor
        analysis.save()
        AnalysisVersion.objects.create(
            analysis=analysis,
            number=analysis.version,
            saved_by=actor,
            **{name: getattr(analysis, name) for name in ANALYSIS_FIELDS},
        )
    return analysis
