"""This app's rows of the permission matrix (core/tests/test_permission_matrix.py).

The events the rows need are made on first use and kept on the world; each test's writes are
rolled back, so a kept event is made again when it no longer exists.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from core.tests.conftest import (
    ADMIN_A,
    ADMIN_B,
    CENTRE,
    COORDINATOR,
    CURATOR,
    LEADER_OTHER,
    MEMBER_OTHER,
    REMOVED,
    SECRETARY,
    SUPERUSER,
    TEACHER_A,
)
from core.tests.matrix import (
    ANON,
    CENTRE_OTHER,
    CREATED,
    EVERYONE,
    FORM,
    IN_REGION,
    LEADER,
    MEMBER,
    NOT_FOUND,
    OTHER_REGION,
    PLC_MANAGERS,
    REDIRECT,
    SIGNED_IN,
    Endpoint,
    World,
    api,
    page,
)
from events import attendance
from events.models import Event, EventKind, Feedback, Material, ProtocolRow, Registration

# School A's teachers: the audience of the PLC's events for the school.
SCHOOL_A_TEACHERS = [LEADER, MEMBER, TEACHER_A, REMOVED, SECRETARY, LEADER_OTHER, MEMBER_OTHER]
# Who may open "organise an event": staff anywhere and those who run a community.
ORGANISERS = [
    SUPERUSER, CENTRE, CENTRE_OTHER, CURATOR, COORDINATOR, ADMIN_A, ADMIN_B, LEADER, LEADER_OTHER,
]  # fmt: skip
HIDDEN_FROM_ANON = {ANON: NOT_FOUND}


def _kept(w: World, attr: str, make):
    obj = getattr(w, attr, None)
    if obj is None or not type(obj).objects.filter(pk=obj.pk).exists():
        obj = make(w)
        setattr(w, attr, obj)
    return obj


def _plc_event(w: World, **kw) -> Event:
    values = {
        "kind": EventKind.objects.get(code="master-class"),
        "title": "Мастер-класс",
        "organiser_community": w.plc,
        "territory": w.plc.territory,
        "audience": Event.Audience.SCHOOL,
        "status": Event.Status.ANNOUNCED,
        "starts_at": timezone.now() + dt.timedelta(days=7),
        "capacity": 10,
        "responsible": w.leader,
        "place": "Каб. 1",
    }
    values.update(kw)
    return Event.objects.create(**values)


def upcoming(w: World) -> Event:
    """Announced, next week, for school A's teachers; the PLC member is registered."""

    def make(w):
        event = _plc_event(w)
        Registration.objects.create(event=event, person=w.member)
        event.programme.create(title="Показ", speaker=w.leader)
        return event

    return _kept(w, "_event_upcoming", make)


def running(w: World) -> Event:
    """Started an hour ago: the member was marked present, the secretary not yet."""

    def make(w):
        event = _plc_event(w, starts_at=timezone.now() - dt.timedelta(hours=1))
        Registration.objects.create(event=event, person=w.member, attended=True)
        Registration.objects.create(event=event, person=w.user(SECRETARY))
        return event

    return _kept(w, "_event_running", make)


def draft(w: World) -> Event:
    return _kept(w, "_event_draft", lambda w: _plc_event(w, status=Event.Status.DRAFT))


def olympiad(w: World) -> Event:
    def make(w):
        event = _plc_event(
            w,
            kind=EventKind.objects.get(code="olympiad-stage"),
            title="Школьный этап",
            starts_at=timezone.now() - dt.timedelta(days=1),
        )
        ProtocolRow.objects.create(
            event=event, first_name="Аня", initial="К", school_class="7А", score=10, place=1
        )
        return event

    return _kept(w, "_event_olympiad", make)


def material(w: World) -> Material:
    def make(w):
        return Material.objects.create(
            event=upcoming(w),
            kind=Material.Kind.FILE,
            title="Презентация",
            file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="slides.pdf"),
        )

    return _kept(w, "_event_material", make)


def _feed_token(w: World) -> str:
    from meetings import services as meeting_services

    upcoming(w)
    return meeting_services.calendar_feed(owner=w.member).token


def status_of(getter):
    return lambda w: Event.objects.get(pk=getter(w).pk).status


def registrations_of(getter):
    def reading(w):
        return sorted(
            Registration.objects.filter(event=getter(w)).values_list("person_id", "status")
        )

    return reading


