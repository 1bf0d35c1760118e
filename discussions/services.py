"""Writes of the discussions app: each takes the acting person, asks the policy and runs in one
transaction. Signals for notices are sent once the transaction commits."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Community
from core.actions import announce as announce_on_commit
from core.uploads import check_uploads, discard_files_on_commit
from people.models import Person

from . import markup, permissions, signals
from .models import (
    Announcement,
    ChatMessage,
    Comment,
    Poll,
    PollChoice,
    PollOption,
    PollVoter,
    Post,
    PostAttachment,
    PostRevision,
    Reaction,
    ReadMark,
    Reply,
    Status,
    Topic,
)

TITLE_MAX = 200
BODY_MAX = 20000
COMMENT_MAX = 5000
CHAT_MAX = 2000
ATTACHMENTS_MAX = 10  # files and images of one post
QUESTION_MAX = 300
OPTION_MAX = 200
OPTIONS_MIN, OPTIONS_MAX = 2, 10


def _clean_body(body: str, limit: int, field: str = "body") -> str:
    text = markup.clean_text(body or "")
    if not text:
        raise ValidationError({field: _("Write some text.")})
    if len(text) > limit:
        raise ValidationError(
            {field: _("The text is too long (at most %(n)d characters).") % {"n": limit}}
        )
    return text


def _clean_title(title: str) -> str:
    title = " ".join(markup.clean_text(title or "").split())
    if len(title) > TITLE_MAX:
        raise ValidationError(
            {"title": _("The title is too long (at most %(n)d characters).") % {"n": TITLE_MAX}}
        )
    return title


def _mention_candidates(text: str, exclude: int | None) -> list[Person]:
    logins = markup.mentioned_logins(text)
    if not logins:
        return []
    people = Person.objects.filter(username__in=logins, is_active=True).exclude(pk=exclude)
    return list(people)


def _mentions_of_post(post: Post, previous: str = "") -> list[Person]:
    """People newly written as @login in the post who may read it."""
    known = markup.mentioned_logins(previous)
    fresh = [p for p in _mention_candidates(post.body, post.author_id) if p.username not in known]
    return [p for p in fresh if permissions.can_view_post(p, post)]


def _after_commit_mentions(post: Post | None, comment: Comment | None, people, actor) -> None:
    if people:
        transaction.on_commit(
            lambda: signals.mentioned.send(
                sender=Post, post=post, comment=comment, people=people, actor=actor
            )
        )


def _after_commit_announced(posts: list[Post], actor) -> None:
    transaction.on_commit(lambda: signals.announced.send(sender=Post, posts=posts, actor=actor))


def create_post(
    *,
    actor: Person,
    community: Community,
    body: str,
    title: str = "",
    kind: str = Post.Kind.POST,
    pinned: bool = False,
    draft: bool = False,
    token: str = "",
    files=(),
) -> Post:
    """Write a post (or a draft) in the community's feed, with its files and images. A second
    call with the same form `token` returns the post the first one made."""
    if kind not in Post.Kind.values or kind == Post.Kind.POLL:
        # A poll needs its options: it is made by `create_poll`.
        raise ValidationError({"kind": _("Choose a kind of post.")})
    if not permissions.can_post(actor, community):
        raise PermissionDenied
    if (kind == Post.Kind.ANNOUNCEMENT or pinned) and not permissions.can_announce(
        actor, community
    ):
        raise PermissionDenied
    token = (token or "")[:40]
    if token:
        earlier = Post.objects.filter(author=actor, community=community, token=token).first()
        if earlier is not None:
            return earlier
    body = _clean_body(body, BODY_MAX)
    title = _clean_title(title)
    files = check_uploads(files, limit=ATTACHMENTS_MAX)
    now = timezone.now()
    post = Post(
        community=community, author=actor, kind=kind, title=title, body=body,
        body_html=markup.render(body), pinned=pinned, token=token,
        status=Status.DRAFT if draft else Status.PUBLISHED, published_at=None if draft else now,
    )  # fmt: skip
    with transaction.atomic():
        try:
            with transaction.atomic():
                post.save()
        except IntegrityError:
            # The same form sent twice at once: the other request made it.
            return Post.objects.get(author=actor, community=community, token=token)
        _attach(post, files)
        if not draft:
            _published(post, actor)
    return post


def _attach(post: Post, checked: list) -> None:
    for file, kind in checked:
        PostAttachment.objects.create(
            post=post, file=file, kind=kind, size=getattr(file, "size", 0) or 0,
            name=(getattr(file, "name", "") or "")[-255:],
        )  # fmt: skip


def _contributed(community_id: int, what: str, actor: Person) -> None:
    announce_on_commit(signals.contributed, Post, community_id=community_id, what=what, actor=actor)


def _published(post: Post, actor: Person) -> None:
    _contributed(post.community_id, "post", actor)
    _after_commit_mentions(post, None, _mentions_of_post(post), actor)
    if post.is_announcement:
        _after_commit_announced([post], actor)


@transaction.atomic
def update_post(
    *,
    actor: Person,
    post: Post,
    body: str,
    title: str = "",
    publish: bool = False,
    files=(),
) -> Post:
    """Change the text (the previous text is kept as a revision) and add files; `publish`
    publishes a draft. The post's files stay unless removed one by one."""
    post = Post.objects.select_for_update(of=("self",)).select_related("community").get(pk=post.pk)
    if not permissions.can_edit(actor, post):
        raise PermissionDenied
    body = _clean_body(body, BODY_MAX)
    title = _clean_title(title)
    files = check_uploads(files, limit=ATTACHMENTS_MAX - post.attachments.count())
    previous = post.body
    was_draft = post.status == Status.DRAFT
    if not was_draft and (body != post.body or title != post.title):
        PostRevision.objects.create(post=post, title=post.title, body=post.body, edited_by=actor)
        post.edited_at = timezone.now()
    post.title, post.body, post.body_html = title, body, markup.render(body)
    if was_draft and publish:
        post.status = Status.PUBLISHED
        post.published_at = timezone.now()
    post.save()
    _attach(post, files)
    if post.status == Status.PUBLISHED:
        if was_draft:
            _published(post, actor)
        else:
            _after_commit_mentions(post, None, _mentions_of_post(post, previous), actor)
    return post


