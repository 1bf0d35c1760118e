"""Posts in a community's feed, their comments, reactions and edit history (003 app. 1 §2.2.1,
app. 2 §2.2, §4.2). A post keeps its source text (Markdown) and the sanitised HTML made from it
when it is saved (`discussions.markup`), so a feed never renders Markdown again."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Community
from core.uploads import GeneratedName


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    # Soft delete keeps the row (and its comments) for the moderators' record.
    DELETED = "deleted", _("Deleted")
    # Moderation (a later slice) hides a message with a reason instead of deleting it.
    HIDDEN = "hidden", _("Hidden by a moderator")


class Announcement(models.Model):
    """One announcement published to several communities at once (003 app. 2 §4.2.2): each
    target community gets its own Post pointing here, so each feed lists it and the members of
    several targets are told once."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    title = models.CharField(_("title"), max_length=200)
    # The form's one-time token: a second submit finds the announcement the first one made.
    token = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("announcement to an audience")
        verbose_name_plural = _("announcements to an audience")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "token"],
                condition=~models.Q(token=""),
                name="uniq_announcement_token",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Post(models.Model):
    class Kind(models.TextChoices):
        POST = "post", _("Post")
        ANNOUNCEMENT = "announcement", _("Announcement")
        # The post's text is the question; its `poll` holds the options and the votes.
        POLL = "poll", _("Poll")

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="posts", verbose_name=_("community")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="posts",
        verbose_name=_("author"),
    )
    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, null=True, blank=True, related_name="posts"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.POST)
    title = models.CharField(_("title"), max_length=200, blank=True)
    body = models.TextField(_("text"), max_length=20000)
    body_html = models.TextField(editable=False, blank=True)
    pinned = models.BooleanField(_("pinned"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED
    )
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)
    # A form's one-time token: a second submit of the same form finds the post made by the first.
    token = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    comment_count = models.PositiveIntegerField(default=0, editable=False)
    # A moderator closed it for new comments (replies), with the reason shown instead of the form.
    locked = models.BooleanField(_("closed for new comments"), default=False)
    locked_reason = models.CharField(_("reason for closing"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["-pinned", "-published_at", "-id"]
        indexes = [
            # The feed: a community's published posts, pinned first, then newest.
            models.Index(
                fields=["community", "status", "-pinned", "-published_at"], name="post_feed"
            ),
            # The register of publications: a community's published posts, newest first.
            models.Index(fields=["community", "status", "-published_at"], name="post_register"),
            models.Index(fields=["author", "status"], name="post_author_status"),
            # The flood limit counts a person's recent rows.
            models.Index(fields=["author", "created_at"], name="post_author_time"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "community", "token"],
                condition=~models.Q(token=""),
                name="uniq_post_token",
            )
        ]

    def __str__(self) -> str:
        return self.title or self.body[:60]

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def is_announcement(self) -> bool:
        return self.kind == self.Kind.ANNOUNCEMENT

    @property
    def is_poll(self) -> bool:
        return self.kind == self.Kind.POLL


class Poll(models.Model):
    """A poll of a community's feed (003 app. 1 §2.2.1): it lives in a Post of kind POLL, so it
    has the post's comments, reactions, pinning and "new" marks.

    Who voted is a `PollVoter` row; what they chose is counted on the options (`votes`). Only a
    named poll links a voter to their options (`PollChoice`); an anonymous poll keeps no such
    link anywhere, so no page, API or admin can show it (and its vote cannot be changed: nothing
    remembers which counts to take back)."""

    class Results(models.TextChoices):
        AFTER_VOTING = "after_voting", _("After voting")
        AFTER_CLOSING = "after_closing", _("After closing")

    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="poll")
    question = models.CharField(_("poll question"), max_length=300)
    multiple = models.BooleanField(_("several answers may be chosen"), default=False)
    anonymous = models.BooleanField(_("anonymous poll"), default=False)
    results = models.CharField(
        _("results are shown"), max_length=14, choices=Results.choices,
        default=Results.AFTER_VOTING,
    )  # fmt: skip
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    # Closed early by its author or a moderator.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    voter_count = models.PositiveIntegerField(_("voters"), default=0, editable=False)

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("polls")

    def __str__(self) -> str:
        return self.question

    def closed(self, now=None) -> bool:
        if self.closed_at is not None:
            return True
        return self.closes_at is not None and self.closes_at <= (now or timezone.now())


