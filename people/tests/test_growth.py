"""Attestation and growth (issue 8): upcoming attestations, the portfolio, post-course support,
a community's composition."""

import datetime as dt
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from communities.models import Membership
from communities.tests.factories import CommunityFactory, MembershipFactory
from people import selectors, services
from people.models import (
    Achievement,
    Award,
    Course,
    CourseSupport,
    DatabankAccess,
    Person,
    QualificationRecord,
)
from people.signals import PortfolioSection, portfolio_sections
from people.tests.factories import (
    NetworkFactory,
    OrganisationFactory,
    QualificationCategoryFactory,
    TeacherProfileFactory,
    TerritoryFactory,
    centre_admin,
    coordinator,
    school_admin,
    teacher_at,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def years_ago(n: int, days: int = 0) -> dt.date:
    return TODAY.replace(year=TODAY.year - n) - dt.timedelta(days=days)


@pytest.fixture
def school():
    region = TerritoryFactory(name="Область")
    return OrganisationFactory(name="МБОУ СШ № 7", territory=region)


@pytest.fixture
def category(school):
    return QualificationCategoryFactory(territory=school.territory, name="первая")


def teacher(school, category=None, *, assigned=None, next_on=None, name="Учителева", **kw):
    person = teacher_at(school, last_name=name)
    TeacherProfileFactory(
        person=person,
        qualification_category=category,
        category_assigned_on=assigned,
        next_attestation_on=next_on,
        **kw,
    )
    return person


# The selector ---------------------------------------------------------------------------------


def test_due_date_is_the_recorded_one_else_assignment_plus_validity(school, category):
    recorded = teacher(school, category, assigned=years_ago(4), next_on=TODAY + dt.timedelta(30))
    assigned = years_ago(5, days=-60)
    derived = teacher(school, category, assigned=assigned)  # due in about 60 days
    category.validity_years = 5
    category.save()
    rows = {r.person_id: r for r in selectors.attestations(Person.objects.all())}
    assert rows[recorded.pk].due_on == TODAY + dt.timedelta(30)
    assert rows[derived.pk].due_on == assigned.replace(year=assigned.year + 5)
    assert rows[derived.pk].held_category == "первая"


def test_validity_is_data_per_category(school):
    short = QualificationCategoryFactory(territory=school.territory, validity_years=3)
    person = teacher(school, short, assigned=years_ago(3, days=-10))
    (row,) = selectors.attestations(Person.objects.filter(pk=person.pk))
    assigned = years_ago(3, days=-10)
    assert row.due_on == assigned.replace(year=assigned.year + 3)


def test_due_date_from_the_history_when_the_record_has_no_category(school, category):
    person = teacher(school)
    QualificationRecord.objects.create(
        profile=person.teacher_profile, category=category, assigned_on=years_ago(10)
    )
    QualificationRecord.objects.create(
        profile=person.teacher_profile, category=category, assigned_on=years_ago(6)
    )
    (row,) = selectors.attestations(Person.objects.all(), status="overdue")
    assert row.person_id == person.pk
    assert row.held_category == "первая"
    assert row.due_on == years_ago(1)


def test_status_and_period_filters(school, category):
    overdue = teacher(school, category, next_on=TODAY - dt.timedelta(1), name="Опоздалова")
    soon = teacher(school, category, next_on=TODAY + dt.timedelta(60), name="Скорова")
    later = teacher(school, category, next_on=TODAY + dt.timedelta(500), name="Позднова")
    unknown = teacher(school, name="Безданных")
    people = Person.objects.all()

    def ids(**kw):
        return [r.person_id for r in selectors.attestations(people, **kw)]

    assert ids() == [overdue.pk, soon.pk]
    assert ids(status="overdue") == [overdue.pk]
    assert ids(status="upcoming", months=3) == [soon.pk]
    assert ids(status="upcoming", months=24) == [soon.pk, later.pk]
    assert ids(status="all") == [overdue.pk, soon.pk, later.pk, unknown.pk]
    assert ids(status="all", q="скор") == [soon.pk]


def test_level_course_filter(school, category):
    trained = teacher(school, category, next_on=TODAY, name="Обученова")
    untrained = teacher(school, category, next_on=TODAY, name="Необученова")
    Course.objects.create(profile=trained.teacher_profile, title="Уровень 1", kind="level")
    Course.objects.create(profile=untrained.teacher_profile, title="Другое", kind="other")
    people = Person.objects.all()
    assert [r.person_id for r in selectors.attestations(people, level_trained=True)] == [trained.pk]
    assert [r.person_id for r in selectors.attestations(people, level_trained=False)] == [
        untrained.pk
    ]


# The school's, the centre's and the community's pages -----------------------------------------


def test_school_admin_sees_the_school_list_and_views_are_logged(client, school, category):
    person = teacher(school, category, next_on=TODAY + dt.timedelta(10), name="Аттестуемова")
    admin = school_admin(school)
    client.force_login(admin)
    response = client.get(f"/organisations/{school.pk}/attestation/")
    assert response.status_code == 200
    assert "Аттестуемова" in response.content.decode()
    assert DatabankAccess.objects.filter(viewer=admin, subject=person, action="view").exists()


@pytest.mark.parametrize("who", ["teacher", "other_admin", "coordinator"])
def test_others_may_not_see_the_school_list(client, school, who):
    other = OrganisationFactory()
    user = {
        "teacher": lambda: teacher_at(school),
        "other_admin": lambda: school_admin(other),
        "coordinator": lambda: coordinator(NetworkFactory(lead_school=school)),
    }[who]()
    client.force_login(user)
    assert client.get(f"/organisations/{school.pk}/attestation/").status_code == 403
    assert client.get(f"/organisations/{school.pk}/attestation.xlsx").status_code == 403


def test_bad_filter_values_fall_back_not_fail(client, school):
    client.force_login(school_admin(school))
    response = client.get(
        f"/organisations/{school.pk}/attestation/?months=abc&status=x&level=maybe&page=zz"
    )
    assert response.status_code == 200


def test_export_is_formula_safe_and_logged(client, school, category):
    person = teacher(
        school,
        category,
        next_on=TODAY,
        name="=HYPERLINK(1)",
        self_education_topic="+cmd",
    )
    admin = school_admin(school)
    client.force_login(admin)
    response = client.get(f"/organisations/{school.pk}/attestation.xlsx?status=all")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value]
    name = next(c for c in cells if "HYPERLINK" in str(c.value))
    assert name.data_type == "s" and name.quotePrefix
    assert DatabankAccess.objects.filter(viewer=admin, subject=person, action="export").count() == 1