@transaction.atomic
def delete_post(*, actor: Person, post: Post) -> Post:
    """Soft delete: the row stays (with its comments) but nobody sees it in the feed."""
    post = Post.objects.select_for_update(of=("self",)).select_related("community").get(pk=post.pk)
    if not permissions.can_delete(actor, post):
        raise PermissionDenied
    post.status = Status.DELETED
    post.deleted_at = timezone.now()
    post.deleted_by = actor
    post.pinned = False
    post.save(update_fields=["status", "deleted_at", "deleted_by", "pinned"])
    return post


@transaction.atomic
def set_pinned(*, actor: Person, post: Post, pinned: bool) -> Post:
    post = Post.objects.select_for_update(of=("self",)).select_related("community").get(pk=post.pk)
    if not permissions.can_pin(actor, post):
        raise PermissionDenied
    post.pinned = pinned
    post.save(update_fields=["pinned"])
    return post


def add_comment(*, actor: Person, post: Post, body: str, token: str = "") -> Comment:
    if not permissions.can_comment(actor, post):
        raise PermissionDenied
    token = (token or "")[:40]
    if token:
        earlier = Comment.objects.filter(author=actor, post=post, token=token).first()
        if earlier is not None:
            return earlier
    body = _clean_body(body, COMMENT_MAX)
    with transaction.atomic():
        try:
            with transaction.atomic():
                comment = Comment.objects.create(
                    post=post, author=actor, body=body, body_html=markup.render(body), token=token
                )
        except IntegrityError:
            return Comment.objects.get(author=actor, post=post, token=token)
        Post.objects.filter(pk=post.pk).update(comment_count=F("comment_count") + 1)
        _contributed(post.community_id, "comment", actor)
        people = [
            p
            for p in _mention_candidates(body, actor.pk)
            if permissions.can_view_post(p, post) and permissions.can_read_feed(p, post.community)
        ]
        _after_commit_mentions(post, comment, people, actor)
    return comment


@transaction.atomic
def delete_comment(*, actor: Person, comment: Comment) -> Comment:
    comment = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("post__community")
        .get(pk=comment.pk)
    )
    if not permissions.can_delete_comment(actor, comment):
        raise PermissionDenied
    comment.status = Status.DELETED
    comment.save(update_fields=["status"])
    Post.objects.filter(pk=comment.post_id, comment_count__gt=0).update(
        comment_count=F("comment_count") - 1
    )
    return comment


