"""The demo's mentoring as its people see it."""

import pytest
from django.core.management import call_command

from mentoring.models import MentoringPlan, Pair, Report
from people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


def _login(client, username):
    client.force_login(Person.objects.get(username=username))


def test_the_demo_pairs_have_their_records_and_load_twice_alike(demo):
    leaders = Pair.objects.get(community__name="Сетевая пара: Гимназия № 5 — СШ № 9")
    assert leaders.plan.status == MentoringPlan.Status.APPROVED
    assert leaders.sessions.values("form").distinct().count() >= 3
    assert leaders.reports.filter(period="half", status="submitted").count() == 2
    school = Pair.objects.get(kind=Pair.Kind.SCHOOL)
    assert school.plan.status == MentoringPlan.Status.SUBMITTED
    second = Pair.objects.get(community__name="Сетевая пара: СШ № 3 — ОШ № 12")
    assert not second.reports.exists()
    counts = (Pair.objects.count(), Report.objects.count(), leaders.sessions.count())
    call_command("load_demo", verbosity=0)
    assert (Pair.objects.count(), Report.objects.count(), leaders.sessions.count()) == counts


def test_the_demo_people_open_their_pages(client, demo):
    leaders = Pair.objects.get(community__name="Сетевая пара: Гимназия № 5 — СШ № 9")
    school = Pair.objects.get(kind=Pair.Kind.SCHOOL)
    for username in ("mentor", "mentee", "curator"):
        _login(client, username)
        page = client.get(f"/mentoring/pairs/{leaders.pk}/")
        assert page.status_code == 200, username
        assert "Положение о ВСОКО" in page.content.decode()
    _login(client, "curator")
    listing = client.get("/mentoring/").content.decode()
    assert "Сетевая пара: СШ № 3 — ОШ № 12" in listing
    region = leaders.community.territory
    analysis = client.get(f"/mentoring/analysis/{region.pk}/{leaders.school_year}/")
    assert analysis.status_code == 200
    assert (
        client.get(f"/mentoring/analysis/{region.pk}/{leaders.school_year}.pdf").status_code == 200
    )
    _login(client, "director")
    assert f"/mentoring/pairs/{school.pk}/#plan" in client.get("/").content.decode()
    assert client.get(f"/mentoring/pairs/{school.pk}/").status_code == 200
    _login(client, "teacher")
    assert client.get(f"/mentoring/pairs/{school.pk}/").status_code == 403
