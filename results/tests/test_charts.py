"""Charts on the indicator pages and the schools of a network or territory compared: links down
to the rows, who sees what, bad filters, and queries that do not grow with the schools."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.schoolyear import school_year_of
from core.views import PAGE_SIZE
from organisations.models import Network
from organisations.tests.factories import (
    NetworkFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
)
from people.models import Person
from people.tests.factories import centre_admin, coordinator, school_admin

from .test_indicators import YEAR, add_rows

pytestmark = pytest.mark.django_db
MATHS = quote("Математика")


@pytest.fixture
def network(school, territory):
    network = NetworkFactory(territory=territory, lead_school=school)
    NetworkMembershipFactory(network=network, organisation=school)
    return network


def member(network, name: str, counts, subject="Математика"):
    other = OrganisationFactory(name=name, short_name=name, territory=network.territory)
    NetworkMembershipFactory(network=network, organisation=other)
    add_rows(other, YEAR, "q1", subject, counts)
    return other


def test_the_school_page_draws_a_chart_per_subject_linking_each_period_to_its_rows(
    client, school, admin
):
    add_rows(school, YEAR, "q1", "Математика", (5, 10, 8, 2, 0))  # quality 60, pass rate 92
    add_rows(school, YEAR, "q2", "Математика", (8, 9, 8, 0, 0))
    add_rows(school, YEAR, "q1", "Физика", (1, 1, 1, 1, 0))
    client.force_login(admin)
    page = client.get(f"/results/schools/{school.pk}/?year={YEAR}").content.decode()
    charts = re.findall(r'<figure class="chart-small">.*?</figure>', page, re.S)
    assert len(charts) == 3  # all subjects, then maths and physics
    maths = next(c for c in charts if "Математика" in c)
    rows = f"/results/schools/{school.pk}/rows/?year={YEAR}&amp;period="
    assert f'href="{rows}q1&amp;subject={MATHS}"' in maths
    assert f'href="{rows}q2&amp;subject={MATHS}"' in maths
    # Bar lengths are plain numbers whatever the language; the label says what the bars mean.
    assert 'height="60.0"' in maths and 'height="92.0"' in maths
    assert re.search(r"<title>1 четверть: [^<]*60,0[^<]*92,0", maths)
    assert "<table>" in page  # the figures stay in the table too


def test_the_network_page_links_to_the_schools_compared(client, school, network):
    add_rows(school, YEAR, "q1", "Математика", (5, 10, 8, 2, 0))
    client.force_login(centre_admin(school.territory))
    page = client.get(f"/results/networks/{network.pk}/?year={YEAR}").content.decode()
    assert f"/results/networks/{network.pk}/schools/?year={YEAR}" in page
    assert f"/results/networks/{network.pk}/rows/?year={YEAR}&amp;period=q1" in page
    detail = client.get(f"/networks/{network.pk}/").content.decode()
    assert f"/results/networks/{network.pk}/schools/" in detail


def test_schools_compared_best_first_with_links_to_their_rows(client, school, network):
    add_rows(school, YEAR, "q1", "Математика", (5, 10, 8, 2, 0))  # 60
    member(network, "Школа высокая", (10, 10, 5, 0, 0))  # 80
    member(network, "Школа низкая", (1, 4, 15, 5, 0))  # 20
    member(network, "Школа без отметок", (0, 0, 0, 0, 7))  # nobody assessed: last
    client.force_login(centre_admin(school.territory))
    url = f"/results/networks/{network.pk}/schools/?year={YEAR}&period=q1"
    page = client.get(url).content.decode()
    chart = re.search(r'<ol class="school-bars".*?</ol>', page, re.S).group(0)
    names = re.findall(r'<span class="school-bar-name">([^<]+)</span>', chart)
    assert names == ["Школа высокая", "Школа № 1", "Школа низкая", "Школа без отметок"]
    assert f'/results/schools/{school.pk}/rows/?year={YEAR}&amp;period=q1"' in chart
    assert 'width="80.0"' in chart
    best_and_worst = r"<strong>Школа высокая</strong> \(80,0\).*<strong>Школа низкая</strong>"
    assert re.search(best_and_worst, page)
    worst = client.get(url + "&order=worst").content.decode()
    names = re.findall(r'<span class="school-bar-name">([^<]+)</span>', worst)
    assert names[0] == "Школа низкая" and names[-1] == "Школа без отметок"


def test_schools_compared_download_as_a_spreadsheet_in_the_order_shown(client, school, network):
    from io import BytesIO

    from openpyxl import load_workbook

    add_rows(school, YEAR, "q1", "Математика", (5, 10, 8, 2, 0))  # 60
    member(network, "=HYPERLINK(1)", (10, 10, 5, 0, 0))  # 80; a name that looks like a formula
    member(network, "Школа низкая", (1, 4, 15, 5, 0))  # 20
    client.force_login(centre_admin(school.territory))
    url = f"/results/networks/{network.pk}/schools/?year={YEAR}&period=q1&order=worst"
    assert "format=xlsx" in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as few:
        response = client.get(url + "&format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [r for r in sheet.iter_rows(values_only=True)]
    names = [r[1] for r in rows[3:6]]
    assert names == ["Школа низкая", "Школа № 1", "=HYPERLINK(1)"]
    assert sheet.cell(row=6, column=2).data_type == "s"  # text, never a formula
    assert rows[4][2:9] == (60.0, 92.0, 25, 5, 10, 8, 2)
    assert rows[-1][2:4] == (53.3, 90.7)  # 40 of 75 with 4s and 5s; 68 of 75 without 2s
    for n in range(5):
        member(network, f"Школа {n}", (n, 1, 1, 1, 0))
    with CaptureQueriesContext(connection) as many:
        client.get(url + "&format=xlsx")
    assert len(many) == len(few)
    # A coordinator's comparison downloads too; a member school's administration's does not.
    client.force_login(school_admin(school))
    assert client.get(url + "&format=xlsx").status_code == 403


def test_schools_compared_for_one_subject(client, school, network):
    add_rows(school, YEAR, "q1", "Математика", (5, 10, 8, 2, 0))
    add_rows(school, YEAR, "q1", "Физика", (0, 0, 5, 5, 0))
    member(network, "Школа физиков", (9, 9, 0, 0, 0), subject="Физика")
    client.force_login(centre_admin(school.territory))
    page = client.get(
        f"/results/networks/{network.pk}/schools/?year={YEAR}&period=q1&subject=Физика"
    ).content.decode()
    assert f"subject={quote('Физика')}" in page
    names = re.findall(r'<span class="school-bar-name">([^<]+)</span>', page)
    assert names == ["Школа физиков", "Школа № 1"]


def test_the_coordinator_compares_the_schools_without_links_to_their_own_pages(
    client, school, network
):
    """The network's coordinator sees its results but not each school's (permissions.py)."""
    add_rows(school, YEAR, "q1", "Математика", (5, 10, 8, 2, 0))
    client.force_login(coordinator(network))
    page = client.get(f"/results/networks/{network.pk}/schools/?year={YEAR}").content.decode()
    assert "Школа № 1" in page
    assert f"/results/schools/{school.pk}/" not in page


def test_a_member_schools_administration_may_not_compare_the_network(client, school, network):
    add_rows(school, YEAR, "q1", "Математика", (5, 10, 8, 2, 0))
    client.force_login(school_admin(school))
    assert client.get(f"/results/networks/{network.pk}/schools/").status_code == 403
    assert client.get(f"/results/territories/{school.territory.pk}/schools/").status_code == 403


@pytest.mark.parametrize(
    "query",
    [
        "period=zz",  # no such period
        "subject=" + "Ж" * 5000,  # far longer than any subject
        "year=junk",
        "year=99999999999999999999",
        "order=sideways&page=nine",
        "period=q1&subject=Химия",  # a subject without results this year
    ],
)
def test_bad_filters_give_the_page_with_a_message_not_an_error(client, school, network, query):
    add_rows(school, YEAR, "q1", "Математика", (5, 10, 8, 2, 0))
    client.force_login(centre_admin(school.territory))
    response = client.get(f"/results/networks/{network.pk}/schools/?{query}")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="error"' in page, page  # the field says what was wrong
    assert "Ж" * 201 not in page  # nor repeats a huge value whole


def test_the_territorys_schools_a_page_at_a_time_best_and_worst_named(client, school, territory):
    for i in range(PAGE_SIZE + 3):
        other = OrganisationFactory(name=f"Школа {i:02}", short_name=f"Школа {i:02}")
        other.territory = territory
        other.save()
        add_rows(other, YEAR, "q1", "Математика", (i, 40 - i, 10, 0, 0))
    client.force_login(centre_admin(territory))
    url = f"/results/territories/{territory.pk}/schools/?year={YEAR}"
    first = client.get(url).content.decode()
    assert len(re.findall(r'<span class="school-bar-name">', first)) == PAGE_SIZE
    assert "Школа 00" in first  # the worst is named above the chart even on the first page
    last = client.get(url + "&page=2").content.decode()
    assert len(re.findall(r'<span class="school-bar-name">', last)) == 3


def test_the_comparison_costs_the_same_queries_for_many_schools(client, school, network):
    add_rows(school, YEAR, "q1", "Математика", (5, 10, 8, 2, 0))
    client.force_login(centre_admin(school.territory))
    url = f"/results/networks/{network.pk}/schools/?year={YEAR}"

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries)

    small = count()
    for i in range(12):
        other = member(network, f"Школа {i}", (5, 4, 3, 2, 1))
        add_rows(other, YEAR, "q1", "Физика", (5, 4, 3, 2, 1))
    large = count()
    assert large <= small, (small, large)
    page = client.get(url).content.decode()
    assert page.count('<span class="school-bar-name">') == 13


def test_the_demo_centre_compares_the_networks_schools(client):
    call_command("load_demo", verbosity=0)
    network = Network.objects.get()
    client.force_login(Person.objects.get(username="centre"))
    detail = client.get(f"/networks/{network.pk}/").content.decode()
    assert f"/results/networks/{network.pk}/schools/" in detail
    page = client.get(f"/results/networks/{network.pk}/schools/").content.decode()
    bars = re.findall(r'<span class="school-bar-name">', page)
    assert len(bars) == network.memberships.count() + 1 >= 6  # and the lead school
    year = school_year_of(timezone.localdate())
    assert f"rows/?year={year}&amp;period=q1" in page
    charts = client.get(f"/results/networks/{network.pk}/").content.decode()
    assert charts.count('<figure class="chart-small">') >= 6  # all subjects and each one
