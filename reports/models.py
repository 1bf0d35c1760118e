"""The year's report of a community, a school, a network or the centre (004 doc. 20; 003 app. 4
§4.6, order §2.2): a draft whose figures are read from the records and whose narrative the author
writes; each submission freezes a version (the data, the narrative and the files) that the
receiver accepts or returns with comments."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.uploads import GeneratedName


class Owner(models.TextChoices):
    COMMUNITY = "community", _("Community")
    SCHOOL = "school", _("School")
    NETWORK = "network", _("Network")
    CENTRE = "centre", _("Methodological centre")


class Receiver(models.TextChoices):
    SCHOOL_ADMIN = "school_admin", _("School director")
    COORDINATOR = "coordinator", _("Network coordinator")
    CURATOR = "curator", _("Curator")
    CENTRE_ADMIN = "centre_admin", _("Methodological centre")
    # A kind may name the district's coordination council (CommunityKind.Approver); its reports
    # are received by the centre of the territory, which the council reports to.
    COUNCIL = "council", _("District coordination council")


class OwnerRule(models.Model):
    """To whom and by when a school, a network or the centre sends its report; a community's rule
    is its kind's (CommunityKind.report_receiver, report_deadline_month/day)."""

    owner_type = models.CharField(_("report of"), max_length=10, choices=Owner.choices, unique=True)
    receiver = models.CharField(_("goes to"), max_length=20, choices=Receiver.choices)
    deadline_month = models.PositiveSmallIntegerField(
        _("due: month"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    deadline_day = models.PositiveSmallIntegerField(
        _("due: day"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )

    class Meta:
        verbose_name = _("report rule")
        verbose_name_plural = _("report rules")

    def __str__(self) -> str:
        return self.get_owner_type_display()


class Report(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for changes")
        ACCEPTED = "accepted", _("Accepted")

    owner_type = models.CharField(_("report of"), max_length=10, choices=Owner.choices)
    community = models.ForeignKey(
        "communities.Community", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    network = models.ForeignKey(
        "organisations.Network", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    territory = models.ForeignKey(
        "organisations.Territory",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    school_year = models.PositiveSmallIntegerField(
        _("school year starting"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    analysis = models.TextField(_("analysis of the year"), blank=True)
    problems = models.TextField(_("problems"), blank=True)
    tasks = models.TextField(_("tasks for the next year"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("year's report")
        verbose_name_plural = _("year's reports")
        ordering = ["-school_year", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "school_year"],
                condition=Q(owner_type="community"),
                name="reports_one_per_community_year",
            ),
            models.UniqueConstraint(
                fields=["organisation", "school_year"],
                condition=Q(owner_type="school"),
                name="reports_one_per_school_year",
            ),
            models.UniqueConstraint(
                fields=["network", "school_year"],
                condition=Q(owner_type="network"),
                name="reports_one_per_network_year",
            ),
            models.UniqueConstraint(
                fields=["territory", "school_year"],
                condition=Q(owner_type="centre"),
                name="reports_one_per_centre_year",
            ),
        ]
        indexes = [models.Index(fields=["owner_type", "school_year", "status"])]

    def __str__(self) -> str:
        return f"{self.owner} {self.school_year_label}"

    @property
    def owner(self):
        return {
            Owner.COMMUNITY: self.community,
            Owner.SCHOOL: self.organisation,
            Owner.NETWORK: self.network,
            Owner.CENTRE: self.territory,
        }[self.owner_type]

    @property
    def school_year_label(self) -> str:
        return f"{self.school_year}/{self.school_year + 1}"

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    @property
    def is_big(self) -> bool:
        """A network's or the centre's report is built in the background."""
        return self.owner_type in (Owner.NETWORK, Owner.CENTRE)


class Submission(models.Model):
    """A frozen version: what the sections showed and the narrative said when it was sent."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned for changes")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="submissions")
    number = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField(default=dict)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    late = models.BooleanField(_("late"), default=False)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("submitted version")
        verbose_name_plural = _("submitted versions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="reports_submission_once")
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"


class ReportFile(models.Model):
    """A DOCX or PDF of a report: of the draft (a download, built in the background for a network
    or the centre) or of a submitted version (kept with it)."""

    class Format(models.TextChoices):
        DOCX = "docx", "DOCX"
        PDF = "pdf", "PDF"

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Building")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="files")
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    format = models.CharField(max_length=4, choices=Format.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to=GeneratedName("reports"), blank=True)
    error = models.CharField(max_length=500, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("report file")
        verbose_name_plural = _("report files")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.report} {self.format}"