def toggle_reaction(*, actor: Person, post: Post, kind: str) -> bool:
    """Add the person's reaction of this kind, or take it back. True when it is there now."""
    if kind not in Reaction.Kind.values:
        raise ValidationError({"kind": _("Choose a reaction.")})
    if not permissions.can_react(actor, post):
        raise PermissionDenied
    with transaction.atomic():
        deleted, _rows = Reaction.objects.filter(post=post, person=actor, kind=kind).delete()
        if deleted:
            return False
        try:
            with transaction.atomic():
                Reaction.objects.create(post=post, person=actor, kind=kind)
        except IntegrityError:
            pass  # a double click: the first one added it
        else:
            _contributed(post.community_id, "reaction", actor)
    return True


def mark_read(*, person: Person, community: Community, at=None) -> None:
    """The person opened the feed: posts published until now are no longer new for them."""
    if not (person and person.is_authenticated):
        return
    ReadMark.objects.update_or_create(
        person=person, community=community, defaults={"seen_at": at or timezone.now()}
    )


@transaction.atomic
def announce(
    *,
    actor: Person,
    communities: Iterable[Community],
    title: str,
    body: str,
    pinned: bool = False,
    token: str = "",
) -> Announcement:
    """One announcement to several communities at once (003 app. 2 §4.2.2): a post in each
    target's feed; members of several targets are told once. A second call with the same form
    `token` returns the announcement the first one made (and tells nobody again)."""
    token = (token or "")[:40]
    if token:
        earlier = Announcement.objects.filter(author=actor, token=token).first()
        if earlier is not None:
            return earlier
    targets = list({c.pk: c for c in communities}.values())
    if not targets:
        raise ValidationError({"communities": _("Choose at least one community.")})
    allowed = set(permissions.announcement_targets(actor).values_list("pk", flat=True))
    if any(c.pk not in allowed for c in targets):
        raise PermissionDenied
    title = _clean_title(title)
    if not title:
        raise ValidationError({"title": _("Give the announcement a title.")})
    body = _clean_body(body, BODY_MAX)
    html = markup.render(body)
    now = timezone.now()
    try:
        with transaction.atomic():
            announcement = Announcement.objects.create(author=actor, title=title, token=token)
    except IntegrityError:
        # The same form sent twice at once: the other request published it.
        return Announcement.objects.get(author=actor, token=token)
    posts = Post.objects.bulk_create(
        [
            Post(
                community=c,
                author=actor,
                announcement=announcement,
                kind=Post.Kind.ANNOUNCEMENT,
                title=title,
                body=body,
                body_html=html,
                pinned=pinned,
                status=Status.PUBLISHED,
                published_at=now,
            )  # fmt: skip
            for c in sorted(targets, key=lambda c: c.pk)
        ]
    )
    _after_commit_announced(posts, actor)
    return announcement


def open_topic(
    *, actor: Person, community: Community, title: str, body: str, token: str = ""
) -> Topic:
    """Open a forum topic; a second call with the same form `token` returns the first topic."""
    if not permissions.can_post(actor, community):
        raise PermissionDenied
    token = (token or "")[:40]
    if token:
        earlier = Topic.objects.filter(author=actor, community=community, token=token).first()
        if earlier is not None:
            return earlier
    title = _clean_title(title)
    if not title:
        raise ValidationError({"title": _("Give the topic a title.")})
    body = _clean_body(body, BODY_MAX)
    with transaction.atomic():
        try:
            with transaction.atomic():
                topic = Topic.objects.create(
                    community=community, author=actor, title=title, body=body,
                    body_html=markup.render(body), token=token, last_reply_at=timezone.now(),
                )  # fmt: skip
        except IntegrityError:
            return Topic.objects.get(author=actor, community=community, token=token)
        _contributed(community.pk, "topic", actor)
    return topic


