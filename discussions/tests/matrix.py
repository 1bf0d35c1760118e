"""This app's rows of the permission matrix (core/tests/test_permission_matrix.py).

The world's PLC (internal, school A) gets a post by its member with a comment; the public network
group gets the curator's announcement. Objects are made on first use in each test (each test's
writes are rolled back).
"""

from __future__ import annotations

from django.core.files.base import ContentFile

from core.tests.conftest import SECRETARY
from core.tests.matrix import (
    ADMIN_A,
    CENTRE,
    CREATED,
    CURATOR,
    EVERYONE,
    IN_REGION,
    LEADER,
    MEMBER,
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
    Comment,
    Poll,
    PollVoter,
    Post,
    PostAttachment,
    Reaction,
    Reply,
    Topic,
)

PLC_MODERATORS = [SUPERUSER, CENTRE, ADMIN_A, LEADER]  # the leader and the host's administrators
PLC_READERS = [*PLC_MODERATORS, MEMBER, SECRETARY]  # members and the host's administrators
AUTHOR = [MEMBER]
ANNOUNCERS = [SUPERUSER, CENTRE, CURATOR]  # curators and centre admins of the region
HIDDEN_POST = {r: NOT_FOUND for r in SIGNED_IN if r not in PLC_READERS}


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


def _posts(w: World) -> int:
    return Post.objects.filter(community=w.plc).count()


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
