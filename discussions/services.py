"""Writes of the discussions app: each takes the acting person, asks the policy and runs in one
transaction. Signals for notices are sent once the transaction commits."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from communities.models import Community
from core.actions import announce as announce_on_commit
from core.uploads import check_uploads, discard_files_on_commit
from people.models import Person

from . import markup, permissions, signals
from .models import (
    TARGET_MODELS,
    Announcement,
    ChatMessage,
    CodeOfConduct,
    Comment,
    ModerationAction,
    Mute,
    PlannedPublication,
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
    Report,
    Status,
    Topic,
    community_of,
)

TITLE_MAX = 200
BODY_MAX = 20000
COMMENT_MAX = 5000
CHAT_MAX = 2000
ATTACHMENTS_MAX = 10  # files and images of one post
QUESTION_MAX = 300
OPTION_MAX = 200
OPTIONS_MIN, OPTIONS_MAX = 2, 10
REASON_MAX = 300

M = TypeVar("M")


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


def _once(model, token: str, lookup: dict, build: Callable[[], M]) -> tuple[M, bool]:
    """Save what `build` makes unless the same form (`token`) was sent before: a second submit,
    or two at once, returns the row the first made (False: not made now). `build` cleans the
    input, so a repeated submit is answered even when it would now be refused as too fast."""
    if token:
        earlier = model.objects.filter(token=token, **lookup).first()
        if earlier is not None:
            return earlier, False
    row = build()
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        if not token:
            raise
        # The same form sent twice at once: the other request made it.
        return model.objects.get(token=token, **lookup), False
    return row, True


def _check_rate(actor: Person, what: str) -> None:
    """Refuse a flood (settings.DISCUSSIONS_RATE_LIMITS): at most N rows of this kind by the
    person within the window, counted from the rows themselves (no cache to fall out of step)."""
    limit = (getattr(settings, "DISCUSSIONS_RATE_LIMITS", None) or {}).get(what)
    if not limit:
        return
    most, seconds = limit
    model = {
        "post": Post, "comment": Comment, "topic": Topic, "reply": Reply, "chat": ChatMessage
    }[what]  # fmt: skip
    since = timezone.now() - dt.timedelta(seconds=seconds)
    recent = list(
        model.objects.filter(author_id=actor.pk, created_at__gte=since)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:most]
    )
    if len(recent) < most:
        return
    wait = max(1, math.ceil((recent[-1] - since).total_seconds()))
    raise ValidationError(
        {
            "body": ngettext(
                "You are posting too fast, try again in %(n)d second.",
                "You are posting too fast, try again in %(n)d seconds.",
                wait,
            )
            % {"n": wait}
        }
    )


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
    planned: PlannedPublication | None = None,
) -> Post:
    """Write a post (or a draft) in the community's feed, with its files and images; with
    `planned`, the post fulfils that line of the publication schedule. A second call with the
    same form `token` returns the post the first one made."""
    if kind not in Post.Kind.values or kind == Post.Kind.POLL:
        # A poll needs its options: it is made by `create_poll`.
        raise ValidationError({"kind": _("Choose a kind of post.")})
    if not permissions.can_post(actor, community):
        raise PermissionDenied
    if planned is not None and not (
        planned.community_id == community.pk and permissions.can_fulfil(actor, planned, community)
    ):
        raise ValidationError({"planned": _("This publication is not yours to write.")})
    if (kind == Post.Kind.ANNOUNCEMENT or pinned) and not permissions.can_announce(
        actor, community
    ):
        raise PermissionDenied
    token = (token or "")[:40]
    # Checked before the double-submit guard: a repeated form carries the same files, which
    # passed the first time.
    checked = check_uploads(files, limit=ATTACHMENTS_MAX)

    def build() -> Post:
        text = _clean_body(body, BODY_MAX)
        clean_title = _clean_title(title)
        _check_rate(actor, "post")
        now = timezone.now()
        return Post(
            community=community, author=actor, kind=kind, title=clean_title, body=text,
            body_html=markup.render(text), pinned=pinned, token=token,
            status=Status.DRAFT if draft else Status.PUBLISHED, published_at=None if draft else now,
        )  # fmt: skip

    with transaction.atomic():
        post, created = _once(Post, token, {"author": actor, "community": community}, build)
        if created:
            _attach(post, checked)
        if created and planned is not None:
            # Two posts written from one line at once: the second is refused and not made.
            taken = PlannedPublication.objects.filter(pk=planned.pk, post__isnull=True)
            if not taken.update(post=post):
                raise ValidationError({"planned": _("This publication is written already.")})
        if created and not draft:
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
    files = [f for f in (files or []) if f]
    present = post.attachments.count()
    if present + len(files) > ATTACHMENTS_MAX:
        raise ValidationError(
            {
                "files": ngettext(
                    "A post may have at most %(most)d file in total; it has %(n)d.",
                    "A post may have at most %(most)d files in total; it has %(n)d.",
                    ATTACHMENTS_MAX,
                )
                % {"most": ATTACHMENTS_MAX, "n": present}
            }
        )
    files = check_uploads(files, limit=ATTACHMENTS_MAX - present)
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

    def build() -> Comment:
        text = _clean_body(body, COMMENT_MAX)
        _check_rate(actor, "comment")
        return Comment(
            post=post, author=actor, body=text, body_html=markup.render(text), token=token
        )

    with transaction.atomic():
        comment, created = _once(Comment, token, {"author": actor, "post": post}, build)
        if not created:
            return comment
        Post.objects.filter(pk=post.pk).update(comment_count=F("comment_count") + 1)
        _contributed(post.community_id, "comment", actor)
        people = [
            p
            for p in _mention_candidates(comment.body, actor.pk)
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

    def build() -> Topic:
        clean_title = _clean_title(title)
        if not clean_title:
            raise ValidationError({"title": _("Give the topic a title.")})
        text = _clean_body(body, BODY_MAX)
        _check_rate(actor, "topic")
        return Topic(
            community=community, author=actor, title=clean_title, body=text,
            body_html=markup.render(text), token=token, last_reply_at=timezone.now(),
        )  # fmt: skip

    with transaction.atomic():
        topic, created = _once(Topic, token, {"author": actor, "community": community}, build)
        if created:
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

    def build() -> Reply:
        text = _clean_body(body, COMMENT_MAX)
        _check_rate(actor, "reply")
        return Reply(
            topic=topic, author=actor, quote=quote, body=text, body_html=markup.render(text),
            token=token,
        )  # fmt: skip

    with transaction.atomic():
        answer, created = _once(Reply, token, {"author": actor, "topic": topic}, build)
        if not created:
            return answer
        Topic.objects.filter(pk=topic.pk).update(
            reply_count=F("reply_count") + 1, last_reply_at=answer.created_at
        )
        _contributed(topic.community_id, "reply", actor)
        people = [
            p
            for p in _mention_candidates(answer.body, actor.pk)
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

    def build() -> ChatMessage:
        text = _clean_body(body, CHAT_MAX)
        _check_rate(actor, "chat")
        return ChatMessage(
            community=community, author=actor, body=text, body_html=markup.render(text),
            token=token,
        )  # fmt: skip

    with transaction.atomic():
        message, created = _once(
            ChatMessage, token, {"author": actor, "community": community}, build
        )
        if created:
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
    texts: list[str] = []

    def build() -> Post:
        clean = _clean_line(question)
        if not clean:
            raise ValidationError({"question": _("Write the question.")})
        if len(clean) > QUESTION_MAX:
            raise ValidationError(
                {
                    "question": _("The question is too long (at most %(n)d characters).")
                    % {"n": QUESTION_MAX}
                }
            )
        texts.extend(_clean_options(options))
        if results not in Poll.Results.values:
            raise ValidationError({"results": _("Choose when the results are shown.")})
        now = timezone.now()
        if closes_at is not None and closes_at <= now:
            raise ValidationError({"closes_at": _("The closing time must be in the future.")})
        _check_rate(actor, "post")
        return Post(
            community=community, author=actor, kind=Post.Kind.POLL, body=clean,
            body_html=markup.render(clean), token=token, status=Status.PUBLISHED,
            published_at=now,
        )  # fmt: skip

    with transaction.atomic():
        post, created = _once(Post, token, {"author": actor, "community": community}, build)
        if not created:
            return post
        poll = Poll.objects.create(
            post=post, question=post.body, multiple=multiple, anonymous=anonymous,
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
        announce_on_commit(signals.poll_closed, Poll, poll=poll, actor=actor)
    return poll


# -- Moderation (003 app. 2 §4.2.7) -------------------------------------------------------------

MUTE_DAYS = (1, 3, 7, 30)


def _target_of(item) -> str:
    for target, model in TARGET_MODELS.items():
        if isinstance(item, model):
            return target
    raise TypeError(item)


def _target_fields(item) -> dict:
    target = _target_of(item)
    return {
        "community_id": community_of(item).pk,
        "target": target,
        "object_id": item.pk,
        target: item,
    }


def _locked_item(item):
    """The item's row locked for the change, with what the policy reads joined."""
    related = {
        Post: ("community__kind", "community__territory"),
        Comment: ("post__community__kind", "post__community__territory"),
        Topic: ("community__kind", "community__territory"),
        Reply: ("topic__community__kind", "topic__community__territory"),
        ChatMessage: ("community__kind", "community__territory"),
    }[type(item)]
    return (
        type(item).objects.select_for_update(of=("self",)).select_related(*related).get(pk=item.pk)
    )


