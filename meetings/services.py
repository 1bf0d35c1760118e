"""Writes for meetings, minutes and decisions. Each function is one transaction."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities.models import Community, Membership
from core.actions import announce, require
from core.rows import match_rows
from core.schoolyear import school_year_of
from core.uploads import check_upload, discard_files_on_commit
from planning import services as planning_services
from planning.models import AgendaItem, Plan

from . import permissions, signals
from .models import (
    Addendum,
    AgendaQuestion,
    Attachment,
    CalendarFeed,
    Decision,
    Meeting,
    MeetingChange,
    Minutes,
    Participant,
)

STALE = gettext_lazy(
    "Someone else saved these minutes while you were editing them. Reload the page: your text "
    "is shown below so you can copy it into the newer version."
)
VERSION_NEEDED = gettext_lazy(
    "These minutes already exist: send the version you read, so that nobody's changes are "
    "overwritten."
)
DECISION_FIELDS = ("text", "assignee", "due_on")
# write_minutes' secretary when the writer does not send one: the minutes keep theirs.
UNCHANGED = object()
IDEMPOTENCY_KEY_LENGTH = 100
# A meeting starting earlier or ending later (local time) than this is outside school hours:
# scheduling or moving it there asks the person to confirm that this is what they meant.
SCHOOL_DAY_STARTS = dt.time(8, 0)
SCHOOL_DAY_ENDS = dt.time(20, 0)
# The code of the ValidationError raised until the person confirms such a time (confirmed=True).
CONFIRM = "confirm"


class AlreadyScheduled(Exception):  # noqa: N818 - not an error: the request was already done
    """The same person sent the same scheduling request again (a double click, a retried call)."""

    def __init__(self, meeting: Meeting):
        super().__init__(meeting.pk)
        self.meeting = meeting


def discard_attachments(attachments: QuerySet[Attachment]) -> None:
    """Delete evidence rows and, once the transaction has committed, their stored files."""
    files = [a.file for a in attachments]
    attachments.delete()
    discard_files_on_commit(files)


def _clean_key(key: str | None) -> str | None:
    key = (key or "").strip()
    if not key:
        return None
    if len(key) > IDEMPOTENCY_KEY_LENGTH or not (key.isascii() and key.isprintable()):
        raise ValidationError(
            {
                "idempotency_key": _(
                    "The idempotency key must be up to %(n)s printable ASCII characters."
                )
                % {"n": IDEMPOTENCY_KEY_LENGTH}
            }
        )
    return key


def _validate_times(starts_at: dt.datetime | None, ends_at: dt.datetime | None) -> None:
    errors = {}
    if starts_at is None:
        errors["starts_at"] = _("Give the date and time of the meeting.")
    elif not (2000 <= starts_at.year <= 2100):
        errors["starts_at"] = _("This date is not plausible.")
    if starts_at and ends_at and ends_at <= starts_at:
        errors["ends_at"] = _("The meeting cannot end before it starts.")
    if errors:
        raise ValidationError(errors)


def time_warning(starts_at: dt.datetime | None, ends_at: dt.datetime | None = None) -> str:
    """Why this time may be a slip ("" when it is not): it has passed, or it lies outside
    school hours (SCHOOL_DAY_STARTS–SCHOOL_DAY_ENDS, local time)."""
    if starts_at is None:
        return ""
    if starts_at < timezone.now():
        return _("This time has already passed.")
    start = timezone.localtime(starts_at)
    end = timezone.localtime(ends_at) if ends_at else None
    late = end is not None and (end.date() != start.date() or end.time() > SCHOOL_DAY_ENDS)
    if start.time() < SCHOOL_DAY_STARTS or start.time() > SCHOOL_DAY_ENDS or late:
        return _("This time is outside school hours (%(start)s–%(end)s).") % {
            "start": SCHOOL_DAY_STARTS.strftime("%H:%M"),
            "end": SCHOOL_DAY_ENDS.strftime("%H:%M"),
        }
    return ""


def _check_confirmed(starts_at, ends_at, confirmed: bool) -> None:
    warning = time_warning(starts_at, ends_at)
    if warning and not confirmed:
        raise ValidationError(
            {"starts_at": ValidationError(_("%(warning)s Confirm that it is meant.") % {
                "warning": warning}, code=CONFIRM)}
        )  # fmt: skip


def _repeat_of(actor, key: str, community: Community) -> None:
    """Raise AlreadyScheduled if this person already scheduled a meeting with this key."""
    earlier = Meeting.objects.filter(created_by=actor, idempotency_key=key).first()
    if earlier is None:
        return
    if earlier.community_id != community.pk:
        raise ValidationError(
            {"idempotency_key": _("This idempotency key was already used for another request.")}
        )
    raise AlreadyScheduled(earlier)


@transaction.atomic
def schedule_meeting(
    *,
    community: Community,
    actor,
    title: str,
    starts_at: dt.datetime,
    chair=None,
    ends_at: dt.datetime | None = None,
    place: str = "",
    online_url: str = "",
    planned=None,
    questions: Iterable[str] = (),
    guests: Iterable = (),
    idempotency_key: str | None = None,
    confirmed: bool = False,
) -> Meeting:
    """Schedule a meeting; every member is invited, guests from elsewhere may be added.

    With an `idempotency_key` the same person's repeat of the request (two clicks, two tabs, a
    retried API call) raises AlreadyScheduled with the meeting made the first time. A time in
    the past or outside school hours is refused (code CONFIRM) unless `confirmed`.
    """
    key = _clean_key(idempotency_key)
    if key is not None:
        _repeat_of(actor, key, community)
    require(actor, lambda: permissions.can_schedule(actor, community))
    if not community.is_active:
        raise ValidationError(_("A closed community does not meet."))
    if chair is None:
        raise ValidationError({"chair": _("Name who chairs the meeting.")})
    _validate_times(starts_at, ends_at)
    if not place and not online_url:
        raise ValidationError({"place": _("Give a place or an online link.")})
    _check_confirmed(starts_at, ends_at, confirmed)
    if planned is not None and planned.plan.community_id != community.pk:
        raise ValidationError({"planned": _("This planned meeting belongs to another community.")})
    if (
        planned is not None
        and not Plan.objects.filter(pk=planned.plan_id, status=Plan.Status.APPROVED).exists()
    ):
        raise ValidationError(
            {"planned": _("Meetings are scheduled from a plan once the plan is approved.")}
        )
    if not questions and planned is not None:
        questions = [item.action for item in planned.items.all()]
    meeting = Meeting(
        community=community,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        online_url=online_url,
        chair=chair,
        planned=planned,
        created_by=actor,
        idempotency_key=key,
    )
    # The key's constraint is enforced by the insert below, which tells a repeat from an error.
    meeting.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError:
        # The repeat raced the first request past the check above; the constraint caught it.
        if key is not None:
            _repeat_of(actor, key, community)
        raise
    AgendaQuestion.objects.bulk_create(
        AgendaQuestion(meeting=meeting, order=n, title=q.strip())
        for n, q in enumerate(questions)
        if q and q.strip()
    )
    member_ids = set(community.memberships.values_list("person_id", flat=True))
    Participant.objects.bulk_create(
        [Participant(meeting=meeting, person_id=pid) for pid in sorted(member_ids)]
        + [
            Participant(meeting=meeting, person=guest, is_guest=True)
            for guest in guests
            if guest.pk not in member_ids
        ]
    )
    _agree_if_agreer(meeting, actor)
    announce(signals.meeting_scheduled, Meeting, meeting=meeting, actor=actor)
    return meeting


def _agree_if_agreer(meeting: Meeting, actor) -> None:
    """A time set by one who may agree it (the deputy scheduling or moving a meeting) is agreed
    by that act; nobody is asked to agree what they chose themselves."""
    if actor is not None and permissions.can_agree_time(actor, meeting):
        meeting.time_agreed_by, meeting.time_agreed_at = actor, timezone.now()
        meeting.save(update_fields=["time_agreed_by", "time_agreed_at"])


@transaction.atomic
def invite_guest(*, meeting: Meeting, person, actor=None) -> Participant:
    require(actor, lambda: permissions.can_manage(actor, meeting))
    participant, created = Participant.objects.get_or_create(
        meeting=meeting,
        person=person,
        defaults={
            "is_guest": not Membership.objects.filter(
                community=meeting.community_id, person=person
            ).exists()
        },
    )
    if not created:
        raise ValidationError(_("%(person)s is already invited.") % {"person": person})
    return participant


@transaction.atomic
def reply(*, meeting: Meeting, person, answer: str) -> Participant:
    """`person` answers for themselves, while the policy lets them."""
    if answer not in Participant.Reply.values:
        raise ValidationError({"reply": _("Choose one of the answers.")})
    participant = Participant.objects.filter(meeting=meeting, person=person).first()
    if participant is None:
        raise ValidationError(_("You are not invited to this meeting."))
    require(person, lambda: permissions.can_reply(person, meeting))
    participant.reply = answer
    participant.save(update_fields=["reply"])
    return participant


def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why, so that the people invited know.")})
    return reason


def _take_scheduled(meeting: Meeting, actor, allowed) -> Meeting:
    """Lock the meeting, ask the policy, and refuse a meeting that is no longer scheduled."""
    fresh = Meeting.objects.select_for_update().select_related("community").get(pk=meeting.pk)
    if fresh.status == Meeting.Status.HELD:
        raise ValidationError(_("This meeting has been held; it has its minutes."), code="held")
    if fresh.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting is cancelled."), code="cancelled")
    if not allowed(actor, fresh):
        raise PermissionDenied
    return fresh


def _record_change(meeting: Meeting, kind: str, actor, reason: str) -> MeetingChange:
    return MeetingChange.objects.create(
        meeting=meeting, kind=kind, reason=reason, actor=actor,
        previous_starts_at=meeting.starts_at, previous_ends_at=meeting.ends_at,
        previous_place=meeting.place, previous_online_url=meeting.online_url,
    )  # fmt: skip


@transaction.atomic
def move_meeting(
    *,
    meeting: Meeting,
    actor,
    starts_at: dt.datetime,
    ends_at: dt.datetime | None = None,
    place: str = "",
    online_url: str = "",
    reason: str,
    confirmed: bool = False,
) -> Meeting:
    """Give a scheduled meeting another time or place, with the reason; replies are asked again
    when the time changes. Calendars replace their copy (the sequence goes up)."""
    fresh = _take_scheduled(meeting, actor, permissions.can_move)
    reason = _reason(reason)
    _validate_times(starts_at, ends_at)
    if not place and not online_url:
        raise ValidationError({"place": _("Give a place or an online link.")})
    if (starts_at, ends_at, place, online_url) == (
        fresh.starts_at,
        fresh.ends_at,
        fresh.place,
        fresh.online_url,
    ):
        raise ValidationError({"starts_at": _("Change the time or the place.")}, code="unchanged")
    _check_confirmed(starts_at, ends_at, confirmed)
    change = _record_change(fresh, MeetingChange.Kind.MOVED, actor, reason)
    time_changed = starts_at != fresh.starts_at
    fresh.starts_at, fresh.ends_at = starts_at, ends_at
    fresh.place, fresh.online_url = place, online_url
    fresh.sequence += 1
    # A new time or place is not the one the deputy agreed (004 §3.3): it is agreed again.
    fresh.time_agreed_by, fresh.time_agreed_at = None, None
    fresh.full_clean(validate_constraints=False)
    fresh.save(
        update_fields=[
            "starts_at", "ends_at", "place", "online_url", "sequence", "time_agreed_by",
            "time_agreed_at",
        ]
    )  # fmt: skip
    _agree_if_agreer(fresh, actor)
    if time_changed:
        fresh.participants.update(reply=Participant.Reply.PENDING)
    announce(
        signals.meeting_moved,
        Meeting,
        meeting=fresh,
        actor=actor,
        reason=reason,
        previous_starts_at=change.previous_starts_at,
        previous_place=change.previous_place,
    )
    return fresh


@transaction.atomic
def agree_meeting_time(*, meeting: Meeting, actor) -> Meeting:
    """The deputy director agrees the time and place the leader set (004 §3.3), where the
    community's kind says so; a later move asks for the agreement again."""
    fresh = (
        Meeting.objects.select_for_update()
        .select_related("community__kind", "community__territory")
        .get(pk=meeting.pk)
    )
    # Who holds no agreeing role over the host is refused before being told the meeting's state.
    require(actor, lambda: permissions.agrees_times(actor, fresh))
    if fresh.status == Meeting.Status.HELD:
        raise ValidationError(_("This meeting has been held; it has its minutes."), code="held")
    if fresh.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting is cancelled."), code="cancelled")
    if fresh.time_agreed_at is not None:
        raise ValidationError(
            _("The time and place of this meeting are already agreed."), code="agreed"
        )
    if not fresh.needs_time_agreement:
        raise ValidationError(
            _("The time and place of this community's meetings need no agreement."),
            code="not_needed",
        )
    require(actor, lambda: permissions.can_agree_time(actor, fresh))
    fresh.time_agreed_by = actor
    fresh.time_agreed_at = timezone.now()
    fresh.save(update_fields=["time_agreed_by", "time_agreed_at"])
    return fresh