def test_centre_sees_its_territory_only(client, school, category):
    mine = teacher(school, category, next_on=TODAY, name="Своя")
    elsewhere = OrganisationFactory(territory=TerritoryFactory(name="Другая"))
    teacher(elsewhere, next_on=TODAY, name="Чужая")
    client.force_login(centre_admin(school.territory))
    body = client.get("/attestation/").content.decode()
    assert "Своя" in body and "Чужая" not in body
    assert client.get("/attestation/attestation.xlsx").status_code == 200
    client.force_login(mine)
    assert client.get("/attestation/").status_code == 403


@pytest.fixture
def plc(school, category):
    leader = teacher(school, category, next_on=TODAY, name="Лидерова")
    community = CommunityFactory(organisation=school, leader=leader)
    MembershipFactory(community=community, person=leader, role=Membership.Role.LEADER)
    for name in ("Первая", "Вторая"):
        MembershipFactory(
            community=community, person=teacher(school, category, next_on=TODAY, name=name)
        )
    return community


def test_community_leader_and_school_admin_see_the_members(client, plc, school):
    for user in (plc.leader, school_admin(school)):
        client.force_login(user)
        body = client.get(f"/communities/{plc.pk}/attestation/").content.decode()
        assert "Первая" in body and "Вторая" in body
        assert client.get(f"/communities/{plc.pk}/composition/").status_code == 200
        assert client.get(f"/communities/{plc.pk}/attestation.xlsx").status_code == 200


