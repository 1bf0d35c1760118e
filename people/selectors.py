"""Reads for people and the teacher databank."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import (
    Case,
    DateField,
    Exists,
    F,
    Func,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextChoices,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Replace
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.text import clean_text, prefix_q, search_key
from organisations.models import Organisation, Territory

from . import permissions
from .models import (
    Achievement,
    Award,
    Course,
    CourseSupport,
    DatabankAccess,
    Person,
    Position,
    QualificationCategory,
    QualificationRecord,
    RoleAssignment,
    TeacherProfile,
)


def _databank_lists() -> list[Prefetch]:
    """A record's lists as plain lists (``course_list`` and the like).

    At 5,000 people a related manager per record costs seconds; a list attribute costs nothing.
    """
    return [
        Prefetch("teacher_profile__courses", queryset=Course.objects.all(), to_attr="course_list"),
        Prefetch("teacher_profile__awards", queryset=Award.objects.all(), to_attr="award_list"),
        Prefetch(
            "teacher_profile__achievements",
            queryset=Achievement.objects.all(),
            to_attr="achievement_list",
        ),
    ]


def _phone_digits(text: str) -> str | None:
    """The digits of a query that looks like a phone number, else None."""
    if not text or any(ch not in _PHONE_CHARS for ch in text):
        return None
    digits = "".join(ch for ch in text if ch.isdigit())
    return digits if len(digits) >= 5 else None


_PHONE_CHARS = set("0123456789+-() ")


def _digits_of(field: str):
    expression = F(field)
    for separator in ("+", "-", "(", ")", " "):
        expression = Replace(expression, Value(separator), Value(""))
    return expression


def people_list(
    *,
    q: str = "",
    organisation: int | None = None,
    territory: Territory | None = None,
    viewer=None,
) -> QuerySet[Person]:
    qs = Person.objects.filter(is_active=True).prefetch_related(
        Prefetch("positions", queryset=Position.objects.select_related("organisation"))
    )
    if q:
        key = search_key(q)
        q = clean_text(q).strip()
        phone = _phone_digits(q)
        # Names are searched by prefix of the indexed key (surname first), which scales to a
        # region. An e-mail or phone is matched exactly, and only among people whose contacts
        # the viewer may see: the answer for anyone else is the same as for an unknown address.
        if "@" in q or phone:
            contacts = Person.objects.filter(permissions.contacts_visible_q(viewer))
            if phone:
                contacts = contacts.annotate(phone_digits=_digits_of("phone")).filter(
                    phone_digits=phone
                )
            else:
                contacts = contacts.filter(email__iexact=q)
            qs = qs.filter(pk__in=contacts.values("pk"))
        else:
            qs = qs.filter(prefix_q("search_name", key))
    if organisation:
        qs = qs.filter(positions__organisation_id=organisation).distinct()
    if territory is not None:
        qs = qs.filter(
            positions__organisation__territory__path__startswith=territory.path
        ).distinct()
    return qs.order_by("last_name", "first_name", "id")


def person_detail(pk: int) -> Person:
    return Person.objects.prefetch_related(
        Prefetch(
            "positions",
            queryset=Position.objects.select_related("organisation__territory"),
        ),
        "role_assignments__territory",
        "role_assignments__organisation",
        "role_assignments__network",
    ).get(pk=pk)


def databank_record(person: Person) -> TeacherProfile | None:
    return (
        TeacherProfile.objects.filter(person=person)
        .select_related("qualification_category", "category_sought")
        .prefetch_related("qualification_history__category", "courses", "awards", "achievements")
        .first()
    )


def organisation_databank(organisation: Organisation) -> QuerySet[Person]:
    """Everyone working at the organisation, with their databank record, for export."""
    return (
        Person.objects.filter(positions__organisation=organisation)
        .distinct()
        .select_related("teacher_profile__qualification_category")
        .prefetch_related(
            Prefetch(
                "positions",
                queryset=Position.objects.filter(organisation=organisation).select_related(
                    "organisation"
                ),
                to_attr="positions_here",
            ),
            *_databank_lists(),
        )
        .order_by("last_name", "first_name", "id")
    )


def access_log(organisation: Organisation) -> QuerySet[DatabankAccess]:
    staff = Position.objects.filter(organisation=organisation).values("person_id")
    return (
        DatabankAccess.objects.filter(subject_id__in=staff)
        .select_related("viewer", "subject")
        .order_by("-at", "-id")
    )


def categories_for(territory: Territory) -> QuerySet[QualificationCategory]:
    """Categories defined for the territory or any territory above it."""
    return QualificationCategory.objects.filter(territory_id__in=territory.ancestor_ids())


def organisation_databank_people(person_ids: list[int]) -> QuerySet[Person]:
    """Databank records of the given people with everything the export prints."""
    return (
        Person.objects.filter(pk__in=person_ids)
        .select_related("teacher_profile__qualification_category")
        .prefetch_related(
            Prefetch(
                "positions",
                queryset=Position.objects.select_related("organisation"),
                to_attr="positions_here",
            ),
            *_databank_lists(),
        )
    )


def people_to_pick() -> QuerySet[Person]:
    """Active people with where they work, for pickers (the label names the school)."""
    return Person.objects.filter(is_active=True).prefetch_related(
        Prefetch("positions", queryset=Position.objects.select_related("organisation"))
    )


def search_people(qs: QuerySet[Person], q: str) -> QuerySet[Person]:
    """People by the start of their name (surname first), as the directory searches them."""
    return qs.filter(prefix_q("search_name", search_key(q))).order_by(
        "last_name", "first_name", "id"
    )


def person_label(person: Person) -> str:
    places = sorted(
        {p.organisation.short_name or p.organisation.name for p in person.positions.all()}
    )
    return f"{person.full_name} — {', '.join(places)}" if places else person.full_name


def search_people_or_login(qs: QuerySet[Person], q: str) -> QuerySet[Person]:
    """A typed name, or a login or e-mail given whole (how members were added before pickers)."""
    q = clean_text(q).strip()
    exact = qs.filter(username=q) | qs.filter(email__iexact=q) if q else qs.none()
    if exact.exists():
        return exact.order_by("id")
    return search_people(qs, q)


# ---------------------------------------------------------------------------------------------
# Attestation and growth (issue 8): upcoming attestations, composition, portfolio
# ---------------------------------------------------------------------------------------------


class AddYears(Func):
    """``date + n years`` in the database (n may be a column): a category's validity is data."""

    arity = 2
    output_field = DateField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="date(%(expressions)s || ' years')",
            arg_joiner=", '+' || ",
            **extra,
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="CAST((%(expressions)s * interval '1 year') AS date)",
            arg_joiner=" + ",
            **extra,
        )


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last))


