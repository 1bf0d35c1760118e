"""Delivering notices: stored once per recipient and key, e-mailed as each recipient chose.

`deliver` is the one way a notice reaches people, for the events the domain apps signal and for
the periodic reminders alike. A recipient's preference for the notice's kind decides the route:
in the app only, an e-mail at once (the default), or the next daily digest (`send_digests`).
E-mails are HTML with a plain-text part, written in the recipient's language, with links built
from settings.SITE_URL.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import background
from people import selectors as people_selectors

from .models import Delivery, Digest, Notification, Preference

DEFAULT_DELIVERY = Delivery.EMAIL
_state = threading.local()


@contextmanager
def muted():
    """Deliver nothing meanwhile: for loading history (the demo), which asks nobody to act."""
    _state.muted = True
    try:
        yield
    finally:
        _state.muted = False


@dataclass
class Notice:
    """What to tell: `text` is a string or a callable giving it in the active language (it is
    called once per recipient, in their language). `attachments` are (name, bytes, mimetype)."""

    kind: str
    key: str
    text: str | Callable[[], str]
    url: str = ""
    attachments: list[tuple[str, bytes, str]] = field(default_factory=list)


def language_of(person) -> str:
    """The language the person chose in the interface, else their territory's default."""
    return people_selectors.language_of(person)