class PollOption(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(_("option"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    votes = models.PositiveIntegerField(_("votes"), default=0, editable=False)

    class Meta:
        verbose_name = _("poll option")
        verbose_name_plural = _("poll options")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class PollVoter(models.Model):
    """That the person voted (one row per person and poll), never what they chose."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="voters")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    voted_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("poll voter")
        verbose_name_plural = _("poll voters")
        constraints = [models.UniqueConstraint(fields=["poll", "person"], name="uniq_poll_voter")]

    def __str__(self) -> str:
        return f"{self.poll_id}/{self.person_id}"


class PollChoice(models.Model):
    """What a voter chose in a named poll (an anonymous poll has none)."""

    voter = models.ForeignKey(PollVoter, on_delete=models.CASCADE, related_name="choices")
    option = models.ForeignKey(PollOption, on_delete=models.CASCADE, related_name="choices")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["voter", "option"], name="uniq_poll_choice")]

    def __str__(self) -> str:
        return f"{self.voter_id}: {self.option_id}"


class PostRevision(models.Model):
    """The text a post had before an edit, and who changed it when."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(_("title"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    edited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("post revision")
        verbose_name_plural = _("post revisions")
        ordering = ["-edited_at", "-id"]

    def __str__(self) -> str:
        return f"{self.post_id} @ {self.edited_at:%Y-%m-%d %H:%M}"


class ModeratedMessage(models.Model):
    """What a comment, a reply and a chat line have alike: a member's short text (rendered once
    when written), which moderators may hide with a reason. Each names its own author (its own
    reverse name) and body (its own label and length)."""

    body_html = models.TextField(editable=False, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED
    )
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)
    token = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.body[:60]


class Comment(ModeratedMessage):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="post_comments",
        verbose_name=_("author"),
    )
    body = models.TextField(_("comment"), max_length=5000)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["post", "created_at"], name="comment_post_time"),
            models.Index(fields=["author", "created_at"], name="comment_author_time"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "post", "token"],
                condition=~models.Q(token=""),
                name="uniq_comment_token",
            )
        ]


class Reaction(models.Model):
    class Kind(models.TextChoices):
        LIKE = "like", "👍"
        LOVE = "love", "❤️"
        IDEA = "idea", "💡"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("reaction"), max_length=8, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reaction")
        verbose_name_plural = _("reactions")
        constraints = [
            models.UniqueConstraint(fields=["post", "person", "kind"], name="uniq_reaction")
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class ReadMark(models.Model):
    """When the person last opened the community's feed: newer posts are "new" for them."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "community"], name="uniq_read_mark")
        ]

    def __str__(self) -> str:
        return f"{self.person_id}/{self.community_id}: {self.seen_at:%Y-%m-%d %H:%M}"


class Topic(models.Model):
    """A forum thread of a community (003 app. 1 §2.2.1, app. 2 §2.2.1: collaborative discussion
    of issues): a question with replies, newest activity first."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="topics", verbose_name=_("community")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="topics",
        verbose_name=_("author"),
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=20000)
    body_html = models.TextField(editable=False, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED
    )
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)
    token = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_reply_at = models.DateTimeField(_("last reply"), db_index=True)
    reply_count = models.PositiveIntegerField(default=0, editable=False)
    # A moderator closed it for new comments (replies), with the reason shown instead of the form.
    locked = models.BooleanField(_("closed for new comments"), default=False)
    locked_reason = models.CharField(_("reason for closing"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("forum topic")
        verbose_name_plural = _("forum topics")
        ordering = ["-last_reply_at", "-id"]
        indexes = [
            models.Index(fields=["community", "status", "-last_reply_at"], name="topic_forum"),
            models.Index(fields=["author", "created_at"], name="topic_author_time"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "community", "token"],
                condition=~models.Q(token=""),
                name="uniq_topic_token",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Reply(ModeratedMessage):
    """A reply in a topic; it may quote an earlier reply (kept as a link and shown with it)."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="topic_replies",
        verbose_name=_("author"),
    )
    quote = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.TextField(_("reply"), max_length=5000)

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["topic", "created_at"], name="reply_topic_time"),
            models.Index(fields=["author", "created_at"], name="reply_author_time"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "topic", "token"],
                condition=~models.Q(token=""),
                name="uniq_reply_token",
            )
        ]


class ChatMessage(ModeratedMessage):
    """A line of a community's chat (003 app. 1 §2.2.1: «чат»): short messages read as they come,
    beside the feed's posts and the forum's topics."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="chat_messages",
        verbose_name=_("author"),
    )
    body = models.TextField(_("message"), max_length=2000)

    class Meta:
        verbose_name = _("chat message")
        verbose_name_plural = _("chat messages")
        ordering = ["id"]
        # The chat reads a community's newest lines and those after the last one shown.
        indexes = [
            models.Index(fields=["community", "id"], name="chat_community_id"),
            models.Index(fields=["author", "created_at"], name="chat_author_time"),  # flood limit
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "community", "token"],
                condition=~models.Q(token=""),
                name="uniq_chat_token",
            )
        ]


class PostAttachment(models.Model):
    """A file or an image of a post (003 app. 1 §5.1: «контент любого формата»). Images are shown
    in the post, other files are offered for download; both only through the post's policy."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=GeneratedName("posts"))
    name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=8)  # core.uploads.KINDS key, from the bytes
    size = models.PositiveBigIntegerField(_("size"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.kind in ("png", "jpg")


# -- Moderation (003 app. 2 §4.2.7: the group's messages are moderated by the rules of digital
# ethics; app. 1 §5.2). Kept in this app, keyed by community, so the communities app is untouched.


class Target(models.TextChoices):
    """What a report or a moderator's action is about."""

    POST = "post", _("Post")
    COMMENT = "comment", _("Comment")
    TOPIC = "topic", _("Forum topic")
    REPLY = "reply", _("Reply")
    CHAT = "chat", _("Chat message")