def test_a_network_school_admin_sees_only_the_members_whose_records_they_may_see(client, plc):
    other = OrganisationFactory(territory=plc.organisation.territory)
    theirs = teacher(other, next_on=TODAY, name="Изсоседней")
    MembershipFactory(community=plc, person=theirs)
    plc.organisation = None
    plc.territory = other.territory
    plc.save()
    admin = centre_admin(other.territory)
    client.force_login(admin)
    body = client.get(f"/communities/{plc.pk}/attestation/").content.decode()
    assert "Изсоседней" in body  # the centre administers both schools
    member_rows = selectors.attestations(
        __import__("communities.permissions").permissions.growth_members(admin, plc), status="all"
    )
    from people.permissions import can_view_databank

    assert all(can_view_databank(admin, r.person) for r in member_rows)


def test_members_and_outsiders_may_not_see_the_community_lists(client, plc, school):
    member = plc.memberships.filter(role="member").first().person
    for user in (member, teacher_at(school), school_admin(OrganisationFactory())):
        client.force_login(user)
        for url in ("attestation/", "attestation.xlsx", "composition/"):
            assert client.get(f"/communities/{plc.pk}/{url}").status_code == 403, url


def test_composition_counts_bands_topics_and_level_filter(school, category):
    people = []
    for years, topic in ((1, "Чтение"), (4, ""), (7, "Оценивание"), (25, "")):
        people.append(
            teacher(
                school,
                category if years > 3 else None,
                experience_total=years,
                experience_teaching=years,
                self_education_topic=topic,
                name=f"Стаж{years}",
            )
        )
    Course.objects.create(profile=people[0].teacher_profile, title="Уровень", kind="level")
    result = selectors.composition(Person.objects.filter(pk__in=[p.pk for p in people]))
    assert result.total == 4 and result.level_trained == 1
    assert dict(result.by_experience) == {
        "до 3 лет": 1,
        "от 3 до 5 лет": 1,
        "от 5 до 10 лет": 1,
        "20 лет и более": 1,
    }
    assert dict(result.by_category) == {"первая": 3, "без категории": 1}
    assert [topic for _name, topic in result.topics] == ["Чтение", "Оценивание"]
    trained = selectors.composition(Person.objects.all(), level_trained=True)
    assert trained.total == 1


# The portfolio --------------------------------------------------------------------------------


@pytest.fixture
def portfolio_teacher(school, category):
    person = teacher(
        school,
        category,
        assigned=years_ago(2),
        next_on=years_ago(-3),
        name="Портфолиева",
        self_education_topic="Смысловое чтение",
    )
    profile = person.teacher_profile
    Course.objects.create(
        profile=profile, title="Курс уровня", kind="level", completed_on=years_ago(1)
    )
    Course.objects.create(profile=profile, title="Давний курс", completed_on=years_ago(10))
    Award.objects.create(profile=profile, title="Почётная грамота", year=TODAY.year)
    Achievement.objects.create(
        profile=profile,
        kind="teacher",
        year=TODAY.year,
        description="Сертификат участника семинара",
        source="certificate:123",
    )
    return person


def test_portfolio_pdf_has_the_databank_and_the_sections_of_higher_apps(
    client, school, portfolio_teacher
):
    def lessons(sender, person, since, viewer, **kw):
        return [PortfolioSection("Открытые уроки", ["Тема"], [["Урок дроби"]])]

    portfolio_sections.connect(lessons)
    try:
        client.force_login(portfolio_teacher)
        response = client.get(f"/people/{portfolio_teacher.pk}/portfolio.pdf")
        page = client.get(f"/people/{portfolio_teacher.pk}/portfolio/").content.decode()
    finally:
        portfolio_sections.disconnect(lessons)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(response.content)).pages)
    text = " ".join(text.split())
    for expected in (
        "МБОУ СШ № 7",
        "Портфолиева",
        "первая",
        "Курс уровня",
        "Почётная грамота",
        "Сертификат участника семинара",
        "Смысловое чтение",
        "Открытые уроки",
        "Урок дроби",
    ):
        assert expected in text, expected
    assert "Давний курс" not in text  # older than three years
    assert "Урок дроби" in page and "Давний курс" not in page
    # One's own portfolio is not logged.
    assert not DatabankAccess.objects.exists()