@transaction.atomic
def cancel_meeting(*, meeting: Meeting, actor, reason: str) -> Meeting:
    """Call a scheduled meeting off, with the reason; it can no longer get minutes."""
    fresh = _take_scheduled(meeting, actor, permissions.can_cancel)
    reason = _reason(reason)
    _record_change(fresh, MeetingChange.Kind.CANCELLED, actor, reason)
    fresh.status = Meeting.Status.CANCELLED
    fresh.sequence += 1
    fresh.save(update_fields=["status", "sequence"])
    announce(signals.meeting_cancelled, Meeting, meeting=fresh, actor=actor, reason=reason)
    return fresh


def _number_minutes(meeting: Meeting, secretary_id: int | None = None) -> Minutes:
    # Lock the community row so two meetings written at once don't get the same number.
    Community.objects.select_for_update().filter(pk=meeting.community_id).first()
    school_year = school_year_of(timezone.localtime(meeting.starts_at).date())
    last = Minutes.objects.filter(
        community_id=meeting.community_id, school_year=school_year
    ).aggregate(n=Max("number"))["n"]
    return Minutes.objects.create(
        meeting=meeting,
        community_id=meeting.community_id,
        school_year=school_year,
        number=(last or 0) + 1,
        secretary_id=secretary_id,
    )