def reply(
    *, actor: Person, topic: Topic, body: str, quote: Reply | None = None, token: str = ""
) -> Reply:
    """Reply in a topic, quoting an earlier reply of the same topic if given."""
    if not permissions.can_reply(actor, topic):
        raise PermissionDenied
    if quote is not None and (quote.topic_id != topic.pk or quote.status != Status.PUBLISHED):
        raise ValidationError({"quote": _("Quote a reply of this topic.")})
    token = (token or "")[:40]
    if token:
        earlier = Reply.objects.filter(author=actor, topic=topic, token=token).first()
        if earlier is not None:
            return earlier
    body = _clean_body(body, COMMENT_MAX)
    with transaction.atomic():
        try:
            with transaction.atomic():
                answer = Reply.objects.create(
                    topic=topic, author=actor, quote=quote, body=body,
                    body_html=markup.render(body), token=token,
                )  # fmt: skip
        except IntegrityError:
            return Reply.objects.get(author=actor, topic=topic, token=token)
        Topic.objects.filter(pk=topic.pk).update(
            reply_count=F("reply_count") + 1, last_reply_at=answer.created_at
        )
        _contributed(topic.community_id, "reply", actor)
        people = [
            p
            for p in _mention_candidates(body, actor.pk)
            if permissions.can_read_feed(p, topic.community)
        ]
        if people:
            transaction.on_commit(
                lambda: signals.mentioned_in_topic.send(
                    sender=Topic, topic=topic, reply=answer, people=people, actor=actor
                )
            )
    return answer


def send_chat_message(
    *, actor: Person, community: Community, body: str, token: str = ""
) -> ChatMessage:
    """Write a line in the community's chat. A second call with the same form `token` returns the
    line the first one made (a double Enter, a resent request)."""
    if not permissions.can_chat(actor, community):
        raise PermissionDenied
    token = (token or "")[:40]
    if token:
        earlier = ChatMessage.objects.filter(author=actor, community=community, token=token).first()
        if earlier is not None:
            return earlier
    body = _clean_body(body, CHAT_MAX)
    with transaction.atomic():
        try:
            with transaction.atomic():
                message = ChatMessage.objects.create(
                    community=community, author=actor, body=body,
                    body_html=markup.render(body), token=token,
                )  # fmt: skip
        except IntegrityError:
            return ChatMessage.objects.get(author=actor, community=community, token=token)
        _contributed(community.pk, "chat", actor)
    return message


@transaction.atomic
def delete_chat_message(*, actor: Person, message: ChatMessage) -> ChatMessage:
    message = (
        ChatMessage.objects.select_for_update(of=("self",))
        .select_related("community")
        .get(pk=message.pk)
    )
    if not permissions.can_delete_chat_message(actor, message):
        raise PermissionDenied
    message.status = Status.DELETED
    message.save(update_fields=["status"])
    return message


@transaction.atomic
def remove_attachment(*, actor: Person, attachment: PostAttachment) -> None:
    """Take a file off a post (those who may edit it, or delete it); the stored bytes go once
    the removal has committed."""
    post = (
        Post.objects.select_for_update(of=("self",))
        .select_related("community")
        .get(pk=attachment.post_id)
    )
    if not (permissions.can_edit(actor, post) or permissions.can_delete(actor, post)):
        raise PermissionDenied
    attachment.delete()
    discard_files_on_commit([attachment.file])


# -- Polls --------------------------------------------------------------------------------------


def _clean_line(text: str) -> str:
    return " ".join(markup.clean_text(text or "").split())


def _clean_options(options: Iterable[str]) -> list[str]:
    cleaned: list[str] = []
    seen: set[str] = set()
    for raw in options:
        text = _clean_line(raw)
        if not text:
            raise ValidationError({"options": _("An option cannot be empty.")})
        if len(text) > OPTION_MAX:
            raise ValidationError(
                {
                    "options": _("An option is too long (at most %(n)d characters).")
                    % {"n": OPTION_MAX}
                }
            )
        if text.casefold() in seen:
            raise ValidationError(
                {"options": _("The option «%(option)s» is given twice.") % {"option": text}}
            )
        seen.add(text.casefold())
        cleaned.append(text)
    if not OPTIONS_MIN <= len(cleaned) <= OPTIONS_MAX:
        raise ValidationError(
            {
                "options": _("Give from %(min)d to %(max)d options.")
                % {"min": OPTIONS_MIN, "max": OPTIONS_MAX}
            }
        )
    return cleaned


