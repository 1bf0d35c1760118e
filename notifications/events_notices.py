"""Notices of the events app's signals (connected in NotificationsConfig.ready), and the
reminders before an event and the requests for feedback after it (`reminders`, run with the
other reminders by `services.send_reminders`).

Nobody is told of their own act; each notice has a key, so a repeat tells nobody twice.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from events import permissions as event_permissions
from events import selectors as event_selectors
from events import signals as event_signals
from events.models import Event, Registration
from people.models import Person

from .delivery import Notice, deliver
from .models import Notification

Kind = Notification.Kind
EVENT_AHEAD = dt.timedelta(hours=24)
# An announcement goes to at most this many people of the audience (a territory-wide open call
# is found in the calendar, not in everyone's inbox).
ANNOUNCE_LIMIT = 2000


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%d.%m.%Y %H:%M")


def _url(event: Event) -> str:
    return reverse("events:detail", args=[event.pk])


def _event(event: Event) -> Event:
    return Event.objects.select_related(
        "kind", "territory", "organiser_community", "organiser_organisation", "organiser_network"
    ).get(pk=event.pk)


def _registered(event: Event, statuses=event_permissions.ACTIVE) -> list:
    ids = Registration.objects.filter(event=event, status__in=statuses).values("person_id")
    return list(Person.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def audience_of(event: Event) -> list:
    """The people an announcement goes to: the event's audience (not an open one's)."""
    q = event_permissions.audience_q(event)
    return list(Person.objects.filter(q, is_active=True).order_by("pk")[:ANNOUNCE_LIMIT])


def on_event_announced(sender, *, event: Event, actor=None, **kwargs):
    event = _event(event)
    notice = Notice(
        Kind.EVENT_ANNOUNCED,
        f"event-{event.pk}-announced",
        lambda: (
            _("%(kind)s «%(title)s» on %(when)s: registration is open")
            % {"kind": event.kind.name, "title": event.title, "when": _when(event.starts_at)}
        ),
        _url(event),
    )
    deliver(audience_of(event), notice, actor=actor)


def on_event_changed(sender, *, event: Event, actor=None, changed=(), **kwargs):
    event = _event(event)
    notice = Notice(
        Kind.EVENT_CHANGED,
        f"event-{event.pk}-changed-{event.sequence}",
        lambda: (
            _("«%(title)s» now takes place on %(when)s, %(place)s")
            % {
                "title": event.title,
                "when": _when(event.starts_at),
                "place": event.place or event.online_url or "—",
            }
        ),
        _url(event),
    )
    deliver(_registered(event), notice, actor=actor)


def on_event_cancelled(sender, *, event: Event, actor=None, reason: str = "", **kwargs):
    event = _event(event)
    notice = Notice(
        Kind.EVENT_CANCELLED,
        f"event-{event.pk}-cancelled",
        lambda: (
            _("«%(title)s» on %(when)s is cancelled. %(reason)s")
            % {"title": event.title, "when": _when(event.starts_at), "reason": reason[:200]}
        ).strip(),
        _url(event),
    )
    deliver(_registered(event), notice, actor=actor)


def on_place_given(sender, *, registration: Registration, actor=None, **kwargs):
    registration = Registration.objects.select_related("event", "person").get(pk=registration.pk)
    event = registration.event
    notice = Notice(
        Kind.EVENT_PLACE,
        f"event-{event.pk}-place-{registration.pk}-{registration.queued_at:%Y%m%d%H%M%S%f}",
        lambda: (
            _("A place at «%(title)s» on %(when)s is yours: you are registered")
            % {"title": event.title, "when": _when(event.starts_at)}
        ),
        _url(event),
    )
    deliver([registration.person], notice, actor=actor)


def feedback_notice(event: Event) -> Notice:
    return Notice(
        Kind.EVENT_FEEDBACK,
        f"event-{event.pk}-feedback",
        lambda: _("How was «%(title)s»? Leave your feedback") % {"title": event.title},
        reverse("events:feedback", args=[event.pk]),
    )


def _present(event: Event) -> list:
    ids = Registration.objects.filter(
        event=event, status=Registration.Status.REGISTERED, attended=True
    ).values("person_id")
    return list(Person.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def on_event_held(sender, *, event: Event, actor=None, **kwargs):
    event = _event(event)
    deliver(_present(event), feedback_notice(event), actor=actor)


def reminders(now: dt.datetime) -> int:
    """Remind the registered a day before; ask those present for feedback after the event
    (also when the organiser never closed attendance). Safe to run any number of times."""
    sent = 0
    soon = Event.objects.filter(
        status=Event.Status.ANNOUNCED, starts_at__gt=now, starts_at__lte=now + EVENT_AHEAD
    )
    for event in soon:
        notice = Notice(
            Kind.EVENT_SOON,
            f"event-{event.pk}-24h-{event.sequence}",
            lambda event=event: (
                _("«%(title)s» on %(when)s, %(place)s")
                % {
                    "title": event.title,
                    "when": _when(event.starts_at),
                    "place": event.place or event.online_url or "—",
                }
            ),
            _url(event),
        )
        sent += len(deliver(_registered(event, [Registration.Status.REGISTERED]), notice))
    # Who still owes feedback is the dashboard's rule (events.selectors); the reminder waits
    # only for the event to end.
    for event in event_selectors.events_owed_feedback(now):
        if event.ends_at and event.ends_at > now:
            continue
        owed = event_selectors.feedback_owed_on(event, now)
        sent += len(deliver(owed, feedback_notice(event)))
    return sent


def connect() -> None:
    """Connect this module's receivers to the events app's signals."""
    event_signals.event_announced.connect(on_event_announced, dispatch_uid="notice-event-announced")
    event_signals.event_changed.connect(on_event_changed, dispatch_uid="notice-event-changed")
    event_signals.event_cancelled.connect(on_event_cancelled, dispatch_uid="notice-event-cancelled")
    event_signals.event_place_given.connect(on_place_given, dispatch_uid="notice-event-place")
    event_signals.event_held.connect(on_event_held, dispatch_uid="notice-event-held")
