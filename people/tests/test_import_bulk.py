"""Teacher import at region scale: flat query count, logins chosen in bulk, all or nothing.

Nothing here is timed (`make bench` times the import); the query count is what keeps the cost
per row flat.
"""

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from people import imports, services
from people.models import Person, Position, TeacherProfile
from people.tests.factories import (
    OrganisationFactory,
    PersonFactory,
    PositionFactory,
    QualificationCategoryFactory,
    TeacherProfileFactory,
    TerritoryFactory,
)
from people.tests.test_import import csv_bytes, invented_surname

pytestmark = pytest.mark.django_db

HEADER = ["ФИО", "Должность", "Email", "Категория", "Стаж общий", "Стаж педагогический"]


@pytest.fixture
def school():
    territory = TerritoryFactory()
    QualificationCategoryFactory(territory=territory, name="высшая", order=1)
    QualificationCategoryFactory(territory=territory, name="первая", order=2)
    return OrganisationFactory(territory=territory)


def teachers_file(n, *, first=0, title="Учитель", total="20"):
    lines = [HEADER]
    for i in range(first, first + n):
        category = "высшая" if i % 2 else "первая"
        email = f"t{i}@school.example"
        lines.append([f"{invented_surname(i)} Анна Петровна", title, email, category, total, "15"])
    return csv_bytes(lines)


def apply_counting(school, data):
    """The report, the number of reads and the number of write batches."""
    with CaptureQueriesContext(connection) as captured:
        report = imports.import_teachers(organisation=school, file=data, dry_run=False)
    assert report.ok and report.applied, report.errors or report.file_error
    statements = [q["sql"].split(None, 1)[0].upper() for q in captured.captured_queries]
    writes = sum(1 for s in statements if s in {"INSERT", "UPDATE"})
    return report, len(statements) - writes, writes


def assert_flat(small, large, rows):
    """Reads do not grow with the rows; writes grow only by batches (SQLite takes at most 999
    parameters a statement, so it needs one per few dozen rows; PostgreSQL needs none)."""
    _report, small_reads, small_writes = small
    _report, large_reads, large_writes = large
    assert large_reads == small_reads
    assert large_writes - small_writes <= rows // 20


def test_applying_new_teachers_costs_the_same_queries_for_10_and_200_rows(school):
    other_school = OrganisationFactory(territory=school.territory)
    small = apply_counting(school, teachers_file(10))
    large = apply_counting(other_school, teachers_file(200, first=100))

    assert (small[0].created, large[0].created) == (10, 200)
    assert_flat(small, large, 200)
    assert Person.objects.filter(positions__organisation__in=[school, other_school]).count() == 210
    assert TeacherProfile.objects.filter(qualification_category__name="высшая").count() == 105


def test_applying_updates_costs_the_same_queries_for_10_and_200_rows(school):
    elsewhere = OrganisationFactory(territory=school.territory)
    PositionFactory(organisation=school, title="Директор")
    for i in range(300):
        person = PersonFactory(
            email=f"t{i}@school.example",
            last_name=invented_surname(i),
            first_name="Анна",
            middle_name="",
        )
        if i % 2:
            PositionFactory(person=person, organisation=elsewhere, title="Учитель", is_main=True)
            TeacherProfileFactory(person=person, experience_total=3, experience_teaching=1)

    small = apply_counting(school, teachers_file(10))
    large = apply_counting(school, teachers_file(200, first=100))

    assert (small[0].updated, large[0].updated) == (10, 200)
    assert (small[0].created, large[0].created) == (0, 0)
    assert_flat(small, large, 200)
    person = Person.objects.get(email="t101@school.example")
    assert person.middle_name == "Петровна"
    assert person.search_name == person.compute_search_name()
    # A second job is not the main one; a first position is.
    assert Position.objects.get(person=person, organisation=school).is_main is False
    other = Person.objects.get(email="t102@school.example")
    assert Position.objects.get(person=other, organisation=school).is_main is True
    profile = TeacherProfile.objects.get(person=person)
    assert (profile.experience_total, profile.experience_teaching) == (20, 15)
    assert profile.qualification_category.name == "высшая"
    assert TeacherProfile.objects.get(person=other).experience_total == 20


def test_reimporting_200_rows_changes_nothing(school):
    apply_counting(school, teachers_file(200))
    stamps = list(TeacherProfile.objects.order_by("pk").values_list("updated_at", flat=True))
    again, _reads, writes = apply_counting(school, teachers_file(200))
    assert writes == 0
    assert (again.created, again.updated, again.unchanged) == (0, 0, 200)
    assert Person.objects.count() == 200
    assert list(TeacherProfile.objects.order_by("pk").values_list("updated_at", flat=True)) == (
        stamps
    )


def test_namesakes_get_the_lowest_free_logins_whatever_the_case(school):
    PersonFactory(username="IVANOVA.AP")
    PersonFactory(username="ivanova.ap3")
    lines = [HEADER] + [
        ["Иванова Анна Петровна", "Учитель", f"a{i}@school.example", "", "", ""] for i in range(30)
    ]
    report = imports.import_teachers(organisation=school, file=csv_bytes(lines), dry_run=False)

    assert report.applied and report.created == 30
    logins = list(
        Person.objects.filter(email__endswith="@school.example")
        .order_by("email")
        .values_list("username", flat=True)
    )
    assert len(set(logins)) == 30
    expected = ["ivanova.ap2"] + [f"ivanova.ap{n}" for n in range(4, 33)]
    assert sorted(logins) == sorted(expected)
    # Row order decides: the first row gets the lowest free number.
    assert Person.objects.get(email="a0@school.example").username == "ivanova.ap2"


def test_a_base_that_is_another_base_with_a_number_does_not_share_a_login():
    PersonFactory(username="petrov")
    assert imports.assign_usernames(["petrov", "petrov", "petrov2", "sidorov"]) == [
        "petrov2",
        "petrov3",
        "petrov22",
        "sidorov",
    ]


def test_a_failure_midway_writes_nothing(school, monkeypatch):
    before = (Person.objects.count(), Position.objects.count(), TeacherProfile.objects.count())

    def broken(**kwargs):
        raise IntegrityError("simulated failure after people and positions were inserted")

    monkeypatch.setattr(services, "save_profiles", broken)
    report = imports.import_teachers(organisation=school, file=teachers_file(50), dry_run=False)

    assert not report.applied
    assert report.file_error
    after = (Person.objects.count(), Position.objects.count(), TeacherProfile.objects.count())
    assert after == before
