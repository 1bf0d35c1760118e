"""Demo data: the seeds' structures with invented people, built through the real services.

Loading twice changes nothing: every object is looked up by its natural key first.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.test.utils import override_settings

from communities import services as community_services
from communities.models import Community, CommunityKind, GroupAdministrator, Membership
from devtools import (
    demo_activity,
    demo_certificates,
    demo_consultations,
    demo_discussions,
    demo_events,
    demo_growth,
    demo_lesson_study,
    demo_mentoring,
    demo_rating,
    demo_reports,
    demo_resources,
    demo_results,
    demo_surveys,
)
from organisations import services as organisation_services
from organisations.models import Network, NetworkMembership, Organisation, Territory
from people import services as people_services
from people.models import (
    Achievement,
    Award,
    Course,
    Person,
    QualificationCategory,
    QualificationRecord,
    TeacherProfile,
)
from search import services as search_services

DEMO_PASSWORD = "collegium-demo"

# The 12 network professional groups of a municipal centre (003 app. 2): subject cycle and
# participant category. The groups' real administrators are not reproduced.
NETWORK_GROUPS = [
    (
        "дисциплины физико-математического цикла",
        "Учителя математики, физики, астрономии, информатики",
    ),
    ("начальное образование", "Учителя начальных классов"),
    ("дошкольное образование", "Воспитатели, старшие воспитатели, музыкальные руководители"),
    (
        "дисциплины гуманитарного цикла",
        "Учителя русского языка и литературы, иностранных языков, истории и обществознания",
    ),
    ("дисциплины естественно-научной направленности", "Учителя химии, биологии, географии"),
    ("учителя ОРКСЭ, ОДНКНР", "Учителя основ религиозных культур и светской этики, ОДНКНР"),
    ("дисциплины развивающего цикла", "Учителя изобразительного искусства, музыки, технологии"),
    ("безопасность и здоровый образ жизни", "Учителя ОБЗР и физической культуры"),
    (
        "специалисты служб сопровождения",
        "Педагоги-психологи, социальные педагоги, учителя-логопеды, учителя-дефектологи",
    ),
    ("педагоги дополнительного образования", "Педагоги дополнительного образования"),
    ("классные руководители", "Классные руководители"),
    ("школьные библиотекари", "Школьные библиотекари"),
]

SCHOOLS = [
    # key, name, short, kind, district, low, difficult, high
    ("lyceum1", "МБОУ «Лицей № 1 г. Энска»", "Лицей № 1", "lyceum", "city", False, False, True),
    ("school3", "МБОУ «Средняя школа № 3»", "СШ № 3", "school", "city", False, False, True),
    ("gym5", "МБОУ «Гимназия № 5»", "Гимназия № 5", "gymnasium", "city", False, False, True),
    ("school7", "МБОУ «Средняя школа № 7»", "СШ № 7", "school", "city", False, False, False),
    ("school9", "МБОУ «Средняя школа № 9»", "СШ № 9", "school", "district", True, True, False),
    ("school12", "МБОУ «Основная школа № 12»", "ОШ № 12", "school", "district", True, False, False),
    ("school14", "МБОУ «Средняя школа № 14»", "СШ № 14", "school", "city", False, False, False),
    (
        "internat",
        "ГБОУ «Школа-интернат № 2»",
        "Школа-интернат № 2",
        "boarding_school",
        "district",
        False,
        True,
        False,
    ),
    (
        "kg8",
        "МБДОУ «Детский сад № 8»",
        "Детский сад № 8",
        "kindergarten",
        "city",
        False,
        False,
        False,
    ),
    (
        "dod",
        "МБУ ДО «Центр детского творчества»",
        "ЦДТ",
        "additional_education",
        "city",
        False,
        False,
        False,
    ),
]

# Invented people: (login, surname, name, patronymic, school key, position, subject)
DEMO_USERS = [
    ("centre", "Орлова", "Марина", "Викторовна", "centre", "Методист", ""),
    ("curator", "Белов", "Антон", "Сергеевич", "centre", "Специалист-куратор", ""),
    ("coordinator", "Зайцева", "Ольга", "Николаевна", "lyceum1", "Заместитель директора по МР", ""),
    ("director", "Комаров", "Дмитрий", "Андреевич", "school14", "Директор", ""),
    (
        "deputy",
        "Полякова",
        "Вера",
        "Сергеевна",
        "school14",
        "Заместитель директора по методической работе",
        "",
    ),
    ("leader", "Соколова", "Елена", "Игоревна", "school14", "Учитель математики", "Математика"),
    ("teacher", "Лебедев", "Павел", "Олегович", "school14", "Учитель физики", "Физика"),
    ("mentor", "Виноградова", "Наталья", "Петровна", "gym5", "Директор", ""),
    ("mentee", "Тарасов", "Игорь", "Валентинович", "school9", "Директор", ""),
]

PLC_TEACHERS = [
    ("demo.kiseleva", "Киселёва", "Анна", "Юрьевна", "Учитель химии", "Химия"),
    ("demo.gusev", "Гусев", "Роман", "Алексеевич", "Учитель биологии", "Биология"),
    ("demo.titova", "Титова", "Светлана", "Михайловна", "Учитель информатики", "Информатика"),
    ("demo.makarova", "Макарова", "Ирина", "Владимировна", "Учитель географии", "География"),
    ("demo.ilin", "Ильин", "Сергей", "Павлович", "Учитель математики", "Математика"),
    ("demo.fedorova", "Фёдорова", "Татьяна", "Андреевна", "Учитель математики", "Математика"),
]

OTHER_TEACHERS = [
    ("demo.andreev", "Андреев", "Максим", "Ильич", "lyceum1", "Учитель физики"),
    ("demo.belyaeva", "Беляева", "Ксения", "Олеговна", "lyceum1", "Учитель начальных классов"),
    ("demo.mikhailov", "Михайлов", "Георгий", "Львович", "school3", "Директор"),
    ("demo.pavlova", "Павлова", "Вера", "Степановна", "school3", "Учитель русского языка"),
    ("demo.semenov", "Семёнов", "Артём", "Денисович", "gym5", "Учитель истории"),
    ("demo.golubeva", "Голубева", "Алла", "Романовна", "school7", "Директор"),
    ("demo.volkova", "Волкова", "Лидия", "Фёдоровна", "school12", "Директор"),
    ("demo.morozov", "Морозов", "Кирилл", "Витальевич", "school9", "Заместитель директора по УР"),
    ("demo.novikova", "Новикова", "Дарья", "Евгеньевна", "internat", "Педагог-психолог"),
    ("demo.bogdanova", "Богданова", "Юлия", "Сергеевна", "kg8", "Старший воспитатель"),
    (
        "demo.kovaleva",
        "Ковалёва",
        "Оксана",
        "Ивановна",
        "dod",
        "Педагог дополнительного образования",
    ),
    ("demo.vorobyev", "Воробьёв", "Никита", "Аркадьевич", "school7", "Учитель технологии"),
]

RU_CATEGORIES = ["без категории", "первая", "высшая", "педагог-методист", "педагог-наставник"]


def _territory(name: str, kind: str, parent: Territory | None) -> Territory:
    existing = Territory.objects.filter(name=name, parent=parent).first()
    return existing or organisation_services.create_territory(
        actor=None, name=name, kind=kind, parent=parent
    )


def _kazakh_district() -> None:
    """A Kazakh-speaking district beside the Russian-speaking demo region: its centre set Kazakh
    as the default language, so `mugalim` (who never chose one) sees Collegium in Kazakh."""
    region = _territory("Сарыөзен облысы", Territory.Kind.REGION, None)
    if region.country_code != "KZ" or region.language != "kk":
        region.country_code, region.language = "KZ", "kk"
        region.save(update_fields=["country_code", "language"])
    district = _territory("Ақбұлақ ауданы", Territory.Kind.DISTRICT, region)
    school = _organisation(
        "№ 3 жалпы білім беретін мектеп", short_name="№ 3 мектеп", territory=district
    )
    teacher = _person("mugalim", "Сейітова", "Айгүл", "Бекқызы")
    if not teacher.positions.exists():
        people_services.add_position(person=teacher, organisation=school, title="Мұғалім")


def _organisation(name: str, **fields) -> Organisation:
    existing = Organisation.objects.filter(name=name).first()
    return existing or organisation_services.create_organisation(actor=None, name=name, **fields)


def _person(login, last, first, middle, *, superuser=False) -> Person:
    person = Person.objects.filter(username=login).first()
    if person is None:
        person = people_services.create_person(
            username=login,
            last_name=last,
            first_name=first,
            middle_name=middle,
            email=f"{login}@demo.collegium.local",
            password=DEMO_PASSWORD,
        )
    if superuser and not person.is_superuser:
        person.is_superuser = person.is_staff = True
        person.save(update_fields=["is_superuser", "is_staff"])
    return person


def _community(kind_code: str, name: str, **fields) -> tuple[Community, bool]:
    kind = CommunityKind.objects.get(code=kind_code, country=CommunityKind.Country.RU)
    existing = Community.objects.filter(kind=kind, name=name).first()
    if existing:
        return existing, False
    return community_services.create_community(kind=kind, name=name, **fields), True


def _members(community: Community, people: list[tuple[Person, str, str]]) -> None:
    present = set(community.memberships.values_list("person_id", flat=True))
    for person, role, subject in people:
        if person.pk not in present:
            community_services.add_member(
                community=community, person=person, role=role, subject=subject
            )


def _profile(
    person: Person, index: int, subject: str, categories: dict[str, QualificationCategory]
):
    if TeacherProfile.objects.filter(person=person).exists():
        return
    category = categories[["первая", "высшая", "без категории", "педагог-наставник"][index % 4]]
    assigned = dt.date(2021 + index % 4, 3 + index % 8, 10 + index % 15)
    total = 6 + (index * 3) % 25
    profile = people_services.save_profile(
        person=person,
        education="Высшее педагогическое",
        education_institution="Энский государственный педагогический университет",
        specialty=f"Учитель ({subject.lower() or 'педагогика'})",
        qualification_category=category,
        category_assigned_on=assigned,
        next_attestation_on=assigned.replace(year=assigned.year + 5),
        experience_total=total,
        experience_teaching=total - index % 3,
        subjects=subject,
        workload_hours=Decimal(18 + index % 10),
        classes_taught=["5А, 6Б, 7В", "8А, 9Б", "10А, 11А", "1А, 2Б"][index % 4],
        self_education_topic=[
            "Формирующее оценивание как средство повышения качества знаний",
            "Исследовательская деятельность учащихся на уроках",
            "Функциональная грамотность: естественно-научная составляющая",
            "Цифровые инструменты обратной связи на уроке",
        ][index % 4],
        experience_generalisation="Выступление на городском методическом объединении",
    )
    QualificationRecord.objects.create(profile=profile, category=category, assigned_on=assigned)
    Course.objects.create(
        profile=profile,
        title="Реализация требований обновлённых ФГОС ООО, ФГОС СОО",
        kind=Course.Kind.UPDATED_CONTENT,
        provider="Институт развития образования",
        hours=36,
        completed_on=dt.date(2025, 3, 20),
    )
    if index % 2 == 0:
        Award.objects.create(
            profile=profile, title="Почётная грамота управления образования", year=2024
        )
    Achievement.objects.create(
        profile=profile,
        kind=Achievement.Kind.TEACHER,
        year=2025,
        description="Участник муниципального конкурса «Педагог года»",
        level="муниципальный",
    )
    Achievement.objects.create(
        profile=profile,
        kind=Achievement.Kind.PUPILS,
        year=2025,
        description="Призёр муниципального этапа всероссийской олимпиады школьников",
        level="муниципальный",
    )


PLC_TARGETS = [
    # indicator, unit, baseline, target, responsible, measurement
    (
        "Учителя повышают уровень преподавания через взаимопосещение уроков",
        "%",
        60,
        100,
        "Все члены ПОС",
        "журнал взаимопосещений",
    ),
    ("Качество знаний по предметам ЕМЦ", "%", 64, 70, "Учителя ЕМЦ", "итоги четвертей и года"),
    (
        "Учителя ПОС используют цифровые образовательные ресурсы на уроках",
        "%",
        50,
        100,
        "Руководитель ПОС",
        "анкетирование, посещение уроков",
    ),
    (
        "Учителя проходят курсовую подготовку по обновлённым программам",
        "%",
        0,
        38,
        "Руководитель ПОС",
        "сертификаты курсов",
    ),
    (
        "Учителя повышают квалификационную категорию",
        "%",
        0,
        25,
        "Заместитель директора",
        "приказы об аттестации",
    ),
    (
        "Учителя ПОС вовлечены в Lesson Study",
        "%",
        40,
        100,
        "Модераторы групп LS",
        "протоколы LS, листы наблюдения",
    ),
    (
        "Качество знаний по математике на итоговой аттестации (9 класс)",
        "%",
        45,
        50,
        "Учителя математики",
        "результаты ОГЭ",
    ),
]
# The targets Collegium computes from its records (planning.indicators), by their wording; the
# others are typed, as nothing records them.
PLC_TARGET_SOURCES = {
    "Учителя повышают уровень преподавания через взаимопосещение уроков": (
        "members_visited_lessons",
        {},
    ),
    "Качество знаний по предметам ЕМЦ": (
        "results_quality",
        {"subjects": ["Математика", "Физика", "Химия", "Биология", "География", "Информатика"]},
    ),
    "Учителя проходят курсовую подготовку по обновлённым программам": (
        "members_with_courses",
        {},
    ),
}
PLC_MEETINGS = [
    (10, "Утверждение плана работы на учебный год", [
        ("Анализ работы", "Анализ работы ПОС за прошлый учебный год", "Руководитель ПОС",
         "анализ работы"),
        ("Планирование", "Обсуждение и утверждение плана работы на текущий год",
         "Руководитель ПОС", "план работы, протокол"),
        ("Нормативная база", "Изучение инструктивно-методического письма на учебный год",
         "Руководитель ПОС", "выписка из документов"),
        ("Наставничество", "Утверждение плана работы наставников с молодыми учителями",
         "Учитель физики", "план наставничества"),
    ]),
    (1, "Обновление содержания, форм и методов обучения", [
        ("Трансляция опыта", "Мастер-класс «Формирующее оценивание на уроках математики»",
         "Учитель математики", "презентация"),
        ("Lesson Study", "Итоги первого цикла Lesson Study", "Модераторы групп LS",
         "протоколы LS, листы наблюдения"),
        ("Мониторинг", "Анализ качества знаний за первое полугодие", "Руководитель ПОС",
         "аналитическая справка"),
    ]),
    (3, "Профессиональное развитие учителей ПОС", [
        ("Предметная декада", "Проведение декады естественно-математического цикла",
         "Все члены ПОС", "фотоотчёт, сертификаты"),
        ("Самообразование", "Отчёты учителей по темам самообразования", "Учителя ПОС",
         "портфолио"),
    ]),
    (5, "Итоги работы ПОС за учебный год", [
        ("Анализ работы", "Анализ выполнения плана и ожидаемых результатов",
         "Руководитель ПОС", "анализ работы, протокол"),
        ("Итоговая аттестация", "Подготовка к итоговой аттестации 9 и 11 классов",
         "Учителя ЕМЦ", "графики консультаций"),
        ("Творческий отчёт", "Творческие отчёты учителей о проделанной работе", "Учителя ПОС",
         "творческий отчёт с фотографиями"),
    ]),
]  # fmt: skip


def _demo_plans(plc: Community, network: Network, leader: Person) -> None:
    from planning import services as planning_services
    from planning.models import Plan, ResearchPlan

    research, _created = ResearchPlan.objects.get_or_create(
        network=network,
        title="Программа исследования сети «Компас»",
        defaults={
            "theme": network.methodological_theme,
            "start_year": 2024,
            "end_year": 2028,
            "stages": "2024–2025: диагностика; 2025–2027: внедрение; 2027–2028: обобщение опыта.",
        },
    )
    if Plan.objects.filter(community=plc).exists():
        return
    plan = planning_services.create_plan(community=plc, school_year=2026, actor=leader)
    planning_services.update_plan(
        plan=plan,
        version=plan.version,
        fields={
            "priority_directions": "Повышение качества знаний обучающихся; развитие "
            "профессиональной компетентности учителей в условиях обновления содержания "
            "образования.",
            "theme": "Повышение качества знаний обучающихся через профессиональное развитие "
            "учителей ПОС естественно-математического цикла",
            "goals": "Внедрение современных педагогических технологий для повышения качества "
            "обучения; непрерывное совершенствование квалификации педагогов.",
            "tasks": "1) мониторинг качества знаний по четвертям;\n2) внедрение цифровых "
            "ресурсов;\n3) систематическое повышение квалификации;\n4) обобщение и "
            "распространение опыта;\n5) становление молодых учителей через наставничество.",
            "research_plan": research,
        },
        targets=[
            {"indicator": i, "unit": u, "baseline": Decimal(b), "target": Decimal(t),
             "responsible": r, "measurement": m,
             "source": PLC_TARGET_SOURCES.get(i, ("", {}))[0],
             "source_options": PLC_TARGET_SOURCES.get(i, ("", {}))[1]}
            for i, u, b, t, r, m in PLC_TARGETS
        ],
        meetings=[
            {"month": month, "title": title, "items": [
                {"section": s, "action": a, "leaders": le, "evidence": e}
                for s, a, le, e in items
            ]}
            for month, title, items in PLC_MEETINGS
        ],
    )  # fmt: skip


def _demo_meetings(plc: Community, users: dict[str, Person], plc_people) -> None:
    """A held, signed meeting with decisions (one already late), a recent one with draft minutes
    and a decision already done, and the next one scheduled."""
    import datetime as dt_

    from django.utils import timezone

    from meetings import services as meeting_services

    if plc.meetings.exists():
        return
    leader, teacher = users["leader"], users["teacher"]
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    today = timezone.localdate()
    held = meeting_services.schedule_meeting(
        confirmed=True,
        community=plc, actor=leader, chair=leader, place="Кабинет 21",
        title="Анализ работы за прошлый год и задачи на новый",
        starts_at=now - dt_.timedelta(days=40),
        questions=["Анализ работы ПОС за прошлый учебный год", "Проект плана работы"],
    )  # fmt: skip
    members = [leader, teacher, *[p for p, _subject in plc_people]]
    meeting_services.write_minutes(
        meeting=held,
        version=None,
        attended=[p.pk for p in members[:-1]],
        secretary=teacher,
        questions=[
            {"title": "Анализ работы ПОС за прошлый учебный год", "speakers": "Соколова Е. И.",
             "summary": "Качество знаний по предметам ЕМЦ составило 64%."},
            {"title": "Проект плана работы", "speakers": "Соколова Е. И., Лебедев П. О.",
             "summary": "Проект плана обсуждён, предложения внесены."},
        ],
        decisions=[
            {"text": "Подготовить открытый урок по физике для декады ЕМЦ", "assignee": teacher,
             "due_on": today - dt_.timedelta(days=5), "question": 1},
            {"text": "Собрать темы самообразования учителей ПОС", "assignee": leader,
             "due_on": today + dt_.timedelta(days=14), "question": 0},
        ],
    )  # fmt: skip
    meeting_services.sign_minutes(minutes=held.minutes, actor=leader)
    # A week-old meeting whose minutes are still a draft: one decision is already done with its
    # evidence, so the leader can see that correcting the minutes keeps it.
    recent = meeting_services.schedule_meeting(
        confirmed=True,
        community=plc, actor=leader, chair=leader, place="Кабинет 21",
        title="Подготовка к предметной декаде ЕМЦ",
        starts_at=now - dt_.timedelta(days=7),
        questions=["График открытых уроков декады"],
    )  # fmt: skip
    meeting_services.write_minutes(
        meeting=recent,
        version=None,
        attended=[p.pk for p in members],
        secretary=teacher,
        questions=[
            {"title": "График открытых уроков декады", "speakers": "Соколова Е. И.",
             "summary": "Предложен график из пяти открытых уроков."},
        ],
        decisions=[
            {"text": "Опубликовать график открытых уроков декады", "assignee": leader,
             "due_on": today - dt_.timedelta(days=2), "question": 0},
            {"text": "Подготовить листы наблюдения для открытых уроков", "assignee": teacher,
             "due_on": today + dt_.timedelta(days=7), "question": 0},
        ],
    )  # fmt: skip
    meeting_services.update_decision(
        decision=recent.decisions.order_by("id").first(),
        status="done",
        evidence="График опубликован в группе ПОС и на стенде в учительской.",
    )
    meeting_services.schedule_meeting(
        confirmed=True,
        community=plc, actor=leader, chair=leader, place="Кабинет 21",
        title="Обновление содержания, форм и методов обучения",
        starts_at=now + dt_.timedelta(days=10),
        questions=["Мастер-класс «Формирующее оценивание»", "Итоги первого цикла Lesson Study"],
    )  # fmt: skip


def load_demo() -> dict[str, int]:
    # The demo writes weeks of a group's life in seconds through the same services members use;
    # the flood limits (DISCUSSIONS_RATE_LIMITS) guard people, not this loader.
    with override_settings(DISCUSSIONS_RATE_LIMITS={}):
        return _load_demo()


@transaction.atomic
def _load_demo() -> dict[str, int]:
    region = _territory("Энская область", Territory.Kind.REGION, None)
    city = _territory("город Энск", Territory.Kind.CITY, region)
    district = _territory("Заречный район", Territory.Kind.DISTRICT, region)
    categories = {}
    for order, name in enumerate(RU_CATEGORIES):
        categories[name], _created = QualificationCategory.objects.get_or_create(
            territory=region, name=name, defaults={"order": order}
        )

    centre = _organisation(
        "МКУ «Центр непрерывного повышения профессионального мастерства педагогов г. Энска»",
        short_name="ЦНППМ г. Энска",
        kind=Organisation.Kind.METHODOLOGICAL_CENTRE,
        territory=city,
    )
    _organisation(
        "Управление образования администрации г. Энска",
        short_name="Управление образования",
        kind=Organisation.Kind.EDUCATION_DEPARTMENT,
        territory=city,
    )
    orgs: dict[str, Organisation] = {"centre": centre}
    for key, name, short, kind, where, low, difficult, high in SCHOOLS:
        orgs[key] = _organisation(
            name,
            short_name=short,
            kind=kind,
            territory=city if where == "city" else district,
            low_results=low,
            difficult_conditions=difficult,
            high_results=high,
            address="г. Энск" if where == "city" else "Заречный район",
        )

    network = Network.objects.filter(name="Сеть ведущей школы «Компас»").first()
    if network is None:
        network = organisation_services.create_network(
            actor=None,
            name="Сеть ведущей школы «Компас»",
            territory=city,
            lead_school=orgs["lyceum1"],
            description="Сеть ведущей школы, партнёрских и магнитных школ города.",
            methodological_theme="Развитие функциональной грамотности обучающихся через "
            "сетевое взаимодействие педагогов",
            theme_start_year=2024,
            theme_end_year=2028,
        )
    for key in ("school3", "gym5"):
        organisation_services.add_network_school(
            actor=None, network=network, organisation=orgs[key], role=NetworkMembership.Role.PARTNER
        )
    for key in ("school7", "school9", "school12"):
        organisation_services.add_network_school(
            actor=None, network=network, organisation=orgs[key], role=NetworkMembership.Role.MAGNET
        )

    admin = _person("admin", "Администратор", "Системный", "")
    if not admin.is_superuser:
        admin.is_superuser = admin.is_staff = True
        admin.save(update_fields=["is_superuser", "is_staff"])
    users: dict[str, Person] = {}
    for login, last, first, middle, org_key, title, _subject in DEMO_USERS:
        users[login] = _person(login, last, first, middle)
        people_services.add_position(person=users[login], organisation=orgs[org_key], title=title)
    _kazakh_district()
    people_services.assign_role(person=users["centre"], role="centre_admin", territory=region)
    people_services.assign_role(person=users["curator"], role="curator", territory=region)
    people_services.assign_role(person=users["coordinator"], role="coordinator", network=network)
    people_services.assign_role(
        person=users["director"], role="school_admin", organisation=orgs["school14"]
    )
    # The deputy agrees plans and the director approves them: two people (004 §3.2).
    people_services.assign_role(
        person=users["deputy"], role="school_admin", organisation=orgs["school14"]
    )
    people_services.assign_role(
        person=users["mentor"], role="school_admin", organisation=orgs["gym5"]
    )
    people_services.assign_role(
        person=users["mentee"], role="school_admin", organisation=orgs["school9"]
    )

    plc_people = []
    for login, last, first, middle, title, subject in PLC_TEACHERS:
        person = _person(login, last, first, middle)
        people_services.add_position(person=person, organisation=orgs["school14"], title=title)
        plc_people.append((person, subject))
    others = {}
    for login, last, first, middle, org_key, title in OTHER_TEACHERS:
        person = _person(login, last, first, middle)
        people_services.add_position(person=person, organisation=orgs[org_key], title=title)
        others[login] = person

    subjects = {"leader": "Математика", "teacher": "Физика"}
    for index, (person, subject) in enumerate(
        [(users["leader"], "Математика"), (users["teacher"], "Физика"), *plc_people]
    ):
        _profile(person, index, subject, categories)
    for index, person in enumerate(others.values(), start=10):
        _profile(person, index, "", categories)

    # The school's natural-science-and-maths PLC (004) with its lesson-study groups.
    plc, _new = _community(
        "school_plc",
        "ПОС учителей естественно-математического цикла",
        organisation=orgs["school14"],
        subject_area="Естественно-математический цикл",
        participant_category="Учителя математики, физики, химии, биологии, географии, информатики",
        topic="Повышение качества знаний через технологию Lesson Study",
        description="Профессиональное обучающееся сообщество учителей предметов "
        "естественно-математического цикла.",
        creation_order_number="112-о",
        creation_order_date=dt.date(2026, 8, 29),
        created_on=dt.date(2026, 9, 1),
    )
    _members(
        plc,
        [(users["leader"], Membership.Role.LEADER, subjects["leader"])]
        + [(users["teacher"], Membership.Role.MEMBER, subjects["teacher"])]
        + [(p, Membership.Role.MEMBER, s) for p, s in plc_people],
    )
    ls1, _new = _community(
        "lesson_study_team",
        "Группа Lesson Study «Математика и информатика»",
        organisation=orgs["school14"],
        subject_area="Математика",
        topic="Как формирующее оценивание влияет на решение текстовых задач в 6 классе",
    )
    _members(
        ls1,
        [
            (users["leader"], Membership.Role.LEADER, "Математика"),
            (plc_people[2][0], Membership.Role.MEMBER, "Информатика"),
            (plc_people[4][0], Membership.Role.MEMBER, "Математика"),
            (plc_people[5][0], Membership.Role.MEMBER, "Математика"),
        ],
    )
    ls2, _new = _community(
        "lesson_study_team",
        "Группа Lesson Study «Естественные науки»",
        organisation=orgs["school14"],
        subject_area="Естественные науки",
        topic="Исследовательские задания как путь к естественно-научной грамотности",
    )
    _members(
        ls2,
        [
            (users["teacher"], Membership.Role.LEADER, "Физика"),
            (plc_people[0][0], Membership.Role.MEMBER, "Химия"),
            (plc_people[1][0], Membership.Role.MEMBER, "Биология"),
            (plc_people[3][0], Membership.Role.MEMBER, "География"),
        ],
    )
    # A micro-group that does not yet meet its kind's minimum: the page says so.
    micro, _new = _community(
        "micro_group",
        "Творческая микрогруппа «Цифровая лаборатория»",
        organisation=orgs["school14"],
        subject_area="Физика",
        topic="Цифровые лаборатории на уроках физики",
    )
    _members(micro, [(users["teacher"], Membership.Role.LEADER, "Физика")])

    # The district's coordination council over the lead schools' networks (001 §3).
    council, _new = _community(
        "coordination_council",
        "Координационный совет сети «Компас»",
        territory=city,
        participant_category="Представители ведущей, партнёрских и магнитных школ",
    )
    _members(
        council,
        [
            (users["coordinator"], Membership.Role.LEADER, ""),
            (others["demo.mikhailov"], Membership.Role.MEMBER, ""),
            (users["mentor"], Membership.Role.MEMBER, ""),
            (others["demo.golubeva"], Membership.Role.MEMBER, ""),
            (users["mentee"], Membership.Role.MEMBER, ""),
            (others["demo.volkova"], Membership.Role.MEMBER, ""),
        ],
    )
    leadership, _new = _community(
        "leadership_group",
        "Лидерский актив сети «Компас»",
        network=network,
        description="Планирует и анализирует сетевые мероприятия, собирает лучшие ресурсы "
        "педагогов ведущей и партнёрских школ.",
    )
    _members(
        leadership,
        [
            (others["demo.andreev"], Membership.Role.LEADER, "Физика"),
            (others["demo.belyaeva"], Membership.Role.MEMBER, "Начальные классы"),
            (others["demo.semenov"], Membership.Role.MEMBER, "История"),
            (others["demo.pavlova"], Membership.Role.MEMBER, "Русский язык"),
        ],
    )
    temp, _new = _community(
        "temporary_group",
        "Временная творческая группа «Функциональная грамотность»",
        network=network,
        topic="Банк заданий по функциональной грамотности для 5–9 классов",
        end_date=dt.date(2027, 5, 31),
    )
    _members(
        temp,
        [
            (others["demo.andreev"], Membership.Role.LEADER, "Физика"),
            (others["demo.pavlova"], Membership.Role.MEMBER, "Русский язык"),
            (others["demo.semenov"], Membership.Role.MEMBER, "История"),
        ],
    )

    # The municipal centre's communities (003): 12 groups, a council, pairs, an association.
    for cycle, category in NETWORK_GROUPS:
        group, _new = _community(
            "network_group",
            f"Сетевая профессиональная группа «{cycle}»",
            territory=city,
            subject_area=cycle,
            participant_category=category,
            visibility=Community.Visibility.PUBLIC,
            description="Постоянно действующая сетевая профессиональная группа педагогов.",
        )
        _members(group, [(users["curator"], Membership.Role.LEADER, "")])
    # Their pages on a social network and administrators (003 app. 2 appendix), invented: the
    # public list of groups (/groups/) shows them.
    for number, group in enumerate(
        Community.objects.filter(kind__code="network_group", territory=city).order_by("pk"), 1
    ):
        if not group.online_url:
            group.online_url = f"https://vk.com/collegium_demo_group_{number}"
            group.save(update_fields=["online_url"])
        GroupAdministrator.objects.update_or_create(
            community=group,
            person=users["curator"],
            defaults={"position": "специалист-куратор", "contact": "curator@collegium.example"},
        )
    physmath = Community.objects.get(
        kind__code="network_group",
        name="Сетевая профессиональная группа «дисциплины физико-математического цикла»",
    )
    _members(
        physmath,
        [
            (users["leader"], Membership.Role.MEMBER, "Математика"),
            (users["teacher"], Membership.Role.MEMBER, "Физика"),
            (others["demo.andreev"], Membership.Role.MEMBER, "Физика"),
        ],
    )
    council_rost, _new = _community(
        "consultative_council",
        "Консультационный совет «Вектор»",
        territory=city,
        participant_category="Рабочая группа программы, руководители школ с низкими и "
        "высокими образовательными результатами, специалисты центра",
        description="Консультационный совет для руководителей школ с низкими "
        "образовательными результатами.",
    )
    _members(
        council_rost,
        [
            (users["centre"], Membership.Role.LEADER, ""),
            (users["curator"], Membership.Role.EXPERT, ""),
            (users["mentee"], Membership.Role.MEMBER, ""),
            (others["demo.volkova"], Membership.Role.MEMBER, ""),
            (users["mentor"], Membership.Role.MEMBER, ""),
            (others["demo.mikhailov"], Membership.Role.MEMBER, ""),
        ],
    )
    pair1, _new = _community(
        "leaders_pair",
        "Сетевая пара: Гимназия № 5 — СШ № 9",
        territory=city,
        topic="Управление качеством образования в школе с низкими результатами",
    )
    _members(
        pair1,
        [
            (users["mentor"], Membership.Role.MENTOR, ""),
            (users["mentee"], Membership.Role.MENTEE, ""),
        ],
    )
    pair2, _new = _community(
        "leaders_pair",
        "Сетевая пара: СШ № 3 — ОШ № 12",
        territory=city,
        topic="Внутришкольная система оценки качества образования",
    )
    _members(
        pair2,
        [
            (others["demo.mikhailov"], Membership.Role.MENTOR, ""),
            (others["demo.volkova"], Membership.Role.MENTEE, ""),
        ],
    )
    association, _new = _community(
        "leaders_association",
        "Межшкольное объединение руководителей «Качество образования»",
        territory=city,
        participant_category="Руководители и заместители руководителей школ",
    )
    _members(
        association,
        [
            (others["demo.golubeva"], Membership.Role.LEADER, ""),
            (users["mentor"], Membership.Role.MEMBER, ""),
            (users["mentee"], Membership.Role.MEMBER, ""),
            (others["demo.mikhailov"], Membership.Role.MEMBER, ""),
            (others["demo.volkova"], Membership.Role.MEMBER, ""),
        ],
    )
    # A second association, in the district, whose year's report has not come: the centre's
    # board shows it missing after 15 July.
    district_association, _new = _community(
        "leaders_association",
        "Межшкольное объединение руководителей сельских школ «Перспектива»",
        territory=district,
        participant_category="Руководители сельских школ района",
    )
    _members(
        district_association,
        [
            (others["demo.morozov"], Membership.Role.LEADER, ""),
            (others["demo.volkova"], Membership.Role.MEMBER, ""),
            (others["demo.mikhailov"], Membership.Role.MEMBER, ""),
        ],
    )
    _demo_plans(plc, network, users["leader"])
    _demo_meetings(plc, users, plc_people)
    # The professional-development apps add their records to the same world, in layer order.
    world = {
        "region": region,
        "city": city,
        "district": district,
        "orgs": orgs,
        "network": network,
        "users": users,
        "plc": plc,
        "plc_people": plc_people,
        "others": others,
        "lesson_study_teams": [ls1, ls2],
        "micro_group": micro,
        "council": council,
        "network_groups": list(Community.objects.filter(kind__code="network_group")),
        "consultative_council": council_rost,
        "pairs": [pair1, pair2],
        "association": association,
    }
    for app_demo in (
        demo_events,
        demo_certificates,
        demo_surveys,
        demo_lesson_study,
        demo_mentoring,
        demo_consultations,
        demo_growth,
        demo_results,
        demo_discussions,
        demo_reports,
        demo_rating,
        demo_resources,
        demo_activity,
    ):
        app_demo.load(world)
    # Some demo rows are bulk-made (no signals): the search index is rebuilt from everything.
    search_services.reindex()
    return {
        "organisations": Organisation.objects.count(),
        "people": Person.objects.count(),
        "communities": Community.objects.count(),
    }