def _clean_reason(reason: str, *, required: bool = True, field: str = "reason") -> str:
    text = " ".join(markup.clean_text(reason or "").split())
    if required and not text:
        raise ValidationError({field: _("Give the reason.")})
    if len(text) > REASON_MAX:
        raise ValidationError(
            {field: _("The reason is too long (at most %(n)d characters).") % {"n": REASON_MAX}}
        )
    return text


def _log(actor: Person, action: str, reason: str, *, item=None, community=None, person=None):
    fields = _target_fields(item) if item is not None else {"community_id": community.pk}
    entry = ModerationAction.objects.create(
        actor=actor,
        action=action,
        reason=reason,
        person=person if person is not None else getattr(item, "author", None),
        **fields,
    )
    announce_on_commit(signals.moderated, ModerationAction, action=entry, actor=actor)
    return entry


def report(*, actor: Person, item, reason: str, text: str = "") -> Report:
    """Report a post, comment, topic, reply or chat line to the community's moderators. A
    person has one open report per item: reporting it again (or a double submit) returns that
    report."""
    community = community_of(item)
    if not permissions.can_report(actor, item, community):
        raise PermissionDenied
    if reason not in Report.Reason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    text = " ".join(markup.clean_text(text or "").split())
    if len(text) > 500:
        raise ValidationError(
            {"text": _("The text is too long (at most %(n)d characters).") % {"n": 500}}
        )
    fields = _target_fields(item)
    lookup = {"reporter": actor, "target": fields["target"], "object_id": item.pk}
    with transaction.atomic():
        earlier = Report.objects.filter(state=Report.State.OPEN, **lookup).first()
        if earlier is not None:
            return earlier
        try:
            with transaction.atomic():
                row = Report.objects.create(reporter=actor, reason=reason, text=text, **fields)
        except IntegrityError:
            return Report.objects.get(state=Report.State.OPEN, **lookup)
        announce_on_commit(signals.reported, Report, report=row, actor=actor)
    return row


