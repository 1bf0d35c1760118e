"""Events of professional learning: kinds as data, the event and its programme, registration with
a waiting list, attendance, feedback, materials, the organiser's analysis, olympiad protocols."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.uploads import GeneratedName


class EventKind(models.Model):
    """A kind of event (seminar, master class, subject decade, olympiad stage…), kept as data so
    the centre adds kinds without a release."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    # A subject decade: an event with its own programme of child events and a final report.
    is_series = models.BooleanField(_("has a programme of events"), default=False)
    # An olympiad stage (or a contest): keeps a protocol of participants' scores and places.
    has_protocol = models.BooleanField(_("keeps a protocol of results"), default=False)
    order = models.PositiveSmallIntegerField(_("display order"), default=0)

    class Meta:
        verbose_name = _("event kind")
        verbose_name_plural = _("event kinds")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Event(models.Model):
    """An event organised by a community, an organisation, a network or the centre of a
    territory, for an audience."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ANNOUNCED = "announced", _("Announced")
        CANCELLED = "cancelled", _("Cancelled")
        HELD = "held", _("Held")

    class Audience(models.TextChoices):
        MEMBERS = "members", _("Members of the community")
        SCHOOL = "school", _("Teachers of the school")
        NETWORK = "network", _("Schools of the network")
        TERRITORY = "territory", _("Teachers of the territory")
        OPEN = "open", _("Open to everyone")

    kind = models.ForeignKey(
        EventKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="events"
    )
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    organiser_community = models.ForeignKey(
        "communities.Community", verbose_name=_("organising community"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="events",
    )  # fmt: skip
    organiser_organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("organising organisation"), null=True,
        blank=True, on_delete=models.PROTECT, related_name="events",
    )  # fmt: skip
    organiser_network = models.ForeignKey(
        "organisations.Network", verbose_name=_("organising network"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="events",
    )  # fmt: skip
    organiser_territory = models.ForeignKey(
        "organisations.Territory", verbose_name=_("organising centre's territory"), null=True,
        blank=True, on_delete=models.PROTECT, related_name="events",
    )  # fmt: skip
    # Where the event belongs (from its organiser): the region's calendar and the audience
    # "territory" read it.
    territory = models.ForeignKey(
        "organisations.Territory", verbose_name=_("territory"), on_delete=models.PROTECT,
        related_name="+", editable=False,
    )  # fmt: skip
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.OPEN
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Leave empty for no limit")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("part of the programme of"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="children",
    )  # fmt: skip
    agenda_item = models.ForeignKey(
        "planning.AgendaItem", verbose_name=_("plan item carried out"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="events",
    )  # fmt: skip
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("responsible"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="responsible_events",
    )  # fmt: skip
    # The organiser's analysis (a reflective report) or, for a decade, its final report.
    analysis = models.TextField(_("organiser's analysis"), blank=True)
    held_at = models.DateTimeField(_("held (attendance closed) at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # iCalendar SEQUENCE: raised on every change of time or place, and on cancellation.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    feedback_asked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["status", "starts_at"]),
            models.Index(fields=["starts_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({timezone.localtime(self.starts_at):%d.%m.%Y})"

    @property
    def organiser(self):
        return (
            self.organiser_community
            or self.organiser_organisation
            or self.organiser_network
            or self.organiser_territory
        )


class ProgrammeItem(models.Model):
    """A row of the event's programme: a time, a title, a speaker (a person or a typed name)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="programme")
    order = models.PositiveSmallIntegerField(default=0)
    time = models.TimeField(_("time"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=500)
    speaker = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("speaker"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="speaker_at",
    )  # fmt: skip
    speaker_name = models.CharField(_("speaker (name)"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("programme item")
        verbose_name_plural = _("programme items")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def speaker_display(self) -> str:
        if self.speaker_id:
            return self.speaker.get_full_name() or self.speaker.username
        return self.speaker_name


class Registration(models.Model):
    """A person registered for an event, or waiting for a place (first come, first served)."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    class Marked(models.TextChoices):
        ORGANISER = "organiser", _("By the organiser")
        QR = "qr", _("By QR code")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REGISTERED
    )
    # The place in the queue: set on (re-)registering, so the waiting list is first come first
    # served and someone returning after cancelling joins at the end.
    queued_at = models.DateTimeField(_("registered at"), default=timezone.now)
    attended = models.BooleanField(_("attended"), default=False)
    attended_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    marked_by = models.CharField(
        _("attendance marked"), max_length=10, choices=Marked.choices, blank=True
    )

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["queued_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="uniq_event_registration")
        ]
        indexes = [
            models.Index(fields=["event", "status", "queued_at"]),
            models.Index(fields=["person", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.event}"


class Feedback(models.Model):
    """A participant's feedback after the event: ratings 1–5 and a comment, once each."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="feedback")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_feedback"
    )
    rating = models.PositiveSmallIntegerField(
        _("overall"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    usefulness = models.PositiveSmallIntegerField(
        _("usefulness for my work"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="uniq_event_feedback")
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.event}: {self.rating}"


class Material(models.Model):
    """A material of the event: a file, a link or a video link."""

    class Kind(models.TextChoices):
        FILE = "file", _("File")
        LINK = "link", _("Link")
        VIDEO = "video", _("Video link")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to=GeneratedName("events"), blank=True)
    url = models.URLField(_("link"), blank=True)
    # Photos of the organiser's analysis are materials shown with the report.
    is_photo = models.BooleanField(_("photo of the analysis"), default=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return self.title


class ProtocolRow(models.Model):
    """A participant of an olympiad stage: pupils are named only by first name, the initial of
    the family name and the class."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="protocol")
    order = models.PositiveSmallIntegerField(default=0)
    first_name = models.CharField(_("first name"), max_length=50)
    initial = models.CharField(_("initial of the family name"), max_length=2)
    school_class = models.CharField(_("class"), max_length=10)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    place = models.PositiveSmallIntegerField(_("place"), null=True, blank=True)

    class Meta:
        verbose_name = _("protocol row")
        verbose_name_plural = _("protocol rows")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.initial}. ({self.school_class})"