class AttestationStatus(TextChoices):
    DUE = "due", _("Due within the period, overdue included")
    UPCOMING = "upcoming", _("Upcoming within the period")
    OVERDUE = "overdue", _("Overdue")
    ALL = "all", _("Everyone")


def level_trained_q(trained: bool | None, prefix: str = "") -> Q:
    """Teachers who completed (or did not) a level-programme course (000 §2.2.4)."""
    if trained is None:
        return Q()
    courses = Course.objects.filter(
        profile_id=OuterRef(f"{prefix}pk"), kind=Course.Kind.LEVEL
    ).values("pk")
    return Q(Exists(courses)) if trained else ~Q(Exists(courses))


def attestations(
    people: QuerySet[Person],
    *,
    today: dt.date | None = None,
    months: int = 12,
    status: str = AttestationStatus.DUE,
    category: str = "",
    level_trained: bool | None = None,
    q: str = "",
) -> QuerySet[TeacherProfile]:
    """Databank records of `people` with when each is due for attestation (``due_on``).

    The date is the one the school recorded (``next_attestation_on``); without it, the last
    category's assignment (the record's, else the latest in the history) plus the category's
    validity. ``held_category`` names the category held now.
    """
    today = today or timezone.localdate()
    until = add_months(today, months)
    latest = QualificationRecord.objects.filter(profile_id=OuterRef("pk")).order_by(
        "-assigned_on", "-id"
    )
    qs = (
        TeacherProfile.objects.filter(person__in=people.values("pk"), person__is_active=True)
        .select_related("person", "category_sought")
        .prefetch_related(
            Prefetch(
                "person__positions",
                queryset=Position.objects.select_related("organisation"),
                to_attr="position_list",
            )
        )
        .annotate(
            held_category=Coalesce(
                F("qualification_category__name"), Subquery(latest.values("category__name")[:1])
            ),
            held_since=Coalesce(
                F("category_assigned_on"), Subquery(latest.values("assigned_on")[:1])
            ),
            held_validity=Case(
                When(
                    qualification_category__isnull=False,
                    then=F("qualification_category__validity_years"),
                ),
                default=Subquery(latest.values("category__validity_years")[:1]),
            ),
            level_trained=Exists(
                Course.objects.filter(profile_id=OuterRef("pk"), kind=Course.Kind.LEVEL)
            ),
        )
        .annotate(
            due_on=Coalesce(
                F("next_attestation_on"),
                AddYears(F("held_since"), F("held_validity")),
                output_field=DateField(),
            )
        )
    )
    if status == AttestationStatus.OVERDUE:
        qs = qs.filter(due_on__lt=today)
    elif status == AttestationStatus.UPCOMING:
        qs = qs.filter(due_on__gte=today, due_on__lte=until)
    elif status == AttestationStatus.DUE:
        qs = qs.filter(due_on__lte=until)
    if category:
        qs = qs.filter(held_category=category)
    if level_trained is not None:
        qs = qs.filter(level_trained=level_trained)
    if q:
        qs = qs.filter(prefix_q("person__search_name", search_key(q)))
    return qs.order_by(
        F("due_on").asc(nulls_last=True), "person__last_name", "person__first_name", "pk"
    )


