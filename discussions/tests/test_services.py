"""Writing, editing, deleting and reacting, through the services and their policy."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from communities import services as community_services
from core.tests.conftest import ADMIN_A, CURATOR, LEADER, MEMBER, SECRETARY, TEACHER_A
from discussions import permissions, selectors, services
from discussions.models import Post, PostRevision, Reaction, Status


def test_a_member_posts_and_the_text_is_sanitised(world):
    post = services.create_post(
        actor=world.member, community=world.plc, body="**Hi** <script>x()</script>"
    )
    assert post.status == Status.PUBLISHED
    assert "<strong>Hi</strong>" in post.body_html
    assert "<script" not in post.body_html


def test_an_outsider_may_not_post(world):
    with pytest.raises(PermissionDenied):
        services.create_post(actor=world.user(TEACHER_A), community=world.plc, body="Hi")


def test_a_plain_member_may_not_announce_or_pin(world):
    with pytest.raises(PermissionDenied):
        services.create_post(
            actor=world.member, community=world.plc, body="Hi", kind=Post.Kind.ANNOUNCEMENT
        )
    with pytest.raises(PermissionDenied):
        services.create_post(actor=world.member, community=world.plc, body="Hi", pinned=True)


def test_the_leader_announces_and_pins(world):
    post = services.create_post(
        actor=world.leader, community=world.plc, body="Meeting on Friday",
        kind=Post.Kind.ANNOUNCEMENT, pinned=True,
    )  # fmt: skip
    assert post.pinned and post.is_announcement


def test_empty_or_too_long_text_is_refused_with_a_message(world):
    with pytest.raises(ValidationError) as exc:
        services.create_post(actor=world.member, community=world.plc, body=" \u200b\x07 ")
    assert "body" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.create_post(actor=world.member, community=world.plc, body="x" * 20001)
    assert not Post.objects.filter(community=world.plc).exists()


def test_the_same_form_token_makes_one_post(world):
    first = services.create_post(actor=world.member, community=world.plc, body="Hi", token="t1")
    again = services.create_post(actor=world.member, community=world.plc, body="Hi", token="t1")
    assert first.pk == again.pk
    assert Post.objects.filter(community=world.plc).count() == 1


def test_an_edit_keeps_the_previous_text(world):
    post = services.create_post(actor=world.member, community=world.plc, body="First", title="A")
    services.update_post(actor=world.member, post=post, body="Second", title="B")
    post.refresh_from_db()
    assert post.body == "Second" and post.edited_at
    revision = PostRevision.objects.get(post=post)
    assert (revision.title, revision.body, revision.edited_by) == ("A", "First", world.member)
    with pytest.raises(PermissionDenied):
        services.update_post(actor=world.leader, post=post, body="Not mine")


def test_a_draft_is_seen_by_its_author_only_until_published(world):
    draft = services.create_post(actor=world.member, community=world.plc, body="Idea", draft=True)
    assert permissions.can_view_post(world.member, draft)
    assert not permissions.can_view_post(world.leader, draft)
    assert not selectors.feed(world.leader, world.plc).exists()
    services.update_post(actor=world.member, post=draft, body="Idea", publish=True)
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED and draft.published_at
    assert not PostRevision.objects.filter(post=draft).exists()


def test_the_author_deletes_within_the_window_and_moderators_any_time(world, settings):
    settings.DISCUSSIONS_DELETE_WINDOW_MINUTES = 30
    post = services.create_post(actor=world.member, community=world.plc, body="Oops")
    Post.objects.filter(pk=post.pk).update(published_at=timezone.now() - dt.timedelta(hours=1))
    post.refresh_from_db()
    assert not permissions.can_delete(world.member, post)
    with pytest.raises(PermissionDenied):
        services.delete_post(actor=world.member, post=post)
    assert not permissions.can_delete(world.user(SECRETARY), post)
    services.delete_post(actor=world.leader, post=post)
    post.refresh_from_db()
    assert post.status == Status.DELETED and post.deleted_by == world.leader  # the row stays
    assert not selectors.feed(world.member, world.plc).exists()


def test_a_fresh_post_may_be_deleted_by_its_author(world):
    post = services.create_post(actor=world.member, community=world.plc, body="Oops")
    services.delete_post(actor=world.member, post=post)
    assert Post.objects.get(pk=post.pk).status == Status.DELETED


def test_a_reaction_is_one_per_person_and_kind_and_toggles(world):
    post = services.create_post(actor=world.member, community=world.plc, body="Hi")
    assert services.toggle_reaction(actor=world.leader, post=post, kind="like") is True
    assert services.toggle_reaction(actor=world.leader, post=post, kind="idea") is True
    assert Reaction.objects.filter(post=post, person=world.leader).count() == 2
    assert services.toggle_reaction(actor=world.leader, post=post, kind="like") is False
    with pytest.raises(ValidationError):
        services.toggle_reaction(actor=world.leader, post=post, kind="angry")


def test_comments_count_and_deleted_ones_leave_the_count(world):
    post = services.create_post(actor=world.member, community=world.plc, body="Hi")
    comment = services.add_comment(actor=world.leader, post=post, body="Yes", token="c")
    services.add_comment(actor=world.leader, post=post, body="Yes", token="c")
    assert Post.objects.get(pk=post.pk).comment_count == 1
    services.delete_comment(actor=world.leader, comment=comment)
    assert Post.objects.get(pk=post.pk).comment_count == 0
    assert not selectors.comments_of(post).exists()


def test_a_removed_member_loses_the_feed_at_once(world):
    post = services.create_post(actor=world.leader, community=world.plc, body="Hi")
    secretary = world.user(SECRETARY)
    assert permissions.can_comment(secretary, post)
    community_services.remove_member(community=world.plc, person=secretary)
    secretary = type(secretary).objects.get(pk=secretary.pk)  # a new request
    assert not permissions.can_read_feed(secretary, world.plc)
    with pytest.raises(PermissionDenied):
        services.add_comment(actor=secretary, post=post, body="Still here?")


def test_host_administrators_read_and_moderate_the_feed(world):
    admin = world.user(ADMIN_A)
    assert permissions.can_read_feed(admin, world.plc)
    assert permissions.can_moderate(admin, world.plc)
    assert not permissions.can_moderate(world.member, world.plc)
    assert permissions.can_moderate(world.user(LEADER), world.plc)


def test_announcement_to_several_communities_makes_a_post_in_each(world):
    curator = world.user(CURATOR)
    announcement = services.announce(
        actor=curator, communities=[world.public_group, world.pair], title="Webinar",
        body="Friday 15:00",
    )  # fmt: skip
    assert {p.community_id for p in announcement.posts.all()} == {
        world.public_group.pk,
        world.pair.pk,
    }
    with pytest.raises(PermissionDenied):
        services.announce(actor=curator, communities=[world.plc], title="X", body="Y")
    with pytest.raises(PermissionDenied):
        services.announce(actor=world.user(MEMBER), communities=[world.pair], title="X", body="Y")


def test_new_since_the_last_visit(world):
    post = services.create_post(actor=world.member, community=world.plc, body="One")
    qs = selectors.feed(world.leader, world.plc)
    assert list(selectors.new_since(qs, None, world.leader)) == [post]
    assert not selectors.new_since(qs, None, world.member).exists()  # one's own is not new
    services.mark_read(person=world.leader, community=world.plc)
    seen = selectors.last_seen(world.leader, world.plc)
    assert not selectors.new_since(qs, seen, world.leader).exists()
    assert selectors.unread_by_community(world.leader) == []
    services.create_post(actor=world.member, community=world.plc, body="Two")
    [community] = selectors.unread_by_community(world.leader)
    assert community.unread == 1
