from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.uploads import GeneratedName


class Meeting(models.Model):
    """A meeting (заседание) of a community, from its plan or ad hoc."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="meetings"
    )
    planned = models.ForeignKey(
        "planning.PlannedMeeting",
        verbose_name=_("from the plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="held_as",
    )
    title = models.CharField(_("title"), max_length=500)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("chair"), on_delete=models.PROTECT,
        related_name="chaired_meetings",
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # iCalendar SEQUENCE: raised on every move or cancellation so calendars replace their copy.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    # Where the kind says so (004 §3.3), the deputy director agrees the time and place; a move
    # clears the agreement, so it is asked again.
    time_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("time and place agreed by"), null=True,
        blank=True, on_delete=models.SET_NULL, related_name="+", editable=False,
    )  # fmt: skip
    time_agreed_at = models.DateTimeField(
        _("time and place agreed at"), null=True, blank=True, editable=False
    )
    # The scheduling request's key: a repeat by the same person finds this meeting, not a twin.
    idempotency_key = models.CharField(max_length=100, null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"], name="uniq_meeting_idempotency_key"
            )
        ]
        indexes = [
            models.Index(fields=["community", "-starts_at"]),
            models.Index(fields=["starts_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({timezone.localtime(self.starts_at):%d.%m.%Y})"

    @property
    def needs_time_agreement(self) -> bool:
        """Scheduled, of a kind whose meetings' time and place the deputy agrees (004 §3.3),
        and not agreed yet (or moved since)."""
        return (
            self.status == self.Status.SCHEDULED
            and self.time_agreed_at is None
            and bool(self.community.organisation_id)
            and self.community.kind.meeting_time_agreed
        )


class MeetingChange(models.Model):
    """A meeting moved to another time or place, or cancelled, with the reason and who did it."""

    class Kind(models.TextChoices):
        MOVED = "moved", _("Moved")
        CANCELLED = "cancelled", _("Cancelled")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("change"), max_length=10, choices=Kind.choices)
    reason = models.TextField(_("reason"))
    previous_starts_at = models.DateTimeField(_("was to start at"))
    previous_ends_at = models.DateTimeField(null=True, blank=True)
    previous_place = models.CharField(_("previous place"), max_length=300, blank=True)
    previous_online_url = models.URLField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), null=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting change")
        verbose_name_plural = _("meeting changes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.meeting}"


class AgendaQuestion(models.Model):
    """A question on the agenda; the minutes add who spoke and what was said."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("question"), max_length=500)
    speakers = models.CharField(_("speakers"), max_length=500, blank=True)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        verbose_name = _("agenda question")
        verbose_name_plural = _("agenda questions")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class Participant(models.Model):
    """An invitee: a member, or a guest from another community (004 §3.5)."""

    class Reply(models.TextChoices):
        PENDING = "pending", _("No reply yet")
        YES = "yes", _("Will come")
        NO = "no", _("Cannot come")
        MAYBE = "maybe", _("Maybe")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_invitations"
    )
    is_guest = models.BooleanField(_("guest"), default=False)
    reply = models.CharField(
        _("reply"), max_length=10, choices=Reply.choices, default=Reply.PENDING
    )
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="uniq_participant")
        ]
        indexes = [models.Index(fields=["person", "meeting"])]

    def __str__(self) -> str:
        return f"{self.person} — {self.meeting}"


class Minutes(models.Model):
    """The minutes (протокол), numbered per community and school year, signed by the leader."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    school_year = models.PositiveSmallIntegerField(_("school year starting"))
    number = models.PositiveIntegerField(_("number"))
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="minutes"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("signed by"),
    )  # fmt: skip
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("secretary"),
    )  # fmt: skip
    # The items of the plan's meeting these minutes cover; ticked done on the plan with them.
    covered_items = models.ManyToManyField(
        "planning.AgendaItem", blank=True, related_name="covered_by_minutes",
        verbose_name=_("plan items covered"),
    )  # fmt: skip
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        ordering = ["-school_year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "school_year", "number"], name="uniq_minutes_number"
            )
        ]

    def __str__(self) -> str:
        return f"№ {self.number} ({self.school_year}/{self.school_year + 1})"

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None


class Addendum(models.Model):
    """A correction to signed minutes; the signed text itself never changes."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="addenda")
    text = models.TextField(_("text"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("addendum")
        verbose_name_plural = _("addenda")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class Decision(models.Model):
    """A decision or recommendation of a meeting, binding on members (002 §5.3)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    question = models.ForeignKey(
        AgendaQuestion, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="decisions"
    )
    text = models.TextField(_("decision"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assignee"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="decisions",
    )  # fmt: skip
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["assignee", "status", "due_on"]),
            models.Index(fields=["community", "status", "due_on"]),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def is_overdue(self) -> bool:
        return (
            self.status != self.Status.DONE
            and self.due_on is not None
            and self.due_on < timezone.localdate()
        )


class Attachment(models.Model):
    """Evidence attached to a decision or a plan item: a file or a link."""

    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    plan_item = models.ForeignKey(
        "planning.AgendaItem", null=True, blank=True, on_delete=models.CASCADE,
        related_name="attachments",
    )  # fmt: skip
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to=GeneratedName("evidence"), blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    url = models.URLField(_("link"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title


class CalendarFeed(models.Model):
    """A private iCalendar link: a person's meetings or one community's."""

    token = models.CharField(max_length=64, unique=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
        related_name="calendar_feeds",
    )  # fmt: skip
    community = models.ForeignKey(
        "communities.Community", null=True, blank=True, on_delete=models.CASCADE,
        related_name="calendar_feeds",
    )  # fmt: skip
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar link")
        verbose_name_plural = _("calendar links")
        constraints = [
            models.UniqueConstraint(fields=["owner", "community"], name="uniq_calendar_feed")
        ]

    def __str__(self) -> str:
        return str(self.community or self.person)
