"""Access ends when membership ends: what a removed member no longer gets, beyond status codes.

The status codes per role are in the permission matrix; here are the lists and feeds, and the
moment of removal itself.
"""

from __future__ import annotations

import pytest

from communities import services as community_services
from meetings import services as meeting_services

from .conftest import MEMBER, REMOVED, TEACHER_A, TEACHER_C

pytestmark = pytest.mark.django_db


def _feed(client, person) -> str:
    token = meeting_services.calendar_feed(owner=person).token
    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    return response.content.decode()


def test_a_removed_member_loses_the_meetings_at_once(client, world):
    member = world.member
    client.force_login(member)
    meeting_url = f"/meetings/{world.private_meeting.pk}/"
    assert client.get(meeting_url).status_code == 200
    assert client.get(f"/api/v1{meeting_url}").status_code == 200

    community_services.remove_member(community=world.members_only, person=member)

    assert client.get(meeting_url).status_code == 403
    assert client.get(f"{meeting_url}minutes.pdf").status_code == 403
    assert client.get(f"/api/v1{meeting_url}").status_code == 404
    assert "Private meeting" not in _feed(client, member)


def test_the_personal_feed_keeps_only_what_its_owner_may_see(client, world):
    assert "Private meeting" in _feed(client, world.member)
    assert "Private meeting" in _feed(client, world.user(TEACHER_C))  # the invited guest
    removed_feed = _feed(client, world.user(REMOVED))
    assert "Private meeting" not in removed_feed
    assert "BEGIN:VCALENDAR" in removed_feed


def test_the_api_calendar_leaves_out_the_group_a_member_was_removed_from(client, world):
    client.force_login(world.user(REMOVED))
    response = client.get("/api/v1/meetings/calendar/")
    assert response.status_code == 200
    assert b"Private meeting" not in response.content


def test_meeting_and_decision_lists_leave_out_the_group_after_removal(client, world):
    def listed(role, what):
        client.force_login(world.user(role))
        rows = client.get(f"/api/v1/{what}/?page_size=100").json()["results"]
        return {row["id"] for row in rows}

    meeting, decision = world.private_meeting.pk, world.private_decision.pk
    assert meeting in listed(MEMBER, "meetings") and decision in listed(MEMBER, "decisions")
    assert meeting in listed(TEACHER_C, "meetings") and decision in listed(TEACHER_C, "decisions")
    for role in (REMOVED, TEACHER_A):
        assert meeting not in listed(role, "meetings"), role
        assert decision not in listed(role, "decisions"), role
    client.force_login(world.user(REMOVED))
    mine = client.get("/api/v1/decisions/?mine=true").json()["results"]
    assert decision not in {row["id"] for row in mine}


def test_my_decisions_page_drops_a_task_of_a_group_one_has_left(client, world):
    client.force_login(world.user(REMOVED))
    response = client.get("/decisions/")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0