def attended_of(getter):
    def reading(w):
        return sorted(
            Registration.objects.filter(event=getter(w)).values_list("person_id", "attended")
        )

    return reading


def events_titled(title: str):
    return lambda w: Event.objects.filter(title=title).count()


def title_of(getter):
    return lambda w: Event.objects.get(pk=getter(w).pk).title


def analysis_of(w):
    return Event.objects.get(pk=upcoming(w).pk).analysis


def materials_of(w):
    return sorted(Material.objects.filter(event=upcoming(w)).values_list("pk", flat=True))


def protocol_of(w):
    return sorted(ProtocolRow.objects.filter(event=olympiad(w)).values_list("first_name", "score"))


def feedback_of(w):
    return Feedback.objects.filter(event=running(w)).count()


def _create_form(title):
    def data(w):
        return {
            "organiser": f"community:{w.plc.pk}",
            "kind": EventKind.objects.get(code="seminar").pk,
            "title": title,
            "audience": "school",
            "starts_at": "2030-10-01T15:00",
            "programme-TOTAL_FORMS": "0",
            "programme-INITIAL_FORMS": "0",
        }

    return data


def _edit_form(w):
    event = draft(w)
    return {
        "kind": event.kind_id,
        "title": "Новое название",
        "audience": event.audience,
        "starts_at": "2030-10-01T15:00",
        "programme-TOTAL_FORMS": "0",
        "programme-INITIAL_FORMS": "0",
    }


def _api_body(title):
    def body(w):
        return {
            "kind": "seminar",
            "title": title,
            "organiser_community": w.plc.pk,
            "audience": "school",
            "starts_at": "2030-10-01T15:00:00+03:00",
        }

    return body


# Those who may create for the PLC, and those who open the form but may not pick the PLC.
NOT_FOR_PLC = {r: FORM for r in ORGANISERS if r not in PLC_MANAGERS}
# Registered for the running event: the member (present already) and the secretary.
CHECK_IN_REFUSED = {r: 400 for r in IN_REGION if r not in (MEMBER, SECRETARY)}

