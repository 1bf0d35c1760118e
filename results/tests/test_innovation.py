"""Classes doing innovative work: marking them (page, API, service), and their figures against
the school's other classes, checked by hand; queries do not grow with data."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.tests.factories import CommunityFactory
from organisations.tests.factories import (
    NetworkFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
)
from people.tests.factories import centre_admin, curator, school_admin
from results import innovation
from results.models import AssessmentPeriod, InnovativeClass, ResultRow
from results.summaries import rebuild_summaries

pytestmark = pytest.mark.django_db
YEAR = 2025


def period(code, country="KZ"):
    return AssessmentPeriod.objects.get(country_code=country, code=code)


def row(school, year, code, school_class, subject, counts):
    grade, letter = int(school_class[:-1]), school_class[-1]
    p = period(code)
    ResultRow.objects.create(
        organisation=school, school_year=year, period=p, grade=grade, letter=letter,
        subject=subject, **dict(zip(ResultRow.COUNT_FIELDS, counts, strict=True)),
    )  # fmt: skip
    rebuild_summaries(school.pk, year, [p.pk])


def mark(school, school_class, subject="", year=YEAR, **kwargs):
    return InnovativeClass.objects.create(
        organisation=school, school_year=year, grade=int(school_class[:-1]),
        letter=school_class[-1], subject=subject, innovation="Уроки «4К»", **kwargs,
    )  # fmt: skip


@pytest.fixture
def data(school):
    """5А is innovative; 5Б is of the same grade; 6А of another. Last year's 4А is this year's
    5А (the same pupils)."""
    mark(school, "5А")
    row(school, YEAR, "q1", "5А", "Математика", (5, 10, 8, 2, 0))  # quality 60, pass 92
    row(school, YEAR, "q1", "5Б", "Математика", (2, 8, 10, 5, 0))  # quality 40, pass 80
    row(school, YEAR, "q1", "6А", "Математика", (1, 1, 1, 1, 0))
    row(school, YEAR, "q2", "5А", "Математика", (8, 9, 8, 0, 0))  # quality 68
    row(school, YEAR, "q2", "5Б", "Математика", (2, 8, 10, 5, 0))
    row(school, YEAR - 1, "q4", "4А", "Математика", (5, 5, 10, 0, 0))  # quality 50
    row(school, YEAR - 1, "q4", "5А", "Математика", (0, 0, 10, 0, 0))  # now 6А: not innovative
    return school


def values(comparison, code, group):
    cmp = next(p for p in comparison.periods if p.period.code == code)
    return cmp.group(group)


def test_comparison_against_a_hand_count(data):
    comparison = innovation.innovation_comparison(innovation.Q(organisation=data), YEAR, "KZ")
    assert [p.period.code for p in comparison.periods] == ["q1", "q2"]
    mine = values(comparison, "q1", innovation.INNOVATIVE)
    assert mine.values == {"quality": Decimal("60.0"), "pass_rate": Decimal("92.0")}
    assert mine.change("quality") == Decimal("10.0")  # from 4А's 50 a year before
    same = values(comparison, "q1", innovation.SAME_GRADES)
    assert same.values == {"quality": Decimal("40.0"), "pass_rate": Decimal("80.0")}
    others = values(comparison, "q1", innovation.OTHERS)
    # 5Б + 6А: (2+1 + 8+1) ÷ 29 = 41.38; (29 − 6) ÷ 29 = 79.31
    assert others.values == {"quality": Decimal("41.4"), "pass_rate": Decimal("79.3")}
    # Last year's 5А (now 6А) was 30 marks of "3": quality 0.
    assert others.previous["quality"] == Decimal("0.0")
    assert values(comparison, "q2", innovation.INNOVATIVE).change("quality") == Decimal("8.0")
    assert comparison.periods[0].gap() == Decimal("18.6")


def test_a_subject_mark_covers_only_that_subject(school):
    mark(school, "6А", subject="Физика")
    row(school, YEAR, "q1", "6А", "Физика", (4, 0, 0, 0, 0))
    row(school, YEAR, "q1", "6А", "Математика", (0, 0, 4, 0, 0))
    comparison = innovation.innovation_comparison(innovation.Q(organisation=school), YEAR, "KZ")
    assert values(comparison, "q1", innovation.INNOVATIVE).counts["count_5"] == 4
    assert values(comparison, "q1", innovation.SAME_GRADES).counts["count_3"] == 4


def test_school_page_shows_figures_formulas_and_links_to_the_rows(client, data, admin):
    client.force_login(admin)
    page = client.get(f"/results/schools/{data.pk}/innovative/?year={YEAR}")
    text = page.content.decode()
    assert page.status_code == 200
    assert "60,0" in text or "60.0" in text
    assert "41,4" in text or "41.4" in text
    assert "Уроки «4К»" in text
    url = f"/results/schools/{data.pk}/innovative/rows/?year={YEAR}&amp;period=q1&amp;group="
    assert url + "innovative" in text and url + "same_grades" in text
    assert f"/results/schools/{data.pk}/innovative/mark/?year={YEAR}" in text
    rows = client.get(
        f"/results/schools/{data.pk}/innovative/rows/?year={YEAR}&period=q1&group=innovative"
    ).content.decode()
    assert "5А" in rows and "5Б" not in rows
    rows = client.get(
        f"/results/schools/{data.pk}/innovative/rows/?year={YEAR}&period=q1&group=others"
    ).content.decode()
    assert "5Б" in rows and "6А" in rows and "<td>5А</td>" not in rows
    # Bad parameters fall back, not fail.
    assert client.get(f"/results/schools/{data.pk}/innovative/?year=abc").status_code == 200
    bad = f"/results/schools/{data.pk}/innovative/rows/?year=1&period=zz&group=<b>"
    assert client.get(bad).status_code == 200


def test_curator_sees_the_comparison_but_may_not_mark(client, data):
    person = curator(data.territory)
    client.force_login(person)
    page = client.get(f"/results/schools/{data.pk}/innovative/?year={YEAR}").content.decode()
    assert "/innovative/mark/" not in page
    assert client.get(f"/results/schools/{data.pk}/innovative/mark/").status_code == 403
    assert client.post(f"/results/schools/{data.pk}/innovative/mark/").status_code == 403
    with pytest.raises(PermissionDenied):
        innovation.mark_classes(
            actor=person, organisation=data, school_year=YEAR,
            marks=[innovation.Mark(5, "Б", "Проект")],
        )  # fmt: skip


def test_another_schools_admin_sees_nothing(client, data):
    client.force_login(school_admin(OrganisationFactory(territory=data.territory)))
    assert client.get(f"/results/schools/{data.pk}/innovative/").status_code == 403
    assert client.get(f"/results/schools/{data.pk}/innovative/rows/").status_code == 403
    assert client.get(f"/results/schools/{data.pk}/innovative/mark/").status_code == 403
    assert client.get(f"/api/v1/results/innovation/?organisation={data.pk}").status_code == 403


def _form(lines):
    post = {
        "form-TOTAL_FORMS": str(len(lines)),
        "form-INITIAL_FORMS": str(len(lines)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for i, (grade, letter, marked, text, community) in enumerate(lines):
        post |= {f"form-{i}-grade": grade, f"form-{i}-letter": letter}
        post |= {f"form-{i}-innovation": text, f"form-{i}-community": community or ""}
        if marked:
            post[f"form-{i}-marked"] = "on"
    return post


def test_admin_marks_and_unmarks_classes_on_the_page(client, data, admin):
    community = CommunityFactory(organisation=data)
    mark(data, "5Б", subject="Физика")  # set through the API; the page leaves it
    client.force_login(admin)
    url = f"/results/schools/{data.pk}/innovative/mark/?year={YEAR}"
    page = client.get(url).content.decode()
    assert "5А" in page and "5Б" in page and "6А" in page and community.name in page
    post = _form([(5, "А", False, "", None), (5, "Б", True, "Проект", community.pk)])
    post |= {f"form-{i}-marked": "on" for i in ()}
    for _twice in range(2):
        response = client.post(url, _form([
            (5, "А", False, "", None),
            (5, "Б", True, "Проектное обучение", community.pk),
            (6, "А", False, "", None),
        ]))  # fmt: skip
        assert response.status_code == 302
    marks = InnovativeClass.objects.filter(organisation=data, school_year=YEAR)
    assert sorted((m.class_name, m.subject) for m in marks) == [("5Б", ""), ("5Б", "Физика")]
    whole = marks.get(subject="")
    assert whole.innovation == "Проектное обучение" and whole.community == community
    assert whole.created_by == admin
    assert ResultRow.objects.filter(organisation=data).count() == 7  # the rows are untouched


def test_bad_input_on_the_page_writes_nothing(client, data, admin):
    client.force_login(admin)
    url = f"/results/schools/{data.pk}/innovative/mark/?year={YEAR}"
    other_school_plc = CommunityFactory()
    for lines in (
        [(5, "А", False, "", None), (5, "Б", True, "", None)],  # no text for a ticked class
        [(5, "А", True, "x", None), (5, "Б", True, "y", other_school_plc.pk)],  # not offered
        [(13, "А", True, "x", None)],
    ):
        response = client.post(url, _form(lines))
        assert response.status_code == 200
        assert 'class="errors"' in response.content.decode()
    assert InnovativeClass.objects.filter(organisation=data).count() == 1  # the fixture's 5А


def test_service_refuses_bad_marks_whole(data, admin):
    other = CommunityFactory()
    for marks, field in [
        ([innovation.Mark(5, "Б", "ok"), innovation.Mark(6, "А", "  ")], "innovation"),
        ([innovation.Mark(5, "Б", "ok", other.pk)], "community"),
        ([innovation.Mark(5, "Б", "a"), innovation.Mark(5, "Б", "b")], "grade"),
        ([innovation.Mark(5, "Б", "x" * 501)], "innovation"),
    ]:
        with pytest.raises(innovation.MarkError) as error:
            innovation.mark_classes(actor=admin, organisation=data, school_year=YEAR, marks=marks)
        assert error.value.field == field
    with pytest.raises(innovation.MarkError):
        innovation.mark_classes(actor=admin, organisation=data, school_year=1999, marks=[])
    assert InnovativeClass.objects.count() == 1


def test_network_and_territory_pages(client, data):
    network = NetworkFactory(territory=data.territory)
    NetworkMembershipFactory(network=network, organisation=data)
    client.force_login(centre_admin(data.territory))
    for url in (
        f"/results/networks/{network.pk}/innovative/?year={YEAR}",
        f"/results/territories/{data.territory.pk}/innovative/?year={YEAR}",
    ):
        text = client.get(url).content.decode()
        assert "60,0" in text or "60.0" in text, url
        assert "mark/" not in text
    rows = client.get(
        f"/results/networks/{network.pk}/innovative/rows/?year={YEAR}&period=q1&group=same_grades"
    ).content.decode()
    assert "5Б" in rows
    client.force_login(school_admin(data))
    assert client.get(f"/results/networks/{network.pk}/innovative/").status_code == 403


def test_api_comparison_and_marking(client, data, admin):
    client.force_login(admin)
    response = client.get(f"/api/v1/results/innovation/?organisation={data.pk}&year={YEAR}")
    q1 = response.json()["periods"][0]
    assert q1["period"] == "q1"
    mine = next(g for g in q1["groups"] if g["group"] == "innovative")
    assert {f["indicator"]: f["value"] for f in mine["figures"]} == {
        "quality": "60.0",
        "pass_rate": "92.0",
    }
    assert mine["figures"][0]["change_from_previous_period"] == "10.0"
    community = CommunityFactory(organisation=data)
    body = {
        "organisation": data.pk, "school_year": YEAR, "grade": 6, "letter": "А",
        "subject": "Физика", "innovation": "STEM", "community": community.pk,
    }  # fmt: skip
    first = client.post(
        "/api/v1/results/innovative-classes/", body, content_type="application/json"
    )
    again = client.post(
        "/api/v1/results/innovative-classes/", body, content_type="application/json"
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    listed = client.get(f"/api/v1/results/innovative-classes/?organisation={data.pk}&year={YEAR}")
    assert [m["letter"] for m in listed.json()["results"]] == ["А", "А"]
    bad = client.post(
        "/api/v1/results/innovative-classes/",
        body | {"grade": 14, "innovation": ""},
        content_type="application/json",
    )
    assert bad.status_code == 400 and {"grade", "innovation"} <= set(bad.json())
    foreign = client.post(
        "/api/v1/results/innovative-classes/",
        body | {"community": CommunityFactory().pk},
        content_type="application/json",
    )
    assert foreign.status_code == 400 and "community" in foreign.json()
    assert client.get("/api/v1/results/innovation/").status_code == 400
    assert client.get("/api/v1/results/innovation/?community=1").status_code == 400
    assert client.get("/api/v1/results/innovation/?organisation=999999").status_code == 404
    client.force_login(curator(data.territory))
    assert client.get(f"/api/v1/results/innovation/?organisation={data.pk}").status_code == 200
    assert (
        client.post(
            "/api/v1/results/innovative-classes/", body, content_type="application/json"
        ).status_code
        == 403
    )
    assert (
        client.delete(f"/api/v1/results/innovative-classes/{first.json()['id']}/").status_code
        == 403
    )
    client.force_login(admin)
    assert (
        client.delete(f"/api/v1/results/innovative-classes/{first.json()['id']}/").status_code
        == 204
    )
    assert ResultRow.objects.filter(organisation=data, grade=6).exists()


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        lambda s: f"/results/schools/{s.pk}/innovative/?year={YEAR}",
        lambda s: f"/results/schools/{s.pk}/innovative/rows/?year={YEAR}&period=q1&group=others",
        lambda s: f"/results/schools/{s.pk}/innovative/mark/?year={YEAR}",
        lambda s: f"/results/territories/{s.territory.pk}/innovative/?year={YEAR}",
        lambda s: f"/api/v1/results/innovation/?organisation={s.pk}&year={YEAR}",
        lambda s: f"/api/v1/results/innovative-classes/?organisation={s.pk}&year={YEAR}",
    ],
)
def test_query_count_does_not_grow(client, data, url):
    client.force_login(centre_admin(data.territory))
    CommunityFactory(organisation=data)
    small = count_queries(client, url(data))
    for grade in range(7, 12):
        for letter in "АБВ":
            mark(data, f"{grade}{letter}") if letter == "А" else None
            for code in ("q1", "q2"):
                for subject in ("Физика", "Химия"):
                    row(data, YEAR, code, f"{grade}{letter}", subject, (3, 3, 3, 1, 1))
            row(data, YEAR - 1, "q4", f"{grade - 1}{letter}", "Физика", (3, 3, 3, 1, 1))
    CommunityFactory(organisation=data)
    other = OrganisationFactory(territory=data.territory)
    mark(other, "9А")
    row(other, YEAR, "q1", "9А", "Физика", (3, 3, 3, 1, 1))
    large = count_queries(client, url(data))
    assert large <= small, (small, large)


def test_plan_target_takes_the_communitys_innovative_classes(school, teacher):
    import datetime as dt

    from planning import selectors as plan_selectors
    from planning import services as plan_services

    community = CommunityFactory(organisation=school, territory=school.territory, leader=teacher)
    plan = plan_services.create_plan(community=community, school_year=YEAR, actor=teacher)
    plan_services.update_plan(
        plan=plan, version=plan.version, fields={},
        targets=[{"indicator": "Качество знаний в инновационных классах, %", "unit": "%",
                  "target": 60, "source": "results_innovative_quality"}],
    )  # fmt: skip

    def target():
        [line] = plan_selectors.target_rows(plan, today=dt.date(2026, 3, 1))
        return line

    assert target().actual is None
    mark(school, "5А", community=community)
    mark(school, "5Б")  # marked, but not with this community
    row(school, YEAR, "q1", "5А", "Математика", (5, 10, 8, 2, 0))  # 60
    row(school, YEAR, "q1", "5Б", "Математика", (10, 0, 0, 0, 0))
    row(school, YEAR, "q2", "5А", "Математика", (2, 8, 10, 5, 0))  # 40: the latest period
    line = target()
    assert line.computed and line.actual == Decimal("40.0") and line.status == "not_yet"
    assert f"/results/schools/{school.pk}/innovative/rows/" in line.url
    assert "period=q2" in line.url and "group=innovative" in line.url


def test_the_school_page_links_to_the_comparison(client, school, admin):
    client.force_login(admin)
    page = client.get(f"/organisations/{school.pk}/").content.decode()
    assert f"/results/schools/{school.pk}/innovative/" in page