def attestation_of(person: Person, today: dt.date | None = None) -> TeacherProfile | None:
    """The person's databank record read as the attestation lists read it (``held_category``,
    ``held_since``, ``due_on``, ``level_trained``), whenever due; None without a record."""
    rows = attestations(
        Person.objects.filter(pk=person.pk), today=today, status=AttestationStatus.ALL
    )
    return rows.first()


def category_names(territory: Territory | None = None) -> list[str]:
    """Category names to filter by: the territory's (and those above it), or all."""
    qs = QualificationCategory.objects.all()
    if territory is not None:
        qs = qs.filter(
            Q(territory_id__in=territory.ancestor_ids())
            | Q(territory__path__startswith=territory.path)
        )
    return sorted(set(qs.values_list("name", flat=True)))


def people_of_organisation(organisation: Organisation) -> QuerySet[Person]:
    return Person.objects.filter(positions__organisation=organisation)


def people_of_territories(paths: list[str] | None) -> QuerySet[Person]:
    """People working in the territories under `paths`; None: everywhere (the superuser)."""
    if paths is None:
        return Person.objects.all()
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(positions__organisation__territory__path__startswith=path)
    return Person.objects.filter(q)


# Experience bands of a composition (years of teaching experience, 004 doc. 2): (upper, label).
EXPERIENCE_BANDS = (
    (3, _("up to 3 years")),
    (5, _("3 to 5 years")),
    (10, _("5 to 10 years")),
    (20, _("10 to 20 years")),
    (None, _("20 years and more")),
)


def experience_band(years: int | None) -> str:
    if years is None:
        return str(_("not given"))
    for upper, label in EXPERIENCE_BANDS:
        if upper is None or years < upper:
            return str(label)
    return str(EXPERIENCE_BANDS[-1][1])  # pragma: no cover - the last band has no bound


@dataclass(frozen=True)
class Composition:
    """Who the teachers of a group are (004 doc. 2) and what they study on their own (doc. 6)."""

    total: int
    level_trained: int
    by_category: list[tuple[str, int]]
    by_education: list[tuple[str, int]]
    by_experience: list[tuple[str, int]]
    topics: list[tuple[str, str]]  # (full name, self-education topic), by name


def _counted(values: list[str], order: list[str] | None = None) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    keys = order if order is not None else sorted(counts, key=lambda k: (-counts[k], k))
    return [(key, counts[key]) for key in keys if counts.get(key)]


def composition(people: QuerySet[Person], *, level_trained: bool | None = None) -> Composition:
    """Counts over the people's databank records, in one query whatever their number."""
    rows = list(
        Person.objects.filter(pk__in=people.values("pk"), is_active=True)
        .filter(level_trained_q(level_trained, "teacher_profile__"))
        .annotate(
            trained=Exists(
                Course.objects.filter(
                    profile__person_id=OuterRef("pk"), kind=Course.Kind.LEVEL
                ).values("pk")
            )
        )
        .order_by("last_name", "first_name", "id")
        .values(
            "last_name",
            "first_name",
            "middle_name",
            "username",
            "trained",
            "teacher_profile__qualification_category__name",
            "teacher_profile__education",
            "teacher_profile__experience_teaching",
            "teacher_profile__self_education_topic",
        )
    )
    not_given = str(_("not given"))
    categories, education, experience, topics = [], [], [], []
    for row in rows:
        categories.append(
            row["teacher_profile__qualification_category__name"] or str(_("no category"))
        )
        education.append((row["teacher_profile__education"] or "").strip() or not_given)
        experience.append(experience_band(row["teacher_profile__experience_teaching"]))
        topic = (row["teacher_profile__self_education_topic"] or "").strip()
        if topic:
            name = " ".join(
                p for p in (row["last_name"], row["first_name"], row["middle_name"]) if p
            )
            topics.append((name or row["username"], topic))
    bands = [str(label) for _upper, label in EXPERIENCE_BANDS] + [not_given]
    return Composition(
        total=len(rows),
        level_trained=sum(1 for row in rows if row["trained"]),
        by_category=_counted(categories),
        by_education=_counted(education),
        by_experience=_counted(experience, order=bands),
        topics=topics,
    )


