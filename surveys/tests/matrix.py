"""This app's rows of the permission matrix (core/tests/test_permission_matrix.py).

The surveys the rows need belong to the school PLC: an anonymous needs survey, open (answered by
its members, `_anonymous`); a named event-feedback survey, open (results and export, `_named`);
and a draft (open, delete, edit, `_draft`). Each is found by its title or made again, since every
case's writes are rolled back.
"""

from __future__ import annotations

from core.tests.conftest import (
    CENTRE_OTHER,
    COORDINATOR,
    CURATOR,
    LEADER,
    LEADER_OTHER,
    MEMBER,
    SECRETARY,
    SIGNED_IN,
    World,
)
from core.tests.matrix import (
    CREATED,
    FORBIDDEN,
    FORM,
    NOT_FOUND,
    PLC_MANAGERS,
    REDIRECT,
    STAFF,
    Endpoint,
    api,
    page,
)

MANAGERS = PLC_MANAGERS  # the PLC's leader, school A's administration, the centre, superuser
AUDIENCE = [LEADER, MEMBER, SECRETARY]  # the PLC's members
VIEWERS = sorted(set(MANAGERS) | set(AUDIENCE))
CREATORS = [*STAFF, LEADER, LEADER_OTHER]
# Roles that may build surveys somewhere but not for the PLC: the form says so.
OTHER_CREATORS = {r: FORM for r in CREATORS if r not in MANAGERS}
HIDDEN = {r: NOT_FOUND for r in SIGNED_IN if r not in VIEWERS}
HIDDEN_DRAFT = {r: NOT_FOUND for r in SIGNED_IN if r not in MANAGERS}
MEMBERS_REFUSED = {r: FORBIDDEN for r in AUDIENCE if r not in MANAGERS}
assert CENTRE_OTHER in CREATORS and CURATOR in CREATORS and COORDINATOR in CREATORS


def _make(w: World, title: str, code: str, *, anonymous: bool, opened: bool):
    from surveys import services
    from surveys.models import Survey

    found = Survey.objects.filter(title=title).first()
    if found:
        return found
    survey = services.create_from_template(
        actor=None, code=code, title=title, community=w.plc, anonymous=anonymous
    )
    if opened:
        survey = services.open_survey(survey=survey, actor=None)
    return survey


def _anonymous(w: World):
    return _make(w, "Matrix needs survey", "needs", anonymous=True, opened=True)


def _named(w: World):
    return _make(w, "Matrix feedback survey", "event_feedback", anonymous=False, opened=True)


def _draft(w: World):
    return _make(w, "Matrix draft survey", "event_feedback", anonymous=True, opened=False)


def _answers(w: World) -> dict:
    survey = _anonymous(w)
    data = {}
    for q in survey.questions.prefetch_related("options"):
        if q.code == "subject":
            data[str(q.pk)] = q.options.all()[0].pk
        elif q.kind == "scale":
            data[str(q.pk)] = 4
    return data


def _responses(w: World) -> int:
    from surveys.models import Response

    return Response.objects.filter(survey__title="Matrix needs survey").count()


def _status(title: str):
    def reading(w: World):
        from surveys.models import Survey

        return Survey.objects.filter(title=title).values_list("status", flat=True).first()

    return reading


def _renamed(w: World) -> bool:
    from surveys.models import Survey

    return Survey.objects.filter(title="Renamed survey").exists()


def _count(title: str):
    def reading(w: World):
        from surveys.models import Survey

        return Survey.objects.filter(title=title).count()

    return reading


def _plan_items(w: World) -> int:
    from planning.models import AgendaItem

    return AgendaItem.objects.filter(meeting__plan=w.plan).count()


def _events(w: World) -> int:
    from events.models import Event

    return Event.objects.filter(organiser_community=w.plc).count()


def _map(w: World) -> str:
    _anonymous(w)
    return "/surveys/needs-map/"


_EDIT = {
    "title": "Renamed survey",
    "intro": "",
    "audience": "scope",
    "anonymous": "on",
    "save": "1",
}

