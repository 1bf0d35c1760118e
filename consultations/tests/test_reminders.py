"""Overdue questions remind those who may answer them — the one who took it, else every
responder — once a day, in the app and by e-mail as each chose; an answered question, or one
not yet due, reminds nobody; the dashboard marks it overdue."""

import datetime as dt

from django.core import mail
from django.utils import timezone

from consultations import services
from consultations.models import ConsultationRequest
from core.tests.conftest import ADMIN_A, LEADER_OTHER, SECRETARY
from notifications.models import Delivery, Notification, Preference
from notifications.services import send_reminders

from .matrix import council, topic

OVERDUE = "consult_overdue"


def _council_question(
    world, *, days_late: int = 1, question: str = "Совету: как готовить к ОГЭ?"
) -> ConsultationRequest:
    request = services.ask(
        actor=world.user(ADMIN_A), addressee="council", community=council(world), topic=topic(),
        question=question,
    )  # fmt: skip
    due = timezone.localdate() - dt.timedelta(days=days_late)
    ConsultationRequest.objects.filter(pk=request.pk).update(due_by=due)
    request.refresh_from_db()
    return request


def _reminded() -> list[tuple[str, str]]:
    return sorted(
        Notification.objects.filter(kind=OVERDUE).values_list("recipient__username", "delivery")
    )


def test_responders_are_reminded_once_a_day_as_they_chose(world):
    request = _council_question(world)
    chair, secretary = world.user(LEADER_OTHER), world.user(SECRETARY)
    Preference.objects.create(person=secretary, kind=OVERDUE, delivery=Delivery.APP)
    mail.outbox.clear()
    send_reminders()
    assert _reminded() == sorted([(chair.username, "email"), (secretary.username, "app")])
    notice = Notification.objects.get(kind=OVERDUE, recipient=chair)
    assert notice.url == f"/consultations/{request.pk}/"

    def emails():  # the world's other reminders are e-mailed too
        return [m.to for m in mail.outbox if notice.text in m.body]

    assert emails() == [[chair.email]]

    send_reminders()  # the same day: nobody is told twice
    send_reminders(timezone.now() + dt.timedelta(hours=1))
    assert len(_reminded()) == 2 and len(emails()) == 1

    send_reminders(timezone.now() + dt.timedelta(days=1))  # the next day: once more
    assert len(_reminded()) == 4 and len(emails()) == 2


def test_only_the_named_people_are_reminded(world):
    _council_question(world)
    send_reminders()
    # Not the asker, not the board's overseers, not other members of the world.
    assert {u for u, _ in _reminded()} == {"secretary", world.user(LEADER_OTHER).username}


def test_a_taken_question_reminds_the_one_who_took_it(world):
    request = _council_question(world)
    services.take(actor=world.user(SECRETARY), request=request)
    send_reminders()
    assert [u for u, _ in _reminded()] == [world.user(SECRETARY).username]


def test_answered_or_not_yet_due_questions_remind_nobody(world):
    request = _council_question(world)
    services.answer(actor=world.user(SECRETARY), request=request, text="Ответ")
    _council_question(world, days_late=0)  # due today: not overdue yet
    send_reminders()
    assert _reminded() == []


def test_a_responder_who_left_is_not_reminded(world):
    from communities.models import Membership

    request = _council_question(world)
    Membership.objects.filter(community=request.community, person__username="secretary").delete()
    send_reminders()
    assert [u for u, _ in _reminded()] == [world.user(LEADER_OTHER).username]


def test_the_dashboard_marks_overdue_questions(client, world):
    overdue = _council_question(world)
    client.force_login(world.user(SECRETARY))
    items = [i for i in client.get("/").context["waiting"] if i.kind == "consultation"]
    assert [i.overdue for i in items] == [True]
    assert items[0].url == f"/consultations/{overdue.pk}/"
    ConsultationRequest.objects.filter(pk=overdue.pk).update(due_by=timezone.localdate())
    items = [i for i in client.get("/").context["waiting"] if i.kind == "consultation"]
    assert [i.overdue for i in items] == [False]


def test_the_reminder_reads_as_much_for_six_overdue_questions_as_for_two(
    world, django_assert_max_num_queries, django_assert_num_queries
):
    from notifications import consultations_notices

    for n in range(2):
        _council_question(world, question=f"Вопрос совету № {n}")
    today = timezone.localdate()
    with django_assert_max_num_queries(30) as two:
        consultations_notices.reminders(today)
    assert len(_reminded()) == 2 * 2
    for n in range(2, 6):
        _council_question(world, question=f"Вопрос совету № {n}")
    tomorrow = today + dt.timedelta(days=1)  # the next day everyone is reminded again
    with django_assert_num_queries(len(two.captured_queries)):
        consultations_notices.reminders(tomorrow)
    assert len(_reminded()) == 2 * 2 + 6 * 2