def course_supports(profile: TeacherProfile) -> QuerySet[CourseSupport]:
    return CourseSupport.objects.filter(profile=profile).select_related("course", "supporter")


@dataclass
class Portfolio:
    """A teacher's portfolio (004 doc. 15): the databank over the last years, and the sections
    the apps above add (``people.signals.portfolio_sections``)."""

    person: Person
    record: TeacherProfile | None
    since_year: int
    history: list[QualificationRecord]
    courses: list[Course]
    awards: list[Award]
    achievements: list[Achievement]
    sections: list = field(default_factory=list)

    @property
    def positions(self) -> list[Position]:
        return list(self.person.positions.all())


PORTFOLIO_YEARS = 3


def portfolio(person: Person, *, today: dt.date | None = None, viewer=None) -> Portfolio:
    """The portfolio of `person` (already read with ``person_detail``) over the last 3 years."""
    from .signals import portfolio_sections

    today = today or timezone.localdate()
    since_year = today.year - PORTFOLIO_YEARS
    since = dt.date(since_year, 1, 1)
    record = (
        TeacherProfile.objects.filter(person=person)
        .select_related("qualification_category", "category_sought")
        .first()
    )
    history: list[QualificationRecord] = []
    courses: list[Course] = []
    awards: list[Award] = []
    achievements: list[Achievement] = []
    if record is not None:
        history = list(record.qualification_history.select_related("category"))
        courses = list(
            record.courses.filter(Q(completed_on__gte=since) | Q(completed_on__isnull=True))
        )
        awards = list(record.awards.filter(Q(year__gte=since_year) | Q(year__isnull=True)))
        achievements = list(record.achievements.filter(year__gte=since_year))
    result = Portfolio(
        person=person,
        record=record,
        since_year=since_year,
        history=history,
        courses=courses,
        awards=awards,
        achievements=achievements,
    )
    result.sections = portfolio_sections.sections(Person, person=person, since=since, viewer=viewer)
    return result


# --- The interface language -------------------------------------------------------------------

_DEFAULT_LANGUAGE = "_territory_language"  # attribute caching a person's territory default


def territory_languages(person_ids: Iterable[int]) -> dict[int, str]:
    """Each person's default language: that of the territory they work in (their main post's
    school, else the scope of a role), else of the nearest enclosing territory that sets one,
    else the site's. A few queries per 2000 people, whatever their number."""
    ids = list(dict.fromkeys(person_ids))
    paths: dict[int, str] = {}
    for start in range(0, len(ids), 2000):
        chunk = ids[start : start + 2000]
        rows = (
            Position.objects.filter(person_id__in=chunk)
            .order_by("person_id", "-is_main", "id")
            .values_list("person_id", "organisation__territory__path")
        )
        for person_id, path in rows:
            paths.setdefault(person_id, path)
        without = [pk for pk in chunk if pk not in paths]
        if without:
            roles = (
                RoleAssignment.objects.filter(person_id__in=without)
                .order_by("person_id", "id")
                .values_list("person_id", "territory__path", "organisation__territory__path")
            )
            for person_id, territory_path, organisation_path in roles:
                if territory_path or organisation_path:
                    paths.setdefault(person_id, territory_path or organisation_path)
    territory_ids = {int(part) for path in paths.values() for part in path.split("/") if part}
    chosen: dict[int, str] = {}
    pending = list(territory_ids)
    for start in range(0, len(pending), 2000):
        chosen.update(
            Territory.objects.filter(pk__in=pending[start : start + 2000])
            .exclude(language="")
            .values_list("pk", "language")
        )
    result = {}
    for pk in ids:
        nearest_first = [int(part) for part in reversed(paths.get(pk, "").split("/")) if part]
        result[pk] = next((chosen[t] for t in nearest_first if t in chosen), settings.LANGUAGE_CODE)
    return result


def remember_languages(people: Iterable) -> None:
    """Look up at once the territory default of those who chose no language, so `language_of`
    asks nothing more of the database for them (a notice to a whole region)."""
    undecided = [p for p in people if not p.language and not hasattr(p, _DEFAULT_LANGUAGE)]
    if undecided:
        defaults = territory_languages(p.pk for p in undecided)
        for person in undecided:
            setattr(person, _DEFAULT_LANGUAGE, defaults[person.pk])


def language_of(person) -> str:
    """The language Collegium speaks to a person: the one they chose, else their territory's
    default, else the site's. Pages, notices and e-mails all ask this."""
    if person.language:
        return person.language
    remember_languages([person])
    return getattr(person, _DEFAULT_LANGUAGE)
