"""A community's chat: members write and read new lines as they come; outsiders, removed members
and closed communities are refused; a line is written once however often the form is sent."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from activity.models import Hit, Kind
from communities.models import Community
from core.tests.conftest import REMOVED
from discussions import services
from discussions.models import ChatMessage


def test_members_write_and_see_new_lines_since_the_last_look(client, world):
    client.force_login(world.member)
    page = client.get(f"/communities/{world.plc.pk}/chat/")
    token = page.context["form"].initial["token"]
    data = {"body": "Who has the **rubric**?", "token": token}
    client.post(f"/communities/{world.plc.pk}/chat/", data)
    client.post(f"/communities/{world.plc.pk}/chat/", data)  # the same form sent twice
    line = ChatMessage.objects.get(community=world.plc)
    assert "<strong>rubric</strong>" in line.body_html
    client.force_login(world.leader)
    since = client.get(f"/communities/{world.plc.pk}/chat/since/?after={line.pk - 1}")
    assert "rubric" in since.content.decode()
    answer = services.send_chat_message(actor=world.leader, community=world.plc, body="I do")
    fresh = client.get(f"/communities/{world.plc.pk}/chat/since/?after={line.pk}")
    text = fresh.content.decode()
    assert "I do" in text and "rubric" not in text
    assert f"after={answer.pk}" in text  # the next poll asks from the new last line


def test_the_htmx_form_comes_back_empty_or_with_its_error(client, world):
    client.force_login(world.member)
    url = f"/communities/{world.plc.pk}/chat/"
    sent = client.post(url, {"body": "Hello", "token": "t1"}, headers={"HX-Request": "true"})
    assert 'name="body"' in sent.content.decode() and "Hello" not in sent.content.decode()
    empty = client.post(url, {"body": "   ", "token": "t2"}, headers={"HX-Request": "true"})
    assert empty.status_code == 200 and empty.context["form"].errors
    assert ChatMessage.objects.filter(community=world.plc).count() == 1


def test_earlier_pages_walk_back_by_id(client, world, settings):
    for i in range(55):
        ChatMessage.objects.create(community=world.plc, author=world.member, body=f"line {i}")
    client.force_login(world.member)
    newest = client.get(f"/communities/{world.plc.pk}/chat/")
    shown = [row["message"].body for row in newest.context["lines"]]
    assert shown[0] == "line 5" and shown[-1] == "line 54"
    earlier = client.get(f"/communities/{world.plc.pk}/chat/?before={newest.context['earlier']}")
    assert [row["message"].body for row in earlier.context["lines"]] == [
        f"line {i}" for i in range(5)
    ]
    assert client.get(f"/communities/{world.plc.pk}/chat/?before=²").status_code == 200


def test_the_chat_page_makes_as_many_queries_for_many_lines(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.member)
    url = f"/communities/{world.plc.pk}/chat/"
    ChatMessage.objects.create(community=world.plc, author=world.member, body="one")
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for i in range(40):
        ChatMessage.objects.create(community=world.plc, author=world.leader, body=f"l{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_outsiders_removed_members_and_closed_communities_are_refused(client, world):
    services.send_chat_message(actor=world.member, community=world.members_only, body="secret")
    with pytest.raises(PermissionDenied):
        services.send_chat_message(
            actor=world.user(REMOVED), community=world.members_only, body="still here?"
        )
    client.force_login(world.user(REMOVED))
    assert client.get(f"/communities/{world.members_only.pk}/chat/").status_code == 403
    assert (
        client.get(f"/communities/{world.members_only.pk}/chat/since/?after=0").status_code == 403
    )
    Community.objects.filter(pk=world.plc.pk).update(status=Community.Status.ABOLISHED)
    closed = Community.objects.get(pk=world.plc.pk)  # the world's own object stays as it was
    with pytest.raises(PermissionDenied):
        services.send_chat_message(actor=world.member, community=closed, body="late")
    client.force_login(world.member)
    page = client.get(f"/communities/{world.plc.pk}/chat/")
    assert page.status_code == 200 and not page.context["may_write"]


def test_a_line_is_checked_and_counted_as_an_action(world, django_capture_on_commit_callbacks):
    with pytest.raises(ValidationError):
        services.send_chat_message(actor=world.member, community=world.plc, body="\x00\x0b ")
    with pytest.raises(ValidationError):
        services.send_chat_message(actor=world.member, community=world.plc, body="x" * 2001)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_chat_message(actor=world.member, community=world.plc, body="counted")
    assert Hit.objects.filter(kind=Kind.ACTION).exists()


def test_authors_delete_their_lines_and_moderators_any(client, world):
    mine = services.send_chat_message(actor=world.member, community=world.plc, body="oops")
    theirs = services.send_chat_message(actor=world.leader, community=world.plc, body="mine")
    client.force_login(world.member)
    assert client.post(f"/chat/{theirs.pk}/delete/").status_code == 403
    client.post(f"/chat/{mine.pk}/delete/")
    client.force_login(world.leader)
    assert "oops" not in client.get(f"/communities/{world.plc.pk}/chat/").content.decode()


def test_the_api_lists_and_writes_lines(client, world):
    client.force_login(world.member)
    url = f"/api/v1/communities/{world.plc.pk}/chat/"
    made = client.post(url, {"body": "via API", "token": "a"}, content_type="application/json")
    again = client.post(url, {"body": "via API", "token": "a"}, content_type="application/json")
    assert made.status_code == 201 and made.json()["id"] == again.json()["id"]
    listed = client.get(url + f"?after={made.json()['id'] - 1}").json()
    assert [row["body"] for row in listed] == ["via API"]
    assert client.post(url, {"body": ""}, content_type="application/json").status_code == 400
    client.force_login(world.user(REMOVED))
    assert client.get(f"/api/v1/communities/{world.members_only.pk}/chat/").status_code == 403
