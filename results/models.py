"""Pupils' results: grading scales and assessment periods as data per country, the imported rows
of mark counts, and a summary per school, year, period and subject kept up to date on import.

Scale (issue 9 part 6: ten million rows at size L, indicator pages at p95 ≤ 200 ms):

- ``ResultRow`` is the record behind every figure: one class's marks in one subject for one
  period. Its unique constraint (school, year, period, grade, letter, subject) is also the index
  every school page and rows page reads by (an equality prefix on school, year and period); a
  second index (teacher, year, period) serves a teacher's and a community's indicators (a
  community's figures are its members' classes, a few hundred rows at most), a third (subject,
  year, period, school) the rows behind one cell of a network's or territory's table (the
  school in it lets the page's count be an index-only scan once the table is vacuumed). It
  leads with the subject so that a query without one (a community's, by teacher) is never
  steered to it: SQLite has no statistics unless ANALYZE was run, and at size M it read two
  years of rows through an index led by the year.
- ``ResultSummary`` holds the sums per (school, year, period, subject). The import rewrites the
  summaries of the (school, year, period) pairs it touched in the same transaction as the rows,
  so a school page reads a few dozen summary rows instead of thousands of class rows, and a
  territory's or network's page sums ~1,000 schools × subjects summary rows (index year, period,
  school) instead of millions. Summaries are never edited by hand; ``rebuild_summaries`` can
  recompute them from the rows at any time.
- ``TerritorySummary`` holds the same sums per territory (its schools at any depth), rewritten
  with them, so a territory's indicator table reads its own few hundred rows; the comparison of
  its schools and the rows behind a figure still read ``ResultSummary`` and ``ResultRow``.

Kept open for later sessions: exam and control-work results (scores per pupil aggregated per
class) get their own model beside ``ResultRow``; an indicator's definition lives in
``results.indicators`` so a plan target can name it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import BackgroundJob
from core.uploads import GeneratedName

YEARS = [MinValueValidator(2000), MaxValueValidator(2100)]


class GradingScale(models.Model):
    """How marks run in a country's schools; the counts of ``ResultRow`` are those of a 5-point
    scale (5 best, 2 a fail), which is what Russia and Kazakhstan give for periods."""

    country_code = models.CharField(_("country code"), max_length=2)
    code = models.SlugField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    best_mark = models.PositiveSmallIntegerField(_("best mark"), default=5)
    worst_mark = models.PositiveSmallIntegerField(_("worst mark"), default=2)
    pass_mark = models.PositiveSmallIntegerField(_("lowest passing mark"), default=3)
    quality_mark = models.PositiveSmallIntegerField(
        _("lowest mark counted in knowledge quality"), default=4
    )
    is_default = models.BooleanField(_("the country's default"), default=True)

    class Meta:
        verbose_name = _("grading scale")
        verbose_name_plural = _("grading scales")
        ordering = ["country_code", "code"]
        constraints = [
            models.UniqueConstraint(fields=["country_code", "code"], name="uniq_grading_scale")
        ]

    def __str__(self) -> str:
        return f"{self.country_code}: {self.name}"


class AssessmentPeriod(models.Model):
    """A period marks are given for in a country: a quarter, trimester, half-year or the year."""

    class Kind(models.TextChoices):
        QUARTER = "quarter", _("Quarter")
        TRIMESTER = "trimester", _("Trimester")
        HALF = "half", _("Half-year")
        YEAR = "year", _("Year")

    country_code = models.CharField(_("country code"), max_length=2)
    code = models.SlugField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=100)  # data: "1 четверть"
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    number = models.PositiveSmallIntegerField(_("number within the year"), default=1)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("assessment period")
        verbose_name_plural = _("assessment periods")
        ordering = ["country_code", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["country_code", "code"], name="uniq_assessment_period")
        ]

    def __str__(self) -> str:
        return self.name


class ResultImport(BackgroundJob):
    """One upload of a school's results file; the report keeps every bad row with its reason."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Checking")
        CHECKED = "checked", _("Checked")
        APPLIED = "applied", _("Applied")
        FAILED = "failed", _("Failed")

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="result_imports"
    )
    school_year = models.PositiveSmallIntegerField(_("school year"), validators=YEARS)
    # The period of rows whose file has no period column.
    period = models.ForeignKey(
        AssessmentPeriod, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    file = models.FileField(upload_to=GeneratedName("results"))
    original_name = models.CharField(max_length=255)
    dry_run = models.BooleanField(default=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("results import")
        verbose_name_plural = _("results imports")
        ordering = ["-created_at"]

    ACTIVE = (Status.PENDING, Status.RUNNING)

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"


class Counts(models.Model):
    """The counts of marks of a 5-point scale; «н/а» is not assessed (no mark given)."""

    count_5 = models.PositiveIntegerField(_("“5”"), default=0)
    count_4 = models.PositiveIntegerField(_("“4”"), default=0)
    count_3 = models.PositiveIntegerField(_("“3”"), default=0)
    count_2 = models.PositiveIntegerField(_("“2”"), default=0)
    count_na = models.PositiveIntegerField(_("not assessed"), default=0)

    COUNT_FIELDS = ("count_5", "count_4", "count_3", "count_2", "count_na")

    class Meta:
        abstract = True

    @property
    def assessed(self) -> int:
        return self.count_5 + self.count_4 + self.count_3 + self.count_2


class ResultRow(Counts):
    """One class's marks in one subject for one period, as the school's file gave them."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("school"),
        on_delete=models.CASCADE,
        related_name="result_rows",
    )
    school_year = models.PositiveSmallIntegerField(_("school year"), validators=YEARS)
    period = models.ForeignKey(
        AssessmentPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="+"
    )
    grade = models.PositiveSmallIntegerField(
        _("grade"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    letter = models.CharField(_("class letter"), max_length=10, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="result_rows",
    )
    # The name as the file gave it, kept whether or not a person was found for it.
    teacher_name = models.CharField(_("teacher as named in the file"), max_length=300, blank=True)
    source = models.ForeignKey(
        ResultImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="rows"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("result row")
        verbose_name_plural = _("result rows")
        ordering = ["grade", "letter", "subject"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "school_year", "period", "grade", "letter", "subject"],
                name="uniq_result_row",
            )
        ]
        indexes = [
            models.Index(fields=["teacher", "school_year", "period"]),
            # The rows behind a network's or territory's figure of one subject and period (the
            # link from its cell): without it, every school's rows of the period are read.
            models.Index(
                fields=["subject", "school_year", "period", "organisation"],
                name="results_row_subj_year_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.class_name} {self.subject}"

    @property
    def class_name(self) -> str:
        return f"{self.grade}{self.letter}"


class ResultSummary(Counts):
    """The sums of a school's rows per year, period and subject (maintained by the import)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="result_summaries"
    )
    school_year = models.PositiveSmallIntegerField(validators=YEARS)
    period = models.ForeignKey(AssessmentPeriod, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(max_length=200)
    rows = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "school_year", "period", "subject"],
                name="uniq_result_summary",
            )
        ]
        indexes = [models.Index(fields=["school_year", "period", "organisation"])]

    def __str__(self) -> str:
        return self.subject


