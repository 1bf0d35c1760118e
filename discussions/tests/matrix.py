"""This app's rows of the permission matrix (core/tests/test_permission_matrix.py).

The world's PLC (internal, school A) gets a post by its member with a comment; the public network
group gets the curator's announcement. Objects are made on first use in each test (each test's
writes are rolled back).
"""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from core.tests.conftest import LEADER_OTHER, SECRETARY
from core.tests.matrix import (
    ADMIN_A,
    CENTRE,
    CREATED,
    CURATOR,
    EVERYONE,
    IN_REGION,
    LEADER,
    MEMBER,
    NO_CONTENT,
    NOT_FOUND,
    REDIRECT,
    SIGNED_IN,
    SUPERUSER,
    Endpoint,
    World,
    api,
    page,
)
from discussions import services
from discussions.models import (
    ChatMessage,
    CodeOfConduct,
    Comment,
    Mute,
    PlannedPublication,
    Poll,
    PollVoter,
    Post,
    PostAttachment,
    Reaction,
    Reply,
    Report,
    Status,
    Topic,
)

PLC_MODERATORS = [SUPERUSER, CENTRE, ADMIN_A, LEADER]  # the leader and the host's administrators
PLC_READERS = [*PLC_MODERATORS, MEMBER, SECRETARY]  # members and the host's administrators
AUTHOR = [MEMBER]
ANNOUNCERS = [SUPERUSER, CENTRE, CURATOR]  # curators and centre admins of the region
HIDDEN_POST = {r: NOT_FOUND for r in SIGNED_IN if r not in PLC_READERS}
# Whoever reads the member's post or comment, other than the member (the author).
REPORTERS = [r for r in PLC_READERS if r != MEMBER]
# Those who moderate some community of the world (its leaders and those who run its hosts).
QUEUE_OPENERS = [SUPERUSER, CENTRE, CURATOR, ADMIN_A, LEADER, LEADER_OTHER]


def plc_post(w: World) -> Post:
    post = Post.objects.filter(community=w.plc, author=w.member, title="Matrix post").first()
    if post is None:
        post = services.create_post(
            actor=w.member, community=w.plc, title="Matrix post", body="Hello **colleagues**"
        )
    return post


def plc_comment(w: World) -> Comment:
    post = plc_post(w)
    comment = post.comments.filter(author=w.member).first()
    if comment is None:
        comment = services.add_comment(actor=w.member, post=post, body="First!")
    return comment


def public_announcement(w: World) -> Post:
    post = Post.objects.filter(community=w.public_group, kind=Post.Kind.ANNOUNCEMENT).first()
    if post is None:
        post = services.create_post(
            actor=w.user(CURATOR), community=w.public_group, title="Open seminar",
            body="Everyone is welcome", kind=Post.Kind.ANNOUNCEMENT, pinned=True,
        )  # fmt: skip
    return post


def plc_topic(w: World) -> Topic:
    topic = Topic.objects.filter(community=w.plc, title="Matrix topic").first()
    if topic is None:
        topic = services.open_topic(
            actor=w.member, community=w.plc, title="Matrix topic", body="How do we assess?"
        )
    return topic


def plc_reply(w: World) -> Reply:
    """The member's reply in the matrix topic."""
    answer = Reply.objects.filter(topic=plc_topic(w), author=w.member).first()
    return answer or services.reply(actor=w.member, topic=plc_topic(w), body="With rubrics")


def plc_planned(w: World) -> PlannedPublication:
    """The leader's plan of a post by the member, not written yet."""
    planned = PlannedPublication.objects.filter(community=w.plc, title="Matrix plan").first()
    return planned or services.plan_publication(
        actor=w.leader, community=w.plc, title="Matrix plan", responsible=w.member,
        due_on=timezone.localdate() + dt.timedelta(7),
    )  # fmt: skip


