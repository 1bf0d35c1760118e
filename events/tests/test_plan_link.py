"""A plan's agenda item carried out as an event: the plan page lists it, and closing the event
ticks the item done."""

import datetime as dt

import pytest
from django.utils import timezone

from communities.models import Membership
from communities.tests.factories import CommunityFactory, MembershipFactory
from events import services
from planning import services as planning_services
from planning.models import AgendaItem, Plan, PlannedMeeting

from .factories import kind

pytestmark = pytest.mark.django_db


def test_event_from_an_agenda_item_counts_for_the_plan(client):
    community = CommunityFactory()
    leader = MembershipFactory(community=community, role=Membership.Role.LEADER).person
    community.leader = leader
    community.save()
    plan = planning_services.create_plan(community=community, school_year=2030, actor=leader)
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.APPROVED)
    planned = PlannedMeeting.objects.create(plan=plan, month=10, title="Заседание")
    item = AgendaItem.objects.create(meeting=planned, action="Мастер-класс по оцениванию")
    event = services.create_event(
        actor=leader, kind=kind("master-class"), title="Мастер-класс по оцениванию",
        starts_at=timezone.now() - dt.timedelta(hours=1), organiser_community=community,
        agenda_item=item,
    )  # fmt: skip
    services.announce_event(actor=leader, event=event)
    client.force_login(leader)
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    assert 'id="plan-events"' in page and "Мастер-класс по оцениванию" in page
    services.close_attendance(actor=leader, event=event)
    item.refresh_from_db()
    assert item.done
