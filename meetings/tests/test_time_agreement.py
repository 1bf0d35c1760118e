"""Where the kind says so, the leader agrees a meeting's time and place with the deputy director
(004 §3.3): the school's administration agrees it, a move asks again, and the people who may
agree are told and find it under "Требует моего внимания"."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from communities.models import CommunityKind, Membership
from communities.tests.factories import CommunityFactory, MembershipFactory, kind
from meetings import services
from meetings.models import Meeting
from notifications.models import Notification
from organisations.tests.factories import OrganisationFactory
from people.tests.factories import centre_admin, school_admin, teacher_at

pytestmark = pytest.mark.django_db

TO_AGREE = Notification.Kind.MEETING_TO_AGREE


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what the services leave for after the commit, as a real request would."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


@pytest.fixture
def school():
    """A school with its deputy director and director, a PLC led by one of its teachers."""
    organisation = OrganisationFactory()
    people = {
        "deputy": school_admin(organisation, username="deputy_x"),
        "director": school_admin(organisation, username="director_x"),
        "leader": teacher_at(organisation, username="leader_x"),
        "member": teacher_at(organisation, username="member_x"),
        "other_admin": school_admin(OrganisationFactory(), username="other_admin_x"),
        "centre": centre_admin(organisation.territory, username="centre_x"),
    }
    plc = CommunityFactory(
        kind=kind("school_plc"), organisation=organisation, leader=people["leader"]
    )
    MembershipFactory(community=plc, person=people["leader"], role=Membership.Role.LEADER)
    MembershipFactory(community=plc, person=people["member"], role=Membership.Role.MEMBER)
    return {"organisation": organisation, "plc": plc, **people}


def community(school, code):
    made = CommunityFactory(kind=kind(code), organisation=school["organisation"])
    made.leader = school["leader"]
    made.save(update_fields=["leader"])
    MembershipFactory(community=made, person=school["leader"], role=Membership.Role.LEADER)
    return made


def schedule(community, leader, title="Заседание", days=10) -> Meeting:
    return services.schedule_meeting(
        community=community, actor=leader, title=title, chair=leader, place="Каб. 5",
        starts_at=timezone.now() + dt.timedelta(days=days), confirmed=True,
    )  # fmt: skip


def fresh(meeting) -> Meeting:
    return Meeting.objects.select_related("community__kind").get(pk=meeting.pk)


def told(kind) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_the_seed_kinds_have_their_meetings_agreed_in_both_countries():
    for country in CommunityKind.Country.values:
        assert kind("school_plc", country).meeting_time_agreed
        assert kind("micro_group", country).meeting_time_agreed
        assert not kind("lesson_study_team", country).meeting_time_agreed
        assert not kind("network_group", country).meeting_time_agreed


@pytest.mark.parametrize("who", ["deputy", "director", "centre"])
def test_the_school_administration_agrees_the_time_and_place(school, who):
    meeting = schedule(school["plc"], school["leader"])
    assert fresh(meeting).needs_time_agreement
    services.agree_meeting_time(meeting=meeting, actor=school[who])
    meeting = fresh(meeting)
    assert meeting.time_agreed_by == school[who]
    assert meeting.time_agreed_at is not None
    assert not meeting.needs_time_agreement


@pytest.mark.parametrize("who", ["leader", "member", "other_admin"])
def test_others_may_not_agree(school, who):
    meeting = schedule(school["plc"], school["leader"])
    with pytest.raises(PermissionDenied):
        services.agree_meeting_time(meeting=meeting, actor=school[who])
    assert fresh(meeting).time_agreed_at is None


def test_a_leader_who_is_the_schools_admin_may_agree(school):
    """The role decides, not leading the community."""
    plc = school["plc"]
    plc.leader = school["deputy"]
    plc.save(update_fields=["leader"])
    meeting = schedule(plc, school["leader"])
    services.agree_meeting_time(meeting=meeting, actor=school["deputy"])
    assert fresh(meeting).time_agreed_by == school["deputy"]
    # Scheduling it themselves, they agree it by that act.
    assert fresh(schedule(plc, school["deputy"])).time_agreed_by == school["deputy"]


def test_agreed_once_cancelled_or_held_is_refused(school):
    meeting = schedule(school["plc"], school["leader"])
    services.agree_meeting_time(meeting=meeting, actor=school["deputy"])
    with pytest.raises(ValidationError) as again:
        services.agree_meeting_time(meeting=meeting, actor=school["director"])
    assert again.value.code == "agreed"
    assert fresh(meeting).time_agreed_by == school["deputy"]
    cancelled = schedule(school["plc"], school["leader"], title="Другое")
    services.cancel_meeting(meeting=cancelled, actor=school["leader"], reason="Карантин")
    with pytest.raises(ValidationError):
        services.agree_meeting_time(meeting=cancelled, actor=school["deputy"])
    assert fresh(cancelled).time_agreed_at is None


def test_a_kind_without_the_rule_needs_no_agreement_and_tells_nobody(school, commit):
    team = community(school, "lesson_study_team")
    meeting = commit(schedule, team, school["leader"])
    assert not fresh(meeting).needs_time_agreement
    assert told(TO_AGREE) == set()
    with pytest.raises(ValidationError) as refused:
        services.agree_meeting_time(meeting=meeting, actor=school["deputy"])
    assert refused.value.code == "not_needed"
    assert fresh(meeting).time_agreed_at is None


def test_the_people_who_may_agree_are_told_when_it_is_scheduled_and_moved(school, commit):
    meeting = commit(schedule, school["plc"], school["leader"])
    # The host school's administration; not the leader who scheduled it, not another school's
    # admin, not the centre above (it may agree, but is not asked).
    assert told(TO_AGREE) == {"deputy_x", "director_x"}
    url = reverse("meetings:detail", args=[meeting.pk])
    assert set(Notification.objects.filter(kind=TO_AGREE).values_list("url", flat=True)) == {url}
    services.agree_meeting_time(meeting=meeting, actor=school["deputy"])
    Notification.objects.all().delete()

    commit(
        services.move_meeting,
        meeting=meeting, actor=school["leader"], starts_at=meeting.starts_at + dt.timedelta(days=1),
        place="Каб. 7", reason="Совпало с педсоветом", confirmed=True,
    )  # fmt: skip
    moved = fresh(meeting)
    # A new time and place are not the ones agreed: they are agreed again.
    assert moved.time_agreed_by is None and moved.time_agreed_at is None
    assert moved.needs_time_agreement
    assert told(TO_AGREE) == {"deputy_x", "director_x"}


def test_the_page_shows_the_agreement_and_the_button_to_those_allowed(client, school):
    meeting = schedule(school["plc"], school["leader"])
    url = reverse("meetings:detail", args=[meeting.pk])
    client.force_login(school["leader"])
    page = client.get(url).content.decode()
    assert 'id="time-awaiting"' in page and 'id="agree-time"' not in page
    assert client.post(reverse("meetings:agree_time", args=[meeting.pk])).status_code == 403
    assert fresh(meeting).time_agreed_at is None

    client.force_login(school["deputy"])
    page = client.get(url).content.decode()
    assert 'id="agree-time"' in page
    response = client.post(reverse("meetings:agree_time", args=[meeting.pk]))
    assert response.status_code == 302
    assert fresh(meeting).time_agreed_by == school["deputy"]
    page = client.get(url).content.decode()
    assert 'id="time-agreed"' in page and 'id="agree-time"' not in page
    assert school["deputy"].full_name in page
    # Agreeing again is told, not a 500, and changes nothing.
    agreed_at = fresh(meeting).time_agreed_at
    assert client.post(reverse("meetings:agree_time", args=[meeting.pk])).status_code == 302
    assert fresh(meeting).time_agreed_at == agreed_at


def test_a_meeting_without_the_rule_shows_nothing_to_agree(client, school):
    team = community(school, "lesson_study_team")
    meeting = schedule(team, school["leader"])
    client.force_login(school["deputy"])
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert 'id="time-awaiting"' not in page and 'id="agree-time"' not in page


def test_the_api_agrees_and_shows_the_agreement(client, school):
    meeting = schedule(school["plc"], school["leader"])
    detail = f"/api/v1/meetings/{meeting.pk}/"
    action = f"/api/v1/meetings/{meeting.pk}/agree-time/"
    client.force_login(school["leader"])
    data = client.get(detail).json()
    assert data["needs_time_agreement"] is True
    assert data["time_agreed_by"] is None and data["time_agreed_at"] is None
    assert client.post(action).status_code == 403
    client.force_login(school["other_admin"])
    assert client.post(action).status_code in (403, 404)
    assert fresh(meeting).time_agreed_at is None

    client.force_login(school["director"])
    response = client.post(action)
    assert response.status_code == 200
    data = response.json()
    assert data["time_agreed_by"] == school["director"].pk
    assert data["time_agreed_at"] is not None
    assert data["needs_time_agreement"] is False
    assert client.post(action).status_code == 400
    listed = client.get(f"/api/v1/meetings/?community={school['plc'].pk}").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [r["time_agreed_by"] for r in rows] == [school["director"].pk]


def waiting_meetings(client, who) -> list[str]:
    client.force_login(who)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return [item.url for item in response.context["waiting"] if item.kind == "meeting"]


def test_the_dashboard_lists_meetings_awaiting_the_persons_agreement(client, school):
    meeting = schedule(school["plc"], school["leader"])
    url = reverse("meetings:detail", args=[meeting.pk])
    assert waiting_meetings(client, school["deputy"]) == [url]
    assert waiting_meetings(client, school["director"]) == [url]
    assert waiting_meetings(client, school["leader"]) == []
    assert waiting_meetings(client, school["other_admin"]) == []
    services.agree_meeting_time(meeting=meeting, actor=school["deputy"])
    assert waiting_meetings(client, school["deputy"]) == []
    assert waiting_meetings(client, school["director"]) == []


def test_the_dashboard_query_count_does_not_grow_with_meetings_to_agree(client, school):
    schedule(school["plc"], school["leader"], title="Первое")
    client.force_login(school["deputy"])
    client.get(reverse("dashboard"))
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(reverse("dashboard")).context["waiting"]) >= 1
    for n in range(4):
        other = community(school, "micro_group")
        schedule(other, school["leader"], title=f"Ещё {n}", days=5 + n)
    with CaptureQueriesContext(connection) as many:
        waiting = client.get(reverse("dashboard")).context["waiting"]
    assert len([i for i in waiting if i.kind == "meeting"]) == 5
    assert len(many) == len(one)


def test_a_time_set_by_one_who_may_agree_it_is_agreed_by_that_act(client):
    """The deputy who schedules or moves a meeting is not asked to agree their own choice."""
    import datetime as dt

    from django.utils import timezone

    from communities.tests.factories import CommunityFactory, MembershipFactory, kind
    from meetings import services
    from people.tests.factories import school_admin

    community = CommunityFactory(kind=kind("school_plc"))
    leader = MembershipFactory(community=community, role="leader").person
    community.leader = leader
    community.save()
    deputy = school_admin(community.organisation)
    when = timezone.now() + dt.timedelta(days=5)
    by_deputy = services.schedule_meeting(
        community=community, actor=deputy, title="З", chair=leader, place="К",
        starts_at=when, confirmed=True,
    )  # fmt: skip
    assert by_deputy.time_agreed_by == deputy and not by_deputy.needs_time_agreement
    by_leader = services.schedule_meeting(
        community=community, actor=leader, title="З2", chair=leader, place="К",
        starts_at=when, confirmed=True,
    )  # fmt: skip
    assert by_leader.time_agreed_by is None and by_leader.needs_time_agreement
    moved = services.move_meeting(
        meeting=by_leader, actor=deputy, starts_at=when + dt.timedelta(hours=1), ends_at=None,
        place="К", online_url="", reason="Совпало с педсоветом", confirmed=True,
    )  # fmt: skip
    assert moved.time_agreed_by == deputy
