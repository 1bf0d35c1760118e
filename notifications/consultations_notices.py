"""Notices of the consultations app's signals (connected in NotificationsConfig.ready).

Who is told asks the consultations policy: a new question goes to its responders (the council's
or association's members and leader, the mentor, the curator asked); the asker hears when it is
taken and answered (and is asked to rate); the answerer hears the rating. A question past its
answer's due date reminds those who may answer it (or the one who took it) once a day
(`reminders`, run with the other reminders by `services.send_reminders`)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from consultations import permissions as consultation_permissions
from consultations import signals as consultation_signals
from consultations.models import ConsultationRequest

from .delivery import Notice, deliver, deliver_each
from .models import Notification

Kind = Notification.Kind


def _request(pk: int) -> ConsultationRequest:
    return ConsultationRequest.objects.select_related(
        "asker", "topic", "community", "responder", "taken_by", "territory"
    ).get(pk=pk)


def _url(request: ConsultationRequest) -> str:
    return reverse("consultations:detail", args=[request.pk])


def on_asked(sender, *, request: ConsultationRequest, actor=None, **kwargs):
    request = _request(request.pk)
    topic = str(request.topic)
    urgent = request.urgency == ConsultationRequest.Urgency.URGENT
    notice = Notice(
        Kind.CONSULTATION_ASKED,
        f"consultation-{request.pk}-asked",
        lambda: (
            (
                _("Urgent consultation question: %(topic)s")
                if urgent
                else _("New consultation question: %(topic)s")
            )
            % {"topic": topic}
        ),
        _url(request),
    )
    deliver(consultation_permissions.responders(request), notice, actor=actor)


def on_taken(sender, *, request: ConsultationRequest, actor=None, **kwargs):
    request = _request(request.pk)
    name = request.taken_by.full_name if request.taken_by else ""
    notice = Notice(
        Kind.CONSULTATION_TAKEN,
        f"consultation-{request.pk}-taken",
        lambda: _("%(name)s is preparing an answer to your question") % {"name": name},
        _url(request),
    )
    deliver([request.asker], notice, actor=actor)


def on_answered(sender, *, request: ConsultationRequest, actor=None, **kwargs):
    request = _request(request.pk)
    topic = str(request.topic)
    notice = Notice(
        Kind.CONSULTATION_ANSWERED,
        f"consultation-{request.pk}-answered",
        lambda: (
            _("Your question (%(topic)s) is answered; please rate the answer") % {"topic": topic}
        ),
        _url(request) + "#rate",
    )
    deliver([request.asker], notice, actor=actor)


def on_rated(sender, *, request: ConsultationRequest, actor=None, **kwargs):
    request = ConsultationRequest.objects.select_related("answer__author", "rating").get(
        pk=request.pk
    )
    score = request.rating.score
    notice = Notice(
        Kind.CONSULTATION_RATED,
        f"consultation-{request.pk}-rated",
        lambda: (
            _("Your answer to a consultation question was rated %(score)s of 5") % {"score": score}
        ),
        _url(request),
    )
    deliver([request.answer.author], notice, actor=actor)


def reminders(today: dt.date) -> int:
    """Remind the responders of each open question past its due date, at most once a day (the
    day is in the notice's key). Safe to run any number of times. A few queries however many
    questions are overdue."""
    overdue = list(
        ConsultationRequest.objects.filter(status__in=ConsultationRequest.OPEN, due_by__lt=today)
        .select_related("topic", "community", "territory", "taken_by")
        .order_by("due_by", "pk")
    )
    reminded = consultation_permissions.reminded_of(overdue)
    notices = []
    for request in overdue:
        topic, due = str(request.topic), f"{request.due_by:%d.%m.%Y}"
        notice = Notice(
            Kind.CONSULTATION_OVERDUE,
            f"consultation-{request.pk}-overdue-{today:%Y%m%d}",
            lambda topic=topic, due=due: (
                _("A consultation question (%(topic)s) is overdue: the answer was due %(due)s")
                % {"topic": topic, "due": due}
            ),
            _url(request),
        )
        notices.append((reminded[request.pk], notice))
    return len(deliver_each(notices))


def connect() -> None:
    """Connect this module's receivers to the consultations app's signals."""
    for signal, receiver in (
        (consultation_signals.asked, on_asked),
        (consultation_signals.taken, on_taken),
        (consultation_signals.answered, on_answered),
        (consultation_signals.rated, on_rated),
    ):
        signal.connect(receiver, dispatch_uid=f"notifications.consultations.{receiver.__name__}")