@transaction.atomic
def write_minutes(
    *,
    meeting: Meeting,
    version: int | None,
    attended: Iterable[int],
    questions: Iterable[dict],
    decisions: Iterable[dict],
    actor=None,
    covered_items: Iterable[int] | None = None,
    secretary=UNCHANGED,
) -> Minutes:
    """Record attendance, what was said on each question and the decisions taken.

    `covered_items` (ids of agenda items of the plan's meeting this meeting was scheduled from)
    replaces the items these minutes cover; each newly covered item is ticked done on the plan,
    and one no longer covered is unticked, by `actor` as the plan's policy allows. Left out
    (None), the covered items stay as they are.

    `version` is the minutes' version the writer read, 0 when there were no minutes yet; None
    (not sent) is accepted only while there are none. `questions` rows are
    {"id"?, "title", "speakers", "summary"}; `decisions` rows are
    {"id"?, "text", "assignee", "due_on", "question"?}, where "question" is an index into
    `questions`. A row with an id updates that row, so a decision keeps its status, evidence and
    attachments; a row without one is new; rows left out are deleted with their evidence. A
    kept decision sent without "question" keeps its question. `secretary` is a person (or None
    for nobody) who kept the minutes: one of those present; left out, the minutes keep theirs.
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    require(actor, lambda: permissions.can_write_minutes(actor, meeting))
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if minutes is not None:
        if minutes.is_signed:
            raise ValidationError(_("These minutes are signed; corrections go in as addenda."))
        if version is None:
            raise ValidationError({"version": VERSION_NEEDED}, code="version_required")
        if minutes.version != version:
            raise ValidationError(STALE, code="stale")
    elif version:
        # The writer read minutes that are gone; writing would not be what they saw either.
        raise ValidationError(STALE, code="stale")
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting is cancelled; it has no minutes."), code="cancelled")
    if meeting.starts_at > timezone.now():
        raise ValidationError(
            _("Minutes are written from the start of the meeting, %(when)s.")
            % {"when": timezone.localtime(meeting.starts_at).strftime("%d.%m.%Y %H:%M")},
            code="not_started",
        )
    questions = list(questions)
    if not questions:
        raise ValidationError({"questions": _("The minutes need at least one question.")})
    attended = set(attended)
    participants = list(meeting.participants.all())
    unknown = attended - {p.person_id for p in participants}
    if unknown:
        raise ValidationError({"attended": _("Only invited people can be marked present.")})
    if secretary is UNCHANGED:
        secretary_id = minutes.secretary_id if minutes is not None else None
    else:
        secretary_id = secretary.pk if secretary is not None else None
    if secretary_id is not None and secretary_id not in attended:
        raise ValidationError(
            {"secretary": _("The secretary is one of the people present at the meeting.")}
        )
    question_pairs, removed_questions = match_rows(
        meeting.questions.all(), questions, field="questions"
    )
    decision_pairs, removed_decisions = match_rows(
        meeting.decisions.all(), decisions, field="decisions"
    )
    for participant in participants:
        participant.attended = participant.person_id in attended
    Participant.objects.bulk_update(participants, ["attended"])

    # Removed questions first: their decisions' links are reset before the decisions are saved.
    AgendaQuestion.objects.filter(pk__in=[q.pk for q in removed_questions]).delete()
    removed_ids = {q.pk for q in removed_questions}
    saved = []
    for n, (question, row) in enumerate(question_pairs):
        question = question or AgendaQuestion(meeting=meeting)
        for field, value in row.items():
            setattr(question, field, value)
        question.order = n
        question.full_clean(exclude=["meeting"])
        question.save()
        saved.append(question)

    discard_attachments(Attachment.objects.filter(decision__in=removed_decisions))
    Decision.objects.filter(pk__in=[d.pk for d in removed_decisions]).delete()
    for decision, row in decision_pairs:
        row = dict(row)
        has_index = "question" in row
        index = row.pop("question", None)
        if decision is None:
            decision = Decision(meeting=meeting, community_id=meeting.community_id)
            has_index = True
        before = {f: getattr(decision, f) for f in ("assignee_id", "text", "due_on")}
        for field, value in row.items():
            if field not in DECISION_FIELDS:
                raise ValueError(f"{field} cannot be set here")
            setattr(decision, field, value)
        if has_index:
            in_range = index is not None and 0 <= index < len(saved)
            decision.question = saved[index] if in_range else None
        elif decision.question_id in removed_ids:
            decision.question = None
        decision.full_clean(exclude=["meeting", "community", "question"])
        if decision.pk is None:
            decision.save()
        else:
            # Only the minutes' own fields: status and evidence may be changing meanwhile.
            decision.save(update_fields=[*DECISION_FIELDS, "question"])
        _announce_decision(decision, before, actor)
    meeting.status = Meeting.Status.HELD
    meeting.save(update_fields=["status"])
    if minutes is None:
        minutes = _number_minutes(meeting, secretary_id)
    else:
        Minutes.objects.filter(pk=minutes.pk).update(
            version=F("version") + 1, secretary_id=secretary_id
        )
        minutes.refresh_from_db()
    if covered_items is not None:
        _cover_items(minutes, meeting, set(covered_items), actor)
    return minutes


def _announce_decision(decision: Decision, before: dict, actor) -> None:
    """A new assignee is told they are responsible; a kept one, that the task changed."""
    if decision.assignee_id != before["assignee_id"]:
        announce(
            signals.decision_assigned,
            Meeting,
            decision=decision,
            previous_assignee_id=before["assignee_id"],
            actor=actor,
        )
        return
    changed = [f for f in ("text", "due_on") if getattr(decision, f) != before[f]]
    if changed and decision.assignee_id:
        announce(signals.decision_changed, Meeting, decision=decision, changed=changed, actor=actor)


def _cover_items(minutes: Minutes, meeting: Meeting, wanted: set[int], actor) -> None:
    items = {i.pk: i for i in AgendaItem.objects.filter(meeting_id=meeting.planned_id)}
    if wanted - set(items):
        raise ValidationError(
            {"covered_items": _("Only items of the plan's meeting this meeting holds.")}
        )
    before = set(minutes.covered_items.values_list("pk", flat=True))
    minutes.covered_items.set(wanted)
    for pk in sorted(wanted ^ before):
        planning_services.set_item_done(item=items[pk], actor=actor, done=pk in wanted)


@transaction.atomic
def sign_minutes(*, minutes: Minutes, actor) -> Minutes:
    """The community's leader confirms the minutes; from then on they are frozen."""
    minutes = Minutes.objects.select_for_update().select_related("community").get(pk=minutes.pk)
    if minutes.is_signed:
        raise ValidationError(_("These minutes are already signed."))
    if minutes.community.leader_id != actor.pk:
        raise ValidationError(_("Only the leader of the community signs its minutes."))
    minutes.signed_by = actor
    minutes.signed_at = timezone.now()
    minutes.save(update_fields=["signed_by", "signed_at", "updated_at"])
    announce(signals.minutes_signed, Meeting, minutes=minutes, actor=actor)
    return minutes


