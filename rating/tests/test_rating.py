"""The rating: the scheme's rows keep their ids, points and ranks, who sees which rows, the
pages' query counts at two sizes, the logged views, the spreadsheet and the API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from communities.models import Membership
from communities.tests.factories import CommunityFactory, MembershipFactory
from core.schoolyear import school_year_of
from organisations.tests.factories import OrganisationFactory
from people.models import Course, DatabankAccess, TeacherProfile
from people.tests.factories import school_admin, teacher_at
from rating import selectors, services
from rating.models import Criterion, RatingScheme

pytestmark = pytest.mark.django_db

YEAR = school_year_of(timezone.localdate())


@pytest.fixture
def school():
    return OrganisationFactory(name="Школа № 5")


@pytest.fixture
def admin(school):
    return school_admin(school, username="director")


def add_courses(person, n: int) -> None:
    profile, _ = TeacherProfile.objects.get_or_create(person=person)
    for i in range(n):
        Course.objects.create(profile=profile, title=f"Курс {i}", completed_on=timezone.localdate())


def make_scheme(school, admin, year=YEAR) -> RatingScheme:
    return services.save_scheme(
        organisation=school,
        school_year=year,
        rows=[
            {"measure": "courses_completed", "weight": "2", "cap": "3"},
            {"measure": "events_attended", "weight": "1,5"},
        ],
        actor=admin,
    )


def test_saving_keeps_row_ids_and_order(school, admin):
    scheme = make_scheme(school, admin)
    courses, events = scheme.criteria.order_by("order")
    services.save_scheme(
        organisation=school,
        school_year=YEAR,
        rows=[
            {"id": events.pk, "measure": "events_attended", "weight": "4"},
            {"measure": "certificates", "weight": "1"},
        ],
        actor=admin,
    )
    rows = list(scheme.criteria.order_by("order").values_list("pk", "measure", "weight"))
    assert rows[0] == (events.pk, "events_attended", Decimal("4.00"))
    assert rows[1][1] == "certificates"
    assert not Criterion.objects.filter(pk=courses.pk).exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"measure": "no_such_measure", "weight": "1"},
        {"measure": "courses_completed", "weight": "1"},  # twice
        {"measure": "certificates", "weight": "0"},
        {"measure": "certificates", "weight": "abc"},
        {"measure": "certificates", "weight": "1", "cap": "-2"},
    ],
)
def test_a_bad_row_is_refused_by_its_number_and_nothing_is_written(school, admin, bad):
    scheme = make_scheme(school, admin)
    before = list(scheme.criteria.values_list("pk", "measure", "weight", "cap"))
    with pytest.raises(ValidationError) as error:
        services.save_scheme(
            organisation=school,
            school_year=YEAR,
            rows=[{"measure": "courses_completed", "weight": "9"}, bad],
            actor=admin,
        )
    assert "criteria" in error.value.message_dict
    assert "2" in error.value.message_dict["criteria"][0]
    assert list(scheme.criteria.values_list("pk", "measure", "weight", "cap")) == before


def test_a_foreign_row_id_is_refused(school, admin):
    other_school = OrganisationFactory()
    foreign = make_scheme(other_school, school_admin(other_school)).criteria.first()
    make_scheme(school, admin)
    with pytest.raises(ValidationError):
        services.save_scheme(
            organisation=school,
            school_year=YEAR,
            rows=[{"id": foreign.pk, "measure": "certificates", "weight": "1"}],
            actor=admin,
        )


def test_only_the_schools_administrators_set_the_scheme(school, admin):
    teacher = teacher_at(school)
    with pytest.raises(PermissionDenied):
        make_scheme(school, teacher)
    with pytest.raises(PermissionDenied):
        make_scheme(school, school_admin(OrganisationFactory()))
    assert not RatingScheme.objects.exists()


def test_copying_last_years_scheme(school, admin):
    make_scheme(school, admin, YEAR - 1)
    copied = services.copy_scheme(organisation=school, school_year=YEAR, actor=admin)
    assert list(copied.criteria.values_list("measure", "weight", "cap")) == [
        ("courses_completed", Decimal("2.00"), Decimal("3.00")),
        ("events_attended", Decimal("1.50"), None),
    ]
    with pytest.raises(ValidationError):
        services.copy_scheme(organisation=school, school_year=YEAR, actor=admin)
    with pytest.raises(ValidationError):
        services.copy_scheme(organisation=school, school_year=YEAR - 5, actor=admin)


def test_points_capped_and_ranks_shared(school, admin):
    make_scheme(school, admin)
    a, b, c = (teacher_at(school, last_name=n) for n in ("Антонова", "Борисова", "Васильева"))
    add_courses(a, 5)  # counted up to 3: 3 × 2 = 6
    add_courses(b, 3)  # 6
    add_courses(c, 1)  # 2
    table = selectors.rating(selectors.scheme_for(school, YEAR), selectors.teachers_of(school))
    ranked = [(r.person.last_name, r.rank, r.total) for r in table.rows]
    assert ranked == [
        ("Антонова", 1, Decimal("6.00")),
        ("Борисова", 1, Decimal("6.00")),
        ("Васильева", 3, Decimal("2.00")),
    ]
    first = table.rows[0].cells[0]
    assert (first.value, first.counted, first.points) == (5, 3, Decimal("6.00"))
    assert first.url == f"/people/{a.pk}/portfolio/"


def _teachers(school, n):
    for i in range(n):
        add_courses(teacher_at(school, last_name=f"Учитель{i:02d}"), i % 4)


def test_school_page_queries_do_not_grow_and_views_are_logged(
    client, school, admin, django_assert_max_num_queries
):
    make_scheme(school, admin)
    client.force_login(admin)
    url = f"/rating/schools/{school.pk}/?year={YEAR}"
    _teachers(school, 3)
    with django_assert_max_num_queries(20) as small:
        response = client.get(url)
    assert response.status_code == 200
    _teachers(school, 40)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    page = response.context["page"]
    assert len(page) < 43  # paginated
    assert DatabankAccess.objects.filter(viewer=admin, action="view").count() == 3 + len(page)
    assert "/portfolio/" in response.content.decode()


def test_the_teacher_sees_only_their_own_row(client, school, admin):
    make_scheme(school, admin)
    me = teacher_at(school, last_name="Самойлова")
    teacher_at(school, last_name="Соседова")
    add_courses(me, 2)
    client.force_login(me)
    response = client.get(f"/rating/me/?year={YEAR}")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Самойлова" in text and "Соседова" not in text
    assert response.context["row"].total == Decimal("4.00")
    assert response.context["row"].rank == 1
    assert not DatabankAccess.objects.exists()
    assert client.get(f"/rating/schools/{school.pk}/?year={YEAR}").status_code == 403


def test_a_communitys_leader_sees_its_members_only(client, school, admin):
    make_scheme(school, admin)
    leader = teacher_at(school, last_name="Лидерова")
    member = teacher_at(school, last_name="Членова")
    teacher_at(school, last_name="Посторонняя")
    community = CommunityFactory(organisation=school, leader=leader)
    MembershipFactory(community=community, person=leader, role=Membership.Role.LEADER)
    MembershipFactory(community=community, person=member)
    client.force_login(leader)
    text = client.get(f"/rating/communities/{community.pk}/?year={YEAR}").content.decode()
    assert "Членова" in text and "Посторонняя" not in text
    client.force_login(member)
    assert client.get(f"/rating/communities/{community.pk}/").status_code == 403


def test_xlsx_is_formula_safe_and_logged(client, school, admin):
    make_scheme(school, admin)
    hostile = teacher_at(school, last_name="=HYPERLINK(1)")
    client.force_login(admin)
    response = client.get(f"/rating/schools/{school.pk}/rating.xlsx?year={YEAR}")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value]
    name = next(c for c in cells if "HYPERLINK" in str(c.value))
    assert name.data_type == "s" and name.quotePrefix
    assert DatabankAccess.objects.filter(subject=hostile, action="export").count() == 1


def test_no_scheme_no_table_and_export_redirects(client, school, admin):
    client.force_login(admin)
    response = client.get(f"/rating/schools/{school.pk}/")
    assert response.status_code == 200 and response.context["table"] is None
    assert client.get(f"/rating/schools/{school.pk}/rating.xlsx").status_code == 302


def test_the_editor_saves_and_shows_bad_rows_again(client, school, admin):
    client.force_login(admin)
    url = f"/rating/schools/{school.pk}/scheme/?year={YEAR}"
    assert client.get(url).status_code == 200
    form = {"criteria-TOTAL_FORMS": "2", "criteria-INITIAL_FORMS": "0"}
    bad = form | {"criteria-0-measure": "certificates", "criteria-0-weight": "0"}
    response = client.post(url, bad)
    assert response.status_code == 200 and response.context["problems"]
    assert not RatingScheme.objects.exists()
    good = form | {"criteria-0-measure": "certificates", "criteria-0-weight": "2,5"}
    assert client.post(url, good).status_code == 302
    criterion = Criterion.objects.get()
    edit = {
        "criteria-TOTAL_FORMS": "1",
        "criteria-INITIAL_FORMS": "1",
        "criteria-0-id": str(criterion.pk),
        "criteria-0-measure": "certificates",
        "criteria-0-weight": "3",
    }
    assert client.post(url, edit).status_code == 302
    assert Criterion.objects.get().pk == criterion.pk


def test_api_rows_and_scheme(client, school, admin):
    make_scheme(school, admin)
    me = teacher_at(school)
    add_courses(me, 1)
    client.force_login(me)
    mine = client.get(f"/api/v1/rating/rows/?year={YEAR}").json()
    assert [r["person"] for r in mine["results"]] == [me.pk]
    assert mine["results"][0]["total"] == "2.00"
    assert mine["results"][0]["cells"][0]["records"].endswith(f"/people/{me.pk}/portfolio/")
    scheme = client.get(f"/api/v1/rating/scheme/?organisation={school.pk}&year={YEAR}").json()
    assert [c["measure"] for c in scheme["criteria"]] == ["courses_completed", "events_attended"]
    assert client.get(f"/api/v1/rating/rows/?organisation={school.pk}").status_code == 403
    client.force_login(admin)
    rows = client.get(f"/api/v1/rating/rows/?organisation={school.pk}&year={YEAR}").json()
    assert rows["count"] == 1
    assert DatabankAccess.objects.filter(viewer=admin, channel="api").count() == 1


def test_openapi_schema_names_the_rating_endpoints(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert "/api/v1/rating/rows/" in schema["paths"]
    assert "/api/v1/rating/scheme/" in schema["paths"]


def test_a_past_course_is_not_this_years(school, admin):
    make_scheme(school, admin)
    person = teacher_at(school)
    profile = TeacherProfile.objects.create(person=person)
    Course.objects.create(profile=profile, title="Давний", completed_on=dt.date(2010, 5, 1))
    table = selectors.rating(selectors.scheme_for(school, YEAR), [person])
    assert table.rows[0].total == 0


def test_community_page_and_api_queries_do_not_grow(
    client, school, admin, django_assert_max_num_queries
):
    make_scheme(school, admin)
    leader = teacher_at(school)
    community = CommunityFactory(organisation=school, leader=leader)
    MembershipFactory(community=community, person=leader, role=Membership.Role.LEADER)

    def grow(n):
        for i in range(n):
            person = teacher_at(school, last_name=f"Член{i:02d}")
            add_courses(person, 1)
            MembershipFactory(community=community, person=person)

    client.force_login(leader)
    urls = [
        f"/rating/communities/{community.pk}/?year={YEAR}",
        f"/api/v1/rating/rows/?community={community.pk}&year={YEAR}",
    ]
    grow(2)
    counts = []
    for url in urls:
        with django_assert_max_num_queries(25) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured.captured_queries))
    grow(35)
    for url, count in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200


def test_admin_shows_the_schemes(client, school, admin, django_user_model):
    scheme = make_scheme(school, admin)
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.org", "x"))
    assert client.get("/admin/rating/ratingscheme/").status_code == 200
    assert client.get(f"/admin/rating/ratingscheme/{scheme.pk}/change/").status_code == 200