def create_poll(
    *,
    actor: Person,
    community: Community,
    question: str,
    options: Iterable[str],
    multiple: bool = False,
    anonymous: bool = False,
    results: str = Poll.Results.AFTER_VOTING,
    closes_at=None,
    token: str = "",
) -> Post:
    """Publish a poll in the community's feed: a post of kind POLL whose text is the question.
    A second call with the same form `token` returns the post the first one made."""
    if not permissions.can_create_poll(actor, community):
        raise PermissionDenied
    token = (token or "")[:40]
    if token:
        earlier = Post.objects.filter(author=actor, community=community, token=token).first()
        if earlier is not None:
            return earlier
    question = _clean_line(question)
    if not question:
        raise ValidationError({"question": _("Write the question.")})
    if len(question) > QUESTION_MAX:
        raise ValidationError(
            {
                "question": _("The question is too long (at most %(n)d characters).")
                % {"n": QUESTION_MAX}
            }
        )
    texts = _clean_options(options)
    if results not in Poll.Results.values:
        raise ValidationError({"results": _("Choose when the results are shown.")})
    now = timezone.now()
    if closes_at is not None and closes_at <= now:
        raise ValidationError({"closes_at": _("The closing time must be in the future.")})
    post = Post(
        community=community, author=actor, kind=Post.Kind.POLL, body=question,
        body_html=markup.render(question), token=token, status=Status.PUBLISHED, published_at=now,
    )  # fmt: skip
    with transaction.atomic():
        try:
            with transaction.atomic():
                post.save()
        except IntegrityError:
            return Post.objects.get(author=actor, community=community, token=token)
        poll = Poll.objects.create(
            post=post, question=question, multiple=multiple, anonymous=anonymous,
            results=results, closes_at=closes_at,
        )  # fmt: skip
        PollOption.objects.bulk_create(
            [PollOption(poll=poll, text=text, position=n) for n, text in enumerate(texts)]
        )
        _published(post, actor)
    return post


def vote(*, actor: Person, post: Post, option_ids: Iterable[int]) -> PollVoter:
    """The person's ballot: one option, or at least one of a multiple-choice poll. A named
    poll's vote may be changed until it closes; an anonymous one is final (see `Poll`)."""
    if not permissions.can_vote(actor, post):
        raise PermissionDenied
    ids = set(option_ids)
    if not ids:
        raise ValidationError({"options": _("Choose an option.")})
    with transaction.atomic():
        # The poll's row is locked: its votes are counted one after another, and a poll being
        # closed takes no vote after.
        poll = Poll.objects.select_for_update().get(post_id=post.pk)
        if poll.closed():
            raise ValidationError({"options": _("The poll is closed; it takes no more votes.")})
        if poll.options.filter(pk__in=ids).count() != len(ids):
            raise ValidationError({"options": _("Choose among this poll's options.")})
        if not poll.multiple and len(ids) != 1:
            raise ValidationError({"options": _("Choose one option.")})
        voter = PollVoter.objects.filter(poll=poll, person=actor).first()
        first = voter is None
        if first:
            try:
                with transaction.atomic():
                    voter = PollVoter.objects.create(poll=poll, person=actor)
            except IntegrityError:
                # Another request of the same person voted first.
                voter = PollVoter.objects.get(poll=poll, person=actor)
                first = False
        if not first:
            if poll.anonymous:
                raise ValidationError(
                    {"options": _("You have already voted; an anonymous vote cannot be changed.")}
                )
            before = set(voter.choices.values_list("option_id", flat=True))
            if before == ids:
                return voter
            PollOption.objects.filter(pk__in=before).update(votes=F("votes") - 1)
            voter.choices.all().delete()
            voter.save(update_fields=["voted_at"])
        else:
            Poll.objects.filter(pk=poll.pk).update(voter_count=F("voter_count") + 1)
        PollOption.objects.filter(pk__in=ids).update(votes=F("votes") + 1)
        if not poll.anonymous:
            PollChoice.objects.bulk_create([PollChoice(voter=voter, option_id=i) for i in ids])
        if first:
            announce_on_commit(
                signals.poll_answered, Poll, community_id=post.community_id, poll=poll,
                actor=actor,
            )  # fmt: skip
    return voter


@transaction.atomic
def close_poll(*, actor: Person, post: Post) -> Poll:
    """Close the poll before its time; closing a closed poll changes nothing."""
    if not permissions.can_close_poll(actor, post):
        raise PermissionDenied
    poll = Poll.objects.select_for_update().get(post_id=post.pk)
    if not poll.closed():
        poll.closed_at = timezone.now()
        poll.closed_by = actor
        poll.save(update_fields=["closed_at", "closed_by"])
    return poll
