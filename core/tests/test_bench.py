"""The benchmark generator at a tiny size; the full `manage.py bench` is not run in tests."""

import pytest
from django.db.models import Count

from communities.models import Community, Membership
from core import bench
from organisations.models import Network, NetworkMembership, Organisation, Territory
from people.models import Person, Position, RoleAssignment, TeacherProfile


@pytest.fixture
def region(db):
    return bench.generate_region(bench.SIZES["XS"])


def test_parse_sizes():
    assert [s.code for s in bench.parse_sizes("s, m,L")] == ["S", "M", "L"]
    assert bench.parse_sizes("xs")[0].teachers == 30
    with pytest.raises(ValueError, match="known"):
        bench.parse_sizes("XXL")


def test_counts_match_the_size(region):
    size = bench.SIZES["XS"]
    assert Organisation.objects.count() == size.organisations == region.counts["organisations"]
    assert Community.objects.count() == size.communities == region.counts["communities"]
    assert Person.objects.count() == size.teachers + 2 == region.counts["people"]
    assert TeacherProfile.objects.count() == size.teachers
    assert Territory.objects.filter(kind__in=["district", "city"]).count() == size.districts
    assert Network.objects.count() == size.networks == region.counts["networks"]
    assert NetworkMembership.objects.count() == region.counts["network_memberships"]
    assert NetworkMembership.objects.filter(role="magnet").exists()
    assert NetworkMembership.objects.filter(role="partner").exists()
    assert Position.objects.count() == region.counts["positions"]
    assert Membership.objects.count() == region.counts["memberships"]
    # Every teacher holds a main position.
    assert Person.objects.filter(username__startswith="t", positions__is_main=True).distinct(
    ).count() == size.teachers  # fmt: skip


def test_search_name_and_path_are_set(region):
    for person in Person.objects.all():
        assert person.search_name
        assert person.search_name == person.compute_search_name()
        assert "ё" not in person.search_name
    for territory in Territory.objects.select_related("parent"):
        parent_path = territory.parent.path if territory.parent else "/"
        assert territory.path == f"{parent_path}{territory.pk}/"
    assert Person.objects.filter(search_name__startswith=region.search_prefix).exists()


def test_communities_have_members_leader_and_count(region):
    for community in Community.objects.annotate(n=Count("memberships")):
        assert community.member_count == community.n
        assert 2 <= community.n <= 10
        assert community.leader_id in set(community.memberships.values_list("person_id", flat=True))
        assert community.organisation_id or community.network_id or community.territory_id
    assert Community.objects.filter(kind__code="network_group").exists()


def test_roles_and_sample_ids(region):
    assert RoleAssignment.objects.filter(
        person_id=region.centre_admin_id, role="centre_admin", territory_id=region.region_id
    ).exists()
    assert RoleAssignment.objects.filter(
        person_id=region.school_admin_id,
        role="school_admin",
        organisation_id=region.organisation_id,
    ).exists()
    assert Membership.objects.filter(person_id=region.teacher_id).exists()
    assert Community.objects.filter(pk=region.community_id, kind__code="school_plc").exists()
    assert Person.objects.filter(pk=region.person_id).exists()
    # One hashed password shared by every generated account.
    assert Person.objects.values("password").distinct().count() == 1


def test_verdicts_flag_slow_pages_and_query_drift():
    def result(label, p95, queries, search=False):
        return bench.Result(label, "/x/", 200, p95 / 2, p95, queries, search=search)

    by_size = {
        "S": [result("a", 10, 5), result("search", 10, 4, search=True)],
        "L": [result("a", 150, 7), result("search", 60, 4, search=True)],
    }
    slow, drift, search = bench.verdicts(by_size)
    assert slow.passed is False and any("a 150" in o for o in slow.offenders)
    assert drift.passed is False and drift.offenders == ["a S:5/L:7"]
    assert search.passed is False
    assert bench.percentile([float(i) for i in range(1, 31)], 95) == 29.0
    assert "a" in bench.render_table("t", by_size)
