"""The permission matrix's vocabulary: outcomes, role groups, ``Endpoint`` and its builders.

core/tests/test_permission_matrix.py holds the rows of the apps below it and the tests; each later
app keeps its own rows in ``<app>/tests/matrix.py`` (a list ``ENDPOINTS`` built with ``page`` and
``api``), which the matrix collects (``APP_MATRICES``). Objects an app's rows need and the shared
world lacks are made by its helpers on first use and kept on the world.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .conftest import (
    ADMIN_A,
    ADMIN_B,
    ANON,
    CENTRE,
    CENTRE_OTHER,
    COORDINATOR,
    CURATOR,
    LEADER,
    MEMBER,
    ROLES,
    SIGNED_IN,
    SUPERUSER,
    TEACHER_C,
    World,
)

# ---------------------------------------------------------------------------------------------
# Outcomes
# ---------------------------------------------------------------------------------------------
OK = 200
CREATED = 201
NO_CONTENT = 204
NOT_FOUND = 404
UNAUTHORISED = 401
FORBIDDEN = 403
REDIRECT = "redirect to a page other than the login page"
LOGIN = "redirect to /accounts/login/"
DENIED = "denied"  # resolved per role: FORBIDDEN, or LOGIN / UNAUTHORISED for anonymous
FORM = "200, form shown again with an error, nothing changed"
DATABANK = "200 with the databank record (and contacts); a view by someone else is logged"
NO_DATABANK = "200 without the databank record or contacts; nothing logged"
SUCCESS = (OK, CREATED, NO_CONTENT, REDIRECT, DATABANK)

EVERYONE = ROLES
CENTRE_ADMINS = [SUPERUSER, CENTRE]  # the superuser and the centre admin of the region
ANY_CENTRE_ADMIN = [SUPERUSER, CENTRE, CENTRE_OTHER]  # may create organisations, edit kind rules
STAFF = [*ANY_CENTRE_ADMIN, CURATOR, COORDINATOR, ADMIN_A, ADMIN_B]  # may open "create community"
PLC_ADMINS = [*CENTRE_ADMINS, ADMIN_A]  # administer communities hosted by school A
PLC_MANAGERS = [*PLC_ADMINS, LEADER]
MEMBER_RECORD = [*PLC_ADMINS, MEMBER]  # may see, edit and export the PLC member's record
MEMBER_RECORD_VIEWERS = [*MEMBER_RECORD, LEADER]  # the PLC's leader sees it too (004 doc. 2, 6)
MEMBERS_ONLY_VIEWERS = [*PLC_ADMINS, MEMBER]
# Internal communities are seen within the host's region: school A's PLC and the region's pair
# are hidden from those of the other region (filtered out of their API querysets).
OTHER_REGION = [CENTRE_OTHER, TEACHER_C]
IN_REGION = [r for r in SIGNED_IN if r not in OTHER_REGION]
HIDDEN_ELSEWHERE = dict.fromkeys(OTHER_REGION, NOT_FOUND)
# The members-only group's meeting: its members and administrators, plus TEACHER_C, a guest
# invited to that one meeting. REMOVED attended it and was assigned its decision, but has since
# been removed from the group, so gets what any outsider gets.
PRIVATE_MEETING_VIEWERS = [*MEMBERS_ONLY_VIEWERS, TEACHER_C]
PRIVATE_HIDDEN = {r: NOT_FOUND for r in SIGNED_IN if r not in PRIVATE_MEETING_VIEWERS}


@dataclass
class Endpoint:
    name: str
    method: str
    url: Callable[[World], str]
    allow: list[str]
    ok: object = OK
    data: Callable[[World], dict] | None = None
    api: bool = False
    overrides: dict[str, object] = field(default_factory=dict)
    changed: Callable[[World], object] | None = None
    bugs: dict[str, str] = field(default_factory=dict)
    # The roles whose call changes the database; by default the allowed ones that succeed.
    effect: list[str] | None = None

    def expected(self, role: str) -> object:
        if role in self.overrides:
            return self.overrides[role]
        if role in self.allow:
            return self.ok
        if role == ANON:
            return UNAUTHORISED if self.api else LOGIN
        return FORBIDDEN

    @property
    def writes(self) -> bool:
        return self.method != "get"

    def changes(self, role: str) -> bool:
        if self.effect is not None:
            return role in self.effect
        return role in self.allow and self.expected(role) in SUCCESS


def page(name, method, url, allow, ok=OK, **kw) -> Endpoint:
    return Endpoint(f"page {name}", method, url, allow, ok, **kw)


def api(name, method, url, allow, ok=OK, **kw) -> Endpoint:
    return Endpoint(f"api {name}", method, lambda w: "/api/v1" + url(w), allow, ok, api=True, **kw)
