"""Moderation (003 app. 2 §4.2.7): reports, hiding and restoring, closing for comments, muting,
the queue, the log, the code of conduct and the flood limits — through services, pages and API."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.tests.conftest import ADMIN_A, CURATOR, SECRETARY, TEACHER_A
from discussions import permissions, selectors, services
from discussions.models import Comment, ModerationAction, Mute, Post, Report, Status
from notifications.models import Notification


@pytest.fixture
def thread(world):
    post = services.create_post(actor=world.member, community=world.plc, title="T", body="Hi")
    comment = services.add_comment(actor=world.user(SECRETARY), post=post, body="Buy my course")
    return post, comment


# -- Reports -------------------------------------------------------------------------------------


def test_a_reader_reports_once_and_the_moderators_are_told(
    world, thread, django_capture_on_commit_callbacks
):
    post, comment = thread
    with django_capture_on_commit_callbacks(execute=True):
        first = services.report(actor=world.member, item=comment, reason="spam", text="ad")
        again = services.report(actor=world.member, item=comment, reason="spam")
    assert first.pk == again.pk
    assert Report.objects.filter(comment=comment, state=Report.State.OPEN).count() == 1
    moderators = permissions.who_moderates(world.plc)
    assert world.leader in moderators and world.member not in moderators
    assert Notification.objects.filter(
        recipient=world.leader, kind=Notification.Kind.MODERATION_REPORT
    ).exists()


def test_reporting_own_content_or_unseen_content_is_refused(world, thread):
    post, comment = thread
    with pytest.raises(PermissionDenied):
        services.report(actor=world.user(SECRETARY), item=comment, reason="spam")
    with pytest.raises(PermissionDenied):
        services.report(actor=world.user(TEACHER_A), item=comment, reason="spam")
    with pytest.raises(ValidationError):
        services.report(actor=world.member, item=comment, reason="boring")


def test_the_report_page_and_api(client, world, thread):
    post, comment = thread
    client.force_login(world.member)
    url = f"/moderation/comment/{comment.pk}/report/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": "off_topic", "text": "x"}).status_code == 302
    assert client.post(url, {"reason": "off_topic"}).status_code == 302
    assert Report.objects.filter(comment=comment).count() == 1
    assert client.post(f"/moderation/post/{post.pk}/report/", {"reason": "spam"}).status_code == 403
    client.force_login(world.user(SECRETARY))
    response = client.post(
        f"/api/v1/posts/{post.pk}/report/", {"reason": "spam"}, content_type="application/json"
    )
    assert response.status_code == 201
    again = client.post(
        f"/api/v1/posts/{post.pk}/report/", {"reason": "spam"}, content_type="application/json"
    )
    assert again.status_code == 200 and again.json()["id"] == response.json()["id"]
    assert (
        client.post(
            f"/api/v1/comments/{comment.pk}/report/",
            {"reason": "spam"},
            content_type="application/json",
        ).status_code
        == 403
    )  # their own
    client.force_login(world.user(TEACHER_A))
    assert (
        client.post(
            f"/api/v1/comments/{comment.pk}/report/",
            {"reason": "spam"},
            content_type="application/json",
        ).status_code
        == 404
    )


# -- Hide and restore ----------------------------------------------------------------------------


def test_hiding_resolves_reports_tells_the_author_and_shows_the_reason_only_to_them(
    client, world, thread, django_capture_on_commit_callbacks
):
    post, comment = thread
    author = world.user(SECRETARY)
    services.report(actor=world.member, item=comment, reason="spam")
    with pytest.raises(PermissionDenied):
        services.hide(actor=world.member, item=comment, reason="no")
    with pytest.raises(ValidationError):
        services.hide(actor=world.leader, item=comment, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.hide(actor=world.leader, item=comment, reason="Advertising")
    comment.refresh_from_db()
    assert comment.status == Status.HIDDEN
    assert not Report.objects.filter(comment=comment, state=Report.State.OPEN).exists()
    assert Post.objects.get(pk=post.pk).comment_count == 0
    assert Notification.objects.filter(recipient=author, kind=Notification.Kind.MODERATED).exists()
    client.force_login(author)
    page = client.get(f"/posts/{post.pk}/").content.decode()
    assert "Advertising" in page and "Buy my course" in page
    client.force_login(world.member)
    page = client.get(f"/posts/{post.pk}/").content.decode()
    assert "Advertising" not in page and "Buy my course" not in page
    assert "hidden-placeholder" in page
    listed = client.get(f"/api/v1/posts/{post.pk}/comments/").json()
    assert all(c["id"] != comment.pk for c in listed["results"])
    client.force_login(author)
    log = client.get("/moderation/log/").content.decode()
    assert "Advertising" in log
    client.force_login(world.user(TEACHER_A))
    assert "Advertising" not in client.get("/moderation/log/").content.decode()


def test_a_hidden_post_is_seen_by_its_author_and_moderators_only(client, world, thread):
    post, _comment = thread
    services.hide(actor=world.leader, item=post, reason="Off topic")
    client.force_login(world.member)
    assert "Off topic" in client.get(f"/posts/{post.pk}/").content.decode()
    assert "Off topic" in client.get(f"/communities/{world.plc.pk}/feed/").content.decode()
    client.force_login(world.user(SECRETARY))
    assert client.get(f"/posts/{post.pk}/").status_code == 404
    assert "Off topic" not in client.get(f"/communities/{world.plc.pk}/feed/").content.decode()
    client.force_login(world.leader)
    assert client.get(f"/posts/{post.pk}/").status_code == 200


def test_restore_allowed_and_denied(client, world, thread):
    _post, comment = thread
    services.hide(actor=world.leader, item=comment, reason="Spam")
    client.force_login(world.member)
    url = f"/moderation/comment/{comment.pk}/restore/"
    assert client.post(url, {"reason": "Oops"}).status_code == 403
    client.force_login(world.leader)
    assert client.post(url, {"reason": "Oops"}).status_code == 302
    comment.refresh_from_db()
    assert comment.status == Status.PUBLISHED
    actions = list(
        ModerationAction.objects.filter(comment=comment).values_list("action", flat=True)
    )
    assert actions == ["restore", "hide"]


def test_topics_and_replies_are_hidden_too(client, world):
    topic = services.open_topic(actor=world.member, community=world.plc, title="Q", body="B")
    answer = services.reply(actor=world.user(SECRETARY), topic=topic, body="Rude words")
    client.force_login(world.leader)
    assert (
        client.post(f"/moderation/reply/{answer.pk}/hide/", {"reason": "Rude"}).status_code == 302
    )
    client.force_login(world.member)
    page = client.get(f"/topics/{topic.pk}/").content.decode()
    assert "Rude words" not in page and "hidden-placeholder" in page
    assert client.post(f"/moderation/topic/{topic.pk}/hide/", {"reason": "x"}).status_code == 403


# -- Lock ----------------------------------------------------------------------------------------


def test_closing_a_post_for_comments(client, world, thread):
    post, _comment = thread
    client.force_login(world.member)
    url = f"/moderation/post/{post.pk}/lock/"
    assert client.post(url, {"reason": "Enough"}).status_code == 403
    client.force_login(world.leader)
    assert client.post(url, {"reason": "Enough"}).status_code == 302
    post.refresh_from_db()
    assert post.locked
    with pytest.raises(PermissionDenied):
        services.add_comment(actor=world.member, post=post, body="One more")
    client.force_login(world.member)
    page = client.get(f"/posts/{post.pk}/").content.decode()
    assert "Enough" in page and 'id="locked"' in page
    client.force_login(world.leader)
    client.post(url, {"reason": "Go on"})
    post.refresh_from_db()
    assert not post.locked
    services.add_comment(actor=world.member, post=post, body="One more")


def test_closing_a_topic_for_replies(world):
    topic = services.open_topic(actor=world.member, community=world.plc, title="Q", body="B")
    with pytest.raises(PermissionDenied):
        services.set_locked(actor=world.member, item=topic, locked=True, reason="x")
    services.set_locked(actor=world.leader, item=topic, locked=True, reason="Solved")
    topic.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.reply(actor=world.member, topic=topic, body="More")


# -- Mute ----------------------------------------------------------------------------------------


def test_a_muted_member_writes_nothing_until_unmuted(
    client, world, thread, django_capture_on_commit_callbacks
):
    post, _comment = thread
    member = world.member
    with pytest.raises(PermissionDenied):
        services.mute(
            actor=world.user(SECRETARY), community=world.plc, person=member, days=1, reason="x"
        )
    with pytest.raises(PermissionDenied):  # a moderator is not muted
        services.mute(actor=world.user(ADMIN_A), community=world.plc, person=world.leader, days=1,
                      reason="x")  # fmt: skip
    client.force_login(world.leader)
    url = f"/communities/{world.plc.pk}/mutes/"
    assert client.get(f"{url}?person={member.pk}").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"person": member.pk, "days": 3, "reason": "Flooding"})
    assert response.status_code == 302
    mute = Mute.objects.get(person=member, community=world.plc)
    assert Notification.objects.filter(recipient=member, kind=Notification.Kind.MODERATED).exists()
    fresh = type(member).objects.get(pk=member.pk)
    for write in (
        lambda: services.create_post(actor=fresh, community=world.plc, body="x"),
        lambda: services.add_comment(actor=fresh, post=post, body="x"),
        lambda: services.open_topic(actor=fresh, community=world.plc, title="t", body="x"),
    ):
        with pytest.raises(PermissionDenied):
            write()
    client.force_login(member)
    page = client.get(f"/communities/{world.plc.pk}/feed/").content.decode()
    assert "Flooding" in page and 'id="muted"' in page
    assert client.get(f"/communities/{world.plc.pk}/feed/new/").status_code == 403
    assert client.post(f"/mutes/{mute.pk}/lift/", {"reason": "x"}).status_code == 403
    client.force_login(world.leader)
    assert client.post(f"/mutes/{mute.pk}/lift/", {"reason": "Calmer now"}).status_code == 302
    fresh = type(member).objects.get(pk=member.pk)
    services.create_post(actor=fresh, community=world.plc, body="Back")


# -- Queue, dashboard, code of conduct -----------------------------------------------------------


def test_the_queue_lists_open_reports_for_moderators_only(client, world, thread):
    post, comment = thread
    services.report(actor=world.member, item=comment, reason="spam")
    client.force_login(world.leader)
    page = client.get("/moderation/").content.decode()
    assert 'id="report-' in page and "Buy my course" in page
    assert "Buy my course" in client.get(f"/moderation/?community={world.plc.pk}").content.decode()
    assert "attention-moderation" in client.get("/").content.decode()  # the dashboard's count
    client.force_login(world.member)
    assert client.get("/moderation/").status_code == 403
    assert "attention-moderation" not in client.get("/").content.decode()
    # The curator moderates the network groups, not a school's PLC: its reports are not listed.
    client.force_login(world.user(CURATOR))
    page = client.get(f"/moderation/?community={world.plc.pk}").content.decode()
    assert "Buy my course" not in page


def test_dismissing_a_report(client, world, thread):
    post, comment = thread
    report = services.report(actor=world.member, item=comment, reason="spam")
    client.force_login(world.member)
    assert client.post(f"/moderation/reports/{report.pk}/dismiss/").status_code == 403
    client.force_login(world.leader)
    assert client.post(f"/moderation/reports/{report.pk}/dismiss/").status_code == 302
    assert Report.objects.get(pk=report.pk).state == Report.State.DISMISSED
    assert selectors.open_report_count(world.leader) == 0


def test_the_queue_query_count_does_not_grow_with_reports(client, world):
    client.force_login(world.leader)

    def grow(n):
        for i in range(n):
            post = services.create_post(actor=world.member, community=world.plc, body=f"P{i}")
            c = services.add_comment(actor=world.user(SECRETARY), post=post, body=f"c{i}")
            services.report(actor=world.member, item=c, reason="spam")
            services.report(actor=world.user(SECRETARY), item=post, reason="off_topic")

    def measure():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/moderation/").status_code == 200
        return len(queries)

    grow(1)
    measure()
    one = measure()
    grow(8)
    assert measure() == one


def test_the_feed_query_count_with_hidden_items_does_not_grow(client, world):
    client.force_login(world.member)

    def grow(n):
        for i in range(n):
            post = services.create_post(actor=world.member, community=world.plc, body=f"P{i}")
            services.hide(actor=world.leader, item=post, reason="r")
            services.create_post(actor=world.user(SECRETARY), community=world.plc, body=f"S{i}")

    def measure():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/communities/{world.plc.pk}/feed/").status_code == 200
        return len(queries)

    grow(1)
    measure()
    one = measure()
    grow(6)
    assert measure() == one


def test_the_code_of_conduct_has_a_default_and_moderators_edit_it(client, world):
    client.force_login(world.member)
    page = client.get(f"/communities/{world.plc.pk}/conduct/").content.decode()
    assert 'id="conduct-text"' in page
    assert client.get(f"/communities/{world.plc.pk}/conduct/edit/").status_code == 403
    assert 'id="conduct"' in client.get(f"/communities/{world.plc.pk}/feed/").content.decode()
    client.force_login(world.leader)
    url = f"/communities/{world.plc.pk}/conduct/edit/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"body": "**Be kind** <script>x()</script>"})
    assert response.status_code == 302
    html, default = selectors.code_of_conduct(world.plc)
    assert not default and "<strong>Be kind</strong>" in html and "<script" not in html
    assert "Be kind" in client.get(f"/communities/{world.plc.pk}/forum/").content.decode()


# -- Flood limits --------------------------------------------------------------------------------


def test_flood_limits_refuse_with_the_time_to_wait(world, settings):
    settings.DISCUSSIONS_RATE_LIMITS = {"comment": (2, 60), "post": (1, 600)}
    post = services.create_post(actor=world.member, community=world.plc, body="P")
    with pytest.raises(ValidationError) as exc:
        services.create_post(actor=world.member, community=world.plc, body="P2")
    assert "попробуйте снова через" in str(exc.value.message_dict["body"])
    # A repeated form is answered with the post it made, not refused.
    services.add_comment(actor=world.member, post=post, body="1", token="a")
    services.add_comment(actor=world.member, post=post, body="2")
    again = services.add_comment(actor=world.member, post=post, body="1", token="a")
    assert Comment.objects.filter(post=post).count() == 2 and again.body == "1"
    with pytest.raises(ValidationError):
        services.add_comment(actor=world.member, post=post, body="3")
    services.add_comment(actor=world.leader, post=post, body="others may")
