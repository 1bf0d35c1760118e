"""The feed, the post page, the forms and the dashboard as people use them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.tests.conftest import CURATOR, TEACHER_A
from discussions import services
from discussions.models import Comment, Post


def test_the_feed_shows_pinned_first_new_badges_and_the_unread_count(client, world):
    old = services.create_post(actor=world.member, community=world.plc, body="Old news")
    services.mark_read(person=world.leader, community=world.plc)
    pinned = services.create_post(
        actor=world.leader, community=world.plc, body="Rules", pinned=True
    )
    new = services.create_post(actor=world.member, community=world.plc, body="Fresh idea")
    client.force_login(world.leader)
    response = client.get(f"/communities/{world.plc.pk}/feed/")
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [r["post"].pk for r in rows] == [pinned.pk, new.pk, old.pk]
    assert [r["new"] for r in rows] == [False, True, False]  # one's own post is never new
    assert response.context["unread"] == 1
    # The visit is remembered: nothing is new on the next one.
    assert client.get(f"/communities/{world.plc.pk}/feed/").context["unread"] == 0


def test_the_community_page_links_the_feed_with_its_new_count(client, world):
    services.create_post(actor=world.member, community=world.plc, body="Hi")
    client.force_login(world.leader)
    page = client.get(f"/communities/{world.plc.pk}/").content.decode()
    assert f"/communities/{world.plc.pk}/feed/" in page


def test_the_dashboard_counts_new_posts_in_my_communities(client, world):
    services.create_post(actor=world.member, community=world.plc, body="Hi")
    client.force_login(world.leader)
    response = client.get("/")
    assert [(c.pk, c.unread) for c in response.context["new_posts"]] == [(world.plc.pk, 1)]
    assert 'id="new-posts"' in response.content.decode()


def test_a_double_submit_of_the_form_makes_one_post(client, world):
    client.force_login(world.member)
    form = client.get(f"/communities/{world.plc.pk}/feed/new/").context["form"]
    token = form.initial["token"]
    data = {"title": "", "body": "Once", "token": token}
    first = client.post(f"/communities/{world.plc.pk}/feed/new/", data)
    second = client.post(f"/communities/{world.plc.pk}/feed/new/", data)
    assert first.status_code == second.status_code == 302
    assert first.url == second.url
    assert Post.objects.filter(community=world.plc, body="Once").count() == 1


def test_hostile_text_gives_a_message_on_the_field_and_nothing_written(client, world):
    client.force_login(world.member)
    response = client.post(
        f"/communities/{world.plc.pk}/feed/new/", {"body": "\u200b\x07", "token": "x"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["body"]
    assert not Post.objects.filter(community=world.plc).exists()


def test_a_draft_goes_to_the_drafts_list(client, world):
    client.force_login(world.member)
    client.post(
        f"/communities/{world.plc.pk}/feed/new/", {"body": "Later", "token": "d1", "draft": "1"}
    )
    response = client.get("/posts/drafts/")
    assert [p.body for p in response.context["page"]] == ["Later"]
    client.force_login(world.leader)
    assert not client.get(f"/communities/{world.plc.pk}/feed/").context["rows"]


def test_the_post_page_shows_comments_reactions_and_history(client, world):
    post = services.create_post(actor=world.member, community=world.plc, body="First")
    services.update_post(actor=world.member, post=post, body="Second")
    client.force_login(world.leader)
    client.post(f"/posts/{post.pk}/comments/", {"body": "Nice <b onclick=x()>work</b>"})
    client.post(f"/posts/{post.pk}/react/", {"kind": "love"})
    response = client.get(f"/posts/{post.pk}/")
    page = response.content.decode()
    assert 'id="revisions"' in page and "First" in page
    assert "<b onclick" not in Comment.objects.get(post=post).body_html
    assert [r["count"] for r in response.context["reactions"] if r["kind"] == "love"] == [1]


def test_reacting_by_htmx_answers_with_the_reactions_only(client, world):
    post = services.create_post(actor=world.member, community=world.plc, body="Hi")
    client.force_login(world.leader)
    response = client.post(f"/posts/{post.pk}/react/", {"kind": "like"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<div class="reactions"')


def test_outsiders_see_only_a_public_communitys_announcements(client, world):
    services.create_post(
        actor=world.user(CURATOR), community=world.public_group, body="Open to all",
        kind=Post.Kind.ANNOUNCEMENT,
    )  # fmt: skip
    services.create_post(actor=world.user(CURATOR), community=world.public_group, body="Inside")
    response = client.get(f"/communities/{world.public_group.pk}/feed/")  # anonymous
    assert [r["post"].body for r in response.context["rows"]] == ["Open to all"]
    client.force_login(world.user(TEACHER_A))
    response = client.get(f"/communities/{world.public_group.pk}/feed/")
    assert [r["post"].body for r in response.context["rows"]] == ["Open to all"]


def test_the_announce_page_publishes_to_all_network_groups(client, world):
    client.force_login(world.user(CURATOR))
    response = client.post(
        "/posts/announce/", {"all_network_groups": "on", "title": "Webinar", "body": "Friday"}
    )
    assert response.status_code == 302
    assert list(Post.objects.filter(title="Webinar").values_list("community", flat=True)) == [
        world.public_group.pk
    ]
    response = client.post("/posts/announce/", {"title": "No target", "body": "x"})
    assert response.status_code == 200 and response.context["form"].errors["communities"]


@pytest.mark.parametrize("url", ["feed", "api"])
def test_the_feed_query_count_does_not_grow_with_posts(client, world, url):
    def grow(n):
        for i in range(n):
            post = services.create_post(actor=world.member, community=world.plc, body=f"Post {i}")
            services.add_comment(actor=world.leader, post=post, body="ok")
            services.toggle_reaction(actor=world.leader, post=post, kind="like")

    path = (
        f"/communities/{world.plc.pk}/feed/"
        if url == "feed"
        else f"/api/v1/posts/?community={world.plc.pk}"
    )

    def measure() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    client.force_login(world.leader)
    grow(1)
    measure()
    one = measure()
    grow(15)
    assert measure() == one


def test_a_removed_member_is_refused_the_feed_and_its_posts(client, world):
    from core.tests.conftest import REMOVED

    post = services.create_post(actor=world.member, community=world.members_only, body="Private")
    client.force_login(world.user(REMOVED))
    assert client.get(f"/communities/{world.members_only.pk}/feed/").status_code == 403
    assert client.get(f"/posts/{post.pk}/").status_code == 403
    assert client.post(f"/posts/{post.pk}/comments/", {"body": "Hi"}).status_code == 403


def test_the_post_page_query_count_does_not_grow_with_comments(client, world):
    post = services.create_post(actor=world.member, community=world.plc, body="Hi")
    client.force_login(world.leader)

    def measure() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/posts/{post.pk}/").status_code == 200
        return len(queries)

    services.add_comment(actor=world.member, post=post, body="one")
    measure()
    one = measure()
    for i in range(10):
        services.add_comment(actor=world.member, post=post, body=f"c{i}")
    assert measure() == one