@transaction.atomic
def add_addendum(*, minutes: Minutes, actor, text: str) -> Addendum:
    require(actor, lambda: permissions.can_write_minutes(actor, minutes.meeting))
    if not minutes.is_signed:
        raise ValidationError(_("Unsigned minutes are corrected directly, not by an addendum."))
    if not text or not text.strip():
        raise ValidationError({"text": _("Write the correction.")})
    return Addendum.objects.create(minutes=minutes, author=actor, text=text.strip())


@transaction.atomic
def update_decision(
    *, decision: Decision, status: str, evidence: str | None = None, actor=None
) -> Decision:
    require(actor, lambda: permissions.can_update_decision(actor, decision))
    if status not in Decision.Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    previous_status = decision.status
    decision.status = status
    decision.done_at = timezone.now() if status == Decision.Status.DONE else None
    if evidence is not None:
        decision.evidence = evidence
    if status == Decision.Status.DONE and not (
        decision.evidence.strip() or decision.attachments.exists()
    ):
        raise ValidationError({"evidence": _("Say what shows the decision is done, or attach it.")})
    decision.save(update_fields=["status", "done_at", "evidence"])
    if status != previous_status and decision.assignee_id:
        announce(
            signals.decision_changed, Meeting, decision=decision, changed=["status"], actor=actor
        )
    return decision


@transaction.atomic
def attach(
    *, actor, title: str, decision=None, plan_item=None, file=None, url: str = ""
) -> Attachment:
    if not (file or url):
        raise ValidationError({"file": _("Attach a file or give a link.")})
    original_name = ""
    if file:
        try:
            check_upload(file)
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from exc
        # Kept as text only: the stored name is generated (see Attachment.file).
        original_name = os.path.basename(file.name or "")[:255]
    attachment = Attachment(
        decision=decision,
        plan_item=plan_item,
        title=title.strip() or original_name or url,
        file=file or "",
        original_name=original_name,
        url=url,
        uploaded_by=actor,
    )
    attachment.full_clean()
    attachment.save()
    return attachment


@transaction.atomic
def calendar_feed(
    *, owner, community: Community | None = None, renew: bool = False
) -> CalendarFeed:
    """The owner's private link to their meetings, or to a community's; `renew` revokes the old."""
    import secrets

    feed = CalendarFeed.objects.filter(owner=owner, community=community).first()
    if feed is not None and not renew:
        return feed
    if feed is not None:
        feed.delete()
    return CalendarFeed.objects.create(
        owner=owner,
        person=None if community else owner,
        community=community,
        token=secrets.token_urlsafe(32),
    )
