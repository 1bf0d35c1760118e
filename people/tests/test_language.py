"""The interface language a person chooses is remembered on their account, and the notices and
e-mails Collegium sends them later are written in it."""

import pytest
from django.core import mail

from communities import services as community_services
from communities.models import Membership
from communities.tests.factories import CommunityFactory, MembershipFactory
from notifications.models import Notification
from people.models import Person
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_the_language_switch_remembers_the_choice_on_the_account(client):
    me = PersonFactory()
    client.force_login(me)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert Person.objects.get(pk=me.pk).language == "en"
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert Person.objects.get(pk=me.pk).language == "en"  # not a language of ours: unchanged


def test_the_switch_still_works_for_a_visitor(client):
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302


def test_notices_and_e_mails_are_written_in_each_persons_language(
    django_capture_on_commit_callbacks,
):
    group = CommunityFactory()
    leader = MembershipFactory(community=group, role=Membership.Role.LEADER).person
    group.leader = leader
    group.save()
    english = PersonFactory(language="en", email="en@example.org")
    russian = PersonFactory(email="ru@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        community_services.invite(community=group, person=english, invited_by=leader)
        community_services.invite(community=group, person=russian, invited_by=leader)
    assert Notification.objects.get(recipient=english).text.startswith("You are invited")
    assert Notification.objects.get(recipient=russian).text.startswith("Вас приглашают")
    by_address = {m.to[0]: m for m in mail.outbox}
    assert "You are invited" in by_address["en@example.org"].body
    assert "You are invited" not in by_address["ru@example.org"].body