PAGES: list[Endpoint] = [
    page("event list", "get", lambda w: "/events/", EVERYONE),
    page("event create form", "get", lambda w: "/events/new/", ORGANISERS),
    page(
        "event create",
        "post",
        lambda w: "/events/new/",
        ORGANISERS,
        REDIRECT,
        data=_create_form("Новый семинар"),
        overrides=NOT_FOR_PLC,
        changed=events_titled("Новый семинар"),
        effect=PLC_MANAGERS,
    ),  # fmt: skip
    page("my events", "get", lambda w: "/events/mine/", SIGNED_IN),
    page("events region feed", "get", lambda w: "/events/calendar.ics", EVERYONE),
    page("events person feed", "get", lambda w: f"/events/feed/{_feed_token(w)}.ics", EVERYONE),
    page(
        "event detail",
        "get",
        lambda w: f"/events/{upcoming(w).pk}/",
        IN_REGION,
        overrides=HIDDEN_FROM_ANON,
    ),  # fmt: skip
    page("event edit form", "get", lambda w: f"/events/{upcoming(w).pk}/edit/", PLC_MANAGERS),
    page(
        "event edit",
        "post",
        lambda w: f"/events/{draft(w).pk}/edit/",
        PLC_MANAGERS,
        REDIRECT,
        data=_edit_form,
        changed=title_of(draft),
    ),  # fmt: skip
    page(
        "event announce",
        "post",
        lambda w: f"/events/{draft(w).pk}/announce/",
        PLC_MANAGERS,
        REDIRECT,
        changed=status_of(draft),
    ),  # fmt: skip
    page(
        "event cancel",
        "post",
        lambda w: f"/events/{upcoming(w).pk}/cancel/",
        PLC_MANAGERS,
        REDIRECT,
        data=lambda w: {"reason": "Карантин"},
        changed=status_of(upcoming),
    ),  # fmt: skip
    page(
        "event register",
        "post",
        lambda w: f"/events/{upcoming(w).pk}/register/",
        SCHOOL_A_TEACHERS,
        REDIRECT,
        changed=registrations_of(upcoming),
        effect=[r for r in SCHOOL_A_TEACHERS if r != MEMBER],
    ),  # fmt: skip
    page(
        "event unregister",
        "post",
        lambda w: f"/events/{upcoming(w).pk}/unregister/",
        [MEMBER],
        REDIRECT,
        changed=registrations_of(upcoming),
    ),  # fmt: skip
    page(
        "event attendance", "get", lambda w: f"/events/{upcoming(w).pk}/attendance/", PLC_MANAGERS
    ),
    page(
        "event attendance live",
        "get",
        lambda w: f"/events/{upcoming(w).pk}/attendance/live/",
        PLC_MANAGERS,
    ),  # fmt: skip
    page(
        "event attendance mark",
        "post",
        lambda w: f"/events/{running(w).pk}/attendance/",
        PLC_MANAGERS,
        REDIRECT,
        data=lambda w: {"present": [w.user(SECRETARY).pk]},
        changed=attended_of(running),
    ),  # fmt: skip
    page(
        "event close",
        "post",
        lambda w: f"/events/{running(w).pk}/attendance/close/",
        PLC_MANAGERS,
        REDIRECT,
        changed=status_of(running),
    ),  # fmt: skip
    page(
        "event check in",
        "get",
        lambda w: f"/events/{running(w).pk}/check-in/?code={attendance.current_code(running(w))}",
        [MEMBER, SECRETARY],
        overrides=CHECK_IN_REFUSED,
        changed=attended_of(running),
        effect=[SECRETARY],
    ),  # fmt: skip
    page("event feedback form", "get", lambda w: f"/events/{running(w).pk}/feedback/", [MEMBER]),
    page(
        "event feedback",
        "post",
        lambda w: f"/events/{running(w).pk}/feedback/",
        [MEMBER],
        REDIRECT,
        data=lambda w: {"rating": "5", "usefulness": "4", "comment": "Полезно"},
        changed=feedback_of,
    ),  # fmt: skip
    page(
        "event analysis form", "get", lambda w: f"/events/{upcoming(w).pk}/analysis/", PLC_MANAGERS
    ),
    page(
        "event analysis",
        "post",
        lambda w: f"/events/{upcoming(w).pk}/analysis/",
        PLC_MANAGERS,
        REDIRECT,
        data=lambda w: {"analysis": "Получилось"},
        changed=analysis_of,
    ),  # fmt: skip
    page(
        "event material add",
        "post",
        lambda w: f"/events/{upcoming(w).pk}/materials/",
        PLC_MANAGERS,
        REDIRECT,
        data=lambda w: {"kind": "video", "title": "Запись", "url": "https://video.example.org/1"},
        changed=materials_of,
    ),  # fmt: skip
    page(
        "event material remove",
        "post",
        lambda w: f"/events/materials/{material(w).pk}/remove/",
        PLC_MANAGERS,
        REDIRECT,
        changed=materials_of,
    ),  # fmt: skip
    page(
        "event material file",
        "get",
        lambda w: f"/events/materials/{material(w).pk}/file/",
        IN_REGION,
        overrides=HIDDEN_FROM_ANON,
    ),  # fmt: skip
    page(
        "event protocol form", "get", lambda w: f"/events/{olympiad(w).pk}/protocol/", PLC_MANAGERS
    ),
    page(
        "event protocol",
        "post",
        lambda w: f"/events/{olympiad(w).pk}/protocol/",
        PLC_MANAGERS,
        REDIRECT,
        changed=protocol_of,
        data=lambda w: {
            "protocol-TOTAL_FORMS": "1",
            "protocol-INITIAL_FORMS": "0",
            "protocol-0-first_name": "Оля",
            "protocol-0-initial": "М",
            "protocol-0-school_class": "8Б",
            "protocol-0-score": "12",
            "protocol-0-place": "1",
        },
    ),  # fmt: skip
    page(
        "event protocol xlsx",
        "get",
        lambda w: f"/events/{olympiad(w).pk}/protocol.xlsx",
        IN_REGION,
        overrides=HIDDEN_FROM_ANON,
    ),  # fmt: skip
    # The paper protocol: whoever sees the event (as the XLSX); the report: its organisers.
    page(
        "event protocol docx",
        "get",
        lambda w: f"/events/{olympiad(w).pk}/protocol.docx",
        IN_REGION,
        overrides=HIDDEN_FROM_ANON,
    ),  # fmt: skip
    page(
        "event protocol pdf",
        "get",
        lambda w: f"/events/{olympiad(w).pk}/protocol.pdf",
        IN_REGION,
        overrides=HIDDEN_FROM_ANON,
    ),  # fmt: skip
    page(
        "event report docx", "get", lambda w: f"/events/{upcoming(w).pk}/report.docx", PLC_MANAGERS
    ),
    page("event report pdf", "get", lambda w: f"/events/{upcoming(w).pk}/report.pdf", PLC_MANAGERS),
]

