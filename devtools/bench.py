"""Synthetic regions and page timings for `manage.py bench` (devtools/management/commands/).

Three parts, usable on their own:

* `generate_region(size)` fills the *current* default database with one invented region
  (territories, organisations, networks, teachers with positions and databank records,
  communities with members, role assignments) using bulk inserts, and returns the ids the
  measurements need. It is what the tests call against the test database.
* `bench_database(size)` points the default connection at a throwaway database
  (bench-<size>.sqlite3 in the project root, or <name>_bench_<size> next to the PostgreSQL
  database of DATABASE_URL), migrates it, and drops it afterwards unless asked to keep it.
* `measure()` requests every target URL with the test client and reports median and p95
  server time and the number of SQL queries; `render_table()` and `verdicts()` summarise.

All names are invented: first names, patronymics and surname stems are combined
pseudo-randomly with a fixed seed, so every run builds the same region.
"""

from __future__ import annotations

import gc
import json
import logging
import math
import random
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from communities.models import Community, CommunityKind, Membership
from organisations.models import Network, NetworkMembership, Organisation, Territory
from people.models import Person, Position, QualificationCategory, RoleAssignment, TeacherProfile

BATCH_SIZE = 2000
SEED = 20240901
BENCH_PASSWORD = "bench-password-not-secret"


# --------------------------------------------------------------------------------------------
# Sizes


