"""The benchmark generator at a tiny size; the full `manage.py bench` is not run in tests."""

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from communities.models import Community, Membership
from devtools import bench
from meetings.models import CalendarFeed, Decision, Meeting, Minutes, Participant
from organisations.models import Network, NetworkMembership, Organisation, Territory
from people.models import Person, Position, RoleAssignment, TeacherProfile
from planning.models import Plan


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
    slow, drift, search, floors = bench.verdicts(by_size)
    assert slow.passed is False and any("a 150" in o for o in slow.offenders)
    assert drift.passed is False and drift.offenders == ["a S:5/L:7"]
    assert search.passed is False
    assert floors.passed is None  # no page had a floor
    assert bench.percentile([float(i) for i in range(1, 31)], 95) == 29.0
    assert "a" in bench.render_table("t", by_size)


def test_plans_meetings_and_the_teachers_calendar(region):
    assert Plan.objects.filter(pk=region.plan_id, status="approved").exists()
    assert Plan.objects.count() == region.counts["plans"] > 0
    assert Meeting.objects.count() == region.counts["meetings"]
    assert Minutes.objects.count() == region.counts["minutes"]
    assert Decision.objects.count() == region.counts["decisions"]
    meeting = Meeting.objects.get(pk=region.meeting_id)
    assert meeting.community_id == region.community_id
    assert meeting.minutes.signed_by_id is None  # its minutes page opens for editing
    feed = CalendarFeed.objects.get(token=region.calendar_token)
    invited = Participant.objects.filter(person_id=feed.person_id).count()
    assert invited == region.calendar_meetings == min(bench.ICAL_MEETINGS, invited)
    largest = Position.objects.filter(organisation_id=region.largest_organisation_id).count()
    assert largest >= bench.SIZES["XS"].largest_staff
    assert Position.objects.filter(organisation_id=region.largest_organisation_id).count() == max(
        Position.objects.filter(organisation_id=o).count()
        for o in Position.objects.values_list("organisation_id", flat=True)
    )


def test_new_targets_answer_and_pages_are_measured_against_floors(region):
    targets = [t for t in bench.TARGETS if t.floor or t.export or t.user == "anonymous"]
    results = bench.measure(region, repeat=1, targets=targets)

    assert {r.label: r.status for r in results} == {t.label: 200 for t in targets}
    floored = [r for r in results if r.floor]
    assert floored and all(r.ratio is not None for r in floored)
    assert all(r.samples == 1 for r in results)
    table = bench.render_floors({"XS": results})
    assert all(r.label in table for r in floored)
    verdicts = {v.target.split(" ≤ ")[0]: v for v in bench.verdicts({"XS": results})}
    assert verdicts["every plans/meetings/minutes/decisions page"].passed is not None
    assert "databank XLSX of the largest organisation (5,000 people at L)" in verdicts
    assert "iCal feed (teacher)" in verdicts


def test_a_feed_or_export_is_judged_by_its_own_limit_not_as_a_page():
    def result(label, p95, limit_ms=None):
        return bench.Result(label, "/x/", 200, p95 / 2, p95, 5, limit_ms=limit_ms)

    verdicts = bench.verdicts({"L": [result("page", 50), result("feed", 300, limit_ms=500.0)]})
    pages, *_rest, feed = verdicts
    assert pages.passed is True  # the feed's 300 ms does not count against the 100 ms pages
    assert feed.target.startswith("feed ≤ 0.5 s") and feed.passed is True
    slow = bench.verdicts({"L": [result("feed", 600, limit_ms=500.0)]})[-1]
    assert slow.passed is False and slow.offenders == ["p95 0.60 s"]


def test_floor_view_is_routed_only_for_the_bench(client, region):
    assert client.get("/bench-floor/plans/").status_code == 404


def test_import_is_measured_and_rolled_back(region):
    people = Person.objects.count()
    result = bench.measure_import(region, rows=20)

    assert not result.error, result.error
    assert result.created == 20
    assert result.dry_run_s > 0 and result.apply_s > 0 and result.peak_mb > 0
    assert result.apply_cpu_s > 0 and "CPU" in result.line()
    assert all(v.passed for v in result.verdicts())
    assert Person.objects.count() == people  # every timed apply was rolled back


