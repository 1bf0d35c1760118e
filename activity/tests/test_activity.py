"""Activity statistics: what is counted (and what not), the aggregation, the page, the exports,
the API and the page's constant query count."""

from __future__ import annotations

import datetime as dt
import json
from io import BytesIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from activity import aggregation, recording
from activity.models import CommunityDay, CommunityPeriod, Hit, Kind, PeriodKind, PeriodVisitor
from communities.models import Community, Membership
from communities.tests.factories import CommunityFactory, MembershipFactory
from events import services as event_services
from events.tests.factories import EventFactory
from organisations.tests.factories import OrganisationFactory
from people.tests.factories import PersonFactory, school_admin, teacher_at

pytestmark = pytest.mark.django_db

BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"}


@pytest.fixture
def school():
    return OrganisationFactory(name="Школа № 7")


@pytest.fixture
def community(school):
    return CommunityFactory(organisation=school, visibility=Community.Visibility.PUBLIC)


@pytest.fixture
def leader(community, school):
    person = teacher_at(school, username="plc-leader")
    MembershipFactory(community=community, person=person, role=Membership.Role.LEADER)
    return person


@pytest.fixture
def member(community, school):
    person = teacher_at(school, username="plc-member")
    MembershipFactory(community=community, person=person)
    return person


def hit_on(community, person, day, kind=Kind.VIEW):
    Hit.objects.create(
        community_id=community.pk,
        day=day,
        kind=kind,
        visitor=recording.visitor_key(person, day),
        week_visitor=recording.visitor_keys(person, day)[1],
    )


# -- recording ---------------------------------------------------------------------------------


def test_a_page_view_is_counted_once_without_the_person(client, community, member):
    client.force_login(member)
    assert client.get(f"/communities/{community.pk}/", **BROWSER).status_code == 200
    hit = Hit.objects.get()
    assert (hit.community_id, hit.kind, hit.day) == (community.pk, "view", timezone.localdate())
    assert len(hit.visitor) == 32 and str(member.pk) not in hit.visitor.replace("0", "")[:0]
    # Nothing in the row names the person or the page.
    stored = json.dumps(list(Hit.objects.values()), default=str)
    assert member.username not in stored and "/communities/" not in stored
    assert hit.visitor != recording.visitor_key(PersonFactory(), hit.day)
    assert hit.visitor == recording.visitor_key(member, hit.day)


def test_partials_bots_and_other_pages_are_not_counted(client, community, member):
    client.force_login(member)
    client.get(f"/communities/{community.pk}/", HTTP_HX_REQUEST="true", **BROWSER)
    client.get(f"/communities/{community.pk}/", HTTP_USER_AGENT="Googlebot/2.1")
    client.get(f"/communities/{community.pk}/")  # no user agent at all
    client.get("/", **BROWSER)  # the dashboard belongs to no community
    client.get(f"/communities/{community.pk}/join/", **BROWSER)  # not a 200 GET page
    assert not Hit.objects.exists()


def test_an_anonymous_visitor_is_counted_by_session(client, community):
    client.get(f"/communities/{community.pk}/", **BROWSER)
    client.get(f"/communities/{community.pk}/", **BROWSER)
    first, second = Hit.objects.order_by("id")
    assert first.visitor and first.visitor == second.visitor
    from django.test import Client

    Client().get(f"/communities/{community.pk}/", **BROWSER)
    assert Hit.objects.values("visitor").distinct().count() == 2


def test_a_view_can_name_its_community(rf, community):
    from activity.middleware import PageViewMiddleware

    def view(request):
        from django.http import HttpResponse

        request.activity_community = community.pk
        return HttpResponse("<p>post</p>")

    request = rf.get("/anything/", **BROWSER)
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    request.session = None
    PageViewMiddleware(view)(request)
    assert Hit.objects.get().community_id == community.pk