HIDDEN_ELSEWHERE_API = dict.fromkeys(OTHER_REGION, NOT_FOUND)
# A draft is seen by its organisers only: the API finds nothing for anyone else.
DRAFT_HIDDEN = {r: NOT_FOUND for r in SIGNED_IN if r not in PLC_MANAGERS}

API: list[Endpoint] = [
    api("event list", "get", lambda w: "/events/", SIGNED_IN),
    api("event kind list", "get", lambda w: "/event-kinds/", SIGNED_IN),
    api(
        "event create",
        "post",
        lambda w: "/events/",
        PLC_MANAGERS,
        CREATED,
        data=_api_body("Семинар из API"),
        changed=events_titled("Семинар из API"),
    ),  # fmt: skip
    api(
        "event detail",
        "get",
        lambda w: f"/events/{upcoming(w).pk}/",
        IN_REGION,
        overrides=HIDDEN_ELSEWHERE_API,
    ),  # fmt: skip
    api(
        "event update",
        "put",
        lambda w: f"/events/{draft(w).pk}/",
        PLC_MANAGERS,
        data=lambda w: {
            "kind": "seminar",
            "title": "Другое",
            "audience": "school",
            "starts_at": "2030-10-01T15:00:00+03:00",
        },
        changed=title_of(draft),
        overrides=DRAFT_HIDDEN,
    ),  # fmt: skip
    api(
        "event announce",
        "post",
        lambda w: f"/events/{draft(w).pk}/announce/",
        PLC_MANAGERS,
        changed=status_of(draft),
        overrides=DRAFT_HIDDEN,
    ),  # fmt: skip
    api(
        "event cancel",
        "post",
        lambda w: f"/events/{upcoming(w).pk}/cancel/",
        PLC_MANAGERS,
        data=lambda w: {"reason": "Карантин"},
        changed=status_of(upcoming),
        overrides=HIDDEN_ELSEWHERE_API,
    ),  # fmt: skip
    api(
        "event register",
        "post",
        lambda w: f"/events/{upcoming(w).pk}/register/",
        SCHOOL_A_TEACHERS,
        changed=registrations_of(upcoming),
        effect=[r for r in SCHOOL_A_TEACHERS if r != MEMBER],
        overrides=HIDDEN_ELSEWHERE_API,
    ),  # fmt: skip
    api(
        "event unregister",
        "post",
        lambda w: f"/events/{upcoming(w).pk}/unregister/",
        [MEMBER],
        changed=registrations_of(upcoming),
        overrides=HIDDEN_ELSEWHERE_API,
    ),  # fmt: skip
    api(
        "event registrations",
        "get",
        lambda w: f"/events/{upcoming(w).pk}/registrations/",
        PLC_MANAGERS,
        overrides=HIDDEN_ELSEWHERE_API,
    ),  # fmt: skip
    api(
        "event attendance",
        "post",
        lambda w: f"/events/{running(w).pk}/attendance/",
        PLC_MANAGERS,
        data=lambda w: {"present": [w.user(SECRETARY).pk]},
        changed=attended_of(running),
        overrides=HIDDEN_ELSEWHERE_API,
    ),  # fmt: skip
    api(
        "event close",
        "post",
        lambda w: f"/events/{running(w).pk}/close/",
        PLC_MANAGERS,
        changed=status_of(running),
        overrides=HIDDEN_ELSEWHERE_API,
    ),  # fmt: skip
    api(
        "event feedback",
        "post",
        lambda w: f"/events/{running(w).pk}/feedback/",
        [MEMBER],
        CREATED,
        data=lambda w: {"rating": 4, "usefulness": 5, "comment": ""},
        changed=feedback_of,
        overrides=HIDDEN_ELSEWHERE_API,
    ),  # fmt: skip
]

ENDPOINTS: list[Endpoint] = PAGES + API
