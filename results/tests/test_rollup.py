"""Territory rollups: kept equal to the sums of the schools' summaries through imports, moves,
deletions and the repair command; the territory's page shows the same figures as before and
its queries do not grow with schools."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Q, Sum
from django.test.utils import CaptureQueriesContext

from organisations.models import Organisation, Territory
from organisations.tests.factories import OrganisationFactory, TerritoryFactory
from people.tests.factories import centre_admin
from results import selectors
from results.imports import import_results
from results.models import AssessmentPeriod, ResultRow, ResultSummary, TerritorySummary

from .files import GOOD, csv_bytes

pytestmark = pytest.mark.django_db
YEAR = 2025
FIELDS = ResultRow.COUNT_FIELDS


def _import(school, rows, year=YEAR):
    report = import_results(
        organisation=school, school_year=year, file=csv_bytes(rows), dry_run=False
    )
    assert report.applied, report.to_dict()


def _rollups(territory) -> dict[tuple, tuple]:
    return {
        (r.school_year, r.period_id, r.subject): tuple(getattr(r, f) for f in FIELDS) + (r.rows,)
        for r in TerritorySummary.objects.filter(territory=territory)
    }


def _from_summaries(territory) -> dict[tuple, tuple]:
    """The same sums straight from the schools' summaries (what the page read before)."""
    sums = (
        ResultSummary.objects.filter(organisation__territory__path__startswith=territory.path)
        .values_list("school_year", "period_id", "subject")
        .annotate(*[Sum(f) for f in FIELDS], Sum("rows"))
        .order_by()
    )
    return {(y, p, s): tuple(values) for y, p, s, *values in sums}


def _maths(territory) -> tuple:
    q1 = AssessmentPeriod.objects.get(country_code="KZ", code="q1")
    return _rollups(territory).get((YEAR, q1.pk, "Математика"))


def _with_maths(counts):
    """GOOD with the first maths class's counts replaced."""
    rows = [list(r) for r in GOOD]
    rows[0][4:9] = counts
    return rows


@pytest.fixture
def region(db):
    return TerritoryFactory(name="Область", country_code="KZ")


@pytest.fixture
def district(region):
    return TerritoryFactory(
        name="Район", kind=Territory.Kind.DISTRICT, parent=region, country_code="KZ"
    )


@pytest.fixture
def schools(region, district):
    """Two schools of the district and one directly in the region, all imported."""
    first = OrganisationFactory(territory=district)
    second = OrganisationFactory(territory=district)
    third = OrganisationFactory(territory=region)
    _import(first, GOOD)  # maths: 5А (5, 10, 8, 2, 0) + 5Б (6, 9, 9, 1, 0)
    _import(second, _with_maths([1, 1, 1, 1, 1]))  # maths: 5А (1, 1, 1, 1, 1) + 5Б as above
    _import(third, _with_maths([0, 0, 0, 4, 0]))  # maths: 5А (0, 0, 0, 4, 0) + 5Б as above
    return first, second, third


def test_rollups_equal_the_schools_sums(region, district, schools):
    # By hand: count_5…count_na, then the number of class rows.
    assert _maths(district) == (5 + 6 + 1 + 6, 10 + 9 + 1 + 9, 8 + 9 + 1 + 9, 2 + 1 + 1 + 1, 1, 4)
    assert _maths(region) == (18 + 0 + 6, 29 + 0 + 9, 27 + 0 + 9, 5 + 4 + 1, 1, 6)
    assert _rollups(district) == _from_summaries(district)
    assert _rollups(region) == _from_summaries(region)
    assert len(_rollups(region)) == 2  # maths and Russian of one period: a row per subject


def test_a_reimport_changes_the_district_and_the_region(region, district, schools):
    first, _second, _third = schools
    _import(first, _with_maths([9, 0, 0, 0, 0]))
    assert _maths(district) == (9 + 6 + 1 + 6, 0 + 9 + 1 + 9, 0 + 9 + 1 + 9, 0 + 1 + 1 + 1, 1, 4)
    assert _rollups(district) == _from_summaries(district)
    assert _rollups(region) == _from_summaries(region)
    _import(first, GOOD, year=YEAR - 1)  # another year is added beside it
    assert len(_rollups(region)) == 4
    assert _rollups(region) == _from_summaries(region)


def test_a_school_that_moves_leaves_its_district_but_not_its_region(region, district, schools):
    first, _second, _third = schools
    other = TerritoryFactory(kind=Territory.Kind.DISTRICT, parent=region, country_code="KZ")
    region_before = _rollups(region)
    moved = Organisation.objects.get(pk=first.pk)  # as an edit form loads it
    moved.territory = other
    moved.save()
    assert _maths(district) == (1 + 6, 1 + 9, 1 + 9, 1 + 1, 1, 2)
    assert _rollups(other) == _from_summaries(other) != {}
    assert _rollups(district) == _from_summaries(district)
    assert _rollups(region) == region_before == _from_summaries(region)
    # Out of the region altogether: the region loses it too.
    elsewhere = TerritoryFactory(country_code="KZ")
    moved.territory = elsewhere
    moved.save()
    assert _rollups(other) == {}
    assert _rollups(region) == _from_summaries(region) != region_before
    assert _rollups(elsewhere) == _from_summaries(elsewhere) != {}


