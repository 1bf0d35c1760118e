from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.text import search_key


class CommunityKind(models.Model):
    """Per-kind rules, kept as data a centre admin can read and change (domain.md)."""

    class Cadence(models.TextChoices):
        NONE = "", _("No fixed cadence")
        TERM = "term", _("At least once a term")
        QUARTER = "quarter", _("At least once a quarter")
        YEAR = "year", _("A number of meetings a school year")

    class Approver(models.TextChoices):
        SCHOOL_ADMIN = "school_admin", _("School director")
        CENTRE_ADMIN = "centre_admin", _("Methodological centre")
        COORDINATOR = "coordinator", _("Network coordinator")
        CURATOR = "curator", _("Curator")
        # 001 §3: the district's coordination council adopts its own plan and the plans of the
        # lead schools' networks in its district; its leader (chair) records the decision.
        COUNCIL = "council", _("District coordination council")

    class Host(models.TextChoices):
        ORGANISATION = "organisation", _("Organisation")
        NETWORK = "network", _("Network")
        TERRITORY = "territory", _("Territory")

    class Country(models.TextChoices):
        RU = "RU", _("Russia")
        KZ = "KZ", _("Kazakhstan")

    code = models.SlugField(_("code"), max_length=40)
    # Each country's regulations set their own rules, so every kind has one copy per country;
    # a community follows the copy of its territory's country (Territory.country_code).
    country = models.CharField(
        _("country"), max_length=2, choices=Country.choices, default=Country.RU
    )
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    host_type = models.CharField(
        _("hosted by"), max_length=20, choices=Host.choices, default=Host.ORGANISATION
    )
    min_members = models.PositiveSmallIntegerField(
        _("minimum members"), default=0, validators=[MaxValueValidator(1000)]
    )
    max_members = models.PositiveSmallIntegerField(
        _("maximum members"),
        null=True,
        blank=True,
        help_text=_("Empty means no limit"),
        validators=[MaxValueValidator(10000)],
    )
    single_subject = models.BooleanField(
        _("one subject or area"),
        default=False,
        help_text=_("Members teach one subject, one area or related subjects"),
    )
    requires_pair_roles = models.BooleanField(_("mentor and mentee required"), default=False)
    pair_by_results = models.BooleanField(
        _("mentee from a low-results school, mentor from another"),
        default=False,
        help_text=_(
            "The mentee works at a school in the low educational results programme, the mentor "
            "at a school that is not (003 app. 3)"
        ),
    )
    requires_end_date = models.BooleanField(_("has an end date and a topic"), default=False)
    meeting_cadence = models.CharField(
        _("meeting cadence"), max_length=10, choices=Cadence.choices, blank=True, default=""
    )
    min_meetings_per_year = models.PositiveSmallIntegerField(
        _("minimum meetings a school year"), default=0, validators=[MaxValueValidator(100)]
    )
    minutes_required = models.BooleanField(_("each meeting has minutes"), default=True)
    report_deadline_month = models.PositiveSmallIntegerField(
        _("annual report due: month"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    report_deadline_day = models.PositiveSmallIntegerField(
        _("annual report due: day"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    # To whom the annual report goes (the reports app reads it; empty: nobody receives one).
    report_receiver = models.CharField(
        _("annual report goes to"),
        max_length=20,
        choices=Approver.choices,
        blank=True,
        default="",
    )
    plan_approver = models.CharField(
        _("approves the plan"),
        max_length=20,
        choices=Approver.choices,
        default=Approver.SCHOOL_ADMIN,
    )
    separate_approval = models.BooleanField(
        _("agreed and approved by two different people"),
        default=True,
        help_text=_(
            "Whoever agreed a plan (the deputy director) may not also approve it (004 §3.2)."
        ),
    )
    meeting_time_agreed = models.BooleanField(
        _("meeting time and place agreed with the deputy director"),
        default=False,
        help_text=_(
            "The leader agrees each meeting's time and place with the deputy director of the "
            "school (004 §3.3)."
        ),
    )
    online = models.BooleanField(_("works online"), default=False)
    curated = models.BooleanField(
        _("administered by curators"),
        default=False,
        help_text=_("Curators of the territory administer and monitor communities of this kind"),
    )
    # 002 #7: a school PLC's teachers give at least four innovative lessons a school year.
    min_innovative_lessons_per_year = models.PositiveSmallIntegerField(
        _("innovative or open lessons a teacher gives a school year"),
        null=True,
        blank=True,
        help_text=_("Empty means no such rule"),
        validators=[MaxValueValidator(100)],
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("community kind")
        verbose_name_plural = _("community kinds")
        ordering = ["order", "code", "country"]
        constraints = [
            models.UniqueConstraint(fields=["code", "country"], name="uniq_kind_per_country")
        ]

    def __str__(self) -> str:
        from django.utils.translation import get_language

        if self.name_en and (get_language() or "ru").startswith("en"):
            return self.name_en
        return self.name


# A lesson-study team or a creative micro-group may work inside its school's PLC (002 #6).
TEAM_KINDS = ("lesson_study_team", "micro_group")
PARENT_KINDS = ("school_plc",)


class Community(models.Model):
    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Open to everyone")
        INTERNAL = "internal", _("Registered users")
        MEMBERS = "members", _("Members only")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        REORGANISED = "reorganised", _("Reorganised")
        ABOLISHED = "abolished", _("Abolished")

    kind = models.ForeignKey(
        CommunityKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="communities"
    )
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("host organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="communities",
    )
    network = models.ForeignKey(
        "organisations.Network",
        verbose_name=_("host network"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="communities",
    )
    territory = models.ForeignKey(
        "organisations.Territory",
        verbose_name=_("territory"),
        on_delete=models.PROTECT,
        related_name="communities",
        help_text=_("Where the community works; set from the host"),
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_communities",
    )
    subject_area = models.CharField(_("subject or area"), max_length=200, blank=True)
    participant_category = models.CharField(_("participants"), max_length=300, blank=True)
    topic = models.CharField(_("topic"), max_length=500, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    online_url = models.URLField(_("online page"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    created_on = models.DateField(_("created on"), null=True, blank=True)
    creation_order_number = models.CharField(_("creation order no."), max_length=50, blank=True)
    creation_order_date = models.DateField(_("creation order date"), null=True, blank=True)
    end_date = models.DateField(_("works until"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_order_number = models.CharField(_("closing order no."), max_length=50, blank=True)
    closing_order_date = models.DateField(_("closing order date"), null=True, blank=True)
    # 004 §1.5: a school's community is reorganised or abolished by decision of the teaching
    # staff (педагогический совет); the head's order follows the decision.
    closing_decision_date = models.DateField(
        _("date of the teaching staff's decision"), null=True, blank=True
    )
    closing_decision_reference = models.CharField(
        _("minutes of the teaching staff's meeting"),
        max_length=100,
        blank=True,
        help_text=_("E.g. minutes No. 3 of the teachers' council"),
    )
    successor = models.ForeignKey(
        "self",
        verbose_name=_("reorganised into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="teams",
        help_text=_("The school's PLC this team or micro-group works in"),
    )
    member_count = models.PositiveIntegerField(_("members"), default=0, editable=False)
    # Lower-cased text for case-insensitive search that also works for Cyrillic on SQLite.
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["name", "id"]),
            models.Index(fields=["kind", "status", "name"]),
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["network", "status"]),
            models.Index(fields=["territory", "status"]),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = self.compute_search_text()
        super().save(*args, **kwargs)

    def compute_search_text(self) -> str:
        return search_key(" ".join([self.name, self.subject_area, self.topic]))

    @property
    def host(self):
        return self.organisation or self.network or self.territory

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class Membership(models.Model):
    class Role(models.TextChoices):
        LEADER = "leader", _("Leader")
        MEMBER = "member", _("Member")
        MENTOR = "mentor", _("Mentor")
        MENTEE = "mentee", _("Mentee")
        SECRETARY = "secretary", _("Secretary")
        EXPERT = "expert", _("Specialist")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    subject = models.CharField(
        _("subject or area"), max_length=200, blank=True, help_text=_("What this member teaches")
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["community", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "person"], name="uniq_membership")
        ]
        indexes = [models.Index(fields=["person", "community"])]

    def __str__(self) -> str:
        return f"{self.person} — {self.community} ({self.get_role_display()})"


class MembershipRequest(models.Model):
    """An invitation from the community or a person's request to join it."""

    class Direction(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        JOIN_REQUEST = "join_request", _("Request to join")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="requests")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership_requests"
    )
    direction = models.CharField(max_length=12, choices=Direction.choices)
    role = models.CharField(
        max_length=12, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    message = models.CharField(_("message"), max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("membership request")
        verbose_name_plural = _("membership requests")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["community", "status"]),
            models.Index(fields=["person", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "person"],
                condition=models.Q(status="pending"),
                name="uniq_pending_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.community} ({self.get_status_display()})"


class GroupAdministrator(models.Model):
    """An administrator of a community's online page (003 app. 2, appendix): one of those who
    may run the community, with the position and the contact the centre publishes for it."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="page_administrators"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("administrator"),
        on_delete=models.CASCADE,
        related_name="administered_pages",
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    contact = models.CharField(
        _("public contact"),
        max_length=200,
        blank=True,
        help_text=_("A work phone or e-mail that may be published on the list of groups"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("page administrator")
        verbose_name_plural = _("page administrators")
        ordering = ["community", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "person"], name="uniq_page_administrator")
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.community}"