def plc_attachment(w: World) -> PostAttachment:
    item = PostAttachment.objects.filter(post__community=w.plc, name="matrix.pdf").first()
    if item is None:
        pdf = ContentFile(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", name="matrix.pdf")
        post = services.create_post(
            actor=w.member, community=w.plc, title="With a file", body="See", files=[pdf]
        )
        item = post.attachments.get()
    return item


def plc_chat_line(w: World) -> ChatMessage:
    line = ChatMessage.objects.filter(community=w.plc, author=w.member).first()
    if line is None:
        line = services.send_chat_message(actor=w.member, community=w.plc, body="Hi all")
    return line


def _chat_lines(w: World) -> int:
    return ChatMessage.objects.filter(community=w.plc, status="published").count()


def plc_poll(w: World) -> Post:
    post = Post.objects.filter(community=w.plc, kind=Post.Kind.POLL).first()
    if post is None:
        post = services.create_poll(
            actor=w.member, community=w.plc, question="Which day suits?",
            options=["Monday", "Friday"],
        )  # fmt: skip
    return post


def _first_option(w: World) -> int:
    return plc_poll(w).poll.options.first().pk


def _voters(w: World) -> int:
    return PollVoter.objects.filter(poll__post=plc_poll(w)).count()


def plc_report(w: World) -> Report:
    """The secretary's open report of the member's comment."""
    comment = plc_comment(w)
    earlier = Report.objects.filter(reporter=w.user(SECRETARY), object_id=comment.pk).first()
    if earlier is not None:
        return earlier
    return services.report(actor=w.user(SECRETARY), item=comment, reason="off_topic")


def hidden_plc_comment(w: World) -> Comment:
    post = plc_post(w)
    comment = post.comments.filter(author=w.member, body="To hide").first()
    if comment is None:
        comment = services.add_comment(actor=w.member, post=post, body="To hide")
        services.hide(actor=w.leader, item=comment, reason="Off topic")
    return comment


def secretary_mute(w: World) -> Mute:
    mute = Mute.objects.filter(community=w.plc, person=w.user(SECRETARY)).first()
    if mute is None:
        mute = services.mute(
            actor=w.leader, community=w.plc, person=w.user(SECRETARY), days=1, reason="Flood"
        )
    return mute


def _posts(w: World) -> int:
    return Post.objects.filter(community=w.plc).count()


def _post_url_moderation(suffix: str):
    return lambda w: f"/moderation/post/{plc_post(w).pk}/{suffix}"


def _post_url(suffix: str = ""):
    return lambda w: f"/posts/{plc_post(w).pk}/{suffix}"


ENDPOINTS: list[Endpoint] = [
    page("discussions PLC feed", "get", lambda w: f"/communities/{w.plc.pk}/feed/", IN_REGION),
    page(
        "discussions public group feed",
        "get",
        lambda w: f"/communities/{public_announcement(w).community_id}/feed/",
        EVERYONE,
    ),
    page(
        "discussions public announcement",
        "get",
        lambda w: f"/posts/{public_announcement(w).pk}/",
        EVERYONE,
    ),
    page(
        "discussions write (form)",
        "get",
        lambda w: f"/communities/{w.plc.pk}/feed/new/",
        PLC_READERS,
    ),
    page(
        "discussions write",
        "post",
        lambda w: f"/communities/{w.plc.pk}/feed/new/",
        PLC_READERS,
        REDIRECT,
        data=lambda w: {"title": "", "body": "A new idea", "token": "matrix-1"},
        changed=_posts,
    ),
    page("discussions post", "get", _post_url(), PLC_READERS),
    page("discussions edit (form)", "get", _post_url("edit/"), AUTHOR),
    page(
        "discussions edit",
        "post",
        _post_url("edit/"),
        AUTHOR,
        REDIRECT,
        data=lambda w: {"title": "Matrix post", "body": "Changed text"},
        changed=lambda w: Post.objects.get(pk=plc_post(w).pk).body,
    ),
    page(
        "discussions delete",
        "post",
        _post_url("delete/"),
        [*PLC_MODERATORS, MEMBER],
        REDIRECT,
        changed=lambda w: Post.objects.get(pk=plc_post(w).pk).status,
    ),
    page(
        "discussions pin",
        "post",
        _post_url("pin/"),
        PLC_MODERATORS,
        REDIRECT,
        changed=lambda w: Post.objects.get(pk=plc_post(w).pk).pinned,
    ),
    page(
        "discussions comment",
        "post",
        _post_url("comments/"),
        PLC_READERS,
        REDIRECT,
        data=lambda w: {"body": "Agreed", "token": "matrix-c"},
        changed=lambda w: Comment.objects.filter(post=plc_post(w)).count(),
    ),
    page(
        "discussions react",
        "post",
        _post_url("react/"),
        PLC_READERS,
        REDIRECT,
        data=lambda w: {"kind": "idea"},
        changed=lambda w: Reaction.objects.filter(post=plc_post(w)).count(),
    ),
    page(
        "discussions delete a comment",
        "post",
        lambda w: f"/comments/{plc_comment(w).pk}/delete/",
        [*PLC_MODERATORS, MEMBER],
        REDIRECT,
        changed=lambda w: Comment.objects.get(pk=plc_comment(w).pk).status,
    ),
    page(
        "discussions new poll (form)",
        "get",
        lambda w: f"/communities/{w.plc.pk}/feed/poll/",
        PLC_READERS,
    ),
    page(
        "discussions new poll",
        "post",
        lambda w: f"/communities/{w.plc.pk}/feed/poll/",
        PLC_READERS,
        REDIRECT,
        data=lambda w: {
            "question": "Where do we meet?",
            "options": "Room 1\nRoom 2",
            "results": "after_voting",
            "token": "matrix-p",
        },
        changed=lambda w: Poll.objects.filter(post__community=w.plc).count(),
    ),
    page("discussions poll", "get", lambda w: f"/posts/{plc_poll(w).pk}/", PLC_READERS),
    page(
        "discussions vote",
        "post",
        lambda w: f"/posts/{plc_poll(w).pk}/vote/",
        PLC_READERS,
        REDIRECT,
        data=lambda w: {"options": [_first_option(w)]},
        changed=_voters,
    ),
    page(
        "discussions close a poll",
        "post",
        lambda w: f"/posts/{plc_poll(w).pk}/close-poll/",
        [*PLC_MODERATORS, MEMBER],  # the moderators and the poll's author
        REDIRECT,
        changed=lambda w: Poll.objects.get(post=plc_poll(w)).closed_at,
    ),
    page("discussions my drafts", "get", lambda w: "/posts/drafts/", SIGNED_IN),
    page("discussions announce (form)", "get", lambda w: "/posts/announce/", ANNOUNCERS),
    page(
        "discussions announce",
        "post",
        lambda w: "/posts/announce/",
        ANNOUNCERS,
        REDIRECT,
        data=lambda w: {
            "communities": [w.public_group.pk],
            "title": "Regional webinar",
            "body": "On Friday",
        },
        changed=lambda w: Post.objects.filter(title="Regional webinar").count(),
    ),
    page("discussions forum", "get", lambda w: f"/communities/{w.plc.pk}/forum/", PLC_READERS),
    page(
        "discussions open a topic (form)",
        "get",
        lambda w: f"/communities/{w.plc.pk}/forum/new/",
        PLC_READERS,
    ),
    page(
        "discussions open a topic",
        "post",
        lambda w: f"/communities/{w.plc.pk}/forum/new/",
        PLC_READERS,
        REDIRECT,
        data=lambda w: {"title": "Marks", "body": "Let us agree", "token": "matrix-t"},
        changed=lambda w: Topic.objects.filter(community=w.plc).count(),
    ),
    page("discussions topic", "get", lambda w: f"/topics/{plc_topic(w).pk}/", PLC_READERS),
    page(
        "discussions reply",
        "post",
        lambda w: f"/topics/{plc_topic(w).pk}/reply/",
        PLC_READERS,
        REDIRECT,
        data=lambda w: {"body": "Rubrics", "token": "matrix-r"},
        changed=lambda w: Reply.objects.filter(topic=plc_topic(w)).count(),
    ),
    page(
        "discussions post file",
        "get",
        lambda w: f"/posts/files/{plc_attachment(w).pk}/",
        PLC_READERS,
        # A file of a post one may not see is not admitted to exist, even to a visitor.
        overrides={r: NOT_FOUND for r in EVERYONE if r not in PLC_READERS},
    ),
    page(
        "discussions post file remove",
        "post",
        lambda w: f"/posts/files/{plc_attachment(w).pk}/remove/",
        [*PLC_MODERATORS, MEMBER],
        REDIRECT,
        changed=lambda w: PostAttachment.objects.filter(post__community=w.plc).count(),
        overrides=HIDDEN_POST,
    ),
    page("discussions chat", "get", lambda w: f"/communities/{w.plc.pk}/chat/", PLC_READERS),
    page(
        "discussions chat since",
        "get",
        lambda w: f"/communities/{w.plc.pk}/chat/since/?after={plc_chat_line(w).pk - 1}",
        PLC_READERS,
    ),
    page(
        "discussions chat write",
        "post",
        lambda w: f"/communities/{w.plc.pk}/chat/",
        PLC_READERS,
        REDIRECT,
        data=lambda w: {"body": "Good morning", "token": "matrix-chat"},
        changed=_chat_lines,
    ),
    page(
        "discussions chat delete",
        "post",
        lambda w: f"/chat/{plc_chat_line(w).pk}/delete/",
        [*PLC_MODERATORS, MEMBER],
        REDIRECT,
        changed=_chat_lines,
        overrides=HIDDEN_POST,  # those who may not read the chat are not told the line exists
    ),
    # -- The publication schedule and the register ------------------------------------------
    page(
        "discussions publication schedule",
        "get",
        lambda w: f"/communities/{w.plc.pk}/schedule/",
        PLC_READERS,
    ),
    page(
        "discussions plan a publication",
        "post",
        lambda w: f"/communities/{w.plc.pk}/schedule/",
        PLC_MODERATORS,
        REDIRECT,
        data=lambda w: {
            "title": "Seminar results",
            "responsible": w.member.pk,
            "due_on": (timezone.localdate() + dt.timedelta(7)).isoformat(),
        },
        changed=lambda w: PlannedPublication.objects.filter(community=w.plc).count(),
    ),
    page(
        "discussions remove a planned publication",
        "post",
        lambda w: f"/schedule/{plc_planned(w).pk}/remove/",
        PLC_MODERATORS,
        REDIRECT,
        changed=lambda w: PlannedPublication.objects.filter(community=w.plc).count(),
    ),
    page(
        "discussions register of publications",
        "get",
        lambda w: f"/communities/{w.plc.pk}/publications/",
        PLC_READERS,
    ),
    page(
        "discussions register of publications (XLSX)",
        "get",
        lambda w: f"/communities/{w.plc.pk}/publications.xlsx",
        PLC_READERS,
    ),
    # -- Moderation -----------------------------------------------------------------------------
    page("discussions moderation queue", "get", lambda w: "/moderation/", QUEUE_OPENERS),
    page("discussions moderation log", "get", lambda w: "/moderation/log/", SIGNED_IN),
    page(
        "discussions report a comment (form)",
        "get",
        lambda w: f"/moderation/comment/{plc_comment(w).pk}/report/",
        REPORTERS,
    ),
    page(
        "discussions report a comment",
        "post",
        lambda w: f"/moderation/comment/{plc_comment(w).pk}/report/",
        REPORTERS,
        REDIRECT,
        data=lambda w: {"reason": "spam", "text": "An advert"},
        changed=lambda w: Report.objects.filter(object_id=plc_comment(w).pk).count(),
    ),
    page(
        "discussions hide a comment",
        "post",
        lambda w: f"/moderation/comment/{plc_comment(w).pk}/hide/",
        PLC_MODERATORS,
        REDIRECT,
        data=lambda w: {"reason": "Off topic"},
        changed=lambda w: Comment.objects.get(pk=plc_comment(w).pk).status,
    ),
    page(
        "discussions restore a comment",
        "post",
        lambda w: f"/moderation/comment/{hidden_plc_comment(w).pk}/restore/",
        PLC_MODERATORS,
        REDIRECT,
        data=lambda w: {"reason": "On second thought"},
        changed=lambda w: (
            Comment.objects.get(pk=hidden_plc_comment(w).pk).status == Status.PUBLISHED
        ),
    ),
    page(
        "discussions report a chat line",
        "post",
        lambda w: f"/moderation/chat/{plc_chat_line(w).pk}/report/",
        REPORTERS,
        REDIRECT,
        data=lambda w: {"reason": "off_topic"},
        changed=lambda w: Report.objects.filter(target="chat").count(),
    ),
    page(
        "discussions hide a chat line",
        "post",
        lambda w: f"/moderation/chat/{plc_chat_line(w).pk}/hide/",
        PLC_MODERATORS,
        REDIRECT,
        data=lambda w: {"reason": "Off topic"},
        changed=lambda w: ChatMessage.objects.get(pk=plc_chat_line(w).pk).status,
    ),
    page(
        "discussions close a post for comments",
        "post",
        _post_url_moderation("lock/"),
        PLC_MODERATORS,
        REDIRECT,
        data=lambda w: {"reason": "Enough said"},
        changed=lambda w: Post.objects.get(pk=plc_post(w).pk).locked,
    ),
    page(
        "discussions dismiss a report",
        "post",
        lambda w: f"/moderation/reports/{plc_report(w).pk}/dismiss/",
        PLC_MODERATORS,
        REDIRECT,
        changed=lambda w: Report.objects.get(pk=plc_report(w).pk).state,
    ),
    page(
        "discussions code of conduct",
        "get",
        lambda w: f"/communities/{w.plc.pk}/conduct/",
        IN_REGION,
    ),
    page(
        "discussions code of conduct edit (form)",
        "get",
        lambda w: f"/communities/{w.plc.pk}/conduct/edit/",
        PLC_MODERATORS,
    ),
    page(
        "discussions code of conduct edit",
        "post",
        lambda w: f"/communities/{w.plc.pk}/conduct/edit/",
        PLC_MODERATORS,
        REDIRECT,
        data=lambda w: {"body": "Be kind."},
        changed=lambda w: CodeOfConduct.objects.filter(community=w.plc).count(),
    ),
    page(
        "discussions muted members",
        "get",
        lambda w: f"/communities/{w.plc.pk}/mutes/",
        PLC_MODERATORS,
    ),
    page(
        "discussions mute a member",
        "post",
        lambda w: f"/communities/{w.plc.pk}/mutes/",
        PLC_MODERATORS,
        REDIRECT,
        data=lambda w: {"person": w.member.pk, "days": 3, "reason": "Flooding"},
        changed=lambda w: Mute.objects.filter(community=w.plc, person=w.member).count(),
    ),
    page(
        "discussions unmute a member",
        "post",
        lambda w: f"/mutes/{secretary_mute(w).pk}/lift/",
        PLC_MODERATORS,
        REDIRECT,
        data=lambda w: {"reason": "Calmer now"},
        changed=lambda w: Mute.objects.get(pk=secretary_mute(w).pk).lifted_at is not None,
    ),
    # -- API ------------------------------------------------------------------------------------
    api(
        "discussions post list",
        "get",
        lambda w: f"/posts/?community={plc_post(w).community_id}",
        SIGNED_IN,
    ),
    api(
        "discussions post",
        "get",
        lambda w: f"/posts/{plc_post(w).pk}/",
        PLC_READERS,
        overrides=HIDDEN_POST,
    ),
    api(
        "discussions post create",
        "post",
        lambda w: "/posts/",
        PLC_READERS,
        CREATED,
        data=lambda w: {"community": w.plc.pk, "body": "By API"},
        changed=_posts,
    ),
    api(
        "discussions post update",
        "patch",
        lambda w: f"/posts/{plc_post(w).pk}/",
        AUTHOR,
        data=lambda w: {"body": "Edited by API"},
        changed=lambda w: Post.objects.get(pk=plc_post(w).pk).body,
        overrides=HIDDEN_POST,
    ),
    api(
        "discussions vote",
        "post",
        lambda w: f"/posts/{plc_poll(w).pk}/vote/",
        PLC_READERS,
        data=lambda w: {"options": [_first_option(w)]},
        changed=_voters,
        overrides=HIDDEN_POST,
    ),
    api(
        "discussions comments",
        "get",
        lambda w: f"/posts/{plc_post(w).pk}/comments/",
        PLC_READERS,
        overrides=HIDDEN_POST,
    ),
    api(
        "discussions comment create",
        "post",
        lambda w: f"/posts/{plc_post(w).pk}/comments/",
        PLC_READERS,
        CREATED,
        data=lambda w: {"body": "Via API"},
        changed=lambda w: Comment.objects.filter(post=plc_post(w)).count(),
        overrides=HIDDEN_POST,
    ),
    api(
        "discussions chat",
        "get",
        lambda w: f"/communities/{plc_chat_line(w).community_id}/chat/",
        PLC_READERS,
    ),
    api(
        "discussions chat write",
        "post",
        lambda w: f"/communities/{w.plc.pk}/chat/",
        PLC_READERS,
        CREATED,
        data=lambda w: {"body": "Via API"},
        changed=_chat_lines,
    ),
]

ENDPOINTS += [
    api(
        "discussions report a post",
        "post",
        lambda w: f"/posts/{plc_post(w).pk}/report/",
        REPORTERS,
        CREATED,
        data=lambda w: {"reason": "off_topic"},
        changed=lambda w: Report.objects.filter(object_id=plc_post(w).pk, target="post").count(),
        overrides=HIDDEN_POST,
    ),
    api(
        "discussions report a comment",
        "post",
        lambda w: f"/comments/{plc_comment(w).pk}/report/",
        REPORTERS,
        CREATED,
        data=lambda w: {"reason": "spam"},
        changed=lambda w: Report.objects.filter(object_id=plc_comment(w).pk).count(),
        overrides=HIDDEN_POST,
    ),
    api("discussions topics", "get", lambda w: "/topics/", SIGNED_IN),
    api(
        "discussions a forum's topics",
        "get",
        lambda w: f"/topics/?community={w.plc.pk}",
        PLC_READERS,
    ),
    api(
        "discussions open a topic",
        "post",
        lambda w: "/topics/",
        PLC_READERS,
        CREATED,
        data=lambda w: {"community": w.plc.pk, "title": "Marks", "body": "Let us agree"},
        changed=lambda w: Topic.objects.filter(community=w.plc).count(),
    ),
    api(
        "discussions topic",
        "get",
        lambda w: f"/topics/{plc_topic(w).pk}/",
        PLC_READERS,
        overrides=HIDDEN_POST,
    ),
    api(
        "discussions replies",
        "get",
        lambda w: f"/topics/{plc_topic(w).pk}/replies/",
        PLC_READERS,
        overrides=HIDDEN_POST,
    ),
    api(
        "discussions reply",
        "post",
        lambda w: f"/topics/{plc_topic(w).pk}/replies/",
        PLC_READERS,
        CREATED,
        data=lambda w: {"body": "Via API"},
        changed=lambda w: Reply.objects.filter(topic=plc_topic(w)).count(),
        overrides=HIDDEN_POST,
    ),
    api(
        "discussions report a topic",
        "post",
        lambda w: f"/topics/{plc_topic(w).pk}/report/",
        REPORTERS,
        CREATED,
        data=lambda w: {"reason": "off_topic"},
        changed=lambda w: Report.objects.filter(target="topic").count(),
        overrides=HIDDEN_POST,
    ),
    api(
        "discussions report a reply",
        "post",
        lambda w: f"/replies/{plc_reply(w).pk}/report/",
        REPORTERS,
        CREATED,
        data=lambda w: {"reason": "spam"},
        changed=lambda w: Report.objects.filter(target="reply").count(),
        overrides=HIDDEN_POST,
    ),
    api(
        "discussions publication schedule",
        "get",
        lambda w: f"/schedule/?community={w.plc.pk}",
        PLC_READERS,
    ),
    api(
        "discussions plan a publication",
        "post",
        lambda w: "/schedule/",
        PLC_MODERATORS,
        CREATED,
        data=lambda w: {
            "community": w.plc.pk,
            "title": "Seminar results",
            "responsible": w.member.pk,
            "due_on": (timezone.localdate() + dt.timedelta(7)).isoformat(),
        },
        changed=lambda w: PlannedPublication.objects.filter(community=w.plc).count(),
    ),
    api(
        "discussions remove a planned publication",
        "delete",
        lambda w: f"/schedule/{plc_planned(w).pk}/",
        PLC_MODERATORS,
        NO_CONTENT,
        changed=lambda w: PlannedPublication.objects.filter(community=w.plc).count(),
        overrides=HIDDEN_POST,
    ),
    api(
        "discussions report a chat line",
        "post",
        lambda w: f"/chat/{plc_chat_line(w).pk}/report/",
        REPORTERS,
        CREATED,
        data=lambda w: {"reason": "spam"},
        changed=lambda w: Report.objects.filter(target="chat").count(),
        overrides=HIDDEN_POST,
    ),
]
