"""Writes of consultation requests: ask, take, answer, rate, withdraw, publish to the FAQ.

Each function is one transaction that asks the policy (`permissions`) about `actor`
(`actor=None` is a trusted caller, e.g. the demo loader) and tells the apps above on commit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Community
from core.actions import announce, require
from core.text import clean_text
from core.uploads import check_uploads
from events.models import Event

from . import permissions, privacy, selectors, signals
from .models import (
    ConsultationAnswer,
    ConsultationAttachment,
    ConsultationRating,
    ConsultationRequest,
    ConsultationTopic,
    FaqEntry,
)

Request = ConsultationRequest
Addressee = Request.Addressee
Status = Request.Status
MAX_FILES = 5
MAX_TEXT = 10_000


class AlreadyDone(Exception):  # noqa: N818 - not an error: the request was already done
    """The same request came twice (a double click, a retried call); `obj` is what it made."""

    def __init__(self, obj):
        super().__init__(obj.pk)
        self.obj = obj


def _text(value, field: str, *, required: bool = True) -> str:
    text = clean_text(value).strip()
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    if len(text) > MAX_TEXT:
        raise ValidationError(
            {field: _("The text is too long (at most %(n)s characters).") % {"n": MAX_TEXT}}
        )
    return text


def _check_files(files) -> list:
    return [file for file, _kind in check_uploads(files, limit=MAX_FILES)]


def _digest(*parts) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()


def _route(actor, addressee: str, community, responder, organisation):
    """Where the question goes: (community, responder, territory), checked against whom the
    asker may address (selectors), so nobody addresses a council or a curator not theirs."""
    if addressee == Addressee.MENTOR:
        pair = selectors.mentor_pair_of(actor)
        if pair is None:
            raise ValidationError({"addressee": _("You have no mentor in a leaders' pair.")})
        return pair.community, pair.mentor, pair.community.territory
    if addressee in (Addressee.COUNCIL, Addressee.ASSOCIATION):
        options = (
            selectors.councils_for(actor)
            if addressee == Addressee.COUNCIL
            else selectors.associations_for(actor)
        )
        pk = community.pk if isinstance(community, Community) else community
        chosen = options.filter(pk=pk).first() if pk else None
        if chosen is None:
            raise ValidationError({"community": _("Choose a council or association you may ask.")})
        return chosen, None, chosen.territory
    if addressee == Addressee.CURATOR:
        pk = getattr(responder, "pk", responder)
        chosen = selectors.curators_for(organisation).filter(pk=pk).first() if pk else None
        if chosen is None:
            raise ValidationError({"responder": _("Choose a curator of your territory.")})
        return None, chosen, organisation.territory
    raise ValidationError({"addressee": _("Choose whom to ask.")})


def ask(
    *,
    actor,
    addressee: str,
    topic: ConsultationTopic,
    question: str,
    urgency: str = Request.Urgency.NORMAL,
    community=None,
    responder=None,
    files=None,
) -> Request:
    """Ask a question; the same question asked again while still open is the one request."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied
    if not permissions.can_ask(actor):
        raise PermissionDenied
    question = _text(question, "question")
    if urgency not in Request.Urgency.values:
        raise ValidationError({"urgency": _("Choose the urgency.")})
    files = _check_files(files)
    organisation = selectors.organisation_of(actor)
    community, responder, territory = _route(actor, addressee, community, responder, organisation)
    if responder is not None and responder.pk == actor.pk:
        raise ValidationError({"responder": _("You cannot address a question to yourself.")})
    digest = _digest(addressee, getattr(community, "pk", ""), getattr(responder, "pk", ""),
                     topic.pk, " ".join(question.split()))  # fmt: skip
    open_copy = Request.objects.filter(asker=actor, digest=digest, status__in=Request.OPEN)
    existing = open_copy.first()
    if existing is not None:
        raise AlreadyDone(existing)
    now = timezone.now()
    days = Request.DAYS_TO_ANSWER[Request.Urgency(urgency)]
    try:
        with transaction.atomic():
            request = Request.objects.create(
                asker=actor,
                organisation=organisation,
                addressee=addressee,
                community=community,
                responder=responder,
                territory=territory,
                topic=topic,
                question=question,
                digest=digest,
                urgency=urgency,
                due_by=timezone.localdate(now) + dt.timedelta(days=days),
                created_at=now,
            )
            for file in files:
                ConsultationAttachment.objects.create(
                    request=request,
                    file=file,
                    filename=os.path.basename(file.name or "")[:255] or "file",
                    size=getattr(file, "size", 0) or 0,
                )
            announce(signals.asked, Request, request=request, actor=actor)
    except IntegrityError:
        # A concurrent copy won the race; answer with it.
        existing = open_copy.first()
        if existing is None:
            raise
        raise AlreadyDone(existing) from None
    return request


def _locked(request: Request) -> Request:
    return (
        # Only the request's row: PostgreSQL locks no nullable side of an outer join.
        Request.objects.select_for_update(of=("self",))
        .select_related("community", "territory", "asker")
        .get(pk=request.pk)
    )


