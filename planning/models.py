from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _


class ResearchPlan(models.Model):
    """A network's or centre's long-term plan on a methodological theme (3–5 years, 001 §2.2)."""

    title = models.CharField(_("title"), max_length=300)
    theme = models.CharField(_("methodological theme"), max_length=500)
    start_year = models.PositiveSmallIntegerField(
        _("from year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    end_year = models.PositiveSmallIntegerField(
        _("to year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    network = models.ForeignKey(
        "organisations.Network", null=True, blank=True, on_delete=models.CASCADE
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.CASCADE
    )
    stages = models.TextField(_("stages and expected results"), blank=True)

    class Meta:
        verbose_name = _("research plan")
        verbose_name_plural = _("research plans")
        ordering = ["-start_year", "title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.start_year}–{self.end_year})"


class Plan(models.Model):
    """A community's annual plan of work; an approved plan is frozen, changes make a revision."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        DISCUSSED = "discussed", _("Discussed at a meeting")
        AGREED = "agreed", _("Agreed")
        APPROVED = "approved", _("Approved")
        SUPERSEDED = "superseded", _("Replaced by a later revision")

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="plans"
    )
    school_year = models.PositiveSmallIntegerField(
        _("school year starting"),
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("The year the school year starts, e.g. 2026 for 2026/2027"),
    )
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next_revision"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    priority_directions = models.TextField(_("priority directions"), blank=True)
    theme = models.CharField(_("theme"), max_length=500, blank=True)
    goals = models.TextField(_("goals"), blank=True)
    tasks = models.TextField(_("tasks"), blank=True)
    research_plan = models.ForeignKey(
        ResearchPlan,
        verbose_name=_("long-term research plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    # Bumped on every save; a save carrying an older number is refused (two editors at once).
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("plan of work")
        verbose_name_plural = _("plans of work")
        ordering = ["-school_year", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "school_year", "revision"], name="uniq_plan_revision"
            )
        ]
        indexes = [models.Index(fields=["community", "-school_year", "-revision"])]

    def __str__(self) -> str:
        return f"{self.school_year}/{self.school_year + 1} ({self.revision})"

    @property
    def school_year_label(self) -> str:
        return f"{self.school_year}/{self.school_year + 1}"

    @property
    def is_frozen(self) -> bool:
        return self.status != self.Status.DRAFT


class Target(models.Model):
    """An expected result as a measurable target («качество знаний составит 70%»)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    order = models.PositiveSmallIntegerField(default=0)
    indicator = models.CharField(_("indicator"), max_length=500)
    unit = models.CharField(_("unit"), max_length=30, default="%")
    baseline = models.DecimalField(
        _("baseline"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(_("target"), max_digits=10, decimal_places=2)
    actual = models.DecimalField(
        _("actual"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    # The actual value is a measurement taken during the year, not a change of plan: who and when.
    actual_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("actual value entered by"),
    )  # fmt: skip
    actual_at = models.DateTimeField(_("actual value entered at"), null=True, blank=True)
    responsible = models.CharField(_("responsible"), max_length=500, blank=True)
    measurement = models.CharField(_("how it is measured"), max_length=500, blank=True)
    # Computed from Collegium's records (planning.indicators) rather than typed: the code of the
    # source; its options (e.g. a subject) when it has any.
    source = models.CharField(_("computed from"), max_length=60, blank=True)
    source_options = models.JSONField(default=dict, blank=True)
    higher_is_better = models.BooleanField(
        _("higher is better"), default=True,
        help_text=_("Off when the target is a ceiling (e.g. the share of failing marks)."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("expected result")
        verbose_name_plural = _("expected results")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.indicator

    def clean(self) -> None:
        from . import indicators

        if self.source and indicators.get(self.source) is None:
            raise ValidationError({"source": _("Choose a figure from the list.")})
        if not isinstance(self.source_options, dict):
            raise ValidationError({"source_options": _("Options are a JSON object.")})


class PlannedMeeting(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="meetings")
    order = models.PositiveSmallIntegerField(default=0)
    month = models.PositiveSmallIntegerField(_("month"), choices=list(MONTHS.items()))
    title = models.CharField(_("title"), max_length=500)

    class Meta:
        verbose_name = _("planned meeting")
        verbose_name_plural = _("meeting plan")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def month_name(self) -> str:
        """get_month_display without rebuilding the choices for every row of the plan's table."""
        return MONTHS.get(self.month, "")


class AgendaItem(models.Model):
    """One row of the plan's table: content, actions, leaders, monitoring of execution."""

    meeting = models.ForeignKey(PlannedMeeting, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(default=0)
    section = models.CharField(_("content"), max_length=300, blank=True)
    action = models.CharField(_("action"), max_length=500)
    leaders = models.CharField(_("leaders"), max_length=300, blank=True)
    evidence = models.CharField(
        _("monitoring of execution"),
        max_length=300,
        blank=True,
        help_text=_("Expected evidence: протокол, презентация, сертификаты, портфолио…"),
    )
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.action


class ApprovalStep(models.Model):
    class Action(models.TextChoices):
        DISCUSSED = "discussed", _("Discussed at a meeting")
        AGREED = "agreed", _("Agreed")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Sent back")
        REVISED = "revised", _("New revision started")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} — {self.actor}"
