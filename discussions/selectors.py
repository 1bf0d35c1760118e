"""Reads of the discussions app: querysets with their joins already decided."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Community

from . import markup, permissions
from .models import (
    TARGET_MODELS,
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
    Reaction,
    ReadMark,
    Reply,
    Report,
    Status,
    Target,
    Topic,
)


def feed(user, community: Community) -> QuerySet[Post]:
    """The community's published posts for this user (only announcements for those who see the
    community but not its feed): pinned first, then newest."""
    qs = Post.objects.filter(_shown_q(user, community))
    qs = qs.filter(community=community)
    if not permissions.can_read_feed(user, community):
        qs = qs.filter(kind=Post.Kind.ANNOUNCEMENT)
    return (
        qs.select_related("author")
        .prefetch_related("attachments")
        .order_by("-pinned", "-published_at", "-id")
    )


def _shown_q(user, community: Community) -> Q:
    """Published items, and the hidden ones for their authors and the moderators (who see why)."""
    shown = Q(status=Status.PUBLISHED)
    if user and user.is_authenticated:
        if permissions.can_moderate(user, community):
            shown |= Q(status=Status.HIDDEN)
        else:
            shown |= Q(status=Status.HIDDEN, author_id=user.pk)
    return shown


def last_seen(user, community: Community) -> dt.datetime | None:
    if not (user and user.is_authenticated):
        return None
    return (
        ReadMark.objects.filter(person_id=user.pk, community=community)
        .values_list("seen_at", flat=True)
        .first()
    )


def new_since(qs: QuerySet[Post], seen: dt.datetime | None, user) -> QuerySet[Post]:
    """Posts published after the person's last visit, not their own (all, on a first visit)."""
    qs = qs.filter(status=Status.PUBLISHED).exclude(author_id=getattr(user, "pk", None))
    return qs if seen is None else qs.filter(published_at__gt=seen)


def post_detail(pk: int) -> Post:
    return (
        Post.objects.select_related("community__kind", "community__territory", "author")
        .prefetch_related("attachments")
        .get(pk=pk)
    )


def comments_of(post: Post) -> QuerySet[Comment]:
    """Published comments and the hidden ones (shown as a placeholder to all but their author
    and the moderators), so the thread keeps its place."""
    return post.comments.filter(status__in=(Status.PUBLISHED, Status.HIDDEN)).select_related(
        "author"
    )


def comments_shown_to(user, post: Post) -> QuerySet[Comment]:
    """The comments as the API lists them: a hidden one only to its author and the moderators."""
    return comments_of(post).filter(_shown_q(user, post.community))


