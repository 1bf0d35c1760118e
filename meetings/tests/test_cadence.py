import datetime as dt

import pytest
from django.utils import timezone

from communities.models import Community
from communities.permissions import can_view_members
from communities.tests.factories import CommunityFactory, MembershipFactory, kind
from meetings import cadence
from meetings.models import Meeting
from people.tests.factories import school_admin, teacher_at

pytestmark = pytest.mark.django_db


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(15)))


def hold(community, day: dt.date, status=Meeting.Status.HELD) -> Meeting:
    return Meeting.objects.create(
        community=community, title="Заседание", starts_at=at(day), place="К",
        chair=community.leader, status=status,
    )  # fmt: skip


@pytest.fixture
def plc():
    community = CommunityFactory(kind=kind("school_plc"))
    community.leader = MembershipFactory(community=community, role="leader").person
    community.save()
    return community


def test_a_term_without_a_meeting_puts_a_plc_behind(plc):
    status = cadence.status_of(plc, dt.date(2026, 11, 23))
    assert status.level == "behind"
    assert "01.09.2026" in status.messages[0] and "31.10.2026" in status.messages[0]
    hold(plc, dt.date(2026, 10, 15))
    assert cadence.status_of(plc, dt.date(2026, 11, 23)).level == "ok"


def test_warning_before_the_term_ends_and_a_scheduled_meeting_lifts_it(plc):
    hold(plc, dt.date(2026, 10, 15))
    status = cadence.status_of(plc, dt.date(2026, 12, 20))
    assert status.level == "warning" and "31.12.2026" in status.messages[0]
    hold(plc, dt.date(2026, 12, 25), status=Meeting.Status.SCHEDULED)
    assert cadence.status_of(plc, dt.date(2026, 12, 20)).level == "ok"


def test_association_needs_four_meetings_a_year_spread_over_it():
    association = CommunityFactory(
        kind=kind("leaders_association"), organisation=None,
        territory=CommunityFactory().territory,
    )  # fmt: skip
    association.leader = MembershipFactory(community=association, role="leader").person
    association.save()
    assert cadence.status_of(association, dt.date(2026, 10, 1)).level == "ok"
    status = cadence.status_of(association, dt.date(2027, 3, 1))
    assert status.level == "behind" and "0" in status.messages[0]
    for day in (dt.date(2026, 10, 1), dt.date(2026, 12, 1)):
        hold(association, day)
    assert cadence.status_of(association, dt.date(2027, 3, 1)).level == "ok"


def test_the_sql_rule_agrees_with_the_page(plc):
    kept = CommunityFactory(kind=kind("school_plc"))
    kept.leader = MembershipFactory(community=kept, role="leader").person
    kept.save()
    hold(kept, dt.date(2026, 10, 1))
    day = dt.date(2026, 11, 23)
    behind = set(cadence.behind_in_sql(Community.objects.all(), day).values_list("pk", flat=True))
    assert behind == {plc.pk}
    for community in (plc, kept):
        assert (cadence.status_of(community, day).level == "behind") == (community.pk in behind)


def test_school_admin_sees_the_communities_behind(client, plc, monkeypatch):
    monkeypatch.setattr(cadence.timezone, "localdate", lambda: dt.date(2026, 11, 23))
    client.force_login(school_admin(plc.organisation))
    page = client.get("/communities/behind/").content.decode()
    assert plc.name in page


def test_the_community_page_shows_the_cadence_to_those_who_see_its_members(
    client, plc, monkeypatch
):
    """The communities app shows what meetings adds through its page's extension point."""
    monkeypatch.setattr(cadence.timezone, "localdate", lambda: dt.date(2026, 11, 23))
    client.force_login(school_admin(plc.organisation))
    response = client.get(f"/communities/{plc.pk}/")
    assert response.context["cadence"].level == "behind"
    assert 'id="cadence"' in response.content.decode()
    teacher = teacher_at(plc.organisation)
    client.force_login(teacher)
    response = client.get(f"/communities/{plc.pk}/")
    assert response.status_code == 200
    assert (response.context["cadence"] is None) == (not can_view_members(teacher, plc))


def test_a_september_meeting_keeps_its_own_quarter_not_the_autumn_after_it():
    council = CommunityFactory(
        kind=kind("coordination_council"), organisation=None,
        territory=CommunityFactory().territory,
    )  # fmt: skip
    council.leader = MembershipFactory(community=council, role="leader").person
    council.save()
    assert council.kind.meeting_cadence == "quarter"
    hold(council, dt.date(2026, 9, 10))
    assert cadence.status_of(council, dt.date(2026, 11, 1)).level == "ok"
    status = cadence.status_of(council, dt.date(2027, 1, 10))
    assert status.level == "behind"
    assert "01.10.2026" in status.messages[0] and "31.12.2026" in status.messages[0]
    behind = cadence.behind_in_sql(Community.objects.all(), dt.date(2027, 1, 10))
    assert council in behind
    hold(council, dt.date(2026, 11, 20))
    assert cadence.status_of(council, dt.date(2027, 1, 10)).level == "ok"
    assert council not in cadence.behind_in_sql(Community.objects.all(), dt.date(2027, 1, 10))
