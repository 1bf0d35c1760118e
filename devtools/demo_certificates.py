"""The demo region's certificates (called by devtools.demo.load_demo with its world).

The PLC's master class, held last month: the teacher took part, the leader organised it and
spoke. Marking it held issues their certificates, which also land in their databank records.
If the events demo has a held master class of the PLC, that one is used.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

TITLE = "Мастер-класс «Смысловое чтение на уроках естествознания»"


def _master_class(world: dict[str, Any]):
    from events.models import Event, EventKind, ProgrammeItem, Registration

    plc, users = world["plc"], world["users"]
    leader, teacher = users["leader"], users["teacher"]
    held = (
        Event.objects.filter(
            kind__code="master-class", organiser_community=plc, status=Event.Status.HELD
        )
        .order_by("starts_at")
        .first()
    )
    if held is not None:
        return held
    starts_at = timezone.now().replace(hour=14, minute=30, second=0, microsecond=0)
    event, created = Event.objects.get_or_create(
        title=TITLE,
        organiser_community=plc,
        defaults={
            "kind": EventKind.objects.get(code="master-class"),
            "territory": plc.territory,
            "audience": Event.Audience.OPEN,
            "status": Event.Status.ANNOUNCED,
            "starts_at": starts_at - dt.timedelta(days=30),
            "ends_at": starts_at - dt.timedelta(days=30) + dt.timedelta(hours=1, minutes=30),
            "place": "Каб. 21",
            "responsible": leader,
            "description": "Приёмы работы с текстом учебника: инсерт, кластер, вопросы к тексту.",
        },
    )
    if created:
        ProgrammeItem.objects.create(
            event=event, order=1, title="Приёмы смыслового чтения", speaker=leader
        )
        Registration.objects.create(event=event, person=teacher, attended=True)
    return event


def load(world: dict[str, Any]) -> None:
    """Add this app's demo records; safe to run again (load_demo is idempotent)."""
    from certificates import services
    from events import services as event_services
    from events.models import Event

    event = _master_class(world)
    if event.status != Event.Status.HELD:
        # Marking it held sends event_held, whose receiver issues the certificates once the
        # transaction commits; issuing here too is harmless (one per person, event and role).
        event = event_services.close_attendance(actor=None, event=event)
    services.issue_for_event(event=event, actor=None, signer=world["users"]["leader"])
