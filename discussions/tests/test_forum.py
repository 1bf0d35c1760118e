"""Forum topics: members open them, reply and quote; outsiders and removed members do not."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.tests.conftest import REMOVED, SECRETARY, TEACHER_A
from discussions import services
from discussions.models import Reply, Topic
from notifications.models import Notification


def test_members_open_topics_reply_and_quote(client, world):
    client.force_login(world.member)
    form = client.get(f"/communities/{world.plc.pk}/forum/new/").context["form"]
    data = {"title": "Assessment", "body": "How?", "token": form.initial["token"]}
    first = client.post(f"/communities/{world.plc.pk}/forum/new/", data)
    again = client.post(f"/communities/{world.plc.pk}/forum/new/", data)
    assert first.url == again.url
    topic = Topic.objects.get(community=world.plc)
    client.post(f"/topics/{topic.pk}/reply/", {"body": "With rubrics", "token": "r1"})
    answer = Reply.objects.get(topic=topic)
    client.force_login(world.leader)
    page = client.get(f"/topics/{topic.pk}/?quote={answer.pk}")
    assert page.context["form"].initial["quote"] == answer.pk
    client.post(f"/topics/{topic.pk}/reply/", {"body": "Agreed", "quote": answer.pk, "token": "r2"})
    quoting = Reply.objects.get(topic=topic, author=world.leader)
    assert quoting.quote == answer
    topic.refresh_from_db()
    assert topic.reply_count == 2
    assert "With rubrics" in client.get(f"/topics/{topic.pk}/").content.decode()
    listed = client.get(f"/communities/{world.plc.pk}/forum/").context["page"]
    assert [t.pk for t in listed] == [topic.pk]


def test_a_quote_from_another_topic_is_refused(world):
    one = services.open_topic(actor=world.member, community=world.plc, title="A", body="a")
    two = services.open_topic(actor=world.member, community=world.plc, title="B", body="b")
    answer = services.reply(actor=world.leader, topic=one, body="x")
    with pytest.raises(ValidationError):
        services.reply(actor=world.leader, topic=two, body="y", quote=answer)


def test_outsiders_and_removed_members_are_refused(client, world):
    topic = services.open_topic(
        actor=world.member, community=world.members_only, title="Private", body="p"
    )
    with pytest.raises(PermissionDenied):
        services.reply(actor=world.user(REMOVED), topic=topic, body="Hi")
    with pytest.raises(PermissionDenied):
        services.open_topic(actor=world.user(TEACHER_A), community=world.plc, title="X", body="y")
    client.force_login(world.user(REMOVED))
    assert client.get(f"/topics/{topic.pk}/").status_code == 403


def test_a_mention_in_a_reply_tells_a_reader(world, django_capture_on_commit_callbacks):
    topic = services.open_topic(actor=world.member, community=world.plc, title="A", body="a")
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(actor=world.leader, topic=topic, body="@secretary, your view?")
    told = Notification.objects.filter(kind=Notification.Kind.POST_MENTION)
    assert [n.recipient for n in told] == [world.user(SECRETARY)]


def test_the_topic_page_query_count_does_not_grow_with_replies(client, world):
    topic = services.open_topic(actor=world.member, community=world.plc, title="A", body="a")
    first = services.reply(actor=world.member, topic=topic, body="first")
    client.force_login(world.leader)

    def measure() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/topics/{topic.pk}/").status_code == 200
        return len(queries)

    measure()
    one = measure()
    for i in range(10):
        services.reply(actor=world.leader, topic=topic, body=f"r{i}", quote=first)
    assert measure() == one