@transaction.atomic
def take(*, actor, request: Request) -> Request:
    """A responder takes the question: the others see it is being answered."""
    request = _locked(request)
    if request.status == Status.TAKEN and request.taken_by_id == getattr(actor, "pk", None):
        raise AlreadyDone(request)
    if actor is None:
        raise PermissionDenied
    if not permissions.can_take(actor, request):
        if permissions.is_responder(actor, request):
            raise ValidationError(_("This question has been taken or answered already."))
        raise PermissionDenied
    request.status = Status.TAKEN
    request.taken_by = actor
    request.taken_at = timezone.now()
    request.save(update_fields=["status", "taken_by", "taken_at"])
    announce(signals.taken, Request, request=request, actor=actor)
    return request


@transaction.atomic
def answer(*, actor, request: Request, text: str = "", event: Event | None = None) -> Request:
    """Answer in writing, or by a consultation event the answerer organises, or both."""
    request = _locked(request)
    if actor is None:
        raise PermissionDenied
    if request.status in (Status.ANSWERED, Status.CLOSED) and hasattr(request, "answer"):
        if request.answer.author_id == actor.pk:
            raise AlreadyDone(request)
    require(actor, lambda: permissions.is_responder(actor, request))
    if not permissions.can_answer(actor, request):
        raise ValidationError(_("This question has been taken by someone else or answered."))
    text = _text(text, "text", required=event is None)
    if event is not None:
        event_pk = getattr(event, "pk", event)
        event = selectors.consultation_events_for(actor).filter(pk=event_pk).first()
        if event is None:
            raise ValidationError({"event": _("Choose a consultation event you organise.")})
    ConsultationAnswer.objects.create(request=request, author=actor, text=text, event=event)
    now = timezone.now()
    request.status = Status.ANSWERED
    if request.taken_by_id != actor.pk:  # not taken, or taken by one who no longer answers
        request.taken_by, request.taken_at = actor, now
    request.answered_at = now
    request.save(update_fields=["status", "taken_by", "taken_at", "answered_at"])
    announce(signals.answered, Request, request=request, actor=actor)
    return request


@transaction.atomic
def rate(*, actor, request: Request, score: int, comment: str = "") -> ConsultationRating:
    """The asker rates the answer once; that closes the request."""
    request = _locked(request)
    if actor is None:
        raise PermissionDenied
    if actor.pk != request.asker_id:
        raise PermissionDenied
    if (
        request.status == Status.CLOSED
        or ConsultationRating.objects.filter(request=request).exists()
    ):
        raise ValidationError(_("You have rated this answer already."))
    if not permissions.can_rate(actor, request):
        raise ValidationError(_("The question has not been answered yet."))
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise ValidationError({"score": _("Give a rating from 1 to 5.")})
    rating = ConsultationRating.objects.create(
        request=request, score=score, comment=_text(comment, "comment", required=False)
    )
    request.status = Status.CLOSED
    request.closed_at = timezone.now()
    request.save(update_fields=["status", "closed_at"])
    announce(signals.rated, Request, request=request, actor=actor)
    return rating


@transaction.atomic
def withdraw(*, actor, request: Request) -> Request:
    request = _locked(request)
    if request.status == Status.WITHDRAWN:
        raise AlreadyDone(request)
    require(actor, lambda: permissions.can_withdraw(actor, request))
    if actor is None and not request.is_open:
        raise ValidationError(_("Only an open question can be withdrawn."))
    request.status = Status.WITHDRAWN
    request.closed_at = timezone.now()
    request.save(update_fields=["status", "closed_at"])
    return request


def faq_draft(request: Request) -> dict:
    """The publish form's starting text: the question and answer with what would recognise the
    asker replaced by placeholders (the publisher rewrites and confirms it)."""
    answer_obj = getattr(request, "answer", None)
    known = {"asker": request.asker, "organisation": _asker_school(request)}
    return {
        "topic": request.topic_id,
        "question": privacy.redact(request.question, **known),
        "answer": privacy.redact(answer_obj.text if answer_obj else "", **known),
    }


def _asker_school(request: Request):
    return request.organisation or selectors.organisation_of(request.asker)


@transaction.atomic
def publish_faq(
    *,
    actor,
    topic: ConsultationTopic,
    question: str,
    answer_text: str,
    source: Request | None = None,
    confirmed: bool = False,
) -> FaqEntry:
    """Publish a question and answer as the publisher rewrote them. The FAQ is public, so a text
    naming the asker (surname, first name and patronymic, e-mail), their school, or any phone
    number is refused on its field, and the publisher confirms there is no personal data."""
    if source is not None:
        source = _locked(source)
    require(actor, lambda: permissions.can_publish_faq(actor, source))
    if source is not None:
        existing = FaqEntry.objects.filter(source=source).first()
        if existing is not None:
            raise AlreadyDone(existing)
    question = _text(question, "question")
    answer_text = _text(answer_text, "answer")
    errors: dict[str, list[str]] = {}
    known = {"asker": source.asker, "organisation": _asker_school(source)} if source else {}
    for field, text in (("question", question), ("answer", answer_text)):
        found = privacy.messages(text, **{"asker": None, **known})
        if found:
            errors[field] = [
                *found,
                _("Remove it: the FAQ is published for everyone, without personal data."),
            ]
    if actor is not None and not confirmed:
        errors["confirmed"] = [_("Confirm that the text contains no personal data.")]
    if errors:
        raise ValidationError(errors)
    return FaqEntry.objects.create(
        topic=topic, question=question, answer=answer_text, source=source, published_by=actor
    )


def unpublish_faq(*, actor, entry: FaqEntry) -> None:
    require(actor, lambda: permissions.can_publish_faq(actor, entry.source))
    entry.delete()
