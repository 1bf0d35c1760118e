import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from core.models import BackgroundJob
from core.text import search_key
from core.uploads import GeneratedName


class Person(AbstractUser):
    """One account per person; what they do is in positions, roles and memberships."""

    middle_name = models.CharField(_("patronymic"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    # Lower-cased "last first middle", indexed for region-wide people search.
    search_name = models.CharField(max_length=460, db_index=True, editable=False, default="")
    email = models.EmailField(_("email address"), blank=True, db_index=True)
    # The language chosen in the interface: notices and e-mails are written in it. Empty until
    # the person chooses, which means the site's language.
    language = models.CharField(
        _("language"), max_length=10, blank=True, default="", choices=settings.LANGUAGES
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            models.Index(fields=["last_name", "first_name", "id"]),
            # Used by PostgreSQL for LIKE 'prefix%'; other databases use the plain index.
            models.Index(
                fields=["search_name"],
                opclasses=["varchar_pattern_ops"],
                name="person_search_prefix",
            ),
            # The teacher import looks up thousands of logins and emails case-insensitively.
            models.Index(Lower("username"), name="person_username_lower"),
            models.Index(Lower("email"), name="person_email_lower"),
        ]

    def save(self, *args, **kwargs):
        self.search_name = self.compute_search_name()
        super().save(*args, **kwargs)

    def compute_search_name(self) -> str:
        return search_key(" ".join([self.last_name, self.first_name, self.middle_name]))

    @property
    def full_name(self) -> str:
        parts = [self.last_name, self.first_name, self.middle_name]
        return " ".join(p for p in parts if p) or self.username

    def __str__(self) -> str:
        return self.full_name


class RoleAssignment(models.Model):
    """A scoped administrative role; community roles (leader, mentor…) live in memberships."""

    class Role(models.TextChoices):
        CENTRE_ADMIN = "centre_admin", _("Centre administrator")
        CURATOR = "curator", _("Curator")
        COORDINATOR = "coordinator", _("Network coordinator")
        SCHOOL_ADMIN = "school_admin", _("School administrator")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    territory = models.ForeignKey(
        "organisations.Territory", null=True, blank=True, on_delete=models.CASCADE
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.CASCADE
    )
    network = models.ForeignKey(
        "organisations.Network", null=True, blank=True, on_delete=models.CASCADE
    )

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        indexes = [models.Index(fields=["person", "role"])]

    def __str__(self) -> str:
        scope = self.territory or self.organisation or self.network
        return f"{self.person}: {self.get_role_display()} ({scope})"


class Position(models.Model):
    """A post a person holds at an organisation (учитель, заместитель директора…)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="positions"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="positions",
    )
    title = models.CharField(_("position"), max_length=200)
    is_main = models.BooleanField(_("main place of work"), default=True)
    started_on = models.DateField(_("since"), null=True, blank=True)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        indexes = [models.Index(fields=["organisation", "person"])]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation", "title"], name="uniq_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}, {self.organisation}"


class QualificationCategory(models.Model):
    """Categories differ by country and change with reforms, so they are data per territory."""

    territory = models.ForeignKey(
        "organisations.Territory",
        verbose_name=_("territory"),
        on_delete=models.CASCADE,
        related_name="qualification_categories",
    )
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("display order"), default=0)
    is_current = models.BooleanField(
        _("current"), default=True, help_text=_("Older categories still found in school records")
    )
    # How long a category holds before the next attestation (5 years in Russia and Kazakhstan);
    # empty for a category that is never re-attested.
    validity_years = models.PositiveSmallIntegerField(
        _("valid for, years"),
        null=True,
        blank=True,
        default=5,
        help_text=_("The next attestation is due this many years after the category is assigned."),
    )

    class Meta:
        verbose_name = _("qualification category")
        verbose_name_plural = _("qualification categories")
        ordering = ["territory", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["territory", "name"], name="uniq_category")]

    def __str__(self) -> str:
        return self.name


class TeacherProfile(models.Model):
    """The teacher databank record (004 doc. 2). Personal data: see people.permissions."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="teacher_profile"
    )
    education = models.CharField(_("education"), max_length=300, blank=True)
    education_institution = models.CharField(_("institution graduated"), max_length=300, blank=True)
    specialty = models.CharField(_("specialty by diploma"), max_length=200, blank=True)
    qualification_category = models.ForeignKey(
        QualificationCategory,
        verbose_name=_("qualification category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    category_assigned_on = models.DateField(_("category assigned on"), null=True, blank=True)
    next_attestation_on = models.DateField(_("next attestation"), null=True, blank=True)
    category_sought = models.ForeignKey(
        QualificationCategory,
        verbose_name=_("category sought"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    experience_total = models.PositiveSmallIntegerField(
        _("total experience, years"), null=True, blank=True
    )
    experience_teaching = models.PositiveSmallIntegerField(
        _("teaching experience, years"), null=True, blank=True
    )
    subjects = models.CharField(_("subjects taught"), max_length=300, blank=True)
    workload_hours = models.DecimalField(
        _("workload, hours a week"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    classes_taught = models.CharField(_("classes taught"), max_length=200, blank=True)
    experience_generalisation = models.TextField(_("generalisation of experience"), blank=True)
    self_education_topic = models.CharField(_("self-education topic"), max_length=500, blank=True)
    titles = models.CharField(_("honorary titles"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("teacher databank record")
        verbose_name_plural = _("teacher databank records")

    def __str__(self) -> str:
        return str(self.person)


class QualificationRecord(models.Model):
    profile = models.ForeignKey(
        TeacherProfile, on_delete=models.CASCADE, related_name="qualification_history"
    )
    category = models.ForeignKey(
        QualificationCategory, verbose_name=_("category"), on_delete=models.PROTECT
    )
    assigned_on = models.DateField(_("assigned on"))
    order_reference = models.CharField(_("order no. and date"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("qualification category history")
        verbose_name_plural = _("qualification category history")
        ordering = ["-assigned_on"]

    def __str__(self) -> str:
        if not (self.category_id and self.assigned_on):
            return str(_("qualification category"))
        return f"{self.category} ({self.assigned_on:%d.%m.%Y})"


class Course(models.Model):
    class Kind(models.TextChoices):
        UPDATED_CONTENT = "updated_content", _("Updated content of education")
        LANGUAGE = "language", _("Language course")
        LEVEL = "level", _("Level programme")
        OTHER = "other", _("Other")

    profile = models.ForeignKey(TeacherProfile, on_delete=models.CASCADE, related_name="courses")
    title = models.CharField(_("course"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    hours = models.PositiveSmallIntegerField(_("hours"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["-completed_on", "id"]

    def __str__(self) -> str:
        return self.title


class Award(models.Model):
    profile = models.ForeignKey(TeacherProfile, on_delete=models.CASCADE, related_name="awards")
    title = models.CharField(_("award or title"), max_length=300)
    level = models.CharField(_("level"), max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-year", "id"]

    def __str__(self) -> str:
        return self.title


class Achievement(models.Model):
    class Kind(models.TextChoices):
        TEACHER = "teacher", _("Teacher's achievement")
        PUPILS = "pupils", _("Pupils' achievement")

    profile = models.ForeignKey(
        TeacherProfile, on_delete=models.CASCADE, related_name="achievements"
    )
    kind = models.CharField(_("whose"), max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    description = models.CharField(_("achievement"), max_length=500)
    level = models.CharField(_("level"), max_length=100, blank=True)
    # Empty when the row was typed; otherwise the record Collegium made it from (e.g.
    # "certificate:<number>"), which keeps it up to date and read-only in the edit page.
    source = models.CharField(_("recorded from"), max_length=80, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("achievement")
        verbose_name_plural = _("achievements")
        ordering = ["-year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "source"],
                condition=~models.Q(source=""),
                name="uniq_achievement_source",
            )
        ]
        indexes = [models.Index(fields=["source"], name="achievement_source_idx")]

    def __str__(self) -> str:
        return f"{self.year}: {self.description}"


class CourseSupport(models.Model):
    """Support after a level-programme course (000 §2.2.4): who helps the trained teacher put
    it into practice, by what plan, and when they meet again."""

    profile = models.ForeignKey(
        TeacherProfile, on_delete=models.CASCADE, related_name="course_supports"
    )
    course = models.ForeignKey(
        Course,
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supports",
    )
    supporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who supports"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="course_supports_given",
    )
    plan = models.TextField(_("plan of support"))
    started_on = models.DateField(_("support from"), null=True, blank=True)
    follow_up_on = models.DateField(_("next follow-up"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("post-course support")
        verbose_name_plural = _("post-course support")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return str(self.course or self.profile)


class DatabankAccess(models.Model):
    """Who viewed or exported whose databank record, and when."""

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        EXPORT = "export", _("Exported")

    class Channel(models.TextChoices):
        """Where the record was read; not the field's choices (no migration for a label)."""

        PAGE = "page", _("the site")
        API = "api", _("the API")
        ADMIN = "admin", _("the administration")

    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.CASCADE,
        related_name="databank_accesses_made",
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("whose record"),
        on_delete=models.CASCADE,
        related_name="databank_accesses",
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    channel = models.CharField(_("through"), max_length=20, default="page")
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("databank access")
        verbose_name_plural = _("databank access log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["subject", "-at"])]

    def __str__(self) -> str:
        return f"{self.viewer} → {self.subject} ({self.get_action_display()})"

    def get_channel_display(self) -> str:
        if self.channel in self.Channel.values:
            return self.Channel(self.channel).label
        return self.channel


class DatabankExport(BackgroundJob):
    """A databank XLSX of a large organisation, built in the background for the one who asked.

    The file holds personal data, so it is only handed out through a view that asks the policy
    again; its name is random so it cannot be guessed from the media URL either.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="databank_exports"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="databank-exports/%Y/%m/", blank=True)

    class Meta:
        verbose_name = _("databank export")
        verbose_name_plural = _("databank exports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_status_display()})"

    @property
    def expires_at(self):
        """When remove_expired_exports deletes the file (see DATABANK_EXPORT_KEEP_HOURS)."""
        return self.created_at + dt.timedelta(hours=settings.DATABANK_EXPORT_KEEP_HOURS)

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 0
        return min(100, self.rows_done * 100 // self.rows_total)


class TeacherImport(BackgroundJob):
    """One upload of a teacher list; the report keeps every bad row with its reason."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Checking")
        CHECKED = "checked", _("Checked")
        APPLIED = "applied", _("Applied")
        FAILED = "failed", _("Failed")

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="teacher_imports"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    file = models.FileField(upload_to=GeneratedName("imports"))
    original_name = models.CharField(max_length=255)  # the stored name is generated
    dry_run = models.BooleanField(default=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("teacher import")
        verbose_name_plural = _("teacher imports")
        ordering = ["-created_at"]

    ACTIVE = (Status.PENDING, Status.RUNNING)

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"
