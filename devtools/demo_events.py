"""The demo region's events (called by devtools.demo.load_demo with its world)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from events import services
from events.models import Event, EventKind, Feedback, ProtocolRow, Registration


def _at(days: int, hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _event(title: str, code: str, *, status: str, **kw) -> Event:
    """The event of this title, made once (load_demo may run twice)."""
    existing = Event.objects.filter(title=title).first()
    if existing is not None:
        return existing
    programme = kw.pop("programme", [])
    event = services.create_event(
        actor=None, kind=EventKind.objects.get(code=code), title=title, **kw
    )
    services.save_programme(actor=None, event=event, rows=programme)
    Event.objects.filter(pk=event.pk).update(
        status=status, held_at=timezone.now() if status == Event.Status.HELD else None
    )
    event.refresh_from_db()
    return event


def load(world: dict[str, Any]) -> None:
    """Add this app's demo records; safe to run again (load_demo is idempotent)."""
    users, orgs, plc = world["users"], world["orgs"], world["plc"]
    leader, teacher = users["leader"], users["teacher"]
    school = orgs["school14"]

    master_class = _event(
        "Мастер-класс «Приёмы формирующего оценивания на уроке»",
        "master-class",
        status=Event.Status.HELD,
        organiser_community=plc,
        audience=Event.Audience.SCHOOL,
        subject="Математика",
        starts_at=_at(-7, 14),
        ends_at=_at(-7, 15) + dt.timedelta(minutes=30),
        place="СШ № 14, каб. 21",
        capacity=20,
        responsible=leader,
        description="Показ приёмов обратной связи на уроке и их разбор с коллегами.",
        programme=[
            {"time": dt.time(14, 0), "title": "Показ фрагмента урока", "speaker": leader},
            {"time": dt.time(14, 40), "title": "Разбор и рефлексия", "speaker_name": ""},
        ],
    )
    registration, _created = Registration.objects.get_or_create(
        event=master_class, person=teacher,
        defaults={"attended": True, "attended_at": master_class.starts_at, "marked_by": "qr"},
    )  # fmt: skip
    Feedback.objects.get_or_create(
        event=master_class, person=teacher,
        defaults={"rating": 5, "usefulness": 5, "comment": "Возьму приём «светофор» на уроки."},
    )  # fmt: skip
    if not master_class.analysis:
        Event.objects.filter(pk=master_class.pk).update(
            analysis="Цель достигнута: участники опробовали три приёма обратной связи. "
            "В следующий раз оставить больше времени на практику в парах."
        )

    _event(
        "Семинар ПОС «Смысловое чтение на уроках естественного цикла»",
        "seminar",
        status=Event.Status.ANNOUNCED,
        organiser_community=plc,
        audience=Event.Audience.SCHOOL,
        subject="Физика",
        starts_at=_at(10, 15),
        place="СШ № 14, каб. 12",
        capacity=12,
        responsible=leader,
    )
    _event(
        "Вебинар «Функциональная грамотность: новые задания»",
        "webinar",
        status=Event.Status.ANNOUNCED,
        organiser_territory=world["region"],
        audience=Event.Audience.OPEN,
        starts_at=_at(5, 16),
        online_url="https://webinar.example.org/fg",
        responsible=users["centre"],
    )
    _event(
        "Сетевой семинар «Проектная деятельность в основной школе»",
        "seminar",
        status=Event.Status.ANNOUNCED,
        organiser_network=world["network"],
        audience=Event.Audience.NETWORK,
        starts_at=_at(14, 14),
        place="Лицей № 1, актовый зал",
        capacity=30,
        responsible=users["coordinator"],
    )
    decade = _event(
        "Декада естественно-математических наук",
        "subject-decade",
        status=Event.Status.ANNOUNCED,
        organiser_organisation=school,
        audience=Event.Audience.SCHOOL,
        subject="Математика, физика",
        starts_at=_at(20, 8),
        ends_at=_at(30, 17),
        responsible=users["deputy"],
    )
    _event(
        "Открытый урок «Законы Ньютона в задачах»",
        "open-lesson",
        status=Event.Status.ANNOUNCED,
        organiser_organisation=school,
        audience=Event.Audience.SCHOOL,
        subject="Физика",
        starts_at=_at(22, 10),
        place="каб. 31",
        parent=decade,
        responsible=teacher,
    )
    _event(
        "Конкурс «Математический марафон»",
        "contest",
        status=Event.Status.ANNOUNCED,
        organiser_organisation=school,
        audience=Event.Audience.SCHOOL,
        subject="Математика",
        starts_at=_at(25, 13),
        place="актовый зал",
        parent=decade,
        responsible=leader,
    )
    olympiad = _event(
        "Школьный этап олимпиады по математике",
        "olympiad-stage",
        status=Event.Status.HELD,
        organiser_organisation=school,
        audience=Event.Audience.SCHOOL,
        subject="Математика",
        starts_at=_at(-20, 10),
        place="СШ № 14",
        responsible=leader,
    )
    if not olympiad.protocol.exists():
        rows = [
            ("Аня", "К", "7А", 28, 1),
            ("Миша", "С", "7Б", 25, 2),
            ("Лиза", "Т", "8А", 24, 1),
            ("Денис", "В", "8А", 19, 2),
        ]
        ProtocolRow.objects.bulk_create(
            ProtocolRow(
                event=olympiad, order=n, first_name=f, initial=i, school_class=c, score=s, place=p
            )
            for n, (f, i, c, s, p) in enumerate(rows)
        )
    del registration
