"""Targeted consultations on request of the leaders of low-results schools (адресная
консультация, 003 app. 1 §2.1, §4.1.2; app. 3 §4.1.2; app. 4 §4.2.3): the question, who it is
addressed to, who took and answered it, the asker's rating, and the anonymised FAQ made of it."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.uploads import GeneratedName


class ConsultationTopic(models.Model):
    """What a question is about (preparing for ОГЭ, ЕГЭ, ВПР, PISA…), kept as data so the centre
    adds topics without a release."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("display order"), default=0)

    class Meta:
        verbose_name = _("consultation topic")
        verbose_name_plural = _("consultation topics")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class ConsultationRequest(models.Model):
    class Addressee(models.TextChoices):
        COUNCIL = "council", _("Consultative council")
        MENTOR = "mentor", _("My mentor")
        ASSOCIATION = "association", _("Inter-school association")
        CURATOR = "curator", _("Curator")

    class Urgency(models.TextChoices):
        NORMAL = "normal", _("Normal")
        URGENT = "urgent", _("Urgent")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        TAKEN = "taken", _("Taken")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Rated and closed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    OPEN = (Status.SUBMITTED, Status.TAKEN)
    # Days to an answer (by urgency): what the board counts as overdue.
    DAYS_TO_ANSWER = {Urgency.NORMAL: 10, Urgency.URGENT: 3}

    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("asked by"), on_delete=models.PROTECT,
        related_name="consultation_requests",
    )  # fmt: skip
    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("asker's organisation"), null=True,
        blank=True, on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    addressee = models.CharField(_("addressed to"), max_length=12, choices=Addressee.choices)
    # The council, the association, or the leaders' pair of the asker's mentor.
    community = models.ForeignKey(
        "communities.Community", verbose_name=_("community"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="consultation_requests",
    )  # fmt: skip
    # The mentor or the curator asked in person.
    responder = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("addressed person"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="consultations_addressed",
    )  # fmt: skip
    # Where the request belongs: the board of the territory's centre reads it.
    territory = models.ForeignKey(
        "organisations.Territory", verbose_name=_("territory"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    topic = models.ForeignKey(
        ConsultationTopic, verbose_name=_("topic"), on_delete=models.PROTECT,
        related_name="requests",
    )  # fmt: skip
    question = models.TextField(_("question"))
    # Same asker, addressee and text: a double submit, refused by a constraint while open.
    digest = models.CharField(max_length=64, editable=False)
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    due_by = models.DateField(_("answer due by"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("taken by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="consultations_taken",
    )  # fmt: skip
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)

    class Meta:
        verbose_name = _("consultation request")
        verbose_name_plural = _("consultation requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["asker", "digest"],
                condition=Q(status__in=["submitted", "taken"]),
                name="consultations_one_open_copy",
            ),
            models.CheckConstraint(
                condition=Q(community__isnull=False) | Q(responder__isnull=False),
                name="consultations_has_addressee",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["territory", "status", "created_at"]),
            models.Index(fields=["community", "status"]),
            models.Index(fields=["responder", "status"]),
            models.Index(fields=["asker", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.topic}: {self.question[:60]}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def age_days(self) -> int:
        end = self.answered_at or timezone.now()
        return (end - self.created_at).days

    @property
    def is_overdue(self) -> bool:
        return self.is_open and timezone.localdate() > self.due_by


class ConsultationAttachment(models.Model):
    request = models.ForeignKey(
        ConsultationRequest, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=GeneratedName("consultations"))
    filename = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.filename


class ConsultationAnswer(models.Model):
    """The answer: in writing, or a consultation event scheduled for it (or both)."""

    request = models.OneToOneField(
        ConsultationRequest, on_delete=models.CASCADE, related_name="answer"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("answered by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    text = models.TextField(_("answer"), blank=True)
    event = models.ForeignKey(
        "events.Event", verbose_name=_("consultation event"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return self.text[:60]


class ConsultationRating(models.Model):
    request = models.OneToOneField(
        ConsultationRequest, on_delete=models.CASCADE, related_name="rating"
    )
    score = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="consultations_score_1_5"
            )
        ]

    def __str__(self) -> str:
        return str(self.score)


class FaqEntry(models.Model):
    """A question and its answer rewritten without the asker's name or school, published for
    everyone by a curator, a centre administrator or the council's chair."""

    topic = models.ForeignKey(
        ConsultationTopic, verbose_name=_("topic"), on_delete=models.PROTECT, related_name="faq"
    )
    question = models.TextField(_("question"))
    answer = models.TextField(_("answer"))
    source = models.OneToOneField(
        ConsultationRequest, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="faq_entry",
    )  # fmt: skip
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), default=timezone.now)

    class Meta:
        verbose_name = _("frequently asked question")
        verbose_name_plural = _("frequently asked questions")
        ordering = ["topic__order", "-published_at", "-id"]
        indexes = [models.Index(fields=["topic", "published_at"])]

    def __str__(self) -> str:
        return self.question[:80]
