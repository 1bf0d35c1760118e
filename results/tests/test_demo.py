"""The demo's results as the director and the PLC's leader see them."""

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone

from communities.models import Community
from core.schoolyear import school_year_of
from organisations.models import Organisation
from people.models import Person
from results import selectors
from results.models import ResultRow

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


def test_the_demo_school_has_two_terms_matched_to_its_teachers_and_loads_twice_alike(demo, client):
    school = Organisation.objects.get(short_name="СШ № 14")
    rows = ResultRow.objects.filter(organisation=school)
    assert rows.values("school_year", "period").distinct().count() == 2
    assert not rows.filter(teacher__isnull=True).exists()
    count = rows.count()
    call_command("load_demo", verbosity=0)
    assert rows.count() == count
    year = school_year_of(timezone.localdate())
    table = selectors.indicator_table(selectors.school_scope(school), year, "RU")
    (q1,) = table.periods
    assert table.cell("Математика", q1).change("quality", "previous") > 0
    assert table.cell("География", q1).change("quality", "previous") < 0
    client.force_login(Person.objects.get(username="director"))
    assert client.get(f"/results/schools/{school.pk}/").status_code == 200
    plc = Community.objects.get(name="ПОС учителей естественно-математического цикла")
    client.force_login(Person.objects.get(username="leader"))
    page = client.get(f"/results/communities/{plc.pk}/")
    assert page.status_code == 200 and "Математика" in page.content.decode()
    # Two classes do innovative work on the PLC's plan; their quality rises more than the rest's.
    from results.innovation import INNOVATIVE, OTHERS, innovation_comparison
    from results.models import InnovativeClass

    assert InnovativeClass.objects.filter(organisation=school, community=plc).count() == 2
    (term,) = innovation_comparison(Q(organisation=school), year, "RU").periods
    assert term.group(INNOVATIVE).change("quality") > term.group(OTHERS).change("quality") > 0
    assert term.gap() > 0
    client.force_login(Person.objects.get(username="director"))
    page = client.get(f"/results/schools/{school.pk}/innovative/")
    assert page.status_code == 200 and "Компетенции 4К" in page.content.decode()


def test_the_demo_school_has_exams_this_year_and_last(demo, client):
    from results.models import ExamResult

    school = Organisation.objects.get(short_name="СШ № 14")
    rows = ExamResult.objects.filter(organisation=school)
    year = school_year_of(timezone.localdate())
    assert set(rows.values_list("school_year", flat=True)) == {year - 1, year}
    assert set(rows.values_list("kind__code", flat=True)) == {
        "vpr", "srez", "ege-mock", "oge", "ege",
    }  # fmt: skip
    assert not rows.filter(teacher__isnull=True).exists()
    count = rows.count()
    call_command("load_demo", verbosity=0)
    assert rows.count() == count
    client.force_login(Person.objects.get(username="director"))
    page = client.get(f"/results/schools/{school.pk}/exams/?year={year - 1}")
    assert page.status_code == 200 and "ЕГЭ" in page.content.decode()