def test_a_district_moved_to_another_region_takes_its_schools_sums_along(region, district, schools):
    """003's territories are reorganised too: a district moved under another region (in the
    admin) rewrites its paths and its districts', and the two regions' sums, not its own."""
    village = TerritoryFactory(kind=Territory.Kind.CITY, parent=district, country_code="KZ")
    OrganisationFactory(territory=village)
    _import(Organisation.objects.filter(territory=village).get(), _with_maths([2, 2, 2, 2, 2]))
    district_before = _rollups(district)
    other_region = TerritoryFactory(name="Другая область", country_code="KZ")
    moved = Territory.objects.get(pk=district.pk)
    moved.parent = other_region
    moved.full_clean()
    moved.save()
    village.refresh_from_db()
    assert village.path == f"/{other_region.pk}/{district.pk}/{village.pk}/"
    assert _rollups(district) == district_before
    assert _rollups(other_region) == _from_summaries(other_region) == district_before
    assert _rollups(region) == _from_summaries(region) != {}  # only its own school is left
    assert _maths(region) == (0 + 6, 0 + 9, 0 + 9, 4 + 1, 0, 2)


def test_a_territory_cannot_be_moved_inside_itself(region, district):
    from django.core.exceptions import ValidationError

    region = Territory.objects.get(pk=region.pk)
    region.parent = district
    with pytest.raises(ValidationError) as raised:
        region.full_clean()
    assert "parent" in raised.value.message_dict
    region.parent = region
    with pytest.raises(ValidationError):
        region.full_clean()


def test_a_deleted_school_leaves_the_sums(region, district, schools):
    first, second, _third = schools
    first.delete()
    assert _maths(district) == (1 + 6, 1 + 9, 1 + 9, 1 + 1, 1, 2)
    assert _rollups(region) == _from_summaries(region)
    Organisation.objects.get(pk=second.pk).delete()
    assert _rollups(district) == {}
    assert _rollups(region) == _from_summaries(region) != {}


def test_a_school_without_results_moves_and_goes_without_rewriting(region, district, schools):
    empty = OrganisationFactory(territory=district)
    empty = Organisation.objects.get(pk=empty.pk)
    empty.territory = region
    with CaptureQueriesContext(connection) as moved:
        empty.save()
    with CaptureQueriesContext(connection) as deleted:
        empty.delete()
    assert not any(
        "territorysummary" in q["sql"].lower()
        for q in moved.captured_queries + deleted.captured_queries
    )
    assert _rollups(region) == _from_summaries(region)


def test_the_territory_table_is_the_same_as_summed_from_the_schools(region, district, schools):
    first, _second, _third = schools
    _import(first, _with_maths([3, 3, 3, 3, 3]), year=YEAR - 1)  # changes from a year before
    for territory in (region, district):
        now = selectors.indicator_table(selectors.territory_scope(territory), YEAR, "KZ")
        direct = selectors.indicator_table(
            (
                ResultSummary.objects.all(),
                Q(organisation__territory__path__startswith=territory.path),
            ),
            YEAR,
            "KZ",
        )
        assert now.cells and set(now.cells) == set(direct.cells)
        for key, cell in now.cells.items():
            assert cell.counts == direct.cells[key].counts
            assert cell.values == direct.cells[key].values
            assert cell.last_year == direct.cells[key].last_year != {}


def test_pages_and_api_show_the_rollup_and_compare_schools_from_summaries(
    client, region, district, schools
):
    first, second, third = schools
    client.force_login(centre_admin(region))
    api = client.get(f"/api/v1/results/indicators/?territory={region.pk}&year={YEAR}").json()
    maths = next(c for c in api["cells"] if c["subject"] == "Математика")
    figures = {f["indicator"]: f["value"] for f in maths["figures"]}
    # 24 + 38 of 24 + 38 + 36 + 10 assessed; 98 of 108 passed.
    assert figures == {"quality": "57.4", "pass_rate": "90.7"}
    page = client.get(f"/results/territories/{region.pk}/?year={YEAR}").content.decode()
    assert "57,4" in page or "57.4" in page
    compared = client.get(f"/results/territories/{region.pk}/schools/?year={YEAR}")
    assert compared.status_code == 200
    shown = compared.content.decode()
    assert all(school.name in shown for school in (first, second, third))
    rows = client.get(f"/results/territories/{district.pk}/rows/?year={YEAR}").content.decode()
    assert first.name in rows and third.name not in rows


def test_the_command_rebuilds_all_or_one_territory(region, district, schools):
    expected_region, expected_district = _rollups(region), _rollups(district)
    TerritorySummary.objects.all().delete()
    call_command("rebuild_result_rollups", "--territory", str(district.pk))
    assert _rollups(district) == expected_district
    assert _rollups(region) == expected_region  # an ancestor: its schools count there too
    TerritorySummary.objects.filter(territory=region).update(count_5=0)
    call_command("rebuild_result_rollups")
    assert _rollups(region) == expected_region
    assert _rollups(district) == expected_district
    with pytest.raises(CommandError):
        call_command("rebuild_result_rollups", "--territory", "999999")


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize(
    "url",
    [
        "/results/territories/{pk}/?year={year}",
        "/api/v1/results/indicators/?territory={pk}&year={year}",
        "/results/territories/{pk}/schools/?year={year}",
    ],
)
def test_queries_do_not_grow_with_schools(client, region, district, url):
    client.force_login(centre_admin(region))
    _import(OrganisationFactory(territory=district), GOOD)
    url = url.format(pk=region.pk, year=YEAR)
    small = _queries(client, url)
    for i in range(4):
        _import(OrganisationFactory(territory=district if i % 2 else region), GOOD)
    assert _queries(client, url) <= small


def test_the_migration_builds_the_rollups_from_existing_summaries(region, district, schools):
    from importlib import import_module

    from django.apps import apps

    expected = _rollups(region), _rollups(district)
    TerritorySummary.objects.all().delete()
    migration = import_module("results.migrations.0006_territory_summary")

    class Editor:  # what the step uses of a schema editor (SQLite's cannot open in a test)
        def execute(self, sql, params=()):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)

    migration.build_rollups(apps, Editor())
    assert (_rollups(region), _rollups(district)) == expected
