"""Lesson study (004 doc. 12, 002 #4–6), action research and lesson visits (002 #7).

Pupils are never named: a cycle's case pupils are kept under pseudonyms (A, B, C) only, and
every sheet, page and report shows those.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.uploads import GeneratedName

TEXT_LIMIT = 20000


class Cycle(models.Model):
    """One lesson-study cycle of a team, or a lighter action-research cycle."""

    class Kind(models.TextChoices):
        LESSON_STUDY = "lesson_study", _("Lesson study")
        ACTION_RESEARCH = "action_research", _("Action research")

    class Stage(models.TextChoices):
        PLANNING = "planning", _("Planning the lesson")
        RESEARCH_LESSON = "research_lesson", _("Research lesson")
        DISCUSSION = "discussion", _("Post-lesson discussion")
        REVISED_LESSON = "revised_lesson", _("Revised lesson")
        REPORT = "report", _("Report")

    community = models.ForeignKey(
        "communities.Community",
        verbose_name=_("team"),
        on_delete=models.CASCADE,
        related_name="lesson_study_cycles",
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.LESSON_STUDY
    )
    research_question = models.TextField(
        _("research question"), validators=[MaxLengthValidator(2000)]
    )
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    class_name = models.CharField(_("class"), max_length=20, blank=True, help_text=_("E.g. «6 Б»"))
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.PLANNING
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    discussion = models.TextField(
        _("post-lesson discussion"), blank=True, validators=[MaxLengthValidator(TEXT_LIMIT)]
    )
    revised_lesson = models.TextField(
        _("revised lesson"),
        blank=True,
        validators=[MaxLengthValidator(TEXT_LIMIT)],
        help_text=_("What was changed in the lesson and how the revised lesson went"),
    )
    # Action research: a question, the actions taken, the data gathered, a conclusion.
    actions = models.TextField(
        _("actions"), blank=True, validators=[MaxLengthValidator(TEXT_LIMIT)]
    )
    data = models.TextField(
        _("data gathered"), blank=True, validators=[MaxLengthValidator(TEXT_LIMIT)]
    )
    conclusions = models.TextField(
        _("conclusions"), blank=True, validators=[MaxLengthValidator(TEXT_LIMIT)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("lesson-study cycle")
        verbose_name_plural = _("lesson-study cycles")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["community", "-created_at"])]

    def __str__(self) -> str:
        return self.research_question[:80]

    @property
    def is_lesson_study(self) -> bool:
        return self.kind == self.Kind.LESSON_STUDY

    @property
    def stages(self) -> list[str]:
        if self.is_lesson_study:
            return list(self.Stage.values)
        return [self.Stage.PLANNING, self.Stage.REPORT]

    @property
    def stage_index(self) -> int:
        return self.stages.index(self.stage)

    @property
    def next_stage(self) -> str | None:
        stages = self.stages
        i = self.stage_index
        return stages[i + 1] if i + 1 < len(stages) else None


class LessonPlan(models.Model):
    """One version of the lesson plan; a revision is a new row, the old ones stay."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="lesson_plans")
    number = models.PositiveSmallIntegerField(_("version"))
    text = models.TextField(
        _("lesson plan"), blank=True, validators=[MaxLengthValidator(TEXT_LIMIT)]
    )
    file = models.FileField(_("file"), upload_to=GeneratedName("lesson_plans"), blank=True)
    file_name = models.CharField(max_length=200, blank=True, editable=False)
    note = models.CharField(_("what changed"), max_length=500, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lesson plan version")
        verbose_name_plural = _("lesson plan versions")
        ordering = ["cycle", "number"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "number"], name="uniq_lesson_plan_version")
        ]

    def __str__(self) -> str:
        return f"{self.cycle_id}/{self.number}"


def validate_pseudonym(value: str) -> None:
    """A case pupil is a letter or two (A, B, C, A1), never a name (004 doc. 12)."""
    if not (1 <= len(value) <= 3 and value.isalnum()):
        raise ValidationError(
            _("A pseudonym is 1–3 letters or digits, such as A, B or C — never a name."),
            code="pseudonym",
        )