def test_portfolio_by_admin_and_leader_is_logged_and_others_are_refused(
    client, school, portfolio_teacher
):
    admin = school_admin(school)
    leader = teacher_at(school)
    community = CommunityFactory(organisation=school, leader=leader)
    MembershipFactory(community=community, person=portfolio_teacher)
    for user, action, url in (
        (admin, "export", "portfolio.pdf"),
        (leader, "view", "portfolio/"),
    ):
        client.force_login(user)
        assert client.get(f"/people/{portfolio_teacher.pk}/{url}").status_code == 200
        assert DatabankAccess.objects.filter(
            viewer=user, subject=portfolio_teacher, action=action
        ).exists()
    for user in (teacher_at(school), school_admin(OrganisationFactory())):
        client.force_login(user)
        assert client.get(f"/people/{portfolio_teacher.pk}/portfolio/").status_code == 403
        assert client.get(f"/people/{portfolio_teacher.pk}/portfolio.pdf").status_code == 403


def test_the_portfolio_api_gives_the_attestation_databank_and_sections(
    client, school, portfolio_teacher
):
    def lessons(sender, person, since, viewer, **kw):
        return [PortfolioSection("Открытые уроки", ["Тема"], [["Урок дроби"]])]

    portfolio_sections.connect(lessons)
    admin = school_admin(school)
    client.force_login(admin)
    try:
        response = client.get(f"/api/v1/people/{portfolio_teacher.pk}/portfolio/")
    finally:
        portfolio_sections.disconnect(lessons)
    assert response.status_code == 200
    body = response.json()
    assert body["person"]["full_name"].startswith("Портфолиева")
    assert body["since_year"] == TODAY.year - 3
    assert body["attestation"] == {
        "category_held": "первая",
        "held_since": years_ago(2).isoformat(),
        "category_sought": None,
        "due_on": years_ago(-3).isoformat(),
        "overdue": False,
        "level_trained": True,
    }
    assert body["self_education_topic"] == "Смысловое чтение"
    assert [c["title"] for c in body["courses"]] == ["Курс уровня"]  # not the one too old
    assert body["awards"][0]["title"] == "Почётная грамота"
    assert body["achievements"][0]["source"] == "certificate:123"
    sections = {s["title"]: s for s in body["sections"]}
    assert sections["Открытые уроки"]["rows"] == [["Урок дроби"]]
    assert DatabankAccess.objects.filter(
        viewer=admin, subject=portfolio_teacher, action="view", channel="api"
    ).exists()


def test_the_portfolio_api_follows_the_pages_policy(client, school, portfolio_teacher):
    client.force_login(portfolio_teacher)
    own = client.get(f"/api/v1/people/{portfolio_teacher.pk}/portfolio/")
    assert own.status_code == 200 and not DatabankAccess.objects.exists()
    for user in (teacher_at(school), school_admin(OrganisationFactory())):
        client.force_login(user)
        assert client.get(f"/api/v1/people/{portfolio_teacher.pk}/portfolio/").status_code == 403
    assert not DatabankAccess.objects.exists()
    assert client.get("/api/v1/people/999999/portfolio/").status_code == 404
    client.logout()
    assert client.get(f"/api/v1/people/{portfolio_teacher.pk}/portfolio/").status_code == 401


def test_the_portfolio_api_of_someone_without_a_record_has_no_attestation(client, school):
    person = teacher_at(school, last_name="Безкарточкина")
    client.force_login(school_admin(school))
    body = client.get(f"/api/v1/people/{person.pk}/portfolio/").json()
    assert body["attestation"] is None and body["courses"] == []
    assert body["qualification_category"] is None and body["self_education_topic"] == ""


def test_the_portfolio_api_is_in_the_schema(client):
    schema = client.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/people/{id}/portfolio/"]["get"]
    assert "200" in operation["responses"]
    assert "Portfolio" in schema["components"]["schemas"]


# Post-course support --------------------------------------------------------------------------


def test_school_admin_records_support_and_the_teacher_sees_it(client, school, portfolio_teacher):
    admin = school_admin(school)
    course = portfolio_teacher.teacher_profile.courses.get(kind="level")
    client.force_login(admin)
    url = f"/people/{portfolio_teacher.pk}/course-support/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "course": course.pk,
            "supporter": admin.pk,
            "plan": "Посещение уроков\x07, разбор",
            "started_on": TODAY.isoformat(),
            "follow_up_on": (TODAY + dt.timedelta(30)).isoformat(),
        },
    )
    assert response.status_code == 302
    support = CourseSupport.objects.get()
    assert support.plan == "Посещение уроков, разбор" and support.supporter == admin
    client.force_login(portfolio_teacher)
    body = client.get(f"/people/{portfolio_teacher.pk}/").content.decode()
    assert "Посещение уроков" in body


