"""Writes for meetings, minutes and decisions. Each function is one transaction."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities.models import Community, Membership
from core.schoolyear import school_year_of
from core.uploads import check_upload

from .models import (
    Addendum,
    AgendaQuestion,
    Attachment,
    CalendarFeed,
    Decision,
    Meeting,
    Minutes,
    Participant,
)

STALE = gettext_lazy(
    "Someone else saved these minutes while you were editing them. Reload the page: your text "
    "is shown below so you can copy it into the newer version."
)


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
) -> Meeting:
    """Schedule a meeting; every member is invited, guests from elsewhere may be added."""
    if not community.is_active:
        raise ValidationError(_("A closed community does not meet."))
    if chair is None:
        raise ValidationError({"chair": _("Name who chairs the meeting.")})
    _validate_times(starts_at, ends_at)
    if not place and not online_url:
        raise ValidationError({"place": _("Give a place or an online link.")})
    if planned is not None and planned.plan.community_id != community.pk:
        raise ValidationError({"planned": _("This planned meeting belongs to another community.")})
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
    )
    meeting.full_clean()
    meeting.save()
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
    return meeting


@transaction.atomic
def invite_guest(*, meeting: Meeting, person) -> Participant:
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
    if answer not in Participant.Reply.values:
        raise ValidationError({"reply": _("Choose one of the answers.")})
    participant = Participant.objects.filter(meeting=meeting, person=person).first()
    if participant is None:
        raise ValidationError(_("You are not invited to this meeting."))
    participant.reply = answer
    participant.save(update_fields=["reply"])
    return participant


def _number_minutes(meeting: Meeting) -> Minutes:
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
    )


@transaction.atomic
def write_minutes(
    *,
    meeting: Meeting,
    version: int | None,
    attended: Iterable[int],
    questions: Iterable[dict],
    decisions: Iterable[dict],
) -> Minutes:
    """Record attendance, what was said on each question and the decisions taken.

    `questions` rows are {"title", "speakers", "summary"}; `decisions` rows are
    {"text", "assignee", "due_on", "question" (index into questions or None)}.
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if minutes is not None:
        if minutes.is_signed:
            raise ValidationError(_("These minutes are signed; corrections go in as addenda."))
        if version is not None and minutes.version != version:
            raise ValidationError(STALE, code="stale")
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("Minutes are written after the meeting has started."))
    questions = list(questions)
    if not questions:
        raise ValidationError({"questions": _("The minutes need at least one question.")})
    attended = set(attended)
    participants = list(meeting.participants.all())
    unknown = attended - {p.person_id for p in participants}
    if unknown:
        raise ValidationError({"attended": _("Only invited people can be marked present.")})
    for participant in participants:
        participant.attended = participant.person_id in attended
    Participant.objects.bulk_update(participants, ["attended"])

    meeting.questions.all().delete()  # decisions keep their text; their question link resets
    saved = []
    for n, row in enumerate(questions):
        question = AgendaQuestion(meeting=meeting, order=n, **row)
        question.full_clean(exclude=["meeting"])
        question.save()
        saved.append(question)
    meeting.decisions.all().delete()
    for row in decisions:
        row = dict(row)
        index = row.pop("question", None)
        decision = Decision(
            meeting=meeting,
            community_id=meeting.community_id,
            question=saved[index] if index is not None and 0 <= index < len(saved) else None,
            **row,
        )
        decision.full_clean(exclude=["meeting", "community", "question"])
        decision.save()
    meeting.status = Meeting.Status.HELD
    meeting.save(update_fields=["status"])
    if minutes is None:
        minutes = _number_minutes(meeting)
    else:
        Minutes.objects.filter(pk=minutes.pk).update(version=F("version") + 1)
        minutes.refresh_from_db()
    return minutes


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
    return minutes


@transaction.atomic
def add_addendum(*, minutes: Minutes, actor, text: str) -> Addendum:
    if not minutes.is_signed:
        raise ValidationError(_("Unsigned minutes are corrected directly, not by an addendum."))
    if not text or not text.strip():
        raise ValidationError({"text": _("Write the correction.")})
    return Addendum.objects.create(minutes=minutes, author=actor, text=text.strip())


@transaction.atomic
def update_decision(*, decision: Decision, status: str, evidence: str | None = None) -> Decision:
    if status not in Decision.Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    decision.status = status
    decision.done_at = timezone.now() if status == Decision.Status.DONE else None
    if evidence is not None:
        decision.evidence = evidence
    if status == Decision.Status.DONE and not (
        decision.evidence.strip() or decision.attachments.exists()
    ):
        raise ValidationError({"evidence": _("Say what shows the decision is done, or attach it.")})
    decision.save(update_fields=["status", "done_at", "evidence"])
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