class TerritorySummary(Counts):
    """The sums of every school under a territory (at any depth) per year, period and subject,
    so that a region's page reads a few hundred rows instead of its schools' ~200,000 summaries.
    Rewritten with a school's summaries (``results.rollups``), when a school moves or is deleted,
    and by ``rebuild_result_rollups``; never edited by hand."""

    # No index of its own: the unique constraint leads with it.
    territory = models.ForeignKey(
        "organisations.Territory", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    school_year = models.PositiveSmallIntegerField(validators=YEARS)
    period = models.ForeignKey(AssessmentPeriod, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(max_length=200)
    rows = models.PositiveIntegerField(default=0)

    class Meta:
        # Also the index of the page's read: one territory, two years.
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "school_year", "period", "subject"],
                name="uniq_territory_summary",
            )
        ]

    def __str__(self) -> str:
        return self.subject


class InnovativeClass(models.Model):
    """A class of a school doing innovative work in a school year (002 §3.3: the dynamics of its
    pupils' achievements are watched inside school monitoring, on a plan a PLC drew up). Blank
    subject: the whole class in every subject; else only that subject's lessons."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("school"),
        on_delete=models.CASCADE,
        related_name="innovative_classes",
    )
    school_year = models.PositiveSmallIntegerField(_("school year"), validators=YEARS)
    grade = models.PositiveSmallIntegerField(
        _("grade"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    letter = models.CharField(_("class letter"), max_length=10, blank=True)
    subject = models.CharField(
        _("subject"), max_length=200, blank=True, help_text=_("Blank: all subjects.")
    )
    innovation = models.CharField(_("innovative work"), max_length=500)
    # The PLC (or another community) whose plan the work follows; kept when it is deleted.
    community = models.ForeignKey(
        "communities.Community",
        verbose_name=_("community running it"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="innovative_classes",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("class doing innovative work")
        verbose_name_plural = _("classes doing innovative work")
        ordering = ["grade", "letter", "subject"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "school_year", "grade", "letter", "subject"],
                name="uniq_innovative_class",
            )
        ]

    def __str__(self) -> str:
        return f"{self.class_name} {self.subject}".strip()

    @property
    def class_name(self) -> str:
        return f"{self.grade}{self.letter}"


# Exams and control works (issue 9: I5-I7). Scores are kept per class, never per pupil: an
# exam file's pupil rows are summed on import and their names never read.


class AssessmentKind(models.Model):
    """A kind of control work or exam a country's schools sit (СОЧ, ВПР, ОГЭ, ЕНТ…), as data.

    ``max_score`` bounds a pupil's score (none where it differs by subject, as in ВПР or ОГЭ);
    ``pass_score`` is the lowest passing score; a kind without one is judged by the mark
    (“3” or better passes) where the file gives it.
    """

    class Level(models.TextChoices):
        CONTROL = "control", _("Control work")
        MOCK = "mock", _("Mock exam")
        FINAL = "final", _("Final exam")

    country_code = models.CharField(_("country code"), max_length=2)
    code = models.SlugField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=100)  # data: "СОЧ", "пробное ЕНТ"
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    max_score = models.PositiveSmallIntegerField(_("maximum score"), null=True, blank=True)
    pass_score = models.PositiveSmallIntegerField(
        _("lowest passing score"),
        null=True,
        blank=True,
        help_text=_("Empty: a pupil passes with the mark “3” or better."),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("kind of assessment")
        verbose_name_plural = _("kinds of assessment")
        ordering = ["country_code", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["country_code", "code"], name="uniq_assessment_kind")
        ]

    def __str__(self) -> str:
        return f"{self.country_code}: {self.name}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.max_score and self.pass_score and self.pass_score > self.max_score:
            raise ValidationError(
                {"pass_score": _("The passing score cannot exceed the maximum score.")}
            )


class ExamImport(BackgroundJob):
    """One upload of a school's exam or control-work file (a row per pupil, names dropped)."""

    Status = ResultImport.Status

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="exam_imports"
    )
    school_year = models.PositiveSmallIntegerField(_("school year"), validators=YEARS)
    kind = models.ForeignKey(AssessmentKind, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("date held"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    file = models.FileField(upload_to=GeneratedName("results"))
    original_name = models.CharField(max_length=255)
    dry_run = models.BooleanField(default=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)

    ACTIVE = ResultImport.ACTIVE

    class Meta:
        verbose_name = _("exam results import")
        verbose_name_plural = _("exam results imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"


BANDS = 5  # a score distribution in fifths of the maximum score


class ExamResult(models.Model):
    """One class's results in one subject of one sitting: how many sat, the sum of their scores,
    how many passed, their marks (where given) and their scores by fifths of the maximum."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("school"),
        on_delete=models.CASCADE,
        related_name="exam_results",
    )
    school_year = models.PositiveSmallIntegerField(_("school year"), validators=YEARS)
    kind = models.ForeignKey(
        AssessmentKind, verbose_name=_("kind of assessment"), on_delete=models.PROTECT
    )
    held_on = models.DateField(_("date held"))
    grade = models.PositiveSmallIntegerField(
        _("grade"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    letter = models.CharField(_("class letter"), max_length=10, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exam_results",
    )
    teacher_name = models.CharField(_("teacher as named in the file"), max_length=300, blank=True)
    sat = models.PositiveIntegerField(_("pupils who sat"), default=0)
    score_sum = models.PositiveIntegerField(_("sum of scores"), default=0)
    # Pupils whose pass or fail is known: all who sat where the kind has a passing score, else
    # those given a mark.
    judged = models.PositiveIntegerField(_("pupils judged"), default=0)
    passed = models.PositiveIntegerField(_("pupils who passed"), default=0)
    count_5 = models.PositiveIntegerField(_("“5”"), default=0)
    count_4 = models.PositiveIntegerField(_("“4”"), default=0)
    count_3 = models.PositiveIntegerField(_("“3”"), default=0)
    count_2 = models.PositiveIntegerField(_("“2”"), default=0)
    band_1 = models.PositiveIntegerField(default=0)
    band_2 = models.PositiveIntegerField(default=0)
    band_3 = models.PositiveIntegerField(default=0)
    band_4 = models.PositiveIntegerField(default=0)
    band_5 = models.PositiveIntegerField(default=0)
    source = models.ForeignKey(
        ExamImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="rows"
    )
    updated_at = models.DateTimeField(auto_now=True)

    MARK_FIELDS = ("count_5", "count_4", "count_3", "count_2")
    BAND_FIELDS = tuple(f"band_{n}" for n in range(1, BANDS + 1))
    SUM_FIELDS = ("sat", "score_sum", "judged", "passed", *MARK_FIELDS, *BAND_FIELDS)

    class Meta:
        verbose_name = _("exam result")
        verbose_name_plural = _("exam results")
        ordering = ["held_on", "grade", "letter", "subject"]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "organisation",
                    "school_year",
                    "kind",
                    "held_on",
                    "grade",
                    "letter",
                    "subject",
                ],
                name="uniq_exam_result",
            )
        ]
        indexes = [models.Index(fields=["teacher", "school_year", "kind"])]

    def __str__(self) -> str:
        return f"{self.class_name} {self.subject}"

    @property
    def class_name(self) -> str:
        return f"{self.grade}{self.letter}"
