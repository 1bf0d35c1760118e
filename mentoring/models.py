"""Mentoring pairs, their plans, the log of sessions, the reports of both sides and the curators'
year-end analysis (004 doc. 10–11, plan meetings 1 and 4; 003 app. 3 §4–5)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Pair(models.Model):
    """A mentor and a mentee: a leaders' pair between schools (wrapping its `leaders_pair`
    community, one Pair per community) or a senior mentor and a young teacher inside a school's
    PLC (the PLC is the community; both are its members)."""

    class Kind(models.TextChoices):
        LEADERS = "leaders", _("Leaders' pair")
        SCHOOL = "school", _("Pair in a school PLC")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        FINISHED = "finished", _("Finished")

    community = models.ForeignKey(
        "communities.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="mentoring_pairs",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentor"),
        on_delete=models.PROTECT,
        related_name="mentoring_as_mentor",
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentee"),
        on_delete=models.PROTECT,
        related_name="mentoring_as_mentee",
    )
    school_year = models.PositiveSmallIntegerField(_("school year starting"))
    focus = models.CharField(_("focus of the mentoring"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("appointed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mentoring pair")
        verbose_name_plural = _("mentoring pairs")
        ordering = ["-school_year", "community__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["community"],
                condition=Q(kind="leaders"),
                name="mentoring_one_pair_per_leaders_community",
            ),
            models.UniqueConstraint(
                fields=["community", "mentee", "school_year"],
                name="mentoring_one_pair_per_mentee_year",
            ),
            models.CheckConstraint(
                condition=~Q(mentor=F("mentee")), name="mentoring_mentor_is_not_mentee"
            ),
        ]
        indexes = [
            models.Index(fields=["mentor", "status"]),
            models.Index(fields=["mentee", "status"]),
            models.Index(fields=["kind", "school_year"]),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} — {self.mentee}"

    @property
    def school_year_label(self) -> str:
        return f"{self.school_year}/{self.school_year + 1}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def side_of(self, user) -> str | None:
        """ "mentor", "mentee" or None: which side of the pair the user is."""
        if user is None or not user.is_authenticated:
            return None
        if user.pk == self.mentor_id:
            return Report.Side.MENTOR
        if user.pk == self.mentee_id:
            return Report.Side.MENTEE
        return None


class MentoringPlan(models.Model):
    """The pair's plan: goals and planned meetings; submitted by a side, approved by the school
    administration (a PLC pair) or the curator (a leaders' pair)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for approval")
        APPROVED = "approved", _("Approved")

    pair = models.OneToOneField(Pair, on_delete=models.CASCADE, related_name="plan")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    version = models.PositiveIntegerField(default=1)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mentoring plan")
        verbose_name_plural = _("mentoring plans")

    def __str__(self) -> str:
        return str(self.pair)


class PlanGoal(models.Model):
    plan = models.ForeignKey(MentoringPlan, on_delete=models.CASCADE, related_name="goals")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("goal"), max_length=500)
    measure = models.CharField(_("how we will know"), max_length=500, blank=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text


class Session(models.Model):
    """One entry of the pair's log; either side writes, both see all (003 app. 3 §4.1)."""

    class Form(models.TextChoices):
        MENTORING = "mentoring", _("Mentoring")
        CONSULTATION = "consultation", _("Consultation")
        BRAINSTORMING = "brainstorming", _("Brainstorming")
        LESSON_VISIT = "lesson_visit", _("Lesson visit")

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("date"))
    form = models.CharField(_("form"), max_length=15, choices=Form.choices)
    topic = models.CharField(_("topic"), max_length=300)
    remote = models.BooleanField(
        _("held remotely"), default=False, help_text=_("By phone, video call or messenger")
    )
    notes = models.TextField(_("what was discussed"), blank=True)
    next_steps = models.TextField(_("agreed next steps"), blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mentoring session")
        verbose_name_plural = _("mentoring sessions")
        ordering = ["-held_on", "-id"]
        constraints = [
            # A double submit of the same entry is one entry.
            models.UniqueConstraint(
                fields=["pair", "held_on", "form", "topic"], name="mentoring_session_once"
            )
        ]
        indexes = [models.Index(fields=["pair", "held_on"])]

    def __str__(self) -> str:
        return f"{self.held_on:%d.%m.%Y} {self.topic}"


class PlannedSession(models.Model):
    plan = models.ForeignKey(MentoringPlan, on_delete=models.CASCADE, related_name="meetings")
    order = models.PositiveSmallIntegerField(default=0)
    planned_on = models.DateField(_("planned date"))
    form = models.CharField(
        _("form"), max_length=15, choices=Session.Form.choices, default=Session.Form.MENTORING
    )
    topic = models.CharField(_("topic"), max_length=300)

    class Meta:
        ordering = ["planned_on", "order", "id"]

    def __str__(self) -> str:
        return self.topic


class Report(models.Model):
    """A periodic report of one side (004 plan meeting 4: the mentors' and mentees' reports)."""

    class Side(models.TextChoices):
        MENTOR = "mentor", _("Mentor")
        MENTEE = "mentee", _("Mentee")

    class Period(models.TextChoices):
        HALF = "half", _("First half-year")
        YEAR = "year", _("School year")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Sent")

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="reports")
    side = models.CharField(_("side"), max_length=6, choices=Side.choices)
    period = models.CharField(_("period"), max_length=6, choices=Period.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    done = models.TextField(_("what was done"), blank=True)
    results = models.TextField(_("results"), blank=True)
    difficulties = models.TextField(_("difficulties"), blank=True)
    plans = models.TextField(_("plans"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    seen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    seen_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mentoring report")
        verbose_name_plural = _("mentoring reports")
        ordering = ["pair", "period", "side"]
        constraints = [
            models.UniqueConstraint(fields=["pair", "side", "period"], name="mentoring_report_once")
        ]

    def __str__(self) -> str:
        return f"{self.pair}: {self.get_side_display()}, {self.get_period_display()}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class Analysis(models.Model):
    """The year-end analysis of the pairs: the curators' report on a territory's leaders' pairs
    (003 app. 3 §5.3–5.4) or a school PLC's mentoring report (004 plan meeting 4). The figures
    are read from the records each time; the narrative is the author's, kept with versions."""

    territory = models.ForeignKey(
        "organisations.Territory",
        verbose_name=_("territory"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    community = models.ForeignKey(
        "communities.Community",
        verbose_name=_("community"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    school_year = models.PositiveSmallIntegerField(_("school year starting"))
    conclusions = models.TextField(_("conclusions"), blank=True)
    problems = models.TextField(_("problems"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mentoring analysis")
        verbose_name_plural = _("mentoring analyses")
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "school_year"],
                condition=Q(community__isnull=True),
                name="mentoring_analysis_territory_year",
            ),
            models.UniqueConstraint(
                fields=["community", "school_year"],
                condition=Q(community__isnull=False),
                name="mentoring_analysis_community_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.territory or self.community} {self.school_year}"


class AnalysisVersion(models.Model):
    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    conclusions = models.TextField(blank=True)
    problems = models.TextField(blank=True)
    proposals = models.TextField(blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["analysis", "number"], name="mentoring_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.analysis} v{self.number}"


class PairSurvey(models.Model):
    """A relationship survey asked of a pair's two sides. A leaders' pair's survey is owned by
    its community of two; a PLC pair's by the PLC, asking only the mentor and the mentee."""

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="survey_links")
    survey = models.OneToOneField(
        "surveys.Survey", on_delete=models.CASCADE, related_name="mentoring_pair_link"
    )

    class Meta:
        verbose_name = _("relationship survey of a pair")
        verbose_name_plural = _("relationship surveys of pairs")

    def __str__(self) -> str:
        return f"{self.pair} — {self.survey}"