def absolute(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL.rstrip("/") + url


# IN-lists are cut into chunks: a regional survey asks tens of thousands of teachers, more than
# SQLite binds in one statement.
CHUNK = 2000
# More e-mails than this go to the background worker.
EMAIL_INLINE_MAX = 200


def _chunks(ids: list[int]):
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def deliveries(person_ids: Iterable[int], kind: str) -> dict[int, str]:
    """Each person's chosen delivery for this kind (one query per CHUNK people)."""
    ids = list(person_ids)
    chosen: dict[int, str] = {}
    for chunk in _chunks(ids):
        chosen.update(
            Preference.objects.filter(person_id__in=chunk, kind=kind).values_list(
                "person_id", "delivery"
            )
        )
    return {pk: chosen.get(pk, DEFAULT_DELIVERY) for pk in ids}


def _render(person, notice_text: str, template: str, context: dict):
    with translation.override(language_of(person)):
        context = {"person": person, "site_url": settings.SITE_URL.rstrip("/"), **context}
        text = render_to_string(f"notifications/email/{template}.txt", context)
        html = render_to_string(f"notifications/email/{template}.html", context)
        subject = f"Collegium: {notice_text[:120]}"
    return subject, text, html


def send_email(person, subject: str, text: str, html: str, attachments=(), connection=None) -> bool:
    message = EmailMultiAlternatives(
        subject=subject, body=text, to=[person.email], connection=connection
    )
    message.attach_alternative(html, "text/html")
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    return bool(message.send(fail_silently=True))


def _text_for(person, notice: Notice) -> str:
    with translation.override(language_of(person)):
        text = notice.text() if callable(notice.text) else notice.text
        return str(text)[:500]


def deliver(recipients: Iterable, notice: Notice, *, actor=None) -> list[Notification]:
    """Store the notice for each recipient (never the actor, never twice for one key) and e-mail
    it to those who want it at once. Returns the notices made now."""
    return deliver_each([(recipients, notice)], actor=actor)


def deliver_each(notices: Iterable[tuple[Iterable, Notice]], *, actor=None) -> list[Notification]:
    """`deliver` of several notices, each to its own recipients, in as many queries as one (the
    daily reminders of many things at once)."""
    if getattr(_state, "muted", False):
        return []
    actor_id = getattr(actor, "pk", None)
    batches = []
    for recipients, notice in notices:
        people = {p.pk: p for p in recipients if p is not None and p.is_active and p.pk != actor_id}
        if people:
            batches.append((notice, people))
    if not batches:
        return []
    everyone = {pk: p for _notice, people in batches for pk, p in people.items()}
    chosen: dict[tuple[str, int], str] = {}
    for kind in dict.fromkeys(notice.kind for notice, _people in batches):
        ids = dict.fromkeys(pk for n, people in batches if n.kind == kind for pk in people)
        chosen.update(((kind, pk), way) for pk, way in deliveries(ids, kind).items())
    people_selectors.remember_languages(everyone.values())
    keys = list(dict.fromkeys(notice.key[:120] for notice, _people in batches))
    told = set()
    for chunk in _chunks(list(everyone)):
        told.update(
            Notification.objects.filter(recipient_id__in=chunk, key__in=keys).values_list(
                "recipient_id", "key"
            )
        )
    fresh = []
    attachments_of: dict[int, list] = {}  # by id() of the notification: its notice's files
    for notice, people in batches:
        key = notice.key[:120]
        # The text in each language once, not once per recipient.
        texts: dict[str, str] = {}
        for pk, person in people.items():
            if (pk, key) in told:
                continue  # told already (an earlier run, or the event came twice)
            language = language_of(person)
            if language not in texts:
                texts[language] = _text_for(person, notice)
            notification = Notification(
                recipient=person, kind=notice.kind, key=key, text=texts[language],
                url=notice.url, delivery=chosen[notice.kind, pk],
            )  # fmt: skip
            attachments_of[id(notification)] = notice.attachments
            fresh.append(notification)
    made = []
    for start in range(0, len(fresh), CHUNK):
        made += _store(fresh[start : start + CHUNK])
    to_email = [n for n in made if n.delivery == Delivery.EMAIL and n.recipient.email]
    plain = [n for n in to_email if not attachments_of[id(n)]]
    if len(plain) > EMAIL_INLINE_MAX:
        # A large audience (a regional survey) is e-mailed by the background worker in chunks,
        # so the action that told them answers at once (after its commit: the worker must see
        # the notices).
        from .tasks import send_notice_emails

        for chunk in _chunks([n.pk for n in plain]):
            transaction.on_commit(lambda chunk=chunk: background.run(send_notice_emails, chunk))
    else:
        _email(plain, ())
    for notice, _people in batches:
        if notice.attachments:
            _email(
                [n for n in to_email if attachments_of[id(n)] is notice.attachments],
                notice.attachments,
            )
    return made


def email_notices(ids: list[int]) -> int:
    """E-mail stored notices not e-mailed yet (the background part of `deliver`)."""
    notices = list(
        Notification.objects.filter(pk__in=ids, emailed_at__isnull=True, delivery=Delivery.EMAIL)
        .select_related("recipient")
        .order_by("pk")
    )
    return _email(notices, ())


def _email(notices: list[Notification], attachments) -> int:
    if not notices:
        return 0
    # One connection to the mail server for all of them.
    connection = get_connection(fail_silently=True)
    connection.open()
    emailed = []
    people_selectors.remember_languages(n.recipient for n in notices)
    for notification in notices:
        person = notification.recipient
        subject, body, html = _render(
            person, notification.text, "notice",
            {"text": notification.text, "url": absolute(notification.url)},
        )  # fmt: skip
        if send_email(person, subject, body, html, attachments, connection):
            emailed.append(notification.pk)
    connection.close()
    for chunk in _chunks(emailed):
        Notification.objects.filter(pk__in=chunk).update(emailed_at=timezone.now())
    return len(emailed)


def _store(batch: list[Notification]) -> list[Notification]:
    """Insert a batch at once; if someone else told one of them meanwhile (the unique key), the
    batch goes row by row so the others are still stored."""
    try:
        with transaction.atomic():
            return Notification.objects.bulk_create(batch)
    except IntegrityError:
        pass
    stored = []
    for notification in batch:
        try:
            with transaction.atomic():
                notification.pk = None
                notification.save(force_insert=True)
        except IntegrityError:
            continue
        stored.append(notification)
    return stored


def _digest_day(now: dt.datetime) -> dt.date:
    return timezone.localtime(now).date()


def send_digests(now: dt.datetime | None = None, *, respect_hour: bool = True) -> int:
    """Send each person who chose the daily digest one e-mail of what waits for them, once a day.

    The digest of a day is keyed (Digest: recipient and day), so any number of runs send it once;
    it collects every digest notice not e-mailed yet, and marks them e-mailed. With
    `respect_hour` nothing goes out before settings.NOTIFICATION_DIGEST_HOUR (local time).
    Returns the number of digests sent.
    """
    now = now or timezone.now()
    local = timezone.localtime(now)
    if respect_hour and local.hour < settings.NOTIFICATION_DIGEST_HOUR:
        return 0
    day = _digest_day(now)
    pending = (
        Notification.objects.filter(
            delivery=Delivery.DIGEST, emailed_at__isnull=True, created_at__lte=now
        )
        .select_related("recipient")
        .order_by("recipient_id", "created_at", "id")
    )
    by_person: dict[int, list[Notification]] = {}
    for notification in pending:
        by_person.setdefault(notification.recipient_id, []).append(notification)
    sent = 0
    people_selectors.remember_languages(items[0].recipient for items in by_person.values())
    for items in by_person.values():
        person = items[0].recipient
        try:
            with transaction.atomic():
                Digest.objects.create(recipient=person, day=day, items=len(items))
        except IntegrityError:
            continue  # today's digest went out already; these wait for tomorrow's
        Notification.objects.filter(pk__in=[n.pk for n in items]).update(emailed_at=now)
        unread = [n for n in items if n.read_at is None]
        if not (person.is_active and person.email and unread):
            continue
        with translation.override(language_of(person)):
            headline = _("What waits for you in Collegium")
        entries = [{"text": n.text, "url": absolute(n.url)} for n in unread]
        subject, body, html = _render(
            person, headline, "digest", {"headline": headline, "items": entries}
        )
        if send_email(person, subject, body, html):
            sent += 1
    return sent