def test_support_form_errors_point_at_the_field(client, school, portfolio_teacher):
    client.force_login(school_admin(school))
    response = client.post(
        f"/people/{portfolio_teacher.pk}/course-support/",
        {"plan": "", "started_on": "2026-05-01", "follow_up_on": "2026-04-01"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["plan"]
    assert not CourseSupport.objects.exists()
    response = client.post(
        f"/people/{portfolio_teacher.pk}/course-support/",
        {"plan": "План", "started_on": "2026-05-01", "follow_up_on": "2026-04-01"},
    )
    assert response.context["form"].errors["follow_up_on"]


def test_support_of_another_teachers_course_is_refused(school, portfolio_teacher):
    stranger = teacher(school, name="Другая")
    course = Course.objects.create(profile=stranger.teacher_profile, title="Чужой курс")
    with pytest.raises(ValidationError):
        services.save_course_support(person=portfolio_teacher, course=course, plan="План")


def test_only_those_who_keep_the_record_manage_support(client, school, portfolio_teacher):
    leader = teacher_at(school)
    community = CommunityFactory(organisation=school, leader=leader)
    MembershipFactory(community=community, person=portfolio_teacher)
    with pytest.raises(PermissionDenied):
        services.save_course_support(person=portfolio_teacher, actor=leader, plan="План")
    support = services.save_course_support(person=portfolio_teacher, plan="План")
    client.force_login(leader)  # sees the record, but does not keep it
    assert client.get(f"/people/{portfolio_teacher.pk}/course-support/").status_code == 403
    assert (
        client.post(
            f"/people/{portfolio_teacher.pk}/course-support/{support.pk}/delete/"
        ).status_code
        == 403
    )
    client.force_login(school_admin(school))
    response = client.post(f"/people/{portfolio_teacher.pk}/course-support/{support.pk}/delete/")
    assert response.status_code == 302 and not CourseSupport.objects.exists()


# Query counts ---------------------------------------------------------------------------------


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _grow(school, category, plc, n: int) -> None:
    for _i in range(n):
        person = teacher(school, category, next_on=TODAY, name="Рост")
        profile = person.teacher_profile
        QualificationRecord.objects.create(profile=profile, category=category, assigned_on=TODAY)
        Course.objects.create(profile=profile, title="Курс", kind="level", completed_on=TODAY)
        Award.objects.create(profile=profile, title="Грамота", year=TODAY.year)
        Achievement.objects.create(
            profile=profile, kind="teacher", year=TODAY.year, description="Д"
        )
        MembershipFactory(community=plc, person=person)


def test_query_counts_do_not_grow(client, school, category, plc):
    admin = school_admin(school)
    client.force_login(admin)
    subject = plc.leader
    urls = [
        f"/organisations/{school.pk}/attestation/?status=all",
        f"/organisations/{school.pk}/attestation.xlsx?status=all",
        f"/communities/{plc.pk}/attestation/",
        f"/communities/{plc.pk}/attestation.xlsx",
        f"/communities/{plc.pk}/composition/",
        "/attestation/",
        f"/people/{subject.pk}/portfolio/",
        f"/people/{subject.pk}/portfolio.pdf",
    ]
    centre = centre_admin(school.territory)
    _grow(school, category, plc, 2)
    before = {}
    for url in urls:
        client.force_login(centre if url == "/attestation/" else admin)
        before[url] = _count(client, url)
    _grow(school, category, plc, 6)
    for url in urls:
        client.force_login(centre if url == "/attestation/" else admin)
        assert _count(client, url) == before[url], url


def test_a_double_submit_makes_one_support_record(client, school, portfolio_teacher):
    client.force_login(school_admin(school))
    for _n in range(2):
        response = client.post(
            f"/people/{portfolio_teacher.pk}/course-support/", {"plan": "Один план"}
        )
        assert response.status_code == 302
    assert CourseSupport.objects.count() == 1
