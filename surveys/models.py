"""Surveys (анкетирование): the builder's questions, the answers, anonymous or named.

An anonymous survey keeps who has answered (`Participation`, so one person answers once) apart
from what was answered (`Response`): neither carries a timestamp or an ordered key the other
could be matched by. A response keeps the respondent's school, network, territory and subject at
the time of answering, read only as aggregates (the deficits map), never shown per response.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Results of an anonymous survey, and each cell of the deficits map, are shown from this many
# respondents on: fewer could name who answered what.
MIN_ANONYMOUS = 5


class Survey(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class Audience(models.TextChoices):
        SCOPE = "scope", _("The people of the owner (members, staff, schools of the network)")
        SIGNED_IN = "signed_in", _("Anyone signed in")
        # Set by an app for a few named people (a mentoring pair's two sides); never chosen in
        # the builder, whose choices are CHOOSABLE.
        PEOPLE = "people", _("Named people only")

    title = models.CharField(_("title"), max_length=300)
    intro = models.TextField(_("introduction"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    # The owner: exactly one of these. Its people are the audience unless it is open to all.
    community = models.ForeignKey(
        "communities.Community", verbose_name=_("community"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="surveys",
    )  # fmt: skip
    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("organisation"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="surveys",
    )  # fmt: skip
    network = models.ForeignKey(
        "organisations.Network", verbose_name=_("network"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="surveys",
    )  # fmt: skip
    territory = models.ForeignKey(
        "organisations.Territory", verbose_name=_("territory"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="surveys",
    )  # fmt: skip
    audience = models.CharField(
        _("who answers"), max_length=10, choices=Audience.choices, default=Audience.SCOPE
    )
    respondents = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("respondents"), blank=True,
        related_name="surveys_named_in",
        help_text=_("Who is asked, when only named people are."),
    )  # fmt: skip
    anonymous = models.BooleanField(
        _("anonymous"),
        default=True,
        help_text=_("Who answered is not stored with the answers."),
    )
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    template_code = models.CharField(_("template"), max_length=40, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # The count of responses, kept with each submission so lists need no count per row.
    response_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        community__isnull=False,
                        organisation__isnull=True,
                        network__isnull=True,
                        territory__isnull=True,
                    )
                    | Q(
                        community__isnull=True,
                        organisation__isnull=False,
                        network__isnull=True,
                        territory__isnull=True,
                    )
                    | Q(
                        community__isnull=True,
                        organisation__isnull=True,
                        network__isnull=False,
                        territory__isnull=True,
                    )
                    | Q(
                        community__isnull=True,
                        organisation__isnull=True,
                        network__isnull=True,
                        territory__isnull=False,
                    )
                ),  # fmt: skip
                name="survey_one_owner",
            )
        ]
        indexes = [models.Index(fields=["status", "template_code"])]

    def __str__(self) -> str:
        return self.title

    @property
    def owner(self):
        return self.community or self.organisation or self.network or self.territory

    @property
    def results_hidden(self) -> bool:
        """An anonymous survey's results wait for enough respondents to hide each of them."""
        return self.anonymous and self.response_count < MIN_ANONYMOUS


# The audiences a person may choose in the builder and the API; PEOPLE is set by the apps.
CHOOSABLE_AUDIENCES = [
    (value, label) for value, label in Survey.Audience.choices if value != Survey.Audience.PEOPLE
]


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        SCALE = "scale", _("Scale")
        SHORT = "short", _("Short text")
        LONG = "long", _("Long text")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    text = models.CharField(_("question"), max_length=1000)
    help_text = models.CharField(_("hint"), max_length=500, blank=True)
    required = models.BooleanField(_("required"), default=False)
    scale_min = models.SmallIntegerField(_("scale from"), default=1)
    scale_max = models.SmallIntegerField(_("scale to"), default=5)
    min_label = models.CharField(_("label of the lowest value"), max_length=100, blank=True)
    max_label = models.CharField(_("label of the highest value"), max_length=100, blank=True)
    # A template's key of the question (an area of the needs map, "subject"…); empty otherwise.
    code = models.CharField(max_length=40, blank=True, editable=False)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["order", "id"]
        indexes = [models.Index(fields=["code"])]

    def __str__(self) -> str:
        return self.text

    @property
    def has_options(self) -> bool:
        return self.kind in (self.Kind.SINGLE, self.Kind.MULTIPLE)

    @property
    def scale_values(self) -> list[int]:
        return list(range(self.scale_min, self.scale_max + 1))


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("option"), max_length=500)
    code = models.CharField(max_length=40, blank=True, editable=False)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text


class Participation(models.Model):
    """That a person has answered a survey — and nothing about what or when.

    A random key and no time, so it cannot be lined up with an anonymous response."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="participations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_participations"
    )

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["survey", "person"], name="uniq_survey_participation")
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.survey}"


class Response(models.Model):
    """One person's answers. `respondent` and `submitted_at` only on a named survey."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("respondent"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="survey_responses",
    )  # fmt: skip
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # The respondent's place when answering: read only as aggregates (the deficits map).
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    network = models.ForeignKey(
        "organisations.Network", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    territory = models.ForeignKey(
        "organisations.Territory", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    subject = models.CharField(_("subject"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "respondent"],
                condition=Q(respondent__isnull=False),
                name="uniq_named_response",
            )
        ]

    def __str__(self) -> str:
        return str(self.survey)


class Answer(models.Model):
    """One answer: a chosen option (a multiple choice has a row per option), a number of the
    scale, or a text."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    option = models.ForeignKey(
        Option, null=True, blank=True, on_delete=models.CASCADE, related_name="answers"
    )
    number = models.SmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [models.Index(fields=["question", "option"])]

    def __str__(self) -> str:
        return str(self.question)
