"""Writes for plans: drafting, the approval steps, revisions. Each function is one transaction."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities.models import Community
from core.actions import announce, require
from core.rows import match_rows

from . import permissions, signals, workflow
from .models import AgendaItem, ApprovalStep, Plan, PlannedMeeting, Target
from .workflow import Step, Transition

PLAN_FIELDS = ("priority_directions", "theme", "goals", "tasks", "research_plan")
TARGET_FIELDS = (
    "indicator",
    "unit",
    "baseline",
    "target",
    "actual",
    "responsible",
    "measurement",
    "source",
    "higher_is_better",
    "source_options",
)
ITEM_FIELDS = ("section", "action", "leaders", "evidence")

STALE = gettext_lazy(
    "Someone else saved this plan while you were editing it. Reload the page: your text is "
    "shown below so you can copy it into the newer version."
)


def _copy_contents(source: Plan, plan: Plan) -> None:
    Target.objects.bulk_create(
        Target(plan=plan, order=t.order, **{f: getattr(t, f) for f in TARGET_FIELDS})
        for t in source.targets.all()
    )
    for meeting in source.meetings.prefetch_related("items"):
        copy = PlannedMeeting.objects.create(
            plan=plan, order=meeting.order, month=meeting.month, title=meeting.title
        )
        AgendaItem.objects.bulk_create(
            AgendaItem(meeting=copy, order=i.order, **{f: getattr(i, f) for f in ITEM_FIELDS})
            for i in meeting.items.all()
        )


@transaction.atomic
def create_plan(
    *,
    community: Community,
    school_year: int,
    actor,
    copy_from: Plan | None = None,
    **fields,
) -> Plan:
    """Start a plan, empty or from an earlier one (last year's, or another community's)."""
    if not community.is_active:
        raise ValidationError(_("A closed community does not plan."))
    exists = ValidationError(
        {
            "school_year": _("This community already has a plan for %(year)s/%(next)s.")
            % {"year": school_year, "next": school_year + 1}
        },
        code="exists",
    )
    if Plan.objects.filter(community=community, school_year=school_year).exists():
        raise exists
    if copy_from is not None:
        fields = {f: getattr(copy_from, f) for f in PLAN_FIELDS} | fields
    plan = Plan(community=community, school_year=school_year, created_by=actor, **fields)
    plan.full_clean(exclude=["previous"], validate_constraints=False)
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError:
        # A double submit raced past the check above; the unique constraint kept one plan.
        raise exists from None
    if copy_from is not None:
        _copy_contents(copy_from, plan)
    return plan


def _lock(plan: Plan, version: int) -> Plan:
    """Take the plan for writing if nobody saved it since `version` was read."""
    fresh = Plan.objects.select_for_update().get(pk=plan.pk)
    if fresh.version != version:
        raise ValidationError(STALE, code="stale")
    if fresh.status != Plan.Status.DRAFT:
        raise ValidationError(
            _("This plan is %(status)s and frozen; start a new revision to change it.")
            % {"status": fresh.get_status_display().lower()}
        )
    return fresh


def _bump(plan: Plan) -> None:
    Plan.objects.filter(pk=plan.pk).update(version=F("version") + 1)
    plan.refresh_from_db(fields=["version", "updated_at"])


def _discard_items(items: Iterable[AgendaItem]) -> None:
    signals.agenda_items_removed.send(AgendaItem, items=items)


def _save_rows(
    model,
    existing,
    rows: Iterable[dict],
    *,
    parent: dict,
    fields,
    error_field: str,
    before_removing=None,
) -> None:
    """Update the rows that kept their id, create the new ones in the order sent, delete the
    rows left out (after `before_removing` saw them). `fields` are the only ones a row may set."""
    pairs, removed = match_rows(existing, rows, field=error_field)
    kept, new = [], []
    for n, (row_object, row) in enumerate(pairs):
        row_object = row_object or model(**parent)
        for field, value in row.items():
            if field not in fields:
                raise ValueError(f"{field} cannot be set here")
            setattr(row_object, field, value)
        row_object.order = n
        row_object.full_clean(exclude=list(parent))
        (kept if row_object.pk else new).append(row_object)
    if before_removing is not None:
        before_removing(removed)
    model.objects.filter(pk__in=[r.pk for r in removed]).delete()
    model.objects.bulk_update(kept, [*fields, "order"])
    model.objects.bulk_create(new)


def _save_targets(plan: Plan, targets: Iterable[dict]) -> None:
    _save_rows(
        Target, plan.targets.all(), targets, parent={"plan": plan}, fields=TARGET_FIELDS,
        error_field="targets",
    )  # fmt: skip


def _save_items(meeting: PlannedMeeting, items: Iterable[dict], existing) -> None:
    # ITEM_FIELDS has no `done`: execution is marked separately and an edit of the wording must
    # not undo it.
    _save_rows(
        AgendaItem, existing, items, parent={"meeting": meeting}, fields=ITEM_FIELDS,
        error_field="meetings", before_removing=_discard_items,
    )  # fmt: skip


def _save_meetings(plan: Plan, meetings: Iterable[dict]) -> None:
    existing = list(plan.meetings.prefetch_related("items"))
    pairs, removed = match_rows(existing, meetings, field="meetings")
    _discard_items(AgendaItem.objects.filter(meeting__in=removed))
    PlannedMeeting.objects.filter(pk__in=[m.pk for m in removed]).delete()
    for n, (meeting, row) in enumerate(pairs):
        row = dict(row)
        items = row.pop("items", None)
        old_items = list(meeting.items.all()) if meeting else []
        meeting = meeting or PlannedMeeting(plan=plan)
        for field, value in row.items():
            if field not in ("month", "title"):
                raise ValueError(f"{field} cannot be set here")
            setattr(meeting, field, value)
        meeting.order = n
        meeting.full_clean(exclude=["plan"])
        meeting.save()
        if items is not None:
            _save_items(meeting, items, old_items)


@transaction.atomic
def update_plan(
    *,
    plan: Plan,
    version: int,
    fields: dict,
    targets: Iterable[dict] | None = None,
    meetings: Iterable[dict] | None = None,
) -> Plan:
    """Save the plan's text and, when given, its targets and meetings as whole lists.

    Rows are dicts of their fields with an optional "id"; `meetings` rows also carry "items"
    (left out: the meeting's items stay as they are). A row with an id updates that row, so
    done flags, evidence and the meetings held from the plan stay attached; a row without one
    is new; rows left out are deleted with their evidence.
    """
    fresh = _lock(plan, version)
    for field, value in fields.items():
        if field not in PLAN_FIELDS:
            raise ValueError(f"{field} cannot be set here")
        setattr(fresh, field, value)
    fresh.full_clean(exclude=["previous"])
    fresh.save()
    if targets is not None:
        _save_targets(fresh, targets)
    if meetings is not None:
        _save_meetings(fresh, meetings)
    _bump(fresh)
    return fresh


def _take(plan: Plan, step: str, actor) -> tuple[Plan, Transition]:
    """Lock the plan, find the row of workflow.TRANSITIONS for this step, ask the policy.

    The status is read again under the lock: a plan sent back by someone else a moment ago is
    no longer waiting for this step. `actor=None` is a trusted caller (demo data).
    """
    fresh = Plan.objects.select_for_update().select_related("community__kind").get(pk=plan.pk)
    row = workflow.transition(fresh, step)
    if row is None:
        if step == Step.REVISE and fresh.status == Plan.Status.APPROVED:
            raise ValidationError(
                _("A newer revision of this plan already exists."), code="revised"
            )
        raise ValidationError(
            _("The plan is %(status)s; this step is not possible now.")
            % {"status": fresh.get_status_display().lower()}
        )
    require(actor, lambda: permissions.step_allowed(actor, fresh, row))
    return fresh, row


def _record(plan: Plan, row: Transition, actor, comment: str) -> Plan:
    plan.status = row.target
    plan.save(update_fields=["status", "updated_at"])
    _bump(plan)
    ApprovalStep.objects.create(plan=plan, action=row.action, actor=actor, comment=comment)
    announce(signals.plan_step_taken, Plan, plan=plan, step=row.step, actor=actor, comment=comment)
    return plan


@transaction.atomic
def record_discussion(*, plan: Plan, actor, comment: str = "") -> Plan:
    """The members discussed the draft at a meeting; it goes for agreement and approval."""
    fresh, row = _take(plan, Step.DISCUSS, actor)
    if not fresh.targets.exists():
        raise ValidationError(_("Add at least one expected result before the discussion."))
    if not fresh.meetings.exists():
        raise ValidationError(_("Add the meeting plan before the discussion."))
    return _record(fresh, row, actor, comment)


@transaction.atomic
def agree(*, plan: Plan, actor, comment: str = "") -> Plan:
    fresh, row = _take(plan, Step.AGREE, actor)
    return _record(fresh, row, actor, comment)


@transaction.atomic
def approve(*, plan: Plan, actor, comment: str = "") -> Plan:
    fresh, row = _take(plan, Step.APPROVE, actor)
    fresh = _record(fresh, row, actor, comment)
    if fresh.previous_id:
        Plan.objects.filter(pk=fresh.previous_id).update(status=Plan.Status.SUPERSEDED)
    return fresh


@transaction.atomic
def send_back(*, plan: Plan, actor, reason: str) -> Plan:
    if not reason or not reason.strip():
        raise ValidationError({"comment": _("Say why the plan goes back, so it can be fixed.")})
    fresh, row = _take(plan, Step.SEND_BACK, actor)
    return _record(fresh, row, actor, reason.strip())


@transaction.atomic
def start_revision(*, plan: Plan, actor, comment: str = "") -> Plan:
    """An approved plan is frozen; its changes go into a new draft revision."""
    fresh, row = _take(plan, Step.REVISE, actor)
    revision = Plan(
        community=fresh.community,
        school_year=fresh.school_year,
        revision=fresh.revision + 1,
        previous=fresh,
        status=row.target,
        created_by=actor,
        **{f: getattr(fresh, f) for f in PLAN_FIELDS},
    )
    revision.save()
    _copy_contents(fresh, revision)
    ApprovalStep.objects.create(plan=revision, action=row.action, actor=actor, comment=comment)
    announce(
        signals.plan_step_taken, Plan, plan=revision, step=row.step, actor=actor, comment=comment
    )
    return revision


@transaction.atomic
def add_agenda_item(
    *,
    plan: Plan,
    actor,
    action: str,
    meeting: PlannedMeeting | None = None,
    section: str = "",
    leaders: str = "",
    evidence: str = "",
) -> AgendaItem:
    """Append one agenda item to a draft plan's planned meeting (its last one unless named),
    e.g. a need found by a survey. The plan's editors only; a frozen plan takes a revision."""
    fresh = Plan.objects.select_for_update().select_related("community").get(pk=plan.pk)
    require(actor, lambda: permissions.can_edit(actor, fresh))
    if fresh.status != Plan.Status.DRAFT:
        raise ValidationError(_("Only a draft plan can be changed; start a new revision."))
    meetings = fresh.meetings.all()
    meeting = meetings.filter(pk=meeting.pk).first() if meeting else meetings.last()
    if meeting is None:
        raise ValidationError(_("The plan has no meeting to add the item to."))
    item = AgendaItem(
        meeting=meeting, order=meeting.items.count(), action=action, section=section,
        leaders=leaders, evidence=evidence,
    )  # fmt: skip
    item.full_clean()
    item.save()
    _bump(fresh)
    return item


@transaction.atomic
def set_item_done(*, item: AgendaItem, actor, done: bool) -> AgendaItem:
    """Execution is tracked on the approved plan; one of the changes a frozen plan takes."""
    plan = Plan.objects.select_related("community").get(pk=item.meeting.plan_id)
    if plan.status not in (Plan.Status.APPROVED, Plan.Status.DRAFT):
        raise ValidationError(_("Execution is marked on an approved plan."))
    if not permissions.may_mark_done(actor, plan):
        raise PermissionDenied
    item.done = done
    item.save(update_fields=["done"])
    return item


@transaction.atomic
def record_actual(*, target: Target, actor, value) -> Target:
    """Enter a target's actual value measured during the year (None clears it), with who and
    when. A measurement, not a change of plan: the approved plan takes it without a revision."""
    plan = Plan.objects.select_related("community").get(pk=target.plan_id)
    if plan.status != Plan.Status.APPROVED:
        raise ValidationError(
            _("Actual values are entered on the approved plan."), code="not_approved"
        )
    if not permissions.may_record_actual(actor, plan):
        raise PermissionDenied
    if target.source:
        raise ValidationError(
            {"actual": _("This figure is computed from Collegium's records, not typed.")},
            code="computed",
        )
    fresh = Target.objects.select_for_update().get(pk=target.pk)
    fresh.actual = value
    try:
        fresh.clean_fields(exclude=[f.name for f in Target._meta.fields if f.name != "actual"])
    except ValidationError as exc:
        raise ValidationError({"actual": exc.message_dict.get("actual", exc.messages)}) from exc
    fresh.actual_by = actor
    fresh.actual_at = timezone.now()
    fresh.save(update_fields=["actual", "actual_by", "actual_at"])
    return fresh


@transaction.atomic
def save_research_plan(*, plan=None, **fields):
    """Create or change a long-term research plan; a theme runs 3 to 5 years (001 §2.2)."""
    from .models import ResearchPlan

    plan = plan or ResearchPlan()
    for field, value in fields.items():
        setattr(plan, field, value)
    if (plan.network_id is None) == (plan.organisation_id is None):
        raise ValidationError({"network": _("Choose a network or an organisation.")})
    if plan.start_year and plan.end_year:
        span = plan.end_year - plan.start_year + 1
        if not 3 <= span <= 5:
            raise ValidationError({"end_year": _("A research plan runs for 3 to 5 years.")})
    plan.full_clean()
    plan.save()
    return plan