def test_events_certificates_and_the_needs_survey_of_the_region(region):
    from certificates.models import Certificate
    from events.models import Event, Registration
    from surveys.models import Answer, Participation, Response

    assert Event.objects.count() == region.counts["events"] == bench.SIZES["XS"].events
    assert Registration.objects.count() == region.counts["registrations"]
    large = Event.objects.get(pk=region.event_id)
    assert large.status == "held"
    assert large.registrations.count() == min(
        bench.LARGE_EVENT_REGISTRATIONS, bench.SIZES["XS"].teachers
    )
    assert Certificate.objects.filter(event=large).count() == region.counts["certificates"] > 0
    assert Certificate.objects.filter(token=region.certificate_token).exists()
    # Who answered the anonymous needs survey is kept apart from the answers.
    assert (
        Participation.objects.filter(survey_id=region.needs_survey_id).count()
        == (Response.objects.filter(survey_id=region.needs_survey_id, respondent=None).count())
        == region.counts["needs_responses"]
    )
    assert Answer.objects.count() == region.counts["needs_answers"]


def test_the_events_certificate_and_needs_map_targets_answer(region):
    labels = ("events", "[teacher] events", "API events", "certificate check", "surveys:")
    targets = [t for t in bench.TARGETS if t.label.startswith(labels)]
    assert len(targets) == 11
    results = bench.measure(region, repeat=1, targets=targets)
    assert {r.label: r.status for r in results} == {t.label: 200 for t in targets}


def test_the_region_has_pupils_results_and_summaries_that_add_up(region):
    from django.db.models import Sum

    from results.models import ResultRow, ResultSummary

    rows, summaries = ResultRow.objects.all(), ResultSummary.objects.all()
    assert rows.count() == region.counts["result_rows"] > 0
    assert summaries.count() == region.counts["result_summaries"] > 0
    assert set(rows.values_list("school_year", flat=True)) == {
        region.school_year - 2,
        region.school_year - 1,
        region.school_year,
    }
    assert rows.filter(organisation_id=region.organisation_id).exists()
    assert rows.filter(teacher_id=region.teacher_id).exists()  # the community page has rows
    # Every summary is the sum of its rows, and every row is in a summary.
    fields = ResultRow.COUNT_FIELDS
    assert summaries.aggregate(n=Sum("rows"))["n"] == rows.count()
    for summary in summaries.order_by("?")[:50]:
        sums = rows.filter(
            organisation_id=summary.organisation_id,
            school_year=summary.school_year,
            period_id=summary.period_id,
            subject=summary.subject,
        ).aggregate(*[Sum(f) for f in fields])
        assert [sums[f"{f}__sum"] for f in fields] == [getattr(summary, f) for f in fields]
    totals = rows.aggregate(*[Sum(f) for f in fields])
    assert totals == summaries.aggregate(*[Sum(f) for f in fields])
    # Plausible: knowledge quality of the region between 40 % and 70 %, no class over 30.
    assessed = sum(totals[f"{f}__sum"] for f in fields[:4])
    assert 0.4 <= (totals["count_5__sum"] + totals["count_4__sum"]) / assessed <= 0.7
    assert not rows.filter(count_3__gt=30).exists()


def test_the_results_targets_answer_against_their_floors(region):
    targets = [t for t in bench.TARGETS if t.name.startswith("results")]
    results = bench.measure(region, repeat=1, targets=targets)

    assert {r.label: r.status for r in results} == {t.label: 200 for t in targets}
    assert sum(r.ratio is not None for r in results) == 4  # school, network, territory, community
    verdicts = [v for v in bench.verdicts({"XS": results}) if "0.2 s" in v.target]
    assert len(verdicts) == len(targets) and all(v.passed is not None for v in verdicts)


def test_results_import_is_measured_and_rolled_back(region):
    from results.models import ResultRow

    rows = ResultRow.objects.count()
    result = bench.measure_results_import(region, rows=300)

    assert not result.error, result.error
    assert result.created == 300
    assert result.dry_run_s > 0 and result.apply_s > 0 and result.reapply_s > 0
    assert all(v.passed for v in result.verdicts()) and "300 rows" in result.line()
    assert ResultRow.objects.count() == rows


def test_a_kept_region_is_read_back_for_reuse(region, settings, tmp_path):
    settings.BASE_DIR = tmp_path
    size = bench.SIZES["XS"]
    with pytest.raises(FileNotFoundError):
        bench.load_region(size)
    bench.save_region(size, region)
    assert bench.load_region(size) == region


def test_reuse_without_a_kept_database_is_refused(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    with pytest.raises(CommandError, match="--keep"):
        call_command("bench", "--sizes", "XS", "--reuse")
