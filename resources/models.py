"""The resource bank: methodological materials, their versions and reviews, collections, and a
community's own documents (its regulation and orders).

Title, description and topic stay plain text so the site-wide search can index them later.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.uploads import GeneratedName

GRADES = [MinValueValidator(0), MaxValueValidator(12)]


class ResourceKind(models.Model):
    """Kinds are data (seeded by a migration) so a centre can add one without a release."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # Video and link materials live elsewhere; the resource carries their address.
    takes_link = models.BooleanField(_("given as a link"), default=False)

    class Meta:
        verbose_name = _("resource kind")
        verbose_name_plural = _("resource kinds")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Resource(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        PUBLISHED = "published", _("Published")
        RETURNED = "returned", _("Returned for changes")

    class Licence(models.TextChoices):
        CC_BY = "cc-by", "CC BY 4.0"
        CC_BY_SA = "cc-by-sa", "CC BY-SA 4.0"
        CC_BY_NC = "cc-by-nc", "CC BY-NC 4.0"
        CC_BY_NC_SA = "cc-by-nc-sa", "CC BY-NC-SA 4.0"
        CC_BY_ND = "cc-by-nd", "CC BY-ND 4.0"
        CC_BY_NC_ND = "cc-by-nc-nd", "CC BY-NC-ND 4.0"
        RESERVED = "reserved", _("All rights reserved")

    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    kind = models.ForeignKey(
        ResourceKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="resources"
    )
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    grade_from = models.PositiveSmallIntegerField(
        _("from grade"), null=True, blank=True, validators=GRADES
    )
    grade_to = models.PositiveSmallIntegerField(
        _("to grade"), null=True, blank=True, validators=GRADES
    )
    topic = models.CharField(_("topic"), max_length=300, blank=True)
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("authors"),
        blank=True,
        related_name="authored_resources",
    )
    author_text = models.CharField(
        _("authors (as written)"),
        max_length=300,
        blank=True,
        help_text=_("Co-authors without an account, as they should be credited"),
    )
    community = models.ForeignKey(
        "communities.Community",
        verbose_name=_("community"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resources",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resources",
    )
    # Whose curators and centre review it when no community does: the community's or the
    # organisation's territory, else the author's.
    territory = models.ForeignKey(
        "organisations.Territory",
        verbose_name=_("territory"),
        on_delete=models.PROTECT,
        related_name="resources",
    )
    licence = models.CharField(
        _("licence"), max_length=12, choices=Licence.choices, default=Licence.CC_BY
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Once published, open to everyone, search engines included"),
    )
    url = models.URLField(_("link"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The create form's one-time key: a second post of the same form finds the first resource.
    creation_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status", "is_public"])]

    def __str__(self) -> str:
        return self.title

    @property
    def grades(self) -> str:
        if self.grade_from is None and self.grade_to is None:
            return ""
        if self.grade_from == self.grade_to or self.grade_to is None:
            return str(self.grade_from)
        if self.grade_from is None:
            return str(self.grade_to)
        return f"{self.grade_from}–{self.grade_to}"

    @property
    def licence_is_open(self) -> bool:
        return self.licence != self.Licence.RESERVED


class ResourceVersion(models.Model):
    """A file of the resource; the latest is the current one."""

    class PreviewStatus(models.TextChoices):
        NONE = "none", _("No preview for this kind of file")
        PENDING = "pending", _("Preview is being made")
        READY = "ready", _("Preview ready")
        FAILED = "failed", _("No preview could be made of this file")
        UNAVAILABLE = "unavailable", _("Conversion to PDF is not available on this server")

    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="versions", verbose_name=_("resource")
    )
    file = models.FileField(_("file"), upload_to=GeneratedName("resources"))
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    # A small PNG: of an image, of a PDF's first page, or of the PDF an office file became.
    preview = models.FileField(
        _("preview"), upload_to=GeneratedName("resources/previews"), blank=True
    )
    # An office file (DOCX, PPTX, ODT, ODP) converted by LibreOffice in the background.
    pdf = models.FileField(_("PDF version"), upload_to=GeneratedName("resources/pdf"), blank=True)
    preview_status = models.CharField(
        _("preview"), max_length=12, choices=PreviewStatus.choices, default=PreviewStatus.NONE
    )
    note = models.CharField(_("what changed"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    # A form's one-time token: a second submit of the same form finds what the first one made.
    token = models.CharField(max_length=40, blank=True, editable=False)

    class Meta:
        verbose_name = _("resource version")
        verbose_name_plural = _("resource versions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "uploaded_by", "token"],
                condition=~models.Q(token=""),
                name="uniq_resource_version_token",
            )
        ]

    def __str__(self) -> str:
        return self.original_name


class ResourceReview(models.Model):
    class Decision(models.TextChoices):
        PUBLISH = "publish", _("Published")
        RETURN = "return", _("Returned for changes")
        UNPUBLISH = "unpublish", _("Unpublished")

    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("resource")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.resource_id}"


class Collection(models.Model):
    """A curated, ordered set of published resources («Лучшие практики сети …»)."""

    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    community = models.ForeignKey(
        "communities.Community",
        verbose_name=_("community"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="resource_collections",
    )
    network = models.ForeignKey(
        "organisations.Network",
        verbose_name=_("network"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="resource_collections",
    )
    territory = models.ForeignKey(
        "organisations.Territory",
        verbose_name=_("territory"),
        on_delete=models.PROTECT,
        related_name="resource_collections",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resources = models.ManyToManyField(
        Resource, through="CollectionItem", related_name="collections"
    )
    # A form's one-time token: a second submit of the same form finds what the first one made.
    token = models.CharField(max_length=40, blank=True, editable=False)

    class Meta:
        verbose_name = _("collection")
        verbose_name_plural = _("collections")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "token"],
                condition=~models.Q(token=""),
                name="uniq_collection_token",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def owner(self):
        return self.community or self.network or self.territory


class CollectionItem(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="collection_items"
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["collection", "resource"], name="collection_item_once"),
            models.UniqueConstraint(
                fields=["collection", "position"], name="collection_item_position_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.collection_id}: {self.resource_id}"


class CommunityDocument(models.Model):
    """A community's regulation (Положение), an order (приказ) or another document (M1–M2)."""

    class Kind(models.TextChoices):
        REGULATION = "regulation", _("Regulation")
        ORDER = "order", _("Order")
        OTHER = "other", _("Other document")

    community = models.ForeignKey(
        "communities.Community",
        verbose_name=_("community"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=50, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=300)
    approved_by = models.CharField(_("approved by"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # A form's one-time token: a second submit of the same form finds what the first one made.
    token = models.CharField(max_length=40, blank=True, editable=False)

    class Meta:
        verbose_name = _("community document")
        verbose_name_plural = _("community documents")
        ordering = ["kind", "-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "created_by", "token"],
                condition=~models.Q(token=""),
                name="uniq_community_document_token",
            )
        ]

    def __str__(self) -> str:
        return self.title


class CommunityDocumentVersion(models.Model):
    document = models.ForeignKey(
        CommunityDocument, on_delete=models.CASCADE, related_name="versions"
    )
    file = models.FileField(_("file"), upload_to=GeneratedName("community-documents"))
    original_name = models.CharField(_("file name"), max_length=255)
    note = models.CharField(_("what changed"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    # A form's one-time token: a second submit of the same form finds what the first one made.
    token = models.CharField(max_length=40, blank=True, editable=False)

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "uploaded_by", "token"],
                condition=~models.Q(token=""),
                name="uniq_document_version_token",
            )
        ]

    def __str__(self) -> str:
        return self.original_name
