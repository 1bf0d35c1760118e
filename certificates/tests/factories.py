"""A held event whose certificates are owed: a participant marked present, one registered who did
not come, a speaker and the responsible organiser; its community's leader manages it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from communities.models import Membership
from communities.tests.factories import CommunityFactory, MembershipFactory
from events.models import Event, ProgrammeItem, Registration
from events.tests.factories import EventFactory, RegistrationFactory
from people.tests.factories import OrganisationFactory, teacher_at


@dataclass
class Held:
    event: Event
    leader: object
    participant: object
    absent: object
    speaker: object
    outsider: object


def held_event(
    *, status=Event.Status.HELD, organisation=None, title="Мастер-класс «Смысловое чтение»"
):
    organisation = organisation or OrganisationFactory(name="СШ № 7")
    leader = teacher_at(organisation, last_name="Ведущая", first_name="Анна")
    community = CommunityFactory(organisation=organisation, leader=leader, name="ПОС учителей")
    MembershipFactory(community=community, person=leader, role=Membership.Role.LEADER)
    event = EventFactory(
        organiser_community=community,
        title=title,
        status=status,
        starts_at=timezone.now() - dt.timedelta(days=1),
        responsible=leader,
    )
    participant = teacher_at(
        organisation, last_name="Участникова", first_name="Мария", email="maria@example.org"
    )
    absent = teacher_at(organisation, last_name="Отсутствующий", first_name="Пётр")
    speaker = teacher_at(organisation, last_name="Докладчиков", first_name="Олег")
    RegistrationFactory(event=event, person=participant, attended=True)
    RegistrationFactory(event=event, person=absent, attended=False)
    assert Registration.objects.filter(event=event).count() == 2
    ProgrammeItem.objects.create(event=event, order=1, title="Доклад", speaker=speaker)
    outsider = teacher_at(organisation, last_name="Посторонний", first_name="Иван")
    return Held(event, leader, participant, absent, speaker, outsider)