def test_a_failure_to_record_never_breaks_the_page(client, community, member, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(Hit.objects, "create", broken)
    client.force_login(member)
    assert client.get(f"/communities/{community.pk}/", **BROWSER).status_code == 200


def test_a_registration_counts_as_an_action(community, member, django_capture_on_commit_callbacks):
    event = EventFactory(organiser_community=community)
    with django_capture_on_commit_callbacks(execute=True):
        event_services.register(actor=member, event=event)
    hit = Hit.objects.get()
    assert (hit.community_id, hit.kind) == (community.pk, "action")


# -- aggregation -------------------------------------------------------------------------------


def test_hits_become_days_and_periods_with_distinct_visitors(community):
    anna, boris = PersonFactory(), PersonFactory()
    monday = dt.date(2026, 10, 5)
    tuesday = monday + dt.timedelta(days=1)
    hit_on(community, anna, monday)
    hit_on(community, anna, monday)
    hit_on(community, anna, tuesday)
    hit_on(community, boris, tuesday, Kind.ACTION)
    hit_on(community, boris, tuesday, Kind.FEEDBACK)
    assert aggregation.aggregate(size=2) == 5
    assert not Hit.objects.exists()
    days = {d.day: d for d in CommunityDay.objects.all()}
    assert (days[monday].views, days[monday].visitors) == (2, 1)
    assert (days[tuesday].views, days[tuesday].actions, days[tuesday].feedback) == (1, 1, 1)
    assert days[tuesday].visitors == 2
    week = CommunityPeriod.objects.get(kind=PeriodKind.WEEK, start=monday)
    month = CommunityPeriod.objects.get(kind=PeriodKind.MONTH, start=dt.date(2026, 10, 1))
    for period in (week, month):
        assert (period.views, period.actions, period.feedback, period.visitors) == (3, 1, 1, 2)
    # Later hits add to the sums; a visitor seen before is not counted again.
    hit_on(community, anna, dt.date(2026, 10, 20))
    call_command("aggregate_activity", verbosity=0)
    month.refresh_from_db()
    assert (month.views, month.visitors) == (4, 2)


def test_aggregation_is_idempotent_and_runs_do_not_double_count(community):
    hit_on(community, PersonFactory(), timezone.localdate())
    assert aggregation.aggregate() == 1
    assert aggregation.aggregate() == 0
    assert aggregation.aggregate_batch() == 0
    assert CommunityPeriod.objects.get(kind=PeriodKind.MONTH).views == 1


def test_hits_of_a_deleted_community_are_dropped(community):
    hit_on(community, PersonFactory(), timezone.localdate())
    Hit.objects.update(community_id=community.pk + 1000)
    assert aggregation.aggregate() == 1
    assert not CommunityPeriod.objects.exists() and not Hit.objects.exists()


def test_old_visitor_rows_are_purged_but_counts_stay(community):
    hit_on(community, PersonFactory(), dt.date(2025, 1, 10))
    aggregation.aggregate()
    assert not PeriodVisitor.objects.exists()
    assert CommunityPeriod.objects.get(kind=PeriodKind.MONTH).visitors == 1


# -- the page, exports, API --------------------------------------------------------------------


def fill(community, months: int = 3):
    today = timezone.localdate()
    start = today.replace(day=1)
    for n in range(months):
        CommunityPeriod.objects.create(
            community=community,
            kind=PeriodKind.MONTH,
            start=start,
            views=100 + n,
            actions=10,
            feedback=5,
            visitors=20 + n,
        )
        start = (start - dt.timedelta(days=1)).replace(day=1)


def test_the_leader_sees_the_month_with_a_chart(client, community, leader):
    fill(community)
    client.force_login(leader)
    detail = client.get(f"/communities/{community.pk}/").content.decode()
    assert f"/communities/{community.pk}/statistics/" in detail
    page = client.get(f"/communities/{community.pk}/statistics/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<svg") == 4 and "<script>" not in html and "<style" not in html
    assert ">100<" in html and ">20<" in html
    assert len(page.context["rows"]) == 6


def test_plain_members_do_not_see_statistics(client, community, member):
    client.force_login(member)
    assert "/statistics/" not in client.get(f"/communities/{community.pk}/").content.decode()
    for suffix in ("statistics/", "statistics.csv", "statistics.xlsx"):
        assert client.get(f"/communities/{community.pk}/{suffix}").status_code == 403
    assert client.get(f"/api/v1/communities/{community.pk}/activity/").status_code == 403


def test_the_school_administration_sees_them(client, community, school):
    client.force_login(school_admin(school))
    assert client.get(f"/communities/{community.pk}/statistics/").status_code == 200


def test_bad_input_falls_back_or_says_why(client, community, leader):
    client.force_login(leader)
    page = client.get(f"/communities/{community.pk}/statistics/?period=year&from=x&to=2026-01-01")
    assert page.status_code == 200
    api = client.get(f"/api/v1/communities/{community.pk}/activity/?from=2026-05-01&to=2026-01-01")
    assert api.status_code == 400 and "to" in api.json()


def test_exports(client, community, leader):
    community.name = "=HYPERLINK(1)"
    community.save()
    fill(community, 2)
    client.force_login(leader)
    csv = client.get(f"/communities/{community.pk}/statistics.csv").content.decode("utf-8-sig")
    cells = [cell for line in csv.splitlines() for cell in line.split(",")]
    assert "=HYPERLINK(1)" in csv and not any(c.strip('"').startswith("=") for c in cells)
    assert ",100," in csv
    data = client.get(f"/communities/{community.pk}/statistics.xlsx?period=month").content
    sheet = load_workbook(BytesIO(data)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0].startswith("Activity") or values[0][0].startswith("Статистика")
    assert any(row[3] == 100 for row in values[2:])


def test_api_by_week(client, community, leader):
    monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
    CommunityPeriod.objects.create(
        community=community, kind=PeriodKind.WEEK, start=monday, views=7, visitors=3
    )
    client.force_login(leader)
    answer = client.get(
        f"/api/v1/communities/{community.pk}/activity/?period=week"
        f"&from={monday - dt.timedelta(days=14)}&to={monday}"
    ).json()
    assert answer["period"] == "week" and len(answer["periods"]) == 3
    assert answer["periods"][-1] == {
        "start": str(monday),
        "end": str(monday + dt.timedelta(days=6)),
        "visitors": 3,
        "views": 7,
        "actions": 0,
        "feedback": 0,
    }


def test_the_page_costs_the_same_whatever_the_data(
    client, community, leader, django_assert_max_num_queries
):
    client.force_login(leader)
    url = f"/communities/{community.pk}/statistics/?period=week"
    fill(community, 1)
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    fill_more = [
        CommunityPeriod(
            community=community,
            kind=PeriodKind.WEEK,
            start=dt.date(2026, 1, 5) + dt.timedelta(weeks=n),
            views=n,
        )
        for n in range(40)
    ]
    CommunityPeriod.objects.bulk_create(fill_more)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_pages_under_a_community_count_for_it(client, community, leader):
    client.force_login(leader)
    assert client.get(f"/communities/{community.pk}/meetings/", **BROWSER).status_code == 200
    client.get(f"/communities/{community.pk}/statistics/", **BROWSER)  # not the group's life
    assert list(Hit.objects.values_list("community_id", "kind")) == [(community.pk, "view")]


def test_formula_text_is_neutralised_in_the_csv():
    from activity.documents import csv_bytes

    text = csv_bytes("=cmd|' /C calc'!A0", []).decode("utf-8-sig")
    assert text.startswith("\"'=cmd") or text.startswith("'=cmd")


def test_a_run_killed_mid_batch_leaves_everything_to_the_next(community, monkeypatch):
    hit_on(community, PersonFactory(), timezone.localdate())

    def killed(*args, **kwargs):
        raise SystemExit("worker killed")

    monkeypatch.setattr(aggregation, "_save", killed)
    with pytest.raises(SystemExit):
        aggregation.aggregate()
    assert Hit.objects.count() == 1
    assert not PeriodVisitor.objects.exists() and not CommunityPeriod.objects.exists()
    monkeypatch.undo()
    assert aggregation.aggregate() == 1
    month = CommunityPeriod.objects.get(kind=PeriodKind.MONTH)
    assert (month.views, month.visitors) == (1, 1)


def test_a_week_across_two_months_counts_a_person_once(community):
    anna = PersonFactory()
    hit_on(community, anna, dt.date(2026, 9, 30))  # Wednesday
    hit_on(community, anna, dt.date(2026, 10, 1))  # Thursday, the next month
    aggregation.aggregate()
    week = CommunityPeriod.objects.get(kind=PeriodKind.WEEK)
    assert (week.start, week.views, week.visitors) == (dt.date(2026, 9, 28), 2, 1)
    months = CommunityPeriod.objects.filter(kind=PeriodKind.MONTH)
    assert [m.visitors for m in months.order_by("start")] == [1, 1]


@pytest.mark.parametrize(
    "query",
    [
        "to=9999-12-31",
        "period=week&from=9999-12-30&to=9999-12-31",
        "period=month&from=9999-12-30&to=9999-12-31",
        "period=week&from=9998-12-20&to=9999-01-05",
        "period=month&from=9999-12-01",
    ],
)
def test_a_range_near_the_last_date_is_refused_not_a_500(client, community, leader, query):
    client.force_login(leader)
    base = f"/communities/{community.pk}/statistics"
    page = client.get(f"{base}/?{query}")
    assert page.status_code == 200
    assert "31.12.9998" in page.content.decode()  # the form says which date is the last
    for suffix in (".csv", ".xlsx"):
        assert client.get(f"{base}{suffix}?{query}").status_code == 200, suffix
    api = client.get(f"/api/v1/communities/{community.pk}/activity/?{query}")
    assert api.status_code == 400
    assert set(api.json()) & {"from", "to"}


def test_the_last_allowed_range_is_drawn(client, community, leader):
    client.force_login(leader)
    for period in ("week", "month"):
        answer = client.get(
            f"/api/v1/communities/{community.pk}/activity/"
            f"?period={period}&from=9998-11-01&to=9998-12-31"
        )
        assert answer.status_code == 200, period
        assert answer.json()["periods"][-1]["end"] >= "9998-12-31"
