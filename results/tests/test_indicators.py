"""Indicators: the formulas, the changes, the pages and the API; queries do not grow with data."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.models import Membership
from communities.tests.factories import CommunityFactory, MembershipFactory
from organisations.tests.factories import (
    NetworkFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
)
from results import selectors
from results.indicators import PASS_RATE, QUALITY
from results.models import AssessmentPeriod, ResultRow
from results.summaries import rebuild_summaries

pytestmark = pytest.mark.django_db
YEAR = 2025


def period(code, country="KZ"):
    return AssessmentPeriod.objects.get(country_code=country, code=code)


def add_rows(school, year, code, subject, counts, n=1, teacher=None, grade=5):
    p = period(code)
    values = dict(zip(ResultRow.COUNT_FIELDS, counts, strict=True))
    ResultRow.objects.bulk_create(
        [
            ResultRow(
                organisation=school, school_year=year, period=p, grade=grade, letter=chr(1040 + i),
                subject=subject, teacher=teacher, teacher_name="", **values,
            )
            for i in range(n)
        ]
    )  # fmt: skip
    rebuild_summaries(school.pk, year, [p.pk])


def test_formulas_exclude_not_assessed():
    counts = {"count_5": 5, "count_4": 10, "count_3": 8, "count_2": 2, "count_na": 5}
    assert QUALITY.value(counts) == Decimal("60.0")  # 15 of 25 assessed
    assert PASS_RATE.value(counts) == Decimal("92.0")  # 23 of 25
    assert QUALITY.value({"count_na": 3}) is None


def test_school_table_with_changes(school):
    add_rows(school, YEAR, "q1", "Математика", (5, 10, 8, 2, 0))  # quality 60
    add_rows(school, YEAR, "q2", "Математика", (8, 9, 8, 0, 0))  # quality 68
    add_rows(school, YEAR - 1, "q2", "Математика", (2, 8, 10, 5, 0))  # quality 40
    add_rows(school, YEAR - 1, "q4", "Математика", (5, 5, 10, 0, 0))  # quality 50
    table = selectors.indicator_table(selectors.school_scope(school), YEAR, "KZ")
    assert [p.code for p in table.periods] == ["q1", "q2"]
    q2 = table.cell("Математика", period("q2"))
    assert q2.values["quality"] == Decimal("68.0")
    assert q2.change("quality", "previous") == Decimal("8.0")
    assert q2.change("quality", "last_year") == Decimal("28.0")
    q1 = table.cell("Математика", period("q1"))
    assert q1.change("quality", "previous") == Decimal("10.0")  # from last year's 4th quarter
    assert table.cell(selectors.ALL_SUBJECTS, period("q1")).counts["count_5"] == 5


def test_network_territory_teacher_and_community_scopes(school, territory, teacher):
    add_rows(school, YEAR, "q1", "Физика", (1, 1, 1, 1, 0), n=3, teacher=teacher)
    add_rows(school, YEAR, "q1", "Химия", (4, 0, 0, 0, 0))
    network = NetworkFactory(territory=territory)
    NetworkMembershipFactory(network=network, organisation=school)
    community = CommunityFactory(organisation=school)
    MembershipFactory(community=community, person=teacher, role=Membership.Role.MEMBER)
    q1 = period("q1")
    for scope, fives in [
        (selectors.network_scope(network), 7),
        (selectors.territory_scope(territory), 7),
        (selectors.teacher_scope(teacher), 3),
        (selectors.community_scope(community), 3),
        (selectors.class_scope(school, 5, "А"), 5),
    ]:
        table = selectors.indicator_table(scope, YEAR, "KZ")
        assert table.cell(selectors.ALL_SUBJECTS, q1).counts["count_5"] == fives


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        lambda s, c: f"/results/schools/{s.pk}/?year={YEAR}",
        lambda s, c: f"/results/schools/{s.pk}/rows/?year={YEAR}&period=q1",
        lambda s, c: f"/results/communities/{c.pk}/?year={YEAR}",
        lambda s, c: f"/results/communities/{c.pk}/rows/?year={YEAR}",
        lambda s, c: f"/api/v1/results/indicators/?organisation={s.pk}&year={YEAR}",
        lambda s, c: f"/api/v1/results/rows/?organisation={s.pk}&year={YEAR}",
        lambda s, c: f"/results/territories/{s.territory.pk}/?year={YEAR}",
        lambda s, c: f"/results/territories/{s.territory.pk}/rows/?year={YEAR}",
        lambda s, c: f"/api/v1/results/indicators/?territory={s.territory.pk}&year={YEAR}",
    ],
)
def test_query_count_does_not_grow(client, school, admin, teacher, url):
    from people.tests.factories import centre_admin

    community = CommunityFactory(organisation=school)
    MembershipFactory(community=community, person=teacher)
    admin = centre_admin(school.territory)  # sees the school, its community and its territory
    client.force_login(admin)
    add_rows(school, YEAR, "q1", "Математика", (5, 10, 8, 2, 0), teacher=teacher)
    small = count_queries(client, url(school, community))
    for i, subject in enumerate(["Физика", "Химия", "Биология", "История", "Алгебра"]):
        for code in ("q1", "q2", "h1"):
            add_rows(
                school, YEAR, code, subject, (5, 4, 3, 2, 1), n=6, teacher=teacher, grade=6 + i
            )
            add_rows(
                school, YEAR - 1, code, subject, (5, 4, 3, 2, 1), n=6, teacher=teacher, grade=6 + i
            )
    for _i in range(3):  # more schools of the territory
        other = OrganisationFactory(territory=school.territory)
        add_rows(other, YEAR, "q1", "Математика", (5, 4, 3, 2, 1), n=4)
        add_rows(other, YEAR - 1, "q1", "Математика", (5, 4, 3, 2, 1), n=4)
    large = count_queries(client, url(school, community))
    assert large <= small, (small, large)


def test_school_page_shows_formula_and_links_down(client, school, admin):
    add_rows(school, YEAR, "q1", "Математика", (5, 10, 8, 2, 0))
    client.force_login(admin)
    page = client.get(f"/results/schools/{school.pk}/?year={YEAR}").content.decode()
    assert str(QUALITY.formula) in page or "«5»" in page or "“5”" in page
    assert "60.0" in page or "60,0" in page
    assert f"/results/schools/{school.pk}/rows/?year={YEAR}&amp;period=q1" in page
    rows = client.get(f"/results/schools/{school.pk}/rows/?year={YEAR}&period=q1").content
    assert "Математика" in rows.decode()


def test_api_indicators_and_rows(client, school, admin):
    add_rows(school, YEAR, "q1", "Математика", (5, 10, 8, 2, 0))
    client.force_login(admin)
    data = client.get(f"/api/v1/results/indicators/?organisation={school.pk}&year={YEAR}").json()
    maths = next(c for c in data["cells"] if c["subject"] == "Математика")
    assert maths["period"] == "q1"
    assert {f["indicator"]: f["value"] for f in maths["figures"]} == {
        "quality": "60.0",
        "pass_rate": "92.0",
    }
    assert set(data["formulas"]) == {"quality", "pass_rate"}
    rows = client.get(f"/api/v1/results/rows/?organisation={school.pk}&year={YEAR}").json()
    assert rows["results"][0]["class_name"] == "5А"
    assert client.get("/api/v1/results/indicators/").status_code == 400


def test_openapi_schema_names_the_results_endpoints(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    for path in (
        "/api/v1/results/indicators/",
        "/api/v1/results/rows/",
        "/api/v1/results/imports/",
    ):
        assert path in schema["paths"]


def test_community_and_school_pages_link_to_results(client, school, admin, teacher):
    community = CommunityFactory(organisation=school, leader=teacher)
    client.force_login(teacher)
    page = client.get(f"/communities/{community.pk}/").content.decode()
    assert f"/results/communities/{community.pk}/" in page
    client.force_login(admin)
    page = client.get(f"/organisations/{school.pk}/").content.decode()
    assert f"/results/schools/{school.pk}/" in page