def _counted(item, delta: int) -> None:
    """A hidden comment (reply) is not counted on its post (topic), as a deleted one."""
    if isinstance(item, Comment):
        qs, field = Post.objects.filter(pk=item.post_id), "comment_count"
    elif isinstance(item, Reply):
        qs, field = Topic.objects.filter(pk=item.topic_id), "reply_count"
    else:
        return
    if delta < 0:
        qs = qs.filter(**{f"{field}__gt": 0})
    qs.update(**{field: F(field) + delta})


@transaction.atomic
def hide(*, actor: Person, item, reason: str):
    """Hide an item with a reason: its author sees it with the reason, the others do not; the
    open reports of it are resolved and the author is told."""
    item = _locked_item(item)
    community = community_of(item)
    if not permissions.can_hide(actor, item, community):
        raise PermissionDenied
    reason = _clean_reason(reason)
    item.status, item.hidden_reason = Status.HIDDEN, reason
    fields = ["status", "hidden_reason"]
    if isinstance(item, Post) and item.pinned:
        item.pinned = False
        fields.append("pinned")
    item.save(update_fields=fields)
    _counted(item, -1)
    Report.objects.filter(
        target=_target_of(item), object_id=item.pk, state=Report.State.OPEN
    ).update(state=Report.State.RESOLVED, closed_at=timezone.now(), closed_by=actor)
    _log(actor, ModerationAction.Action.HIDE, reason, item=item)
    return item


@transaction.atomic
def restore(*, actor: Person, item, reason: str):
    item = _locked_item(item)
    community = community_of(item)
    if not permissions.can_restore(actor, item, community):
        raise PermissionDenied
    reason = _clean_reason(reason)
    item.status, item.hidden_reason = Status.PUBLISHED, ""
    item.save(update_fields=["status", "hidden_reason"])
    _counted(item, +1)
    _log(actor, ModerationAction.Action.RESTORE, reason, item=item)
    return item


@transaction.atomic
def set_locked(*, actor: Person, item, locked: bool, reason: str):
    """Close a post for new comments (a topic for new replies), or open it again."""
    if not isinstance(item, (Post, Topic)):
        raise ValidationError({"target": _("Only a post or a topic can be closed.")})
    item = _locked_item(item)
    if not permissions.can_lock(actor, item, community_of(item)):
        raise PermissionDenied
    reason = _clean_reason(reason)
    item.locked, item.locked_reason = locked, reason if locked else ""
    item.save(update_fields=["locked", "locked_reason"])
    action = ModerationAction.Action.LOCK if locked else ModerationAction.Action.UNLOCK
    _log(actor, action, reason, item=item)
    return item