@dataclass(frozen=True)
class Size:
    code: str
    organisations: int
    teachers: int
    communities: int
    districts: int
    # Staff of the one large organisation whose databank is exported (5,000 at L, as the
    # issue's "databank XLSX of a 5,000-person organisation" asks).
    largest_staff: int = 0
    # Events of the region (issue 8: 10,000 at L), each with about 20 registrations.
    events: int = 0
    # What search goes through (issue 10: a million posts and 100,000 resources at L).
    posts: int = 0
    resources: int = 0

    @property
    def networks(self) -> int:
        return max(1, self.organisations // 20)


SIZES: dict[str, Size] = {
    # XS is for the test suite and quick smoke runs; S/M/L are the benchmark sizes.
    "XS": Size(
        "XS",
        organisations=5,
        teachers=30,
        communities=6,
        districts=2,
        largest_staff=10,
        events=12,
        posts=60,
        resources=12,
    ),  # fmt: skip
    "S": Size(
        "S",
        organisations=20,
        teachers=1_000,
        communities=100,
        districts=10,
        largest_staff=300,
        events=200,
        posts=10_000,
        resources=1_000,
    ),
    "M": Size(
        "M",
        organisations=200,
        teachers=10_000,
        communities=1_000,
        districts=20,
        largest_staff=2_000,
        events=2_000,
        posts=100_000,
        resources=10_000,
    ),
    "L": Size(
        "L",
        organisations=1_000,
        teachers=50_000,
        communities=5_000,
        districts=30,
        largest_staff=5_000,
        events=10_000,
        posts=1_000_000,
        resources=100_000,
    ),
}
DEFAULT_SIZES = ("S", "M", "L")


def parse_sizes(value: str) -> list[Size]:
    """ "S,M,L" -> [Size, …]; unknown codes raise ValueError naming the known ones."""
    sizes = []
    for code in (part.strip().upper() for part in value.split(",")):
        if not code:
            continue
        if code not in SIZES:
            raise ValueError(f"unknown size {code!r}; known: {', '.join(SIZES)}")
        sizes.append(SIZES[code])
    if not sizes:
        raise ValueError("no sizes given")
    return sizes


# --------------------------------------------------------------------------------------------
# Invented names

# Space-separated to keep the lists short; "ё" appears on purpose (search folds it to "е").
MALE_FIRST = "Алексей Артём Борис Вадим Глеб Денис Егор Илья Кирилл Лев Матвей Никита Олег Пётр \
Роман Семён Тимур Фёдор".split()
FEMALE_FIRST = "Алёна Анна Вера Галина Дарья Елена Жанна Зоя Инна Ксения Лариса Марина Нина Ольга \
Полина Светлана Таисия".split()
PATRONYMIC_ROOTS = "Алексее Андрее Борисо Василье Геннадье Дмитрие Евгенье Игоре Константино \
Максимо Николае Олего Павло Сергее".split()
# Invented or generic-word surnames, "male/female".
SURNAMES = [
    tuple(pair.split("/"))
    for pair in """Берёзкин/Берёзкина Воронов/Воронова Глинкин/Глинкина Дубравинов/Дубравинова
    Ельников/Ельникова Жаворонков/Жаворонкова Зарецкий/Зарецкая Ивушкин/Ивушкина
    Калиновский/Калиновская Липаткин/Липаткина Мельниченков/Мельниченкова Ольховский/Ольховская
    Полянкин/Полянкина Рябинкин/Рябинкина Семёнков/Семёнкова Токарев/Токарева
    Черёмухин/Черёмухина Ясеневский/Ясеневская Кленовских/Кленовских Озерков/Озеркова""".split()
]
SEARCH_PREFIX = "ворон"  # a surname prefix that exists at every size (the people search query)
SUBJECTS = [
    "Математика", "Русский язык", "Литература", "Физика", "Химия", "Биология", "История",
    "География", "Английский язык", "Информатика", "Начальные классы", "Физическая культура",
    "Музыка", "ИЗО",
]  # fmt: skip
DISTRICT_ROOTS = "Берёзовский Заречный Озёрный Сосновский Луговой Каменский Ключевской Полевой \
Светлогорский Тихоновский".split()
DISTRICT_SUFFIXES = ["", " Северный", " Южный"]
THEMES = [
    "Формирующее оценивание", "Функциональная грамотность", "Смысловое чтение",
    "Проектная деятельность", "Исследование урока", "Инклюзивное обучение",
]  # fmt: skip


def invented_person(rng: random.Random) -> tuple[str, str, str]:
    """(last, first, middle) from the fixed lists; about 70 % are women, as in schools."""
    female = rng.random() < 0.7
    male_last, female_last = rng.choice(SURNAMES)
    last = female_last if female else male_last
    first = rng.choice(FEMALE_FIRST if female else MALE_FIRST)
    middle = rng.choice(PATRONYMIC_ROOTS) + ("вна" if female else "вич")
    return last, first, middle


# --------------------------------------------------------------------------------------------
# Generation


@dataclass
class Region:
    """What `generate_region` built: counts plus the ids the measurements point at."""

    size: str
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    region_id: int = 0
    centre_admin_id: int = 0
    school_admin_id: int = 0
    teacher_id: int = 0
    organisation_id: int = 0
    network_id: int = 0
    community_id: int = 0
    network_group_id: int = 0
    person_id: int = 0
    search_prefix: str = SEARCH_PREFIX
    plan_id: int = 0
    meeting_id: int = 0  # held, with minutes not yet signed (the minutes page opens)
    largest_organisation_id: int = 0
    calendar_token: str = ""
    calendar_meetings: int = 0
    event_id: int = 0  # held, with the most registrations and its certificates issued
    certificate_token: str = ""
    needs_survey_id: int = 0
    results_seconds: float = 0.0  # of `seconds`: the result rows and their summaries
    result_rows_seconds: float = 0.0  # of that, the rows alone
    school_year: int = 0  # the latest school year with results


def _bulk(model: type, objs: list) -> list:
    for obj in objs:
        if hasattr(obj, "compute_search_text"):  # bulk_create skips save()
            obj.search_text = obj.compute_search_text()
    created = model.objects.bulk_create(objs, batch_size=BATCH_SIZE)
    if created and created[0].pk is None:  # pragma: no cover - every supported backend returns ids
        raise RuntimeError(f"{connection.vendor} did not return primary keys for {model.__name__}")
    return created


def _person(username: str, names: tuple[str, str, str], password: str, **extra: Any) -> Person:
    last, first, middle = names
    person = Person(
        username=username,
        last_name=last,
        first_name=first,
        middle_name=middle,
        email=f"{username}@bench.invalid",
        password=password,
        **extra,
    )
    person.search_name = person.compute_search_name()  # bulk_create skips Person.save()
    return person


def _territories(size: Size) -> tuple[Territory, list[Territory]]:
    """Country > region > districts, saved one by one so Territory.save() sets the path."""
    country = Territory.objects.create(name="Страна (бенчмарк)", kind=Territory.Kind.COUNTRY)
    region = Territory.objects.create(
        name="Приозёрная область (бенчмарк)", kind=Territory.Kind.REGION, parent=country
    )
    districts = []
    for i in range(size.districts):
        root = DISTRICT_ROOTS[i % len(DISTRICT_ROOTS)]
        suffix = DISTRICT_SUFFIXES[(i // len(DISTRICT_ROOTS)) % len(DISTRICT_SUFFIXES)]
        kind = Territory.Kind.CITY if i % 7 == 3 else Territory.Kind.DISTRICT
        label = "городской округ" if kind == Territory.Kind.CITY else "район"
        districts.append(
            Territory.objects.create(name=f"{root}{suffix} {label}", kind=kind, parent=region)
        )
    return region, districts


ORG_KINDS = [
    (Organisation.Kind.SCHOOL, 60),
    (Organisation.Kind.GYMNASIUM, 10),
    (Organisation.Kind.LYCEUM, 8),
    (Organisation.Kind.BOARDING_SCHOOL, 3),
    (Organisation.Kind.KINDERGARTEN, 12),
    (Organisation.Kind.ADDITIONAL_EDUCATION, 7),
]
ORG_LABELS = {
    Organisation.Kind.SCHOOL: ("МБОУ «Средняя школа № {n}»", "СШ № {n}"),
    Organisation.Kind.GYMNASIUM: ("МБОУ «Гимназия № {n}»", "Гимназия № {n}"),
    Organisation.Kind.LYCEUM: ("МБОУ «Лицей № {n}»", "Лицей № {n}"),
    Organisation.Kind.BOARDING_SCHOOL: ("ГБОУ «Школа-интернат № {n}»", "Интернат № {n}"),
    Organisation.Kind.KINDERGARTEN: ("МБДОУ «Детский сад № {n}»", "Д/с № {n}"),
    Organisation.Kind.ADDITIONAL_EDUCATION: ("МБУ ДО «Дом творчества № {n}»", "ДТ № {n}"),
}


def _organisations(
    size: Size, rng: random.Random, districts: list[Territory]
) -> list[Organisation]:
    """The first organisation is the regional methodological centre; the rest are schools etc."""
    kinds = [k for k, _ in ORG_KINDS]
    weights = [w for _, w in ORG_KINDS]
    orgs = [
        Organisation(
            name="ГАУ ДПО «Региональный методический центр (бенчмарк)»",
            short_name="РМЦ",
            kind=Organisation.Kind.METHODOLOGICAL_CENTRE,
            territory=districts[0],
            email="rmc@bench.invalid",
        )
    ]
    for n in range(1, size.organisations):
        kind = rng.choices(kinds, weights)[0] if n > 1 else Organisation.Kind.SCHOOL
        name, short = ORG_LABELS[kind]
        district = districts[n % len(districts)]
        orgs.append(
            Organisation(
                name=f"{name.format(n=n)}, {district.name}",
                short_name=short.format(n=n),
                kind=kind,
                territory=district,
                address=f"ул. Школьная, д. {n}",
                email=f"school{n}@bench.invalid",
                phone=f"+7 900 {n:07d}",
                low_results=rng.random() < 0.1,
                difficult_conditions=rng.random() < 0.08,
                high_results=rng.random() < 0.12,
            )
        )
    return _bulk(Organisation, orgs)


def _networks(
    size: Size, rng: random.Random, region: Territory, schools: list[Organisation]
) -> tuple[list[Network], int]:
    """About one network per 20 organisations: a lead school, magnet schools and partners."""
    leads = [o for o in schools if o.high_results] or schools
    networks = []
    for i in range(size.networks):
        lead = leads[i % len(leads)]
        start = 2022 + i % 3
        networks.append(
            Network(
                name=f"Сеть «{THEMES[i % len(THEMES)]}» № {i + 1}",
                territory=region if i % 3 == 0 else lead.territory,
                lead_school=lead,
                description="Сетевое взаимодействие школ (синтетические данные).",
                methodological_theme=THEMES[i % len(THEMES)],
                theme_start_year=start,
                theme_end_year=start + 3,
            )
        )
    networks = _bulk(Network, networks)
    members = []
    for network in networks:
        others = [o for o in schools if o.pk != network.lead_school_id]
        chosen = rng.sample(others, min(len(others), rng.randint(4, 9)))
        for j, org in enumerate(chosen):
            magnet = j == 0 or (j == 1 and len(chosen) > 6)  # big networks get two magnets
            role = NetworkMembership.Role.MAGNET if magnet else NetworkMembership.Role.PARTNER
            members.append(
                NetworkMembership(network=network, organisation=org, role=role, joined_on=None)
            )
    _bulk(NetworkMembership, members)
    return networks, len(members)


TITLES = [
    "Учитель", "Учитель", "Учитель", "Учитель", "Педагог-психолог", "Учитель-логопед",
    "Заместитель директора", "Педагог дополнительного образования", "Воспитатель",
]  # fmt: skip
CATEGORIES = [
    ("Высшая", 1, True), ("Первая", 2, True), ("Соответствие должности", 3, True),
    ("Вторая", 4, False),
]  # fmt: skip


def _teachers(
    size: Size,
    rng: random.Random,
    region: Territory,
    orgs: list[Organisation],
    password: str,
) -> tuple[list[Person], dict[int, list[int]], int]:
    """Teachers with a main position, sometimes a second one, and a databank record each."""
    schools = orgs[1:] or orgs
    people = [
        _person(f"t{i:06d}", invented_person(rng), password, date_joined=_joined(i))
        for i in range(size.teachers)
    ]
    people = _bulk(Person, people)

    categories = _bulk(
        QualificationCategory,
        [
            QualificationCategory(territory=region, name=name, order=order, is_current=current)
            for name, order, current in CATEGORIES
        ],
    )
    staff: dict[int, list[int]] = {o.pk: [] for o in orgs}
    positions: list[Position] = []
    profiles: list[TeacherProfile] = []
    today = date(2025, 9, 1)
    for i, person in enumerate(people):
        if i < size.largest_staff:
            org = schools[-1]
        else:
            rest = i - size.largest_staff
            org = schools[rest % len(schools)] if rest < len(schools) * 3 else rng.choice(schools)
        subject = rng.choice(SUBJECTS)
        title = rng.choice(TITLES)
        title = f"{title} ({subject.lower()})" if title == "Учитель" else title
        positions.append(
            Position(
                person=person,
                organisation=org,
                title=title,
                is_main=True,
                started_on=today - timedelta(days=rng.randint(100, 9000)),
            )
        )
        staff[org.pk].append(person.pk)
        if rng.random() < 0.05 and len(schools) > 1:
            second = rng.choice([o for o in schools[:50] if o.pk != org.pk] or schools)
            positions.append(
                Position(person=person, organisation=second, title="Совместитель", is_main=False)
            )
        total = rng.randint(1, 40)
        category = rng.choice(categories + [None])
        profiles.append(
            TeacherProfile(
                person=person,
                education="Высшее педагогическое",
                education_institution="Педагогический институт (бенчмарк)",
                specialty=subject,
                qualification_category=category,
                category_assigned_on=today - timedelta(days=rng.randint(30, 1800))
                if category
                else None,
                next_attestation_on=today + timedelta(days=rng.randint(30, 1800)),
                experience_total=total,
                experience_teaching=max(0, total - rng.randint(0, 3)),
                subjects=subject,
                workload_hours=Decimal(rng.choice(["18.0", "24.0", "27.0", "36.0"])),
                classes_taught="5–9",
                self_education_topic=rng.choice(THEMES),
            )
        )
    _bulk(Position, positions)
    _bulk(TeacherProfile, profiles)
    return people, staff, len(positions)


def _joined(i: int) -> datetime:
    return timezone.now() - timedelta(days=i % 1500)


def _kind_plan(kinds: dict[str, CommunityKind]) -> list[tuple[CommunityKind, int]]:
    """Share of each kind among generated communities; only kinds the database actually has."""
    shares = [
        ("school_plc", 40), ("micro_group", 12), ("lesson_study_team", 8),
        ("temporary_group", 8), ("coordination_council", 4), ("network_group", 16),
        ("consultative_council", 4), ("leaders_pair", 4), ("leaders_association", 4),
    ]  # fmt: skip
    plan = [(kinds[code], weight) for code, weight in shares if code in kinds]
    if not plan:
        raise RuntimeError("no community kinds: run the communities migrations first")
    return plan


def _communities(
    size: Size,
    rng: random.Random,
    region: Territory,
    districts: list[Territory],
    orgs: list[Organisation],
    networks: list[Network],
    people: list[Person],
    staff: dict[int, list[int]],
) -> tuple[list[Community], int]:
    kinds = {k.code: k for k in CommunityKind.objects.filter(country=CommunityKind.Country.RU)}
    plan = _kind_plan(kinds)
    schools = orgs[1:] or orgs
    person_ids = [p.pk for p in people]
    communities: list[Community] = []
    rosters: list[list[tuple[int, str]]] = []
    founded = date(2023, 9, 1)
    for i in range(size.communities):
        # The first two are fixed so every size has a school PLC and a network group to open.
        if i == 0 and "school_plc" in kinds:
            kind = kinds["school_plc"]
        elif i == 1 and "network_group" in kinds:
            kind = kinds["network_group"]
        else:
            kind = rng.choices([k for k, _ in plan], [w for _, w in plan])[0]
        subject = rng.choice(SUBJECTS)
        organisation = network = None
        if kind.host_type == CommunityKind.Host.ORGANISATION:
            organisation = schools[1 % len(schools)] if i == 0 else rng.choice(schools)
            territory = organisation.territory
            pool = staff.get(organisation.pk) or person_ids
        elif kind.host_type == CommunityKind.Host.NETWORK:
            network = rng.choice(networks)
            territory = network.territory
            pool = person_ids
        else:
            territory = region if rng.random() < 0.5 else rng.choice(districts)
            pool = person_ids
        if kind.max_members == 2 or kind.requires_pair_roles:
            count = 2
        else:
            count = rng.randint(5, 10)
        chosen = rng.sample(pool, min(count, len(pool)))
        if len(chosen) < count and pool is not person_ids:
            extra = [
                p
                for p in rng.sample(person_ids, min(len(person_ids), count * 2))
                if p not in chosen
            ]
            chosen += extra[: count - len(chosen)]
        roster: list[tuple[int, str]] = []
        for j, person_id in enumerate(chosen):
            if kind.requires_pair_roles:
                role = Membership.Role.MENTOR if j == 0 else Membership.Role.MENTEE
            elif j == 0:
                role = Membership.Role.LEADER
            elif j == 1 and count > 6:
                role = Membership.Role.SECRETARY
            else:
                role = Membership.Role.MEMBER
            roster.append((person_id, role))
        status = Community.Status.ACTIVE
        roll = rng.random()
        if i > 1 and roll < 0.04:
            status = Community.Status.ABOLISHED
        elif i > 1 and roll < 0.07:
            status = Community.Status.REORGANISED
        created_on = founded - timedelta(days=rng.randint(0, 1500))
        communities.append(
            Community(
                kind=kind,
                name=f"{kind.name}: {subject} № {i + 1}",
                description="Синтетическое сообщество для замеров производительности.",
                organisation=organisation,
                network=network,
                territory=territory,
                leader_id=chosen[0] if chosen else None,
                subject_area=subject if kind.single_subject else "",
                participant_category="Учителя",
                topic=rng.choice(THEMES),
                visibility=rng.choice(
                    [Community.Visibility.INTERNAL] * 3
                    + [Community.Visibility.PUBLIC, Community.Visibility.MEMBERS]
                ),
                status=status,
                created_on=created_on,
                creation_order_number=f"{i + 1}-ОД",
                creation_order_date=created_on,
                end_date=founded + timedelta(days=365) if kind.requires_end_date else None,
                closed_on=founded if status != Community.Status.ACTIVE else None,
                member_count=len(roster),
            )
        )
        rosters.append(roster)
    communities = _bulk(Community, communities)
    memberships = [
        Membership(
            community=c, person_id=pid, role=role, subject=c.subject_area, joined_on=c.created_on
        )
        for c, roster in zip(communities, rosters, strict=True)
        for pid, role in roster
    ]
    _bulk(Membership, memberships)
    return communities, len(memberships)


ICAL_MEETINGS = 400  # the teacher's calendar feed carries this many meetings (fewer at XS)
MEETINGS_PER_COMMUNITY = 6  # one a month: three held (with minutes), three to come


def _plans_and_meetings(
    rng: random.Random, communities: list[Community], rosters: dict[int, list[int]], teacher_id: int
) -> dict[str, Any]:
    """An approved plan and half a year of meetings per active community, with minutes,
    agenda questions, decisions and participants; the teacher is invited to ICAL_MEETINGS."""
    from meetings.models import (
        AgendaQuestion,
        CalendarFeed,
        Decision,
        Meeting,
        Minutes,
        Participant,
    )
    from planning.models import AgendaItem, Plan, PlannedMeeting
    from planning.models import Target as PlanTarget

    active = [c for c in communities if c.status == Community.Status.ACTIVE and rosters[c.pk]]
    plans = _bulk(
        Plan,
        [
            Plan(
                community=c, school_year=2025, status=Plan.Status.APPROVED,
                theme=c.topic, goals="Повышение качества преподавания.",
                tasks="Взаимопосещение уроков; исследование урока; открытые уроки.",
                priority_directions="Функциональная грамотность",
            )
            for c in active
        ],
    )  # fmt: skip
    _bulk(
        PlanTarget,
        [
            PlanTarget(
                plan=plan, order=k, indicator=f"Показатель {k + 1}: доля уроков с приёмами ФО",
                baseline=Decimal(rng.randint(10, 40)), target=Decimal(rng.randint(50, 90)),
                responsible="Руководитель сообщества",
            )
            for plan in plans
            for k in range(4)
        ],
    )  # fmt: skip
    planned = _bulk(
        PlannedMeeting,
        [
            PlannedMeeting(plan=plan, order=k, month=(9 + k - 1) % 12 + 1,
                           title=f"Заседание № {k + 1}: {plan.theme}")
            for plan in plans
            for k in range(MEETINGS_PER_COMMUNITY)
        ],
    )  # fmt: skip
    _bulk(
        AgendaItem,
        [
            AgendaItem(meeting=pm, order=k, section="Методическая работа",
                       action=f"Обсуждение вопроса {k + 1}", leaders="Руководитель",
                       done=rng.random() < 0.3)
            for pm in planned
            for k in range(3)
        ],
    )  # fmt: skip
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    meetings: list[Meeting] = []
    for n, community in enumerate(active):
        for k in range(MEETINGS_PER_COMMUNITY):
            held = k < MEETINGS_PER_COMMUNITY // 2
            starts = now + timedelta(days=30 * (k - 3) + 10, hours=n % 8)
            meetings.append(
                Meeting(
                    community=community, planned=planned[n * MEETINGS_PER_COMMUNITY + k],
                    title=f"Заседание № {k + 1}", starts_at=starts,
                    ends_at=starts + timedelta(hours=1, minutes=30), place="Кабинет 12",
                    chair_id=community.leader_id or rosters[community.pk][0],
                    status=Meeting.Status.HELD if held else Meeting.Status.SCHEDULED,
                )
            )  # fmt: skip
    meetings = _bulk(Meeting, meetings)
    participants = {(m.pk, pid) for m in meetings for pid in rosters[m.community_id]}
    # The teacher's feed: their own meetings, then others from the feed's window on.
    since = now - timedelta(days=80)
    own = {mid for mid, pid in participants if pid == teacher_id}
    extra = [m.pk for m in meetings if m.starts_at >= since and m.pk not in own]
    for mid in extra[: max(0, ICAL_MEETINGS - len(own))]:
        participants.add((mid, teacher_id))
    _bulk(
        Participant,
        [
            Participant(meeting_id=mid, person_id=pid, reply=rng.choice(["yes", "pending"]))
            for mid, pid in sorted(participants)
        ],
    )
    held = [m for m in meetings if m.status == Meeting.Status.HELD]
    questions = _bulk(
        AgendaQuestion,
        [
            AgendaQuestion(meeting=m, order=k, title=f"Вопрос {k + 1}", speakers="Руководитель",
                           summary="Обсудили опыт применения приёмов формирующего оценивания.")
            for m in held
            for k in range(2)
        ],
    )  # fmt: skip
    by_meeting: dict[int, int] = {}
    minutes = []
    for m in held:
        by_meeting[m.community_id] = by_meeting.get(m.community_id, 0) + 1
        last = by_meeting[m.community_id] == MEETINGS_PER_COMMUNITY // 2
        minutes.append(
            Minutes(meeting=m, community_id=m.community_id, school_year=2025,
                    number=by_meeting[m.community_id],
                    signed_by_id=None if last else m.chair_id,
                    signed_at=None if last else m.starts_at + timedelta(days=1))
        )  # fmt: skip
    _bulk(Minutes, minutes)
    today = timezone.localdate()
    _bulk(
        Decision,
        [
            Decision(
                meeting=q.meeting, question=q, community_id=q.meeting.community_id,
                text=f"Провести открытые уроки по теме «{q.title}».",
                assignee_id=rng.choice(rosters[q.meeting.community_id]),
                due_on=today + timedelta(days=rng.randint(-30, 90)),
                status=rng.choice(["open", "open", "in_progress", "done"]),
            )
            for q in questions
        ],
    )  # fmt: skip
    token = f"bench-{rng.getrandbits(128):032x}"
    CalendarFeed.objects.create(token=token, person_id=teacher_id, owner_id=teacher_id)
    first = active[0] if active else None
    open_minutes = next(
        (mi.meeting_id for mi in minutes if mi.signed_by_id is None
         and first is not None and mi.community_id == first.pk),
        meetings[0].pk if meetings else 0,
    )  # fmt: skip
    return {
        "plan_id": plans[0].pk if plans else 0,
        "meeting_id": open_minutes,
        "calendar_token": token,
        "calendar_meetings": sum(1 for _mid, pid in participants if pid == teacher_id),
        "counts": {
            "plans": len(plans),
            "meetings": len(meetings),
            "participants": len(participants),
            "minutes": len(minutes),
            "decisions": len(questions),
        },
    }


REGISTRATIONS_PER_EVENT = 20  # on average; 200,000 at L
LARGE_EVENT_REGISTRATIONS = 300  # the event whose page, attendance and certificates are timed
NEEDS_RESPONDENTS = {
    "XS": 12,
    "S": 300,
    "M": 2_000,
    "L": 5_000,
}  # teachers answering the needs survey


def _organiser(event_no: int, rng: random.Random, communities, schools, networks, region):
    """Who organises the n-th event: a community, a school, a network or the region's centre."""
    pick = event_no % 10
    if pick < 5:
        community = rng.choice(communities)
        return {"organiser_community": community, "territory": community.territory}
    if pick < 8:
        school = rng.choice(schools)
        return {"organiser_organisation": school, "territory": school.territory}
    if pick < 9:
        network = rng.choice(networks)
        return {"organiser_network": network, "territory": network.territory}
    return {"organiser_territory": region, "territory": region}


def _events(
    size: Size,
    rng: random.Random,
    region: Territory,
    communities: list[Community],
    schools: list[Organisation],
    networks: list[Network],
    people: list[Person],
    teacher_id: int,
) -> dict[str, Any]:
    """The region's events of a school year: held ones (with attendance) before today and
    announced ones after, about REGISTRATIONS_PER_EVENT registrations each, the teacher
    registered for some; one large held event gets its certificates issued by the service."""
    from certificates import services as certificate_services
    from events.models import Event, EventKind, Registration

    kinds = list(EventKind.objects.filter(is_series=False, has_protocol=False).order_by("id"))
    now = timezone.now()
    events = []
    for n in range(size.events):
        held = n % 5 < 3
        days = rng.randint(1, 90)
        starts = now - timedelta(days=days) if held else now + timedelta(days=days)
        kind = kinds[n % len(kinds)]
        events.append(
            Event(
                kind=kind,
                title=f"{kind.name}: {rng.choice(THEMES)}",
                subject=rng.choice(SUBJECTS),
                audience=Event.Audience.OPEN if n % 3 else Event.Audience.TERRITORY,
                starts_at=starts.replace(minute=0, second=0, microsecond=0),
                ends_at=starts.replace(minute=0, second=0, microsecond=0) + timedelta(hours=2),
                place="Актовый зал",
                capacity=None if n % 2 or n == 0 else 30,
                status=Event.Status.HELD if held else Event.Status.ANNOUNCED,
                held_at=starts + timedelta(hours=2) if held else None,
                responsible_id=rng.choice(people).pk,
                **_organiser(n, rng, communities, schools, networks, region),
            )
        )
    events = _bulk(Event, events)
    person_ids = [p.pk for p in people]
    registrations = []
    for n, event in enumerate(events):
        count = (
            LARGE_EVENT_REGISTRATIONS if n == 0 else rng.randint(5, 2 * REGISTRATIONS_PER_EVENT - 5)
        )
        chosen = rng.sample(person_ids, min(count, len(person_ids)))
        if n % 7 == 0 and teacher_id not in chosen:
            chosen[-1] = teacher_id
        held = event.status == Event.Status.HELD
        for place, person_id in enumerate(chosen):
            waiting = event.capacity is not None and place >= event.capacity
            attended = held and not waiting and place % 5 != 4
            registrations.append(
                Registration(
                    event=event,
                    person_id=person_id,
                    status=Registration.Status.WAITLISTED
                    if waiting
                    else Registration.Status.REGISTERED,
                    queued_at=event.starts_at - timedelta(days=7, minutes=-place),
                    attended=attended,
                    attended_at=event.starts_at if attended else None,
                    marked_by=Registration.Marked.ORGANISER if attended else "",
                )
            )
    _bulk(Registration, registrations)
    large = events[0]  # held, no limit of places
    certificates = certificate_services.issue_for_event(event=large, actor=None)
    return {
        "counts": {
            "events": len(events),
            "registrations": len(registrations),
            "certificates": len(certificates),
        },
        "event_id": large.pk,
        "certificate_token": certificates[0].token if certificates else "",
    }


SEARCH_COMMON = "урок"  # some form of it in about a third of the posts and resources
SEARCH_RARE = "палеонтологии"  # one post in ten thousand (at least one at every size)
_LESSON_FORMS = ["урок", "урока", "уроку", "уроков", "уроки", "урокам", "уроками", "уроке"]
_POST_SENTENCES = [
    "Делимся опытом: {lesson} {subject_lc} в {grade} классе прошёл отлично.",
    "Коллеги, кто готовил {lesson} с использованием цифровых лабораторий?",
    "Подготовили материалы к педагогическому совету по теме «{theme}».",
    "Напоминаю о заседании методического объединения в четверг.",
    "Обсуждаем критерии оценивания контрольных работ и домашних заданий.",
    "Результаты диагностики показали рост читательской грамотности учащихся.",
    "Приглашаем на открытое занятие по теме «{theme}».",
    "Поделитесь, пожалуйста, заданиями для подготовки к олимпиаде.",
    "Собрали подборку упражнений для работы в парах и группах.",
    "Проведём взаимопосещение занятий и обсудим наблюдения.",
    "Как вы организуете работу с одарёнными детьми на {lesson}?",
    "Родительское собрание перенесено на следующую неделю.",
]
_POST_TITLES = [
    "Опыт коллег",
    "Вопрос к сообществу",
    "Новости объединения",
    "Методическая копилка",
    "Итоги недели",
    "Обмен материалами",
    "Анонс встречи",
    "Полезная ссылка",
]
_RESOURCE_TITLES = [
    "План урока: {theme}",
    "Конспект урока ({subject_lc}, {grade} класс)",
    "Рабочий лист: {theme}",
    "Презентация к уроку «{theme}»",
    "Методические рекомендации: {theme}",
    "Сборник задач ({subject_lc})",
    "Технологическая карта урока по теме «{theme}»",
    "Памятка для учащихся",
]


def _fill(template: str, rng: random.Random) -> str:
    subject = rng.choice(SUBJECTS)
    return template.format(
        lesson=rng.choice(_LESSON_FORMS),
        subject_lc=subject.lower(),
        theme=rng.choice(THEMES),
        grade=rng.randint(1, 11),
    )


def _search_content(
    size: Size,
    rng: random.Random,
    region: Territory,
    communities: list[Community],
    people: list[Person],
) -> dict[str, Any]:
    """Posts and published resources for search (issue 10), and the search index over them and
    everything generated before: the small kinds through the reindex service, posts and
    resources by one INSERT … SELECT per batch, the text index filled once at the end."""
    from discussions.models import Post
    from resources.models import Resource, ResourceKind
    from search import services as search_services
    from search.models import Entry

    started = time.perf_counter()
    search_services.reindex(fill=False)
    entries = Entry._meta.db_table
    now = timezone.now()
    member_of = list(Membership.objects.values_list("community_id", "person_id")[:200_000])
    if not member_of:  # pragma: no cover - every size has members
        member_of = [(communities[0].pk, people[0].pk)]

    def when() -> datetime:
        return now - timedelta(minutes=rng.randint(1, 60 * 24 * 730))

    def index(model, select: str, first: int, last: int) -> None:
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {entries} (kind, object_id, title, body, subject, community_id, "  # noqa: S608
                f"date) SELECT {select} FROM {table} WHERE id BETWEEN %s AND %s",
                [first, last],
            )

    made = 0
    while made < size.posts:
        batch = []
        for n in range(made, min(size.posts, made + BATCH_SIZE)):
            community_id, author_id = rng.choice(member_of)
            body = " ".join(
                _fill(rng.choice(_POST_SENTENCES), rng) for _ in range(rng.randint(1, 3))
            )
            if n % 10_000 == 7:
                body += f" Экскурсия в музей {SEARCH_RARE}."
            at = when()
            batch.append(
                Post(
                    community_id=community_id, author_id=author_id, title=rng.choice(_POST_TITLES),
                    body=body, body_html=f"<p>{body}</p>", status="published", published_at=at,
                )
            )  # fmt: skip
        created = Post.objects.bulk_create(batch, batch_size=BATCH_SIZE)
        index(Post, "'post', id, title, body, '', community_id, published_at",
              created[0].pk, created[-1].pk)  # fmt: skip
        made += len(batch)

    kinds = list(ResourceKind.objects.values_list("pk", flat=True))
    made = 0
    while made < size.resources:
        batch = []
        for _n in range(made, min(size.resources, made + BATCH_SIZE)):
            community = rng.choice(communities) if rng.random() < 0.5 else None
            batch.append(
                Resource(
                    title=_fill(rng.choice(_RESOURCE_TITLES), rng),
                    description=_fill(rng.choice(_POST_SENTENCES), rng),
                    kind_id=rng.choice(kinds), subject=rng.choice(SUBJECTS),
                    community=community, territory=community.territory if community else region,
                    created_by_id=rng.choice(people).pk, status=Resource.Status.PUBLISHED,
                    is_public=rng.random() < 0.7, published_at=when(),
                )
            )  # fmt: skip
        created = Resource.objects.bulk_create(batch, batch_size=BATCH_SIZE)
        index(Resource, "'resource', id, title, description, subject, community_id, published_at",
              created[0].pk, created[-1].pk)  # fmt: skip
        made += len(batch)
    search_services.index_new()
    return {
        "counts": {"posts": size.posts, "resources": size.resources,
                   "search_entries": Entry.objects.count()},
        "seconds": time.perf_counter() - started,
    }  # fmt: skip


def _needs_survey(
    size: Size,
    rng: random.Random,
    region: Territory,
    staff: dict[int, list[int]],
    orgs: list[Organisation],
) -> dict[str, Any]:
    """The centre's needs survey answered by NEEDS_RESPONDENTS teachers of the region's schools
    (anonymous: who answered is kept apart from the answers), for the deficits map."""
    from surveys import services as survey_services
    from surveys.models import Answer, Participation, Question, Response, Survey

    survey = survey_services.create_from_template(actor=None, code="needs", territory=region)
    survey_services.open_survey(survey=survey, actor=None)
    scales = list(survey.questions.filter(kind=Question.Kind.SCALE).order_by("order"))
    network_of = dict(
        NetworkMembership.objects.order_by("network_id").values_list(
            "organisation_id", "network_id"
        )
    )
    territory_of = {org.pk: org.territory_id for org in orgs}
    pool = [(org_id, pid) for org_id, ids in staff.items() for pid in ids]
    chosen = rng.sample(pool, min(NEEDS_RESPONDENTS[size.code], len(pool)))
    _bulk(Participation, [Participation(survey=survey, person_id=pid) for _, pid in chosen])
    responses = _bulk(
        Response,
        [
            Response(
                survey=survey,
                organisation_id=org_id,
                network_id=network_of.get(org_id),
                territory_id=territory_of[org_id],
                subject=rng.choice(SUBJECTS),
            )
            for org_id, _ in chosen
        ],
    )
    _bulk(
        Answer,
        [
            Answer(response=response, question=question, number=rng.randint(1, 5))
            for response in responses
            for question in scales
        ],
    )
    Survey.objects.filter(pk=survey.pk).update(response_count=len(responses))
    return {
        "counts": {
            "needs_responses": len(responses),
            "needs_answers": len(responses) * len(scales),
        },
        "needs_survey_id": survey.pk,
    }


# --------------------------------------------------------------------------------------------
# Pupils' results (issue 9 part 6: about ten million class rows at L)

RESULT_YEARS = 3  # this school year and the two before it
RESULT_PERIODS = ("q1", "q2", "q3", "q4", "year")  # a Russian school marking by quarters
RESULT_SCHOOL_KINDS = {
    Organisation.Kind.SCHOOL,
    Organisation.Kind.GYMNASIUM,
    Organisation.Kind.LYCEUM,
    Organisation.Kind.BOARDING_SCHOOL,
}
_PRIMARY = [
    "Русский язык",
    "Литературное чтение",
    "Математика",
    "Окружающий мир",
    "Английский язык",
    "Музыка",
    "ИЗО",
    "Физическая культура",
]
_BASIC = [
    "Русский язык",
    "Литература",
    "Алгебра",
    "Геометрия",
    "Вероятность и статистика",
    "Информатика",
    "Физика",
    "Химия",
    "Биология",
    "История",
    "Обществознание",
    "География",
    "Английский язык",
    "Музыка",
    "ИЗО",
    "Труд (технология)",
    "Физическая культура",
]
_SENIOR = [
    "Русский язык",
    "Литература",
    "Алгебра",
    "Геометрия",
    "Вероятность и статистика",
    "Информатика",
    "Физика",
    "Химия",
    "Биология",
    "История",
    "Обществознание",
    "География",
    "Английский язык",
    "Второй иностранный язык",
    "Астрономия",
    "Основы безопасности и защиты Родины",
    "Индивидуальный проект",
    "Физическая культура",
    "Труд (технология)",
]
RESULT_SUBJECTS = {g: _PRIMARY if g <= 4 else _BASIC if g <= 9 else _SENIOR for g in range(1, 12)}
CLASS_LETTERS = "АБВГДЕЖЗИКЛМНОПРСТУФХЦЧШЭЮЯ"
# Parallel classes a grade: 3 to 7 at S/M/L (about 55 classes a school, ~11,600 rows over three
# years, so ~9.4 million at L's ~810 schools); one at XS to keep the tests quick.
RESULT_LETTERS = {"XS": (1, 1)}
RESULT_ROW_COLUMNS = ("organisation", "school_year", "period", "grade", "letter", "subject",
                      "teacher", "teacher_name", "source", "updated_at", *("count_5", "count_4",
                      "count_3", "count_2", "count_na"))  # fmt: skip


def _class_rows(school_id: int, quality: float, years: list[int], periods: list[int],
                letters: tuple[int, int], staff: list[int], names: dict[int, str],
                rng: random.Random, stamp: datetime) -> Iterator[tuple]:  # fmt: skip
    """One school's rows: every class, subject and period of each year. A school has its level
    of knowledge quality (40-70 %), a subject and a class move it a little, a period a little
    more; a class has 18-30 pupils, a few «2» and now and then one not assessed."""
    subject_shift = {s: rng.uniform(-0.08, 0.08) for s in RESULT_SUBJECTS[5] + _PRIMARY + _SENIOR}
    random_, randint = rng.random, rng.randint
    for year in years:
        for grade in range(1, 12):
            for letter in CLASS_LETTERS[: randint(*letters)]:
                pupils = randint(18, 30)
                level = quality + rng.uniform(-0.1, 0.1) - (grade - 5) * 0.01
                for subject in RESULT_SUBJECTS[grade]:
                    teacher = staff[randint(0, len(staff) - 1)] if staff else None
                    name = names.get(teacher, "") if teacher else ""
                    base = level + subject_shift[subject]
                    for period in periods:
                        q = min(0.95, max(0.1, base + (random_() - 0.5) * 0.1))
                        na = 1 if random_() < 0.1 else 0
                        fail = randint(0, 2) if random_() < 0.4 else 0
                        good = min(pupils - na - fail, round(pupils * q))
                        five = round(good * (0.2 + random_() * 0.25))
                        yield (school_id, year, period, grade, letter, subject, teacher, name,
                               None, stamp, five, good - five, pupils - na - fail - good, fail,
                               na)  # fmt: skip


def _results(size: Size, seed: int, schools: list[Organisation], staff: dict[int, list[int]],
             people: list[Person]) -> dict[str, Any]:  # fmt: skip
    """Result rows of every school for three school years, streamed into the table (COPY on
    PostgreSQL, one executemany on SQLite), then the summaries and the territories' rollups by
    one INSERT … SELECT each."""
    from core.schoolyear import school_year_of
    from results.models import AssessmentPeriod, ResultRow, ResultSummary

    started = time.perf_counter()
    rng = random.Random(f"{seed}-{size.code}-results")
    current = school_year_of(timezone.localdate())
    years = list(range(current - RESULT_YEARS + 1, current + 1))
    codes = dict(
        AssessmentPeriod.objects.filter(country_code="RU", code__in=RESULT_PERIODS).values_list(
            "code", "pk"
        )
    )
    periods = [codes[c] for c in RESULT_PERIODS]
    names = {p.pk: f"{p.last_name} {p.first_name} {p.middle_name}" for p in people}
    letters = RESULT_LETTERS.get(size.code, (3, 7))
    stamp = timezone.now()

    def rows() -> Iterator[tuple]:
        for school in schools:
            quality = rng.uniform(0.40, 0.70)
            yield from _class_rows(school.pk, quality, years, periods, letters,
                                   staff.get(school.pk, []), names, rng, stamp)  # fmt: skip

    fields = {f.name: f.column for f in ResultRow._meta.concrete_fields}
    table = ResultRow._meta.db_table
    columns = ", ".join(fields[c] for c in RESULT_ROW_COLUMNS)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows():
                    copy.write_row(row)
                    count += 1
        else:

            def counted() -> Iterator[tuple]:
                nonlocal count
                for row in rows():
                    count += 1
                    yield row

            marks = ", ".join("?" * len(RESULT_ROW_COLUMNS))
            connection.connection.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({marks})", counted()
            )
        rows_seconds = time.perf_counter() - started
        summary = ResultSummary._meta
        sums = ", ".join(ResultRow.COUNT_FIELDS)
        cursor.execute(
            f"INSERT INTO {summary.db_table} (organisation_id, school_year, period_id, subject, "
            f"rows, {sums}) SELECT organisation_id, school_year, period_id, subject, COUNT(*), "
            + ", ".join(f"SUM({f})" for f in ResultRow.COUNT_FIELDS)
            + f" FROM {table} GROUP BY organisation_id, school_year, period_id, subject"
        )
        summaries = cursor.rowcount
    from results.rollups import rebuild_territories

    rebuild_territories()  # the territories' sums, as the imports would have kept them
    return {
        "counts": {"result_rows": count, "result_summaries": summaries},
        "rows_seconds": rows_seconds,
        "seconds": time.perf_counter() - started,
        "school_year": current,
    }


# The certificates issued and the survey opened through their services tell people on commit:
# into the void, and at once (a background thread would go on mailing while pages are timed).
@override_settings(
    EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend", BACKGROUND_SYNC=True
)
def generate_region(size: Size, seed: int = SEED, password: str | None = None) -> Region:
    """Fill the current default database with one synthetic region of the given size.

    Expects a migrated database (CommunityKind rows come from communities/0003). Runs in one
    transaction. `password` is an already hashed value reused for every account; by default
    one hash of BENCH_PASSWORD is computed once.
    """
    started = time.perf_counter()
    rng = random.Random(f"{seed}-{size.code}")
    hashed = password or make_password(BENCH_PASSWORD)
    with transaction.atomic():
        region, districts = _territories(size)
        orgs = _organisations(size, rng, districts)
        schools = orgs[1:] or orgs
        networks, network_members = _networks(size, rng, region, schools)
        people, staff, positions = _teachers(size, rng, region, orgs, hashed)
        communities, memberships = _communities(
            size, rng, region, districts, orgs, networks, people, staff
        )

        centre_admin, school_admin = _bulk(
            Person,
            [
                _person("bench-centre", ("Методистова", "Ирина", "Олеговна"), hashed),
                _person("bench-school", ("Директорова", "Наталья", "Павловна"), hashed),
            ],
        )
        school = communities[0].organisation or schools[0]
        _bulk(
            Position,
            [
                Position(person=centre_admin, organisation=orgs[0], title="Методист"),
                Position(person=school_admin, organisation=school, title="Директор"),
            ],
        )
        teacher_id = communities[0].leader_id or people[0].pk
        _bulk(
            RoleAssignment,
            [
                RoleAssignment(
                    person=centre_admin, role=RoleAssignment.Role.CENTRE_ADMIN, territory=region
                ),
                RoleAssignment(
                    person=school_admin,
                    role=RoleAssignment.Role.SCHOOL_ADMIN,
                    organisation=school,
                ),
            ],
        )
        rosters: dict[int, list[int]] = {c.pk: [] for c in communities}
        for community_id, person_id in Membership.objects.order_by("id").values_list(
            "community_id", "person_id"
        ):
            rosters[community_id].append(person_id)
        work = _plans_and_meetings(rng, communities, rosters, teacher_id)
        growth = _events(size, rng, region, communities, schools, networks, people, teacher_id)
        searched = _search_content(size, rng, region, communities, people)
        needs = _needs_survey(size, rng, region, staff, orgs)
        graded = [o for o in schools if o.kind in RESULT_SCHOOL_KINDS or o.pk == school.pk]
        results = _results(size, seed, graded, staff, people)
        largest = (
            Organisation.objects.annotate(staff=Count("positions"))
            .order_by("-staff", "id")
            .values_list("id", flat=True)
            .first()
        )
        network_group = next(
            (c for c in communities if c.kind.code == "network_group"), communities[-1]
        )
        # A typical member of a school community, not its leader, for the person page.
        sample_person = next(
            (
                m.person_id
                for m in Membership.objects.filter(community=communities[0]).order_by("id")[1:2]
            ),
            people[len(people) // 2].pk,
        )

    return Region(
        size=size.code,
        counts={
            "territories": 2 + len(districts),
            "organisations": len(orgs),
            "networks": len(networks),
            "network_memberships": network_members,
            "people": len(people) + 2,
            "teachers": len(people),
            "positions": positions + 2,
            "teacher_profiles": len(people),
            "communities": len(communities),
            "memberships": memberships,
            "role_assignments": 2,
            **work["counts"],
            **growth["counts"],
            **searched["counts"],
            **needs["counts"],
            **results["counts"],
        },
        seconds=time.perf_counter() - started,
        region_id=region.pk,
        centre_admin_id=centre_admin.pk,
        school_admin_id=school_admin.pk,
        teacher_id=teacher_id,
        organisation_id=school.pk,
        network_id=networks[0].pk,
        community_id=communities[0].pk,
        network_group_id=network_group.pk,
        person_id=sample_person,
        plan_id=work["plan_id"],
        meeting_id=work["meeting_id"],
        largest_organisation_id=largest or school.pk,
        calendar_token=work["calendar_token"],
        calendar_meetings=work["calendar_meetings"],
        event_id=growth["event_id"],
        certificate_token=growth["certificate_token"],
        needs_survey_id=needs["needs_survey_id"],
        results_seconds=results["seconds"],
        result_rows_seconds=results["rows_seconds"],
        school_year=results["school_year"],
    )


# --------------------------------------------------------------------------------------------
# Throwaway databases


def _pg_admin_conninfo(db: dict[str, Any]) -> str:
    from psycopg.conninfo import make_conninfo

    params: dict[str, Any] = {"dbname": "postgres"}
    for key, name in (("USER", "user"), ("PASSWORD", "password"), ("HOST", "host"),
                      ("PORT", "port")):  # fmt: skip
        if db.get(key):
            params[name] = str(db[key])
    for key, value in (db.get("OPTIONS") or {}).items():
        if isinstance(value, str | int) and key in {"sslmode", "sslrootcert", "connect_timeout"}:
            params[key] = str(value)
    return make_conninfo(**params)


def _pg_execute(db: dict[str, Any], statement: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(_pg_admin_conninfo(db), autocommit=True) as admin:
        admin.execute(sql.SQL(statement).format(sql.Identifier(name)))


def bench_database_name(size: Size, db: dict[str, Any] | None = None) -> str:
    db = db if db is not None else connection.settings_dict
    if connection.vendor == "postgresql":
        return f"{db['NAME']}_bench_{size.code.lower()}"
    return str(Path(settings.BASE_DIR) / f"bench-{size.code}.sqlite3")


@contextmanager
def bench_database(size: Size, keep: bool = False, reuse: bool = False) -> Iterator[str]:
    """Point the default connection at a fresh, migrated throwaway database for this size.

    SQLite: bench-<size>.sqlite3 in the project root. PostgreSQL: <name>_bench_<size>, created
    and dropped through the server's `postgres` database. The developer's database is never
    touched; the original settings are restored on exit.
    """
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise RuntimeError(f"bench supports SQLite and PostgreSQL, not {vendor}")
    original = dict(connection.settings_dict)
    name = bench_database_name(size, original)
    if name == str(original["NAME"]):  # pragma: no cover - defensive
        raise RuntimeError("refusing to use the configured database for benchmarks")

    connection.close()
    if reuse:
        keep = True  # a database generated once is measured again, migrated to the code's state
    elif vendor == "postgresql":
        _pg_execute(original, "DROP DATABASE IF EXISTS {} WITH (FORCE)", name)
        _pg_execute(original, "CREATE DATABASE {}", name)
    else:
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(name + suffix).unlink(missing_ok=True)
    _switch(name)
    try:
        call_command("migrate", verbosity=0, interactive=False)
        if vendor == "sqlite":
            with connection.cursor() as cursor:  # a throwaway file: durability is not needed
                cursor.execute("PRAGMA synchronous=OFF")
        yield name
    finally:
        connection.close()
        _switch(original["NAME"])
        if not keep:
            if vendor == "postgresql":
                _pg_execute(original, "DROP DATABASE IF EXISTS {} WITH (FORCE)", name)
            else:
                for suffix in ("", "-journal", "-wal", "-shm"):
                    Path(name + suffix).unlink(missing_ok=True)


def region_file(size: Size) -> Path:
    """Where a kept database's region (its ids and counts) is written for --reuse."""
    return Path(settings.BASE_DIR) / f"bench-{size.code}-{connection.vendor}.region.json"


def save_region(size: Size, region: Region) -> None:
    region_file(size).write_text(json.dumps(asdict(region), ensure_ascii=False), "utf-8")


def load_region(size: Size) -> Region:
    path = region_file(size)
    if not path.exists():
        raise FileNotFoundError(f"{path.name} is missing: generate the size once with --keep")
    return Region(**json.loads(path.read_text("utf-8")))


def _switch(name: Any) -> None:
    """Repoint the default connection (and settings.DATABASES, which shares the dict)."""
    connection.close()
    connection.settings_dict["NAME"] = name
    settings.DATABASES[connection.alias]["NAME"] = name
    ContentType.objects.clear_cache()  # ids differ between databases


def analyse() -> None:
    """Give the planner statistics and the visibility map (index-only scans), as autovacuum
    would on a real PostgreSQL server after the millions of inserted result rows."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


# --------------------------------------------------------------------------------------------
# Measurement


@dataclass(frozen=True)
class Target:
    label: str
    name: str  # URL name for reverse()
    user: str  # "centre" or "teacher"
    args: Callable[[Region], list[Any]] | None = None
    query: Callable[[Region], str] | None = None
    page: bool = True  # False for API endpoints
    search: bool = False  # counts towards the people-search target
    floor: str | None = None  # a bare view running the page's essential SQL (FLOORS)
    export: bool = False  # a file download, timed with EXPORT_SAMPLES and its own target
    limit_ms: float | None = None  # the export's p95 target
    settings: dict[str, Any] | None = None  # overridden while this target is timed


RESULTS_MS = 200.0  # issue 9: indicator pages and dashboards at L (PostgreSQL)
# Issue 10: search p95 ≤ 100 ms at L on PostgreSQL, ≤ 300 ms at M on SQLite.
SEARCH_PAGE_MS = 100.0 if connection.vendor == "postgresql" else 300.0
_Q_COMMON = f"q={quote(SEARCH_COMMON)}"

TARGETS: list[Target] = [
    Target("dashboard", "dashboard", "centre"),
    Target("organisations:list", "organisations:list", "centre"),
    Target("organisations:detail", "organisations:detail", "centre",
           args=lambda r: [r.organisation_id]),
    Target("organisations:network_list", "organisations:network_list", "centre"),
    Target("organisations:network_detail", "organisations:network_detail", "centre",
           args=lambda r: [r.network_id]),
    Target("communities:list", "communities:list", "centre"),
    Target("communities:list ?kind=network_group", "communities:list", "centre",
           query=lambda r: "kind=network_group"),
    Target("communities:detail", "communities:detail", "centre",
           args=lambda r: [r.community_id]),
    Target("communities:detail (network group)", "communities:detail", "centre",
           args=lambda r: [r.network_group_id]),
    Target("people:list", "people:list", "centre"),
    Target("people:list ?q=<surname prefix>", "people:list", "centre",
           query=lambda r: f"q={r.search_prefix}", search=True),
    Target("people:detail", "people:detail", "centre", args=lambda r: [r.person_id]),
    Target("[teacher] dashboard", "dashboard", "teacher"),
    Target("[teacher] communities:list", "communities:list", "teacher"),
    Target("[teacher] communities:detail", "communities:detail", "teacher",
           args=lambda r: [r.community_id]),
    Target("[teacher] people:list ?q=<prefix>", "people:list", "teacher",
           query=lambda r: f"q={r.search_prefix}", search=True),
    Target("API organisations", "organisation-list", "centre", page=False),
    Target("API communities", "community-list", "centre", page=False),
    Target("API communities ?kind=network_group", "community-list", "centre",
           query=lambda r: "kind=network_group", page=False),
    Target("API people", "person-list", "centre", page=False),
    Target("API people ?organisation=<id>", "person-list", "centre",
           query=lambda r: f"organisation={r.organisation_id}", page=False),
    Target("API networks", "network-list", "centre", page=False),
    Target("planning:list", "planning:list", "centre",
           args=lambda r: [r.community_id], floor="plans"),
    Target("planning:detail", "planning:detail", "centre",
           args=lambda r: [r.plan_id], floor="plan"),
    Target("meetings:list", "meetings:list", "centre",
           args=lambda r: [r.community_id], floor="meetings"),
    Target("meetings:detail", "meetings:detail", "centre",
           args=lambda r: [r.meeting_id], floor="meeting"),
    Target("[leader] meetings:minutes", "meetings:minutes", "teacher",
           args=lambda r: [r.meeting_id], floor="minutes"),
    Target("meetings:community_decisions", "meetings:community_decisions", "centre",
           args=lambda r: [r.community_id], floor="decisions"),
    Target("[teacher] meetings:my_decisions", "meetings:my_decisions", "teacher",
           floor="my_decisions"),
    # A feed calendar apps fetch in the background, not a page a person waits for: its own
    # target for a person with 400 meetings.
    Target("iCal feed (teacher)", "meetings:calendar_feed", "anonymous",
           args=lambda r: [r.calendar_token], page=False, limit_ms=500.0),
    Target("events:list (the region's calendar)", "events:list", "centre"),
    Target("events:list ?kind=<seminar>", "events:list", "centre",
           query=lambda r: "kind=seminar"),
    Target("[teacher] events:list", "events:list", "teacher"),
    Target("events:detail (300 registrations)", "events:detail", "centre",
           args=lambda r: [r.event_id]),
    Target("events:attendance (300 registrations)", "events:attendance", "centre",
           args=lambda r: [r.event_id]),
    Target("[teacher] events:mine", "events:mine", "teacher"),
    Target("API events", "event-list", "centre", page=False),
    Target("certificate check (public)", "certificates:check", "anonymous",
           args=lambda r: [r.certificate_token]),
    Target("surveys:needs_map (by school)", "surveys:needs_map", "centre"),
    Target("surveys:needs_map ?by=subject", "surveys:needs_map", "centre",
           query=lambda r: "by=subject"),
    Target("events calendar feed (teacher)", "events:person_feed", "anonymous",
           args=lambda r: [r.calendar_token], page=False, limit_ms=500.0),
    Target("plan DOCX", "planning:export_docx", "centre", args=lambda r: [r.plan_id],
           page=False, export=True),
    Target("plan PDF", "planning:export_pdf", "centre", args=lambda r: [r.plan_id],
           page=False, export=True),
    # A large organisation's export is built by a background job; served synchronously here so
    # the same build (query, workbook, access log) is timed as one request.
    Target("databank XLSX of the largest organisation (5,000 people at L)",
           "people:organisation_export", "centre", args=lambda r: [r.largest_organisation_id],
           page=False, export=True, limit_ms=2000.0,
           settings={"DATABANK_EXPORT_BACKGROUND_FROM": 10**9}),
    # Pupils' results (issue 9): ~9.4 million class rows at L; indicator pages and the API at
    # p95 ≤ 200 ms, each against a floor that builds the same indicator table.
    Target("results: school (director)", "results:school", "director",
           args=lambda r: [r.organisation_id], floor="results_school", limit_ms=RESULTS_MS),
    Target("results: network (centre)", "results:network", "centre",
           args=lambda r: [r.network_id], floor="results_network", limit_ms=RESULTS_MS),
    Target("results: territory, the region (centre)", "results:territory", "centre",
           args=lambda r: [r.region_id], floor="results_territory", limit_ms=RESULTS_MS),
    Target("[leader] results: community", "results:community", "teacher",
           args=lambda r: [r.community_id], floor="results_community", limit_ms=RESULTS_MS),
    Target("results: school rows (director)", "results:school-rows", "director",
           args=lambda r: [r.organisation_id], limit_ms=RESULTS_MS),
    Target("results: region rows ?period=q1&subject=<maths>", "results:territory-rows",
           "centre", args=lambda r: [r.region_id],
           query=lambda r: "period=q1&subject=Алгебра", limit_ms=RESULTS_MS),
    Target("API results indicators ?territory=<region>", "results-indicators", "centre",
           query=lambda r: f"territory={r.region_id}", page=False, limit_ms=RESULTS_MS),
    Target("API results indicators ?organisation=<id>", "results-indicators", "director",
           query=lambda r: f"organisation={r.organisation_id}", page=False,
           limit_ms=RESULTS_MS),
    Target("API results rows ?organisation=<id>", "results-rows", "director",
           query=lambda r: f"organisation={r.organisation_id}", page=False,
           limit_ms=RESULTS_MS),
    # A community's feed and its register of publications (issue 10): about 200 of the million
    # posts at L are the teacher's community's.
    Target("[teacher] feed", "discussions:feed", "teacher", args=lambda r: [r.community_id]),
    Target("[teacher] register of publications", "discussions:register", "teacher",
           args=lambda r: [r.community_id]),
    Target("[teacher] register of publications XLSX", "discussions:register_xlsx", "teacher",
           args=lambda r: [r.community_id], page=False, export=True, limit_ms=2000.0),
    # Search (issue 10): a million posts and 100,000 resources at L; as a member, so every
    # app's permission filter applies.
    Target("[teacher] search ?q=<common word>", "search:search", "teacher",
           query=lambda r: _Q_COMMON, limit_ms=SEARCH_PAGE_MS),
    Target("[teacher] search ?q=<rare word>", "search:search", "teacher",
           query=lambda r: f"q={quote(SEARCH_RARE)}", limit_ms=SEARCH_PAGE_MS),
    Target("[teacher] search ?q=<common word>&kind=resource", "search:search", "teacher",
           query=lambda r: f"{_Q_COMMON}&kind=resource", limit_ms=SEARCH_PAGE_MS),
    Target("search ?q=<two words>&community=<id> (centre)", "search:search", "centre",
           query=lambda r: f"q={quote('план урока')}&community={r.community_id}",
           limit_ms=SEARCH_PAGE_MS),
    Target("API search ?q=<common word>", "api-search", "teacher",
           query=lambda r: _Q_COMMON, page=False, limit_ms=SEARCH_PAGE_MS),
]  # fmt: skip


def select_targets(only: str) -> list[Target]:
    """The targets whose label contains one of the comma-separated words (all when empty)."""
    words = [w.strip().lower() for w in only.split(",") if w.strip()]
    return [t for t in TARGETS if not words or any(w in t.label.lower() for w in words)]


EXPORT_SAMPLES = 20  # exports take up to seconds each; pages and feeds get --repeat samples


# Floors: what a page cannot do without - its own queries through the same selectors, with
# no permission checks, forms or templates - served through the same middleware, so that a
# page's ratio to its floor is the cost of everything else it does.


def _floor_plans(request, pk: str) -> int:
    from planning.selectors import plans_of

    return len(list(plans_of(Community.objects.get(pk=pk))))


def _floor_plan(request, pk: str) -> int:
    from planning.selectors import plan_detail

    return len(plan_detail(int(pk)).meetings.all())


def _floor_meetings(request, pk: str) -> int:
    from core.views import PAGE_SIZE
    from meetings.selectors import meetings_of

    qs = meetings_of(Community.objects.get(pk=pk))
    return qs.count() + len(list(qs[:PAGE_SIZE]))


def _floor_meeting(request, pk: str) -> int:
    from meetings.selectors import meeting_detail

    return len(meeting_detail(int(pk)).participants.all())


def _floor_minutes(request, pk: str) -> int:
    from meetings.selectors import meeting_detail

    meeting = meeting_detail(int(pk))
    invited = Person.objects.filter(meeting_invitations__meeting=meeting).order_by("last_name")
    return len(meeting.decisions.all()) + len(list(invited))


def _floor_decisions(request, pk: str) -> int:
    from core.views import PAGE_SIZE
    from meetings.selectors import open_decisions_of

    qs = open_decisions_of(Community.objects.get(pk=pk))
    return qs.count() + len(list(qs[:PAGE_SIZE]))


def _floor_my_decisions(request, pk: str) -> int:
    from core.views import PAGE_SIZE
    from meetings.selectors import decisions_for

    qs = decisions_for(request.user)
    return qs.count() + len(list(qs[:PAGE_SIZE]))


def _floor_results(scope_of: str, model: str):
    """The indicator table of a school, network, territory or community: the page's reads."""

    def floor(request, pk: str) -> int:
        from django.apps import apps

        from core.schoolyear import school_year_of
        from results import selectors

        place = apps.get_model(model).objects.get(pk=pk)
        territory = place if model == "organisations.Territory" else place.territory
        scope = getattr(selectors, scope_of)(place)
        year = school_year_of(timezone.localdate())
        return len(selectors.indicator_table(scope, year, territory.country_code).cells)

    return floor


FLOORS: dict[str, Callable[..., int]] = {
    "results_school": _floor_results("school_scope", "organisations.Organisation"),
    "results_network": _floor_results("network_scope", "organisations.Network"),
    "results_territory": _floor_results("territory_scope", "organisations.Territory"),
    "results_community": _floor_results("community_scope", "communities.Community"),
    "plans": _floor_plans,
    "plan": _floor_plan,
    "meetings": _floor_meetings,
    "meeting": _floor_meeting,
    "minutes": _floor_minutes,
    "decisions": _floor_decisions,
    "my_decisions": _floor_my_decisions,
}


def floor_view(request, name: str):
    """The bare view of devtools.bench_urls (only routed while `bench` measures)."""
    from django.http import Http404, HttpResponse

    if name not in FLOORS or not request.user.is_authenticated:
        raise Http404
    return HttpResponse(str(FLOORS[name](request, request.GET.get("pk", "0"))))


def _floor_url(target: Target, region: Region) -> str:
    args = target.args(region) if target.args else [0]
    return reverse("bench_floor", args=[target.floor]) + f"?pk={args[0]}"


@dataclass
class Result:
    label: str
    url: str | None
    status: int | None = None
    median_ms: float | None = None
    p95_ms: float | None = None
    queries: int | None = None
    note: str = ""
    page: bool = True
    search: bool = False
    full_gc: int = 0  # full (generation 2) garbage collections during the timed requests
    full_gc_ms: float = 0.0  # their total pause
    samples: int = 0
    floor: str | None = None
    floor_median_ms: float | None = None
    floor_p95_ms: float | None = None
    export: bool = False
    limit_ms: float | None = None

    @property
    def ratio(self) -> float | None:
        """p95 of the page over p95 of its floor."""
        if self.p95_ms is None or not self.floor_p95_ms:
            return None
        return self.p95_ms / self.floor_p95_ms

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.median_ms is not None


class _FullGcWatch:
    """Counts full garbage collections: a pause lands on whichever request triggers it,
    usually one that allocates a lot, and shows up as a p95 spike rather than in the median."""

    def __init__(self) -> None:
        self.count = 0
        self.ms = 0.0
        self._started = 0.0

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if info.get("generation") != 2:
            return
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.count += 1
            self.ms += (time.perf_counter() - self._started) * 1000

    def __enter__(self) -> _FullGcWatch:
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self._callback)


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (p95 of 30 samples is the 29th smallest)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def _resolve(target: Target, region: Region) -> str:
    url = reverse(target.name, args=target.args(region) if target.args else None)
    if target.query:
        url = f"{url}?{target.query(region)}"
    return url


def measure(
    region: Region, repeat: int = 30, targets: list[Target] | None = None, warmup: int = 2
) -> list[Result]:
    """Time every target with the test client against the current default database.

    The first warm-up request checks the status; the second runs inside
    CaptureQueriesContext for the query count. Timed requests then run with DEBUG off, so
    Django's query log does not add to the measured time.
    """
    users = {
        "centre": Person.objects.get(pk=region.centre_admin_id),
        "teacher": Person.objects.get(pk=region.teacher_id),
        "director": Person.objects.get(pk=region.school_admin_id),
    }
    clients: dict[str, Client] = {"anonymous": Client(raise_request_exception=False)}
    for key, user in users.items():
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients[key] = client

    results: list[Result] = []
    request_logger = logging.getLogger("django.request")
    previous_level = request_logger.level
    request_logger.setLevel(logging.CRITICAL)  # 404/500 are reported in the table instead
    try:
        # Reminders triggered by requests would bill one page for mailing the whole region.
        with override_settings(ROOT_URLCONF="devtools.bench_urls", REMINDERS_EVERY_SECONDS=0):
            for target in targets or TARGETS:
                client = clients[target.user]
                results.append(_measure_one(target, region, client, repeat, warmup))
    finally:
        request_logger.setLevel(previous_level)
    return results


def _measure_one(
    target: Target, region: Region, client: Client, repeat: int, warmup: int
) -> Result:
    try:
        url = _resolve(target, region)
    except NoReverseMatch:
        return Result(
            target.label,
            None,
            note="URL name not routed yet",
            page=target.page,
            search=target.search,
        )
    result = Result(
        target.label,
        url,
        page=target.page,
        search=target.search,
        export=target.export,
        limit_ms=target.limit_ms,
        floor=target.floor,
    )
    if target.export:
        repeat = min(repeat, EXPORT_SAMPLES)
    with override_settings(**(target.settings or {})):
        return _measure_url(target, region, client, url, result, repeat, warmup)


def _measure_url(
    target: Target,
    region: Region,
    client: Client,
    url: str,
    result: Result,
    repeat: int,
    warmup: int,
) -> Result:
    response = client.get(url, secure=True)
    result.status = response.status_code
    if response.status_code != 200:
        exc = getattr(response, "exc_info", None)
        result.note = f"{exc[0].__name__}: {exc[1]}"[:120] if exc else f"HTTP {result.status}"
        return result
    with CaptureQueriesContext(connection) as captured:
        client.get(url, secure=True)
    result.queries = len(captured.captured_queries)
    for _ in range(max(0, warmup - 2)):
        client.get(url, secure=True)
    urls = [url]
    if target.floor:
        floor_url = _floor_url(target, region)
        for _ in range(max(2, warmup)):
            if client.get(floor_url, secure=True).status_code != 200:
                result.note = f"floor {target.floor} failed"
                return result
        urls.append(floor_url)
    cache.clear()  # the API's per-person throttle would refuse a few hundred requests a minute
    (timings, *floor), watch = _time(client, urls, repeat)
    result.samples = len(timings)
    result.full_gc, result.full_gc_ms = watch.count, watch.ms
    result.median_ms = statistics.median(timings)
    result.p95_ms = percentile(timings, 95)
    if floor:
        result.floor_median_ms = statistics.median(floor[0])
        result.floor_p95_ms = percentile(floor[0], 95)
    return result


def _time(client: Client, urls: list[str], repeat: int) -> tuple[list[list[float]], _FullGcWatch]:
    """Time each URL `repeat` times, taking turns, so a page and its floor see the same load
    on a shared machine (one after the other, a busy minute would fall on one of them)."""
    timings: list[list[float]] = [[] for _ in urls]
    gc.collect()  # do not bill this URL for the previous one's garbage
    with override_settings(DEBUG=False), _FullGcWatch() as watch:
        for _ in range(repeat):
            for url, samples in zip(urls, timings, strict=True):
                started = time.perf_counter()
                client.get(url, secure=True)
                samples.append((time.perf_counter() - started) * 1000)
    return timings, watch


# --------------------------------------------------------------------------------------------
# Teacher import

IMPORT_ROWS = 5_000
IMPORT_DRY_RUN_S = 3.0
IMPORT_APPLY_S = 10.0
IMPORT_PEAK_MB = 200.0
IMPORT_HEADER = [
    "№ п/п", "ФИО", "Должность", "Электронная почта", "Квалификационная категория",
    "Дата присвоения категории", "Стаж общий", "Стаж педагогический", "Нагрузка (часы)",
    "Преподаваемые предметы", "Тема самообразования", "Образование",
]  # fmt: skip


@dataclass
class ImportBench:
    """Wall time of a dry run and of applying a generated list, and the apply's peak memory."""

    rows: int
    dry_run_s: float = 0.0
    apply_s: float = 0.0
    peak_mb: float = 0.0
    small_rows: int = 0  # a fifth of the list, applied to show the cost per row stays flat
    small_apply_s: float = 0.0
    created: int = 0
    error: str = ""
    # CPU seconds of this process: on a busy machine wall time also counts waiting for a core.
    dry_run_cpu_s: float = 0.0
    apply_cpu_s: float = 0.0

    def per_row_ms(self, small: bool = False) -> float:
        rows, seconds = (
            (self.small_rows, self.small_apply_s) if small else (self.rows, self.apply_s)
        )
        return seconds * 1000 / rows if rows else 0.0

    def verdicts(self) -> list[Verdict]:
        if self.error:
            return [Verdict(f"import of {self.rows:,} rows", False, [self.error])]
        checks = [
            (f"import dry run of {self.rows:,} rows ≤ {IMPORT_DRY_RUN_S:.0f} s",
             self.dry_run_s, IMPORT_DRY_RUN_S, "s"),
            (f"import of {self.rows:,} rows ≤ {IMPORT_APPLY_S:.0f} s",
             self.apply_s, IMPORT_APPLY_S, "s"),
            (f"import peak memory ≤ {IMPORT_PEAK_MB:.0f} MB", self.peak_mb, IMPORT_PEAK_MB, "MB"),
        ]  # fmt: skip
        return [
            Verdict(label, value <= limit, [] if value <= limit else [f"{value:.1f} {unit}"])
            for label, value, limit, unit in checks
        ]

    def line(self) -> str:
        if self.error:
            return f"import of {self.rows:,} rows failed: {self.error}"
        return (
            f"import of {self.rows:,} rows (XLSX): dry run {self.dry_run_s:.2f} s, apply "
            f"{self.apply_s:.2f} s ({self.per_row_ms():.2f} ms a row; {self.small_rows:,} rows: "
            f"{self.small_apply_s:.2f} s, {self.per_row_ms(small=True):.2f} ms a row), "
            f"peak memory {self.peak_mb:.0f} MB, {self.created:,} people created; CPU time: "
            f"dry run {self.dry_run_cpu_s:.2f} s, apply {self.apply_cpu_s:.2f} s"
        )


def teacher_list_xlsx(rows: int, rng: random.Random, first: int = 0) -> bytes:
    """A school's teacher list as schools make it: a title, a header, one teacher a row."""
    import io

    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Педагоги")
    sheet.append(["Список педагогических работников (бенчмарк)"])
    sheet.append(IMPORT_HEADER)
    for n in range(first, first + rows):
        last, first_name, middle = invented_person(rng)
        category = rng.choice(CATEGORIES + [None])
        total = rng.randint(1, 40)
        subject = rng.choice(SUBJECTS)
        sheet.append(
            [
                n + 1, f"{last} {first_name} {middle}", f"Учитель ({subject.lower()})",
                f"import{n}@bench.invalid", category[0] if category else None,
                datetime(2020, 1, 1) + timedelta(days=rng.randint(0, 1500)) if category else None,
                total, max(0, total - rng.randint(0, 3)), rng.choice([18, 24, 27, 36]),
                subject, rng.choice(THEMES), "Высшее педагогическое",
            ]
        )  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def measure_import(region: Region, rows: int = IMPORT_ROWS, seed: int = SEED) -> ImportBench:
    """Import a generated list into a new school of the region: a dry run, then the real thing
    (rolled back, so it can be repeated on the same data for the small list and for memory)."""
    import tracemalloc

    from people.imports import import_teachers

    result = ImportBench(rows=rows, small_rows=max(1, rows // 5))
    rng = random.Random(f"{seed}-import-{rows}")
    school = Organisation.objects.get(pk=region.organisation_id)
    organisation = Organisation.objects.create(
        name="МБОУ «Новая школа» (бенчмарк импорта)",
        short_name="Новая школа",
        kind=Organisation.Kind.SCHOOL,
        territory=school.territory,
    )
    data = teacher_list_xlsx(rows, rng)
    small = teacher_list_xlsx(result.small_rows, rng, first=rows)

    def run(content: bytes, dry_run: bool) -> tuple[float, float]:
        started, cpu = time.perf_counter(), time.process_time()
        with transaction.atomic():
            report = import_teachers(organisation=organisation, file=content, dry_run=dry_run)
            transaction.set_rollback(True)
        seconds = time.perf_counter() - started, time.process_time() - cpu
        if not report.ok or report.applied == dry_run:
            problems = [report.file_error] + [f"row {e.row}: {e.message}" for e in report.errors]
            raise RuntimeError("; ".join(p for p in problems if p)[:300])
        result.created = report.created
        return seconds

    gc.collect()
    try:
        with override_settings(DEBUG=False):
            result.dry_run_s, result.dry_run_cpu_s = run(data, dry_run=True)
            result.apply_s, result.apply_cpu_s = run(data, dry_run=False)
            result.small_apply_s, _cpu = run(small, dry_run=False)
            tracemalloc.start()
            try:
                run(data, dry_run=False)
                result.peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
            finally:
                tracemalloc.stop()
    except RuntimeError as exc:
        result.error = str(exc)
    return result


RESULTS_IMPORT_ROWS = 20_000  # issue 9: "a school's year of results (≈ 20,000 rows)"
RESULTS_IMPORT_S = 10.0


@dataclass
class ResultsImportBench:
    """Wall time of checking and of applying a school's year of results (a counts table)."""

    rows: int
    dry_run_s: float = 0.0
    apply_s: float = 0.0
    apply_cpu_s: float = 0.0
    reapply_s: float = 0.0  # the same file again: every row compared, none written
    created: int = 0
    error: str = ""

    def verdicts(self) -> list[Verdict]:
        label = f"results import of {self.rows:,} rows applies ≤ {RESULTS_IMPORT_S:.0f} s"
        if self.error:
            return [Verdict(label, False, [self.error])]
        ok = self.apply_s <= RESULTS_IMPORT_S
        return [Verdict(label, ok, [] if ok else [f"{self.apply_s:.1f} s"])]

    def line(self) -> str:
        if self.error:
            return f"results import of {self.rows:,} rows failed: {self.error}"
        return (
            f"results import of {self.rows:,} rows (CSV, one school's year): dry run "
            f"{self.dry_run_s:.2f} s, apply {self.apply_s:.2f} s (CPU {self.apply_cpu_s:.2f} s; "
            f"≤ {RESULTS_IMPORT_S:.0f} s), the same file again {self.reapply_s:.2f} s, "
            f"{self.created:,} rows created"
        )


def results_table_csv(rows: int, rng: random.Random, teachers: list[str]) -> bytes:
    """A school's year as a counts table: grade, letter, subject, teacher, period, counts. To
    reach `rows` the school has as many parallel classes as it takes (26 a grade for 20,000)."""
    out = ["Параллель;Литера;Предмет;Учитель;Период;5;4;3;2;н/а"]
    periods = ["1 четверть", "2 четверть", "3 четверть", "4 четверть", "Год"]
    while len(out) <= rows:
        for letter in CLASS_LETTERS:
            for grade in range(1, 12):
                for subject in RESULT_SUBJECTS[grade]:
                    teacher = rng.choice(teachers) if teachers else ""
                    for period in periods:
                        pupils, good = rng.randint(18, 30), rng.uniform(0.4, 0.7)
                        five = round(pupils * good * 0.3)
                        four = round(pupils * good) - five
                        fail = rng.randint(0, 2)
                        three = pupils - five - four - fail
                        out.append(f"{grade};{letter};{subject};{teacher};{period};{five};{four};"
                                   f"{three};{fail};0")  # fmt: skip
                        if len(out) > rows:
                            return ("\r\n".join(out) + "\r\n").encode("utf-8")
        out.append("")  # pragma: no cover - 26 letters always reach 20,000 rows
    return ("\r\n".join(out) + "\r\n").encode("utf-8")


def measure_results_import(
    region: Region, rows: int = RESULTS_IMPORT_ROWS, seed: int = SEED
) -> ResultsImportBench:
    """Import a school's year into a new school with staff of its own, beside the region's
    millions of rows: a dry run, the import, and the same file again (all rolled back)."""
    from results.imports import import_results

    result = ResultsImportBench(rows=rows)
    rng = random.Random(f"{seed}-results-import-{rows}")
    school = Organisation.objects.select_related("territory").get(pk=region.organisation_id)
    staff = list(
        Person.objects.filter(positions__organisation=school)
        .order_by("pk")
        .values_list("last_name", "first_name", "middle_name")[:60]
    )
    data = results_table_csv(rows, rng, [" ".join(names) for names in staff])

    def run(dry_run: bool, again: bool = False) -> tuple[float, float]:
        started, cpu = time.perf_counter(), time.process_time()
        with transaction.atomic():
            organisation = Organisation.objects.create(
                name="МБОУ «Образовательный комплекс» (бенчмарк импорта результатов)",
                short_name="Комплекс",
                kind=Organisation.Kind.SCHOOL,
                territory=school.territory,
            )
            _bulk(Position, [Position(person_id=p, organisation=organisation, title="Учитель")
                             for p in Position.objects.filter(organisation=school)
                             .values_list("person_id", flat=True)[:60]])  # fmt: skip
            if again:
                import_results(organisation=organisation, school_year=region.school_year,
                               file=data, dry_run=False)  # fmt: skip
                started, cpu = time.perf_counter(), time.process_time()
            report = import_results(
                organisation=organisation,
                school_year=region.school_year,
                file=data,
                dry_run=dry_run,
            )
            seconds = time.perf_counter() - started, time.process_time() - cpu
            transaction.set_rollback(True)
        if not report.ok or report.applied == dry_run:
            problems = [report.file_error] + [f"row {e.row}: {e.message}" for e in report.errors]
            raise RuntimeError("; ".join(p for p in problems if p)[:300])
        if not again:
            result.created = report.created
        return seconds

    gc.collect()
    try:
        with override_settings(DEBUG=False):
            result.dry_run_s, _cpu = run(dry_run=True)
            result.apply_s, result.apply_cpu_s = run(dry_run=False)
            result.reapply_s, _cpu = run(dry_run=False, again=True)
    except RuntimeError as exc:
        result.error = str(exc)
    return result


# --------------------------------------------------------------------------------------------
# Reporting

PAGE_P95_MS = 100.0
SEARCH_MS = 50.0
FLOOR_RATIO = 2.0


def render_floors(by_size: dict[str, list[Result]]) -> str:
    """Each page with a floor: its p95, the floor's p95 and their ratio, per size."""
    sizes = list(by_size)
    first = next(iter(by_size.values()), [])
    rows = [i for i, r in enumerate(first) if any(rs[i].floor_p95_ms for rs in by_size.values())]
    if not rows:
        return "no page was measured against a floor"
    width = max(len(first[i].label) for i in rows)
    head = f"{'page vs its floor (p95)':<{width}}" + "".join(
        f" | {size + ': page':>9} {'floor':>6} {'ratio':>6}" for size in sizes
    )
    lines = [head, "-" * len(head)]
    for i in rows:
        line = f"{first[i].label:<{width}}"
        for size in sizes:
            r = by_size[size][i]
            if r.ratio is None:
                line += f" | {'—':>23}"
                continue
            mark = (
                " " if r.ratio <= FLOOR_RATIO and r.p95_ms <= (r.limit_ms or PAGE_P95_MS) else "!"
            )
            line += f" | {r.p95_ms:9.1f} {r.floor_p95_ms:6.1f} {r.ratio:5.2f}{mark}"
        lines.append(line)
    lines.append(
        f"ms; ! marks a page over {FLOOR_RATIO:.0f}× its floor or over its limit "
        f"({PAGE_P95_MS:.0f} ms; results pages {RESULTS_MS:.0f} ms); "
        f"a floor runs the page's selectors through the same middleware, without permission "
        f"checks or templates, timed in turns with its page"
    )
    return "\n".join(lines)


def render_table(title: str, by_size: dict[str, list[Result]]) -> str:
    sizes = list(by_size)
    labels = [r.label for r in next(iter(by_size.values()))] if by_size else []
    width = max([len(label) for label in labels] + [10])
    head1 = " " * width + "".join(f" | {size:^22}" for size in sizes)
    head2 = f"{'URL':<{width}}" + "".join(f" | {'med':>7} {'p95':>7} {'q':>5}" for _ in sizes)
    lines = [title, head1, head2, "-" * len(head2)]
    notes: list[str] = []
    pauses: list[str] = []
    for i, label in enumerate(labels):
        row = f"{label:<{width}}"
        for size in sizes:
            r = by_size[size][i]
            if r.ok:
                mark = "*" if r.full_gc else " "
                row += f" | {r.median_ms:7.1f} {r.p95_ms:6.1f}{mark} {r.queries:5d}"
                if r.full_gc:
                    pauses.append(f"{label} at {size}: {r.full_gc} × ~{_pause(r):.0f} ms")
            else:
                status = "—" if r.status is None else str(r.status)
                row += f" | {'skipped (' + status + ')':>21}"
                if r.note and f"{label}: {r.note}" not in notes:
                    notes.append(f"{label}: {r.note}")
        lines.append(row)
    lines.append("times in ms (median, p95), q = SQL queries per request")
    if pauses:
        lines.append("* full garbage collections during the timed requests (they inflate p95):")
        lines += [f"  {pause}" for pause in pauses]
    if notes:
        lines.append("skipped:")
        lines += [f"  {note}" for note in notes]
    return "\n".join(lines)


def _pause(r: Result) -> float:
    return r.full_gc_ms / r.full_gc if r.full_gc else 0.0


@dataclass
class Verdict:
    target: str
    passed: bool | None  # None: could not be judged
    offenders: list[str]

    def line(self) -> str:
        state = {True: "PASS", False: "FAIL", None: "INCOMPLETE"}[self.passed]
        tail = f" — {'; '.join(self.offenders)}" if self.offenders else ""
        return f"{state} {self.target}{tail}"


def verdicts(by_size: dict[str, list[Result]]) -> list[Verdict]:
    out: list[Verdict] = []
    largest = "L" if "L" in by_size else (list(by_size)[-1] if by_size else None)
    at = "" if largest == "L" else f" (measured at {largest}: L not run)"
    if largest is None:
        return out
    results = by_size[largest]

    pages = [r for r in results if not r.export and r.limit_ms is None]
    slow = [
        f"{r.label} {r.p95_ms:.0f} ms" + (f" (incl. {r.full_gc} full GC)" if r.full_gc else "")
        for r in pages
        if r.ok and r.p95_ms > PAGE_P95_MS
    ]
    unmeasured = [f"{r.label} not measured" for r in pages if not r.ok]
    out.append(
        Verdict(
            f"p95 ≤ {PAGE_P95_MS:.0f} ms at L for every list and detail page{at}",
            _judge(slow, unmeasured, len(pages)),
            slow + unmeasured,
        )
    )

    if len(by_size) < 2:
        out.append(Verdict("same query count at every size (needs two sizes or more)", None, []))
    else:
        drift = []
        for i, r in enumerate(results):
            if r.export:
                continue  # the databank export's organisation grows with the size
            counts = {size: rs[i].queries for size, rs in by_size.items() if rs[i].ok}
            if len(set(counts.values())) > 1:
                drift.append(f"{r.label} " + "/".join(f"{s}:{q}" for s, q in counts.items()))
        out.append(Verdict("same query count at every size", not drift, drift))

    search = [r for r in results if r.search]
    slow_search = [
        f"{r.label} p95 {r.p95_ms:.0f} ms" for r in search if r.ok and r.p95_ms > SEARCH_MS
    ]
    missing = [f"{r.label} not measured" for r in search if not r.ok]
    out.append(
        Verdict(
            f"people search ≤ {SEARCH_MS:.0f} ms (p95){at}",
            _judge(slow_search, missing, len(search)),
            slow_search + missing,
        )
    )

    # The results pages have a floor too, but their verdict is their own 200 ms limit.
    floored = [r for r in results if r.floor and r.limit_ms is None]
    over = [
        f"{r.label} {r.ratio:.2f}× its floor"
        for r in floored
        if r.ratio is not None and r.ratio > FLOOR_RATIO
    ]
    no_floor = [f"{r.label} not measured" for r in floored if r.ratio is None]
    out.append(
        Verdict(
            f"every plans/meetings/minutes/decisions page ≤ {FLOOR_RATIO:.0f}× its floor (p95){at}",
            _judge(over, no_floor, len(floored)),
            over + no_floor,
        )
    )

    for r in results:
        if r.limit_ms is None:
            continue
        failed = [f"p95 {r.p95_ms / 1000:.2f} s"] if r.ok and r.p95_ms > r.limit_ms else []
        out.append(
            Verdict(
                f"{r.label} ≤ {r.limit_ms / 1000:g} s (p95){at}",
                _judge(failed, [] if r.ok else ["not measured"], 1),
                failed or ([] if r.ok else ["not measured"]),
            )
        )
    return out


def _judge(failed: list[str], unmeasured: list[str], total: int) -> bool | None:
    """FAIL on any offender; PASS only when everything was measured; otherwise undecided."""
    if failed:
        return False
    if unmeasured or not total:
        return None
    return True


def results_json(
    vendor: str,
    database: str,
    repeat: int,
    regions: dict[str, Region],
    by_size: dict[str, list[Result]],
    checks: list[Verdict],
    imports: dict[str, ImportBench] | None = None,
    results_imports: dict[str, ResultsImportBench] | None = None,
) -> dict[str, Any]:
    return {
        "vendor": vendor,
        "database": database,
        "repeat": repeat,
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "sizes": {
            code: {
                "counts": regions[code].counts,
                "generation_seconds": round(regions[code].seconds, 2),
                "results_generation_seconds": round(regions[code].results_seconds, 2),
                "results": [
                    {k: v for k, v in asdict(r).items() if k not in {"page", "search"}}
                    for r in by_size[code]
                ],
                "import": asdict(imports[code]) if imports and code in imports else None,
                "results_import": asdict(results_imports[code])
                if results_imports and code in results_imports
                else None,
            }
            for code in by_size
        },
        "verdicts": [
            {"target": v.target, "passed": v.passed, "offenders": v.offenders} for v in checks
        ],
    }
