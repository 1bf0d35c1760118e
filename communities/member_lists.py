"""A community's members from a list (moving in from a social-network group, 003 app. 2).

A curator has the group's members as a table — exported from the group or kept by hand — with
names and, often, e-mails. Each row is matched to a person already in Collegium (their school
imported them): by e-mail, then by login, then by full name among the teachers of the group's
region, narrowed by the school when the file names one. The check names every row that matches
nobody or several people; applying adds the matched people in one transaction and leaves out
the rest, which the curator follows up by hand (they are not in Collegium yet). Reading the
file reuses the teacher import's table reader (title rows, merged headers, encodings).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core import signing
from django.db.models import Q
from django.utils.translation import gettext as _

from core.text import search_key
from people.imports.files import read_file_bytes
from people.imports.headers import _locate, _text
from people.imports.report import ImportFileError, ImportSource
from people.models import Person, Position

from .models import Community, Membership

MAX_ROWS = 5000
CHUNK = 500  # IN-lists stay under SQLite's bind limit
TOKEN_SALT = "communities.member_list"
TOKEN_MAX_AGE = 60 * 60  # an hour to look the check over and apply it

_PATTERNS: list[tuple[str, re.Pattern]] = [
    (key, re.compile(rx))
    for key, rx in [
        ("number", r"^(№|#|n|no|нн|п п|номер)( ?п ?п)?$|^№ ?п ?п$"),
        ("email", r"\be ?mail\b|\bэлектронн\w* почт|\bэл почт|^почта$|\bемейл\b|\bимейл\b"),
        ("login", r"\bлогин\b|\blogin\b|\busername\b|\bимя пользовател"),
        (
            "full_name",
            r"\bфио\b|\bф и о\b|\bфамилия\b.*\bимя\b|\bfull name\b|^name$|^участник$|"
            r"^педагог$|^member$|^имя и фамилия$",
        ),
        ("last_name", r"^фамилия\b|\blast name\b|\bsurname\b"),
        ("first_name", r"^имя\b|\bfirst name\b|\bgiven name\b"),
        ("middle_name", r"^отчество\b|\bmiddle name\b|\bpatronymic\b"),
        (
            "organisation",
            r"\bшкол\w*\b|\bорганизац\w*\b|\bоо\b|\bоу\b|\bместо работы\b|\bschool\b|"
            r"\borganisation\b|\borganization\b",
        ),
    ]
]


def _usable(columns: dict[str, int]) -> bool:
    return (
        bool({"email", "login", "full_name"} & columns.keys())
        or {
            "last_name",
            "first_name",
        }
        <= columns.keys()
    )


def _no_header() -> ImportFileError:
    return ImportFileError(
        _(
            "Could not find the header row of the list. It needs a column with the full name "
            "(“ФИО”), the e-mail or the login; a column with the school helps to tell namesakes "
            "apart."
        )
    )


class Outcome:
    ADD = "add"
    MEMBER = "member"
    NOT_FOUND = "not_found"
    AMBIGUOUS = "ambiguous"


@dataclass
class ListRow:
    number: int  # the row in the file, as the user sees it
    shown: str  # the name, e-mail or login as written
    outcome: str
    person: Person | None = None
    message: str = ""


@dataclass
class MemberListCheck:
    rows: list[ListRow] = field(default_factory=list)

    @property
    def to_add(self) -> list[Person]:
        return [r.person for r in self.rows if r.outcome == Outcome.ADD and r.person]

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def problems(self) -> list[ListRow]:
        return [r for r in self.rows if r.outcome in (Outcome.NOT_FOUND, Outcome.AMBIGUOUS)]

    def token(self, community: Community) -> str:
        """The people to add, signed: applying adds exactly what the check showed."""
        return signing.dumps({"c": community.pk, "p": [p.pk for p in self.to_add]}, salt=TOKEN_SALT)


@dataclass
class _Wanted:
    number: int
    shown: str
    email: str = ""
    login: str = ""
    name: str = ""  # search_key of the full name
    organisation: str = ""  # search_key of the school's name


def _read(data: bytes) -> list[_Wanted]:
    table, header, _kind = _locate(data, _PATTERNS, _usable, _no_header)
    cols = header.columns
    wanted: list[_Wanted] = []
    for number, _values in table.rows:
        if number <= header.last_row:
            continue

        def cell(key: str, number: int = number) -> str:
            return _text(table.filled(number, cols[key])) if key in cols else ""

        name = cell("full_name") or " ".join(
            p for p in (cell("last_name"), cell("first_name"), cell("middle_name")) if p
        )
        email, login = cell("email").lower(), cell("login").lower()
        if not (name or email or login):
            continue  # a blank or a separator row
        if "number" in cols and not (email or login) and name.replace(".", "").isdigit():
            continue  # the numbering row under a header
        if len(wanted) >= MAX_ROWS:
            raise ImportFileError(
                _("The list has more than %(n)d rows: split it into several files.")
                % {"n": MAX_ROWS}
            )
        wanted.append(
            _Wanted(
                number=number,
                shown=name or email or login,
                email=email,
                login=login,
                name=search_key(name),
                organisation=search_key(cell("organisation")),
            )
        )
    if not wanted:
        raise ImportFileError(_("The list has no rows under its header."))
    return wanted


def _chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _region_of(community: Community) -> str:
    return community.territory.path.split("/")[1] if community.territory.path else ""


def _people_by(field_name: str, values: set[str], region: str) -> dict[str, list[Person]]:
    """People of the group's region by e-mail or login: a list never tells who else in the
    country has an account (it would turn guessed addresses into names)."""
    found: dict[str, list[Person]] = defaultdict(list)
    lookup = {"email": "email__iexact", "username": "username__iexact"}[field_name]
    in_region = (
        Q(
            pk__in=Position.objects.filter(
                organisation__territory__path__startswith=f"/{region}/"
            ).values("person_id")
        )
        if region
        else Q()
    )
    for chunk in _chunks(sorted(values)):
        q = Q()
        for value in chunk:
            q |= Q(**{lookup: value})
        for person in Person.objects.filter(q, in_region, is_active=True).only(
            "pk", "username", "email", "first_name", "last_name", "middle_name"
        ):
            found[getattr(person, field_name).lower()].append(person)
    return found


def _namesakes(community: Community, names: set[str]) -> dict[str, list[tuple[Person, str]]]:
    """People of the group's region by name key, each with the names of their schools: the
    full key, or the key without the patronymic for a list that has none."""
    region = _region_of(community)
    found: dict[str, list[tuple[Person, str]]] = defaultdict(list)
    for chunk in _chunks(sorted(names)):
        q = Q()
        for name in chunk:
            q |= Q(search_name=name) | Q(search_name__startswith=name + " ")
        people = Person.objects.filter(q, is_active=True).only(
            "pk", "username", "first_name", "last_name", "middle_name", "search_name"
        )
        schools: dict[int, list[str]] = defaultdict(list)
        positions = Position.objects.filter(person__in=people)
        if region:
            positions = positions.filter(organisation__territory__path__startswith=f"/{region}/")
        for person_id, school in positions.values_list("person_id", "organisation__name"):
            schools[person_id].append(search_key(school))
        for person in people:
            if region and person.pk not in schools:
                continue  # a namesake elsewhere in the country is not this group's teacher
            words = person.search_name.split()
            entry = (person, " | ".join(schools[person.pk]))
            found[person.search_name].append(entry)
            if len(words) > 2:
                found[" ".join(words[:2])].append(entry)
    return found


def check_member_list(*, community: Community, file: ImportSource) -> MemberListCheck:
    """What adding the list's people would do, row by row; nothing is written."""
    wanted = _read(read_file_bytes(file))
    region = _region_of(community)
    by_email = _people_by("email", {w.email for w in wanted if w.email}, region)
    by_login = _people_by("username", {w.login for w in wanted if w.login}, region)
    by_name = _namesakes(community, {w.name for w in wanted if w.name})
    members = set(
        Membership.objects.filter(community=community).values_list("person_id", flat=True)
    )
    check, seen = MemberListCheck(), set()
    for w in wanted:
        candidates: list[Person] = []
        for key, table in ((w.email, by_email), (w.login, by_login)):
            if key and not candidates:
                candidates = table.get(key, [])
        if not candidates and w.name:
            entries = by_name.get(w.name, [])
            if w.organisation and len(entries) > 1:
                entries = [e for e in entries if w.organisation in e[1]] or entries
            candidates = [person for person, _schools in entries]
        row = ListRow(number=w.number, shown=w.shown, outcome=Outcome.NOT_FOUND)
        if len(candidates) > 1:
            row.outcome = Outcome.AMBIGUOUS
            row.message = _(
                "%(n)d people of the region have this name: add their e-mail or school to the row."
            ) % {"n": len(candidates)}
        elif not candidates:
            row.message = _(
                "Nobody in Collegium has this e-mail, login or name in the region: their school "
                "has not added them yet, or the name is written differently."
            )
        else:
            row.person = candidates[0]
            if row.person.pk in members or row.person.pk in seen:
                row.outcome = Outcome.MEMBER
                row.message = (
                    _("Already a member.")
                    if row.person.pk in members
                    else _("The same person is on an earlier row.")
                )
            else:
                row.outcome = Outcome.ADD
                seen.add(row.person.pk)
        check.rows.append(row)
    return check


def people_of_token(token: str, community: Community) -> list[int]:
    """The person ids a check signed for this community; a forged or old token gives an error."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ImportFileError(
            _("The check is more than an hour old: check the list again.")
        ) from exc
    except signing.BadSignature as exc:
        raise ImportFileError(_("The check could not be read: check the list again.")) from exc
    if not isinstance(data, dict) or data.get("c") != community.pk:
        raise ImportFileError(_("The check was made for another community."))
    ids = data.get("p")
    if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
        raise ImportFileError(_("The check could not be read: check the list again."))
    return ids