def reaction_counts(posts: list[Post], user) -> dict[int, list[dict]]:
    """For each post: every reaction kind with its count and whether the user gave it (one or
    two queries for the whole page)."""
    ids = [p.pk for p in posts]
    counts: dict[tuple[int, str], int] = {}
    for row in (
        Reaction.objects.filter(post_id__in=ids)
        .values("post_id", "kind")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[(row["post_id"], row["kind"])] = row["n"]
    mine: set[tuple[int, str]] = set()
    if user and user.is_authenticated and ids:
        mine = set(
            Reaction.objects.filter(post_id__in=ids, person_id=user.pk).values_list(
                "post_id", "kind"
            )
        )
    return {
        pk: [
            {
                "kind": kind,
                "label": label,
                "count": counts.get((pk, kind), 0),
                "mine": (pk, kind) in mine,
            }
            for kind, label in Reaction.Kind.choices
        ]
        for pk in ids
    }


def drafts_of(user) -> QuerySet[Post]:
    return (
        Post.objects.filter(author_id=user.pk, status=Status.DRAFT)
        .select_related("community")
        .order_by("-created_at", "-id")
    )


def unread_by_community(user, limit: int = 20) -> list[Community]:
    """The communities whose feed the person reads with posts new since their last visit, each
    with `unread` (one query)."""
    if not (user and user.is_authenticated):
        return []
    seen = ReadMark.objects.filter(person_id=user.pk, community=OuterRef("community")).values(
        "seen_at"
    )[:1]
    member_feeds = Community.objects.filter(memberships__person_id=user.pk, status="active")
    rows = (
        Post.objects.filter(community__in=member_feeds.values("pk"), status=Status.PUBLISHED)
        .exclude(author_id=user.pk)
        .annotate(seen=Subquery(seen))
        .filter(Q(seen__isnull=True) | Q(published_at__gt=F("seen")))
        .values("community_id")
        .annotate(n=Count("id"))
        .order_by("-n", "community_id")[:limit]
    )
    counts = {r["community_id"]: r["n"] for r in rows}
    communities = Community.objects.filter(pk__in=counts).only("id", "name")
    result = []
    for community in communities:
        community.unread = counts[community.pk]
        result.append(community)
    return sorted(result, key=lambda c: (-c.unread, c.name))


def post_list(user, community_id: int | None = None) -> QuerySet[Post]:
    """Posts the user may see (API list), newest first."""
    qs = (
        Post.objects.filter(permissions.visible_posts_q(user))
        .select_related("author")
        .prefetch_related("attachments")
    )
    if community_id:
        qs = qs.filter(community_id=community_id)
    return qs.order_by("-pinned", "-published_at", "-id")


def topics_of(community: Community, user=None) -> QuerySet[Topic]:
    return (
        Topic.objects.filter(_shown_q(user, community), community=community)
        .select_related("author")
        .order_by("-last_reply_at", "-id")
    )


def topic_detail(pk: int) -> Topic:
    return Topic.objects.select_related("community__kind", "community__territory", "author").get(
        pk=pk
    )


def topics_shown_to(user, community: Community | None) -> QuerySet[Topic]:
    """The topics as the API lists them: a community's forum (a hidden topic only to its author
    and the moderators), or the published topics of every forum the user reads."""
    if community is not None:
        return topics_of(community, user)
    return (
        Topic.objects.filter(permissions.visible_topics_q(user))
        .select_related("author")
        .order_by("-last_reply_at", "-id")
    )


def replies_shown_to(user, topic: Topic) -> QuerySet[Reply]:
    """The replies as the API lists them: a hidden one only to its author and the moderators."""
    return replies_of(topic).filter(_shown_q(user, topic.community)).order_by("created_at", "id")


def replies_of(topic: Topic) -> QuerySet[Reply]:
    return topic.replies.filter(status__in=(Status.PUBLISHED, Status.HIDDEN)).select_related(
        "author", "quote__author"
    )


CHAT_PAGE = 50


def chat_messages(
    user, community: Community, *, before: int | None = None, after: int | None = None
) -> list[ChatMessage]:
    """A page of the community's chat as the user sees it, oldest first: the newest lines,
    those before a line (an earlier page) or those after it (what came since the last look)."""
    qs = ChatMessage.objects.filter(_shown_q(user, community), community=community).select_related(
        "author"
    )
    if after is not None:
        return list(qs.filter(pk__gt=after).order_by("pk")[:CHAT_PAGE])
    if before is not None:
        qs = qs.filter(pk__lt=before)
    return list(reversed(qs.order_by("-pk")[:CHAT_PAGE]))


def chat_line_url(community_id: int, pk: int) -> str:
    """Where a chat line is shown: the chat's page that ends with it (the newest page may have
    moved on since)."""
    return reverse("discussions:chat", args=[community_id]) + f"?before={pk + 1}#chat-{pk}"


def chat_has_earlier(user, community: Community, first: ChatMessage | None) -> bool:
    if first is None:
        return False
    return ChatMessage.objects.filter(
        _shown_q(user, community), community=community, pk__lt=first.pk
    ).exists()


@dataclass
class OptionResult:
    option: PollOption
    votes: int | None  # None while the results are not shown to this person
    percent: int | None
    mine: bool
    voters: list = field(default_factory=list)  # names, of a named poll only


@dataclass
class PollState:
    """A poll as one person sees it."""

    post: Post
    poll: Poll
    options: list[OptionResult]
    closed: bool
    voted: bool
    show_results: bool
    can_vote: bool
    can_change: bool
    can_close: bool

    @property
    def total(self) -> int | None:
        return self.poll.voter_count if self.show_results else None

    @property
    def mine(self) -> list[int]:
        return [o.option.pk for o in self.options if o.mine]


def poll_states(posts: list[Post], user, voters: bool = False) -> dict[int, PollState]:
    """For each poll among the posts: its options, the person's own vote and the results if they
    may see them (a fixed number of queries for the whole page). `voters`: also who chose what
    in a named poll (for the post's own page)."""
    ids = [p.pk for p in posts if p.kind == Post.Kind.POLL]
    if not ids:
        return {}
    polls = list(Poll.objects.filter(post_id__in=ids).prefetch_related("options"))
    # The policy reads each post's community: load those not loaded yet in one query.
    wanted = {p.community_id for p in posts if p.pk in ids and not Post.community.is_cached(p)}
    if wanted:
        loaded = Community.objects.select_related("kind", "territory").in_bulk(wanted)
        for p in posts:
            if p.pk in ids and not Post.community.is_cached(p):
                p.community = loaded[p.community_id]
    mine: dict[int, set[int]] = {}
    voted: set[int] = set()
    if user and user.is_authenticated:
        for voter in PollVoter.objects.filter(poll__in=polls, person_id=user.pk).prefetch_related(
            Prefetch("choices", queryset=PollChoice.objects.only("voter_id", "option_id"))
        ):
            voted.add(voter.poll_id)
            mine[voter.poll_id] = {c.option_id for c in voter.choices.all()}
    by_post = {p.pk: p for p in posts}
    states: dict[int, PollState] = {}
    shown_named: list[int] = []
    for poll in polls:
        post = by_post[poll.post_id]
        closed = poll.closed()
        has_voted = poll.pk in voted
        show = permissions.can_see_results(user, post, poll, has_voted)
        may_vote = not closed and permissions.can_vote(user, post)
        total = poll.voter_count
        options = [
            OptionResult(
                option=option,
                votes=option.votes if show else None,
                percent=(round(option.votes * 100 / total) if total else 0) if show else None,
                mine=option.pk in mine.get(poll.pk, set()),
            )
            for option in poll.options.all()
        ]
        states[post.pk] = PollState(
            post=post, poll=poll, options=options, closed=closed, voted=has_voted,
            show_results=show, can_vote=may_vote and not has_voted,
            can_change=may_vote and has_voted and not poll.anonymous,
            can_close=not closed and permissions.can_close_poll(user, post),
        )  # fmt: skip
        if show and not poll.anonymous:
            shown_named.append(poll.pk)
    if voters and shown_named:
        # Only named polls whose results this person sees: an anonymous poll has no such rows.
        names: dict[int, list[str]] = {}
        for choice in (
            PollChoice.objects.filter(
                option__poll_id__in=shown_named, option__poll__anonymous=False
            )
            .select_related("voter__person")
            .order_by("voter__person__last_name", "voter__person__first_name", "pk")
        ):
            names.setdefault(choice.option_id, []).append(choice.voter.person.full_name)
        for state in states.values():
            for result in state.options:
                result.voters = names.get(result.option.pk, [])
    return states


# -- Moderation -------------------------------------------------------------------------------

_ITEM_JOINS = {
    Target.POST: ("community__kind", "community__territory", "author"),
    Target.COMMENT: ("post__community__kind", "post__community__territory", "author"),
    Target.TOPIC: ("community__kind", "community__territory", "author"),
    Target.REPLY: ("topic__community__kind", "topic__community__territory", "author"),
    Target.CHAT: ("community__kind", "community__territory", "author"),
}


def moderation_item(target: str, pk: int):
    """The post, comment, topic, reply or chat line with what the policy reads joined
    (DoesNotExist or KeyError when there is none)."""
    model = TARGET_MODELS[Target(target)]
    return model.objects.select_related(*_ITEM_JOINS[target]).get(pk=pk)


def default_code_of_conduct() -> str:
    """The rules of digital ethics (003 app. 2 §4.2.7) a community has until its moderators
    write their own."""
    return "\n".join(
        [
            _("We are colleagues: we discuss ideas, not people."),
            "",
            "- " + _("Be respectful and polite; no insults, mockery or rudeness."),
            "- " + _("Stay on topic: posts and comments concern our professional work."),
            "- " + _("Do not disclose personal data of pupils, parents or colleagues."),
            "- " + _("No advertising, spam or chain messages."),
            "- " + _("Name the source when you share someone else's material."),
            "- " + _("Disagree with arguments; help newcomers and those who ask."),
            "",
            _(
                "Moderators may hide a message that breaks these rules, close a discussion or "
                "mute a member for a while, always giving the reason."
            ),
        ]
    )


def code_of_conduct(community: Community) -> tuple[str, bool]:
    """The community's code of conduct as HTML, and whether it is the default one."""
    row = CodeOfConduct.objects.filter(community=community).only("body_html").first()
    if row is not None and row.body_html:
        return row.body_html, False
    return markup.render(default_code_of_conduct()), True


def code_of_conduct_text(community: Community) -> str:
    row = CodeOfConduct.objects.filter(community=community).only("body").first()
    return row.body if row is not None and row.body else default_code_of_conduct()


def moderation_queue(user, community_id: int | None = None) -> QuerySet[Report]:
    """Open reports of the communities the user moderates, oldest first."""
    qs = Report.objects.filter(
        state=Report.State.OPEN,
        community__in=permissions.moderated_communities(user).values("pk"),
    )
    if community_id:
        qs = qs.filter(community_id=community_id)
    return qs.select_related(
        "community", "reporter", "post__author", "comment__author", "comment__post",
        "topic__author", "reply__author", "reply__topic", "chat__author",
    ).order_by("created_at", "id")  # fmt: skip


def open_report_count(user) -> int:
    return moderation_queue(user).count()


def moderation_log(user, community_id: int | None = None) -> QuerySet[ModerationAction]:
    """What moderators did: in the communities the user moderates, and to the user's own items
    (or to the user, when muted)."""
    if not (user and user.is_authenticated):
        return ModerationAction.objects.none()
    qs = ModerationAction.objects.filter(
        Q(person_id=user.pk) | Q(community__in=permissions.moderated_communities(user).values("pk"))
    )
    if community_id:
        qs = qs.filter(community_id=community_id)
    return qs.select_related(
        "community", "actor", "person", "post", "comment__post", "topic", "reply__topic", "chat"
    ).order_by("-created_at", "-id")


def active_mutes(community: Community) -> QuerySet[Mute]:
    return (
        Mute.objects.filter(community=community, lifted_at__isnull=True, until__gt=timezone.now())
        .select_related("person", "muted_by")
        .order_by("until", "id")
    )


# -- The publication schedule and the register of publications ----------------------------------


def publication_schedule(community: Community) -> QuerySet[PlannedPublication]:
    """The community's schedule, by date: what, by whom, by when, and the post written for it."""
    return (
        PlannedPublication.objects.filter(community=community)
        .select_related("responsible", "post")
        .order_by("due_on", "id")
    )


def open_planned_for(user, community: Community) -> QuerySet[PlannedPublication]:
    """The lines of the community's schedule the user is to write and has not yet."""
    if not (user and user.is_authenticated):
        return PlannedPublication.objects.none()
    return PlannedPublication.objects.filter(
        community=community, responsible_id=user.pk, post__isnull=True
    ).order_by("due_on", "id")


def publication_register(community: Community) -> QuerySet[Post]:
    """The register of publications (004: «журнал регистрации публикаций»): the community's
    published posts, newest first, each with its author and the schedule line it fulfils."""
    return (
        Post.objects.filter(community=community, status=Status.PUBLISHED)
        .select_related("author", "planned")
        .order_by("-published_at", "-id")
    )


# How many days ahead a planned publication shows on its author's dashboard.
PUBLICATION_AHEAD_DAYS = 3


def publications_due_for(user, today: dt.date, limit: int) -> list[PlannedPublication]:
    """The user's planned publications not written yet, due within a few days or late, in the
    communities they still write in (earliest first)."""
    if not (user and user.is_authenticated):
        return []
    return list(
        PlannedPublication.objects.filter(
            responsible_id=user.pk,
            post__isnull=True,
            due_on__lte=today + dt.timedelta(PUBLICATION_AHEAD_DAYS),
            community__in=permissions.feed_communities(user).filter(status="active").values("pk"),
        )
        .select_related("community")
        .order_by("due_on", "pk")[:limit]
    )
