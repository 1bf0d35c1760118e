"""A notice to a large audience (a regional survey asks tens of thousands of teachers) is stored in
batches: the number of queries does not grow with the recipients, each is told once, and a
recipient told meanwhile does not stop the others from being told."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications import delivery
from notifications.delivery import Notice, deliver
from notifications.models import Delivery, Notification, Preference
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

KIND = Notification.Kind.SURVEY_ASKED


def _notice(key="survey-1-asked") -> Notice:
    return Notice(KIND, key, lambda: "Ответьте на анкету", "/surveys/1/answer/")


def _deliver_counting(people) -> tuple[int, list]:
    with CaptureQueriesContext(connection) as captured:
        made = deliver(people, _notice())
    # The e-mails' bookkeeping (one UPDATE per chunk) is counted with the rest.
    return len(captured.captured_queries), made


def test_queries_do_not_grow_with_the_recipients(monkeypatch):
    monkeypatch.setattr(delivery, "CHUNK", 50)
    few = PersonFactory.create_batch(5)
    queries_few, made = _deliver_counting(few)
    assert len(made) == 5
    Notification.objects.all().delete()
    many = PersonFactory.create_batch(40)
    queries_many, made = _deliver_counting(many)
    assert len(made) == 40 and Notification.objects.count() == 40
    assert queries_many == queries_few
    assert len(mail.outbox) == 45  # each told by e-mail once (the default delivery)
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 40


def test_each_is_told_once_and_preferences_are_kept():
    people = PersonFactory.create_batch(4)
    Preference.objects.create(person=people[0], kind=KIND, delivery=Delivery.APP)
    deliver(people, _notice())
    assert deliver(people, _notice()) == []  # the same event again tells nobody twice
    assert Notification.objects.count() == 4
    assert Notification.objects.get(recipient=people[0]).delivery == Delivery.APP
    assert len(mail.outbox) == 3


def test_a_recipient_told_meanwhile_does_not_stop_the_batch(monkeypatch):
    people = PersonFactory.create_batch(3)
    real_store = delivery._store

    def told_meanwhile(batch):
        # Another worker tells the second person between our check and our insert.
        Notification.objects.create(
            recipient=people[1], kind=KIND, key="survey-1-asked", text="—", delivery=Delivery.APP
        )
        return real_store(batch)

    monkeypatch.setattr(delivery, "_store", told_meanwhile)
    made = deliver(people, _notice())
    assert {n.recipient_id for n in made} == {people[0].pk, people[2].pk}
    assert Notification.objects.filter(recipient=people[1]).count() == 1


def test_a_large_audience_is_emailed_by_the_background_worker(
    monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(delivery, "EMAIL_INLINE_MAX", 3)
    monkeypatch.setattr(delivery, "CHUNK", 4)
    ran = []
    real_run = delivery.background.run

    def run(task, *args):
        ran.append(args[0])
        real_run(task, *args)  # the tests' background runs at once (BACKGROUND_SYNC)

    monkeypatch.setattr(delivery.background, "run", run)
    people = PersonFactory.create_batch(10)
    with django_capture_on_commit_callbacks(execute=True):
        made = deliver(people, _notice())
        assert ran == []  # queued once the notices are committed
    assert [len(chunk) for chunk in ran] == [4, 4, 2]
    assert len(mail.outbox) == 10
    assert Notification.objects.filter(emailed_at__isnull=False).count() == len(made) == 10
    # A chunk run again (a retried job) e-mails nobody twice.
    assert delivery.email_notices(ran[0]) == 0
    assert len(mail.outbox) == 10


def test_a_small_audience_is_emailed_at_once(monkeypatch):
    monkeypatch.setattr(delivery.background, "run", lambda *a: pytest.fail("not in background"))
    deliver(PersonFactory.create_batch(3), _notice())
    assert len(mail.outbox) == 3