ENDPOINTS: list[Endpoint] = [
    page("survey list", "get", lambda w: "/surveys/", SIGNED_IN),
    page("survey create form", "get", lambda w: "/surveys/new/", CREATORS),
    page(
        "survey create",
        "post",
        lambda w: "/surveys/new/",
        CREATORS,
        REDIRECT,
        data=lambda w: {
            "template": "needs",
            "owner": f"community:{w.plc.pk}",
            "title": "Matrix new",
            "anonymous": "default",
            "audience": "scope",
        },  # fmt: skip
        overrides=OTHER_CREATORS,
        changed=_count("Matrix new"),
    ),
    page("survey detail", "get", lambda w: f"/surveys/{_anonymous(w).pk}/", VIEWERS),
    page("survey builder", "get", lambda w: f"/surveys/{_draft(w).pk}/edit/", MANAGERS),
    page(
        "survey builder save",
        "post",
        lambda w: f"/surveys/{_draft(w).pk}/edit/",
        MANAGERS,
        REDIRECT,
        data=lambda w: _EDIT,
        changed=_renamed,
    ),
    page("survey builder row", "get", lambda w: f"/surveys/{_draft(w).pk}/edit/row/", MANAGERS),
    page(
        "survey open",
        "post",
        lambda w: f"/surveys/{_draft(w).pk}/open/",
        MANAGERS,
        REDIRECT,
        changed=_status("Matrix draft survey"),
    ),
    page(
        "survey close",
        "post",
        lambda w: f"/surveys/{_named(w).pk}/close/",
        MANAGERS,
        REDIRECT,
        changed=_status("Matrix feedback survey"),
    ),
    page(
        "survey delete",
        "post",
        lambda w: f"/surveys/{_draft(w).pk}/delete/",
        MANAGERS,
        REDIRECT,
        changed=_count("Matrix draft survey"),
    ),
    page("survey answer form", "get", lambda w: f"/surveys/{_anonymous(w).pk}/answer/", AUDIENCE),
    page(
        "survey answer (anonymous survey)",
        "post",
        lambda w: f"/surveys/{_anonymous(w).pk}/answer/",
        AUDIENCE,
        REDIRECT,
        data=lambda w: {f"q{k}": v for k, v in _answers(w).items()},
        changed=_responses,
    ),
    page("survey results", "get", lambda w: f"/surveys/{_named(w).pk}/results/", MANAGERS),
    page("survey results xlsx", "get", lambda w: f"/surveys/{_named(w).pk}/results.xlsx", MANAGERS),
    page("needs map", "get", _map, MANAGERS),
    page(
        "needs map plan item",
        "post",
        lambda w: (_anonymous(w), "/surveys/needs-map/plan-item/")[1],
        MANAGERS,
        REDIRECT,
        data=lambda w: {"area": "assessment", "plan": w.plan.pk},
        changed=_plan_items,
    ),
    page(
        "needs map event",
        "post",
        lambda w: (_anonymous(w), "/surveys/needs-map/event/")[1],
        MANAGERS,
        REDIRECT,
        data=lambda w: {"area": "assessment"},
        changed=_events,
    ),
    # -- API ------------------------------------------------------------------------------------
    api("survey list", "get", lambda w: "/surveys/", SIGNED_IN),
    api(
        "survey create",
        "post",
        lambda w: "/surveys/",
        MANAGERS,
        CREATED,
        data=lambda w: {"template": "needs", "title": "Matrix API new", "community": w.plc.pk},
        changed=_count("Matrix API new"),
    ),
    api(
        "survey detail",
        "get",
        lambda w: f"/surveys/{_anonymous(w).pk}/",
        VIEWERS,
        overrides=HIDDEN,
    ),
    api(
        "survey update",
        "patch",
        lambda w: f"/surveys/{_anonymous(w).pk}/",
        MANAGERS,
        data=lambda w: {"title": "Renamed survey"},
        overrides={**HIDDEN, **MEMBERS_REFUSED},
        changed=_renamed,
    ),
    api(
        "survey open",
        "post",
        lambda w: f"/surveys/{_draft(w).pk}/open/",
        MANAGERS,
        overrides=HIDDEN_DRAFT,
        changed=_status("Matrix draft survey"),
    ),
    api(
        "survey close",
        "post",
        lambda w: f"/surveys/{_named(w).pk}/close/",
        MANAGERS,
        overrides={**HIDDEN, **MEMBERS_REFUSED},
        changed=_status("Matrix feedback survey"),
    ),
    api(
        "survey respond (anonymous survey)",
        "post",
        lambda w: f"/surveys/{_anonymous(w).pk}/respond/",
        AUDIENCE,
        CREATED,
        data=lambda w: {"answers": _answers(w)},
        overrides=HIDDEN,
        changed=_responses,
    ),
    api(
        "survey results",
        "get",
        lambda w: f"/surveys/{_named(w).pk}/results/",
        MANAGERS,
        overrides={**HIDDEN, **MEMBERS_REFUSED},
    ),
]