class CodeOfConduct(models.Model):
    """A community's rules of conduct, edited by those who moderate it (a default otherwise)."""

    community = models.OneToOneField(
        Community, on_delete=models.CASCADE, related_name="code_of_conduct"
    )
    body = models.TextField(_("text"), max_length=20000)
    body_html = models.TextField(editable=False, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("code of conduct")
        verbose_name_plural = _("codes of conduct")

    def __str__(self) -> str:
        return str(self.community)


class TargetFields(models.Model):
    """One of a post, comment, topic, reply or chat line: `target` and `object_id` name it (a unique
    constraint cannot rely on nullable foreign keys), the matching key joins it."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    target = models.CharField(_("object"), max_length=10, choices=Target.choices)
    object_id = models.PositiveBigIntegerField()
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    chat = models.ForeignKey(
        ChatMessage, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def item(self):
        return getattr(self, self.target) if self.target else None


class Report(TargetFields):
    class Reason(models.TextChoices):
        OFF_TOPIC = "off_topic", _("Off-topic")
        OFFENSIVE = "offensive", _("Offensive or disrespectful")
        SPAM = "spam", _("Spam or advertising")
        PERSONAL_DATA = "personal_data", _("Personal data disclosed")
        OTHER = "other", _("Other")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved: hidden")
        DISMISSED = "dismissed", _("Dismissed")

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    text = models.CharField(_("details"), max_length=500, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["created_at", "id"]
        indexes = [
            # The queue: a community's open reports, oldest first.
            models.Index(fields=["state", "community", "created_at"], name="report_queue"),
            models.Index(fields=["target", "object_id", "state"], name="report_object"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "target", "object_id"],
                condition=models.Q(state="open"),
                name="uniq_open_report",
            )
        ]

    def __str__(self) -> str:
        return f"{self.target} {self.object_id}: {self.reason}"


class ModerationAction(TargetFields):
    """The record of what a moderator did, why and when (the author of the item, or the muted
    member, reads the entries about them)."""

    class Action(models.TextChoices):
        HIDE = "hide", _("Hidden")
        RESTORE = "restore", _("Restored")
        LOCK = "lock", _("Closed for new comments")
        UNLOCK = "unlock", _("Opened for new comments")
        MUTE = "mute", _("Member muted")
        UNMUTE = "unmute", _("Member unmuted")
        DISMISS = "dismiss", _("Report dismissed")

    # A mute is about a member, not an item: target and object_id stay empty then.
    target = models.CharField(_("object"), max_length=10, choices=Target.choices, blank=True)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("whose"),
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    reason = models.CharField(_("reason"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation log")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["community", "-created_at"], name="modlog_community"),
            models.Index(fields=["person", "-created_at"], name="modlog_person"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.target} {self.object_id or ''}"


class Mute(models.Model):
    """A member may not write in the community's feed and forum until `until` (or until lifted)."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    until = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=300)
    muted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mute")
        verbose_name_plural = _("mutes")
        ordering = ["-until", "-id"]
        indexes = [models.Index(fields=["community", "person", "until"], name="mute_active")]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.community_id} until {self.until:%Y-%m-%d %H:%M}"


class PlannedPublication(models.Model):
    """A line of a community's publication schedule (004, meetings 1 and 4: «график публикаций в
    сетевом сообществе»): what is to be published, by whom and by when, and the post that
    fulfils it once its author writes it from the schedule."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("what to publish"), max_length=300)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible"),
    )
    due_on = models.DateField(_("publish by"))
    post = models.OneToOneField(
        Post,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="planned",
        verbose_name=_("post"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    token = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("planned publication")
        verbose_name_plural = _("publication schedule")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["community", "due_on"], name="planned_pub_schedule"),
            # Reminders and one's own items: the open ones of a person, by date.
            models.Index(fields=["responsible", "due_on"], name="planned_pub_person"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "community", "token"],
                condition=~models.Q(token=""),
                name="uniq_planned_pub_token",
            )
        ]

    def __str__(self) -> str:
        return f"{self.due_on:%d.%m.%Y} {self.title}"

    @property
    def is_published(self) -> bool:
        return self.post_id is not None and self.post.status == Status.PUBLISHED

    def is_overdue(self, today) -> bool:
        return not self.is_published and self.due_on < today


def community_of(item) -> Community:
    """The community of a post, comment, topic, reply or chat line."""
    if isinstance(item, Comment):
        return item.post.community
    if isinstance(item, Reply):
        return item.topic.community
    return item.community


TARGET_MODELS = {
    Target.POST: Post,
    Target.COMMENT: Comment,
    Target.TOPIC: Topic,
    Target.REPLY: Reply,
    Target.CHAT: ChatMessage,
}