@transaction.atomic
def mute(*, actor: Person, community: Community, person: Person, days: int, reason: str) -> Mute:
    """The member writes nothing in the community's feed and forum for `days` days."""
    if not permissions.can_mute(actor, community, person):
        raise PermissionDenied
    if days not in MUTE_DAYS:
        raise ValidationError({"days": _("Choose for how long.")})
    reason = _clean_reason(reason)
    row = Mute.objects.create(
        community=community, person=person, muted_by=actor, reason=reason,
        until=timezone.now() + dt.timedelta(days=days),
    )  # fmt: skip
    _log(actor, ModerationAction.Action.MUTE, reason, community=community, person=person)
    return row


@transaction.atomic
def unmute(*, actor: Person, mute: Mute, reason: str) -> Mute:
    mute = Mute.objects.select_for_update().select_related("person").get(pk=mute.pk)
    community = Community.objects.select_related("kind", "territory").get(pk=mute.community_id)
    if mute.lifted_at is not None or not permissions.can_moderate(actor, community):
        raise PermissionDenied
    reason = _clean_reason(reason)
    mute.lifted_at = timezone.now()
    mute.save(update_fields=["lifted_at"])
    _log(actor, ModerationAction.Action.UNMUTE, reason, community=community, person=mute.person)
    return mute


@transaction.atomic
def dismiss_report(*, actor: Person, report: Report, reason: str = "") -> Report:
    """The moderator finds nothing to hide: the report is closed (and logged)."""
    report = (
        Report.objects.select_for_update(of=("self",))
        .select_related("community__kind", "community__territory")
        .get(pk=report.pk)
    )
    if not permissions.can_dismiss(actor, report):
        raise PermissionDenied
    reason = _clean_reason(reason, required=False)
    report.state, report.closed_at, report.closed_by = (
        Report.State.DISMISSED, timezone.now(), actor,
    )  # fmt: skip
    report.save(update_fields=["state", "closed_at", "closed_by"])
    ModerationAction.objects.create(
        actor=actor, action=ModerationAction.Action.DISMISS, reason=reason,
        community_id=report.community_id, target=report.target, object_id=report.object_id,
        **{report.target: report.item},
    )  # fmt: skip
    return report


@transaction.atomic
def save_code_of_conduct(*, actor: Person, community: Community, body: str) -> CodeOfConduct:
    """Set the community's code of conduct; an empty text brings back the default."""
    if not permissions.can_edit_conduct(actor, community):
        raise PermissionDenied
    text = markup.clean_text(body or "").strip()
    if len(text) > BODY_MAX:
        raise ValidationError(
            {"body": _("The text is too long (at most %(n)d characters).") % {"n": BODY_MAX}}
        )
    code, _created = CodeOfConduct.objects.update_or_create(
        community=community,
        defaults={
            "body": text,
            "body_html": markup.render(text) if text else "",
            "updated_by": actor,
        },
    )
    return code


# -- The publication schedule --------------------------------------------------------------------


def plan_publication(
    *,
    actor: Person,
    community: Community,
    title: str,
    responsible: Person,
    due_on: dt.date,
    token: str = "",
) -> PlannedPublication:
    """Plan a publication in the community's feed: what, by whom (a member), by when. The
    responsible member is told. A second call with the same form `token` returns the first."""
    if not permissions.can_plan_publications(actor, community):
        raise PermissionDenied
    token = (token or "")[:40]

    def build() -> PlannedPublication:
        clean = _clean_title(title)
        if not clean:
            raise ValidationError({"title": _("Say what is to be published.")})
        if not permissions.may_be_responsible(community).filter(pk=responsible.pk).exists():
            raise ValidationError({"responsible": _("Choose a member of the community.")})
        if due_on < timezone.localdate():
            raise ValidationError({"due_on": _("The date has passed.")})
        return PlannedPublication(
            community=community, title=clean, responsible=responsible, due_on=due_on,
            created_by=actor, token=token,
        )  # fmt: skip

    with transaction.atomic():
        planned, created = _once(
            PlannedPublication, token, {"created_by": actor, "community": community}, build
        )
        if created:
            announce_on_commit(
                signals.publication_planned, PlannedPublication, planned=planned, actor=actor
            )
    return planned


@transaction.atomic
def remove_planned(*, actor: Person, planned: PlannedPublication) -> None:
    """Take a line that has no post yet off the schedule."""
    planned = (
        PlannedPublication.objects.select_for_update(of=("self",))
        .select_related("community__kind", "community__territory")
        .get(pk=planned.pk)
    )
    if not permissions.can_remove_planned(actor, planned, planned.community):
        raise PermissionDenied
    planned.delete()