class CasePupil(models.Model):
    class Level(models.TextChoices):
        HIGH = "high", _("High achieving")
        AVERAGE = "average", _("Average achieving")
        LOW = "low", _("Low achieving")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="pupils")
    pseudonym = models.CharField(_("pseudonym"), max_length=3, validators=[validate_pseudonym])
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, blank=True)

    class Meta:
        verbose_name = _("case pupil")
        verbose_name_plural = _("case pupils")
        ordering = ["cycle", "pseudonym"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "pseudonym"], name="uniq_case_pupil")
        ]

    def __str__(self) -> str:
        return self.pseudonym


class ResearchLesson(models.Model):
    """The research lesson (round 1) or the revised lesson (round 2), taught by a member and
    observed by others of the team."""

    class Round(models.IntegerChoices):
        RESEARCH = 1, _("Research lesson")
        REVISED = 2, _("Revised lesson")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="lessons")
    round = models.PositiveSmallIntegerField(
        _("lesson"), choices=Round.choices, default=Round.RESEARCH
    )
    date = models.DateField(_("date"))
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    topic = models.CharField(_("lesson topic"), max_length=300, blank=True)
    observers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("observers"), related_name="+", blank=True
    )

    class Meta:
        verbose_name = _("research lesson")
        verbose_name_plural = _("research lessons")
        ordering = ["cycle", "round"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "round"], name="uniq_research_lesson_round")
        ]

    def __str__(self) -> str:
        return f"{self.get_round_display()} {self.date:%d.%m.%Y}"


class ObservationSheet(models.Model):
    """What an observer expected of a case pupil, what was seen and the evidence."""

    lesson = models.ForeignKey(ResearchLesson, on_delete=models.CASCADE, related_name="sheets")
    pupil = models.ForeignKey(CasePupil, on_delete=models.CASCADE, related_name="sheets")
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="observation_sheets"
    )
    expected = models.TextField(
        _("what was expected"), blank=True, validators=[MaxLengthValidator(TEXT_LIMIT)]
    )
    observed = models.TextField(
        _("what was seen"), blank=True, validators=[MaxLengthValidator(TEXT_LIMIT)]
    )
    evidence = models.TextField(
        _("evidence"), blank=True, validators=[MaxLengthValidator(TEXT_LIMIT)]
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("observation sheet")
        verbose_name_plural = _("observation sheets")
        ordering = ["lesson", "pupil__pseudonym", "observer__last_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["lesson", "pupil", "observer"], name="uniq_observation_sheet"
            )
        ]
        indexes = [models.Index(fields=["observer", "lesson"])]

    def __str__(self) -> str:
        return f"{self.lesson_id}/{self.pupil_id}/{self.observer_id}"

    @property
    def is_filled(self) -> bool:
        return bool(self.observed.strip())


class LessonVisit(models.Model):
    """A teacher visiting a colleague's lesson, logged by the visitor (002 #7, 004 doc. 12)."""

    class LessonKind(models.TextChoices):
        ORDINARY = "ordinary", _("Ordinary lesson")
        OPEN = "open", _("Open lesson")
        INNOVATIVE = "innovative", _("Innovative lesson")

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="lesson_visits"
    )
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("visitor"),
        on_delete=models.CASCADE,
        related_name="lesson_visits_made",
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher visited"),
        on_delete=models.CASCADE,
        related_name="lesson_visits_received",
    )
    date = models.DateField(_("date"))
    class_name = models.CharField(_("class"), max_length=20)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    focus = models.CharField(_("focus of the visit"), max_length=500, blank=True)
    lesson_kind = models.CharField(
        _("lesson kind"), max_length=12, choices=LessonKind.choices, default=LessonKind.ORDINARY
    )
    feedback_given = models.BooleanField(_("feedback given"), default=False)
    feedback = models.TextField(
        _("feedback"), blank=True, validators=[MaxLengthValidator(TEXT_LIMIT)]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lesson visit")
        verbose_name_plural = _("lesson visits")
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "visitor", "teacher", "date", "class_name"],
                name="uniq_lesson_visit",
            ),
            models.CheckConstraint(
                condition=~models.Q(visitor=models.F("teacher")), name="visit_not_own_lesson"
            ),
        ]
        indexes = [models.Index(fields=["community", "-date"])]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.class_name}"
