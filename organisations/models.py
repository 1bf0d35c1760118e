from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import CharField, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _

from core.text import search_key

YEARS = [MinValueValidator(2000), MaxValueValidator(2100)]


class Territory(models.Model):
    class Kind(models.TextChoices):
        COUNTRY = "country", _("Country")
        REGION = "region", _("Region")
        DISTRICT = "district", _("District")
        CITY = "city", _("City")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.REGION)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent territory"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path of ancestor ids ("/1/4/"), so "everything inside a region" is one
    # indexed prefix query instead of a recursive walk.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    country_code = models.CharField(
        _("country code"), max_length=2, default="RU", help_text=_("ISO code, e.g. RU or KZ")
    )
    # The interface language of the people working here until they choose one themselves; blank
    # means the enclosing territory's, and at the top the site's (Russian).
    language = models.CharField(
        _("default language"),
        max_length=10,
        blank=True,
        default="",
        choices=settings.LANGUAGES,
        help_text=_("For people who have not chosen a language; empty: as the parent territory."),
    )

    class Meta:
        verbose_name = _("territory")
        verbose_name_plural = _("territories")
        ordering = ["name"]
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        path = f"{self.parent.path if self.parent else '/'}{self.pk}/"
        if path != self.path:
            old, self.path = self.path, path
            with transaction.atomic():
                Territory.objects.filter(pk=self.pk).update(path=path)
                if old:
                    # Moved under another parent: its districts' paths carry the old prefix.
                    Territory.objects.filter(path__startswith=old).exclude(pk=self.pk).update(
                        path=Concat(
                            Value(path), Substr("path", len(old) + 1), output_field=CharField()
                        )
                    )
                    from .signals import territory_moved  # signals imports core.pages

                    territory_moved.send(Territory, territory=self, old_path=old, new_path=path)

    def clean(self):
        super().clean()
        # A territory under itself or under one of its own districts would be a loop: its
        # path, and every query "inside this region", would have no end.
        if (
            self.pk
            and self.parent_id
            and (self.parent_id == self.pk or f"/{self.pk}/" in (self.parent.path or ""))
        ):
            raise ValidationError(
                {"parent": _("A territory cannot be placed inside itself or its own part.")}
            )

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]


class Organisation(models.Model):
    class Kind(models.TextChoices):
        SCHOOL = "school", _("School")
        GYMNASIUM = "gymnasium", _("Gymnasium")
        LYCEUM = "lyceum", _("Lyceum")
        BOARDING_SCHOOL = "boarding_school", _("Boarding school")
        KINDERGARTEN = "kindergarten", _("Kindergarten")
        ADDITIONAL_EDUCATION = "additional_education", _("Additional education centre")
        METHODOLOGICAL_CENTRE = "methodological_centre", _("Methodological centre")
        EDUCATION_DEPARTMENT = "education_department", _("Education department")

    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.SCHOOL)
    territory = models.ForeignKey(
        Territory,
        verbose_name=_("territory"),
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    website = models.URLField(_("website"), blank=True)
    low_results = models.BooleanField(
        _("low educational results"),
        default=False,
        help_text=_("School with low educational results (ШНОР)"),
    )
    difficult_conditions = models.BooleanField(_("difficult social conditions"), default=False)
    high_results = models.BooleanField(
        _("stable high results"), default=False, help_text=_("Candidate network partner")
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Lower-cased text for case-insensitive search that also works for Cyrillic on SQLite.
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["name", "id"]),
            models.Index(fields=["territory", "name"]),
            models.Index(fields=["kind", "name"]),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def save(self, *args, **kwargs):
        self.search_text = self.compute_search_text()
        super().save(*args, **kwargs)

    def compute_search_text(self) -> str:
        return search_key(" ".join([self.name, self.short_name]))


class Network(models.Model):
    name = models.CharField(_("name"), max_length=200)
    territory = models.ForeignKey(
        Territory, verbose_name=_("territory"), on_delete=models.PROTECT, related_name="networks"
    )
    lead_school = models.ForeignKey(
        Organisation,
        verbose_name=_("lead school"),
        on_delete=models.PROTECT,
        related_name="led_networks",
    )
    description = models.TextField(_("description"), blank=True)
    methodological_theme = models.CharField(_("methodological theme"), max_length=500, blank=True)
    theme_start_year = models.PositiveSmallIntegerField(
        _("theme from year"), null=True, blank=True, validators=YEARS
    )
    theme_end_year = models.PositiveSmallIntegerField(
        _("theme to year"), null=True, blank=True, validators=YEARS
    )
    # Lower-cased text for case-insensitive search that also works for Cyrillic on SQLite.
    search_text = models.TextField(editable=False, default="")
    organisations = models.ManyToManyField(
        Organisation, through="NetworkMembership", related_name="networks", blank=True
    )

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["name", "id"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = self.compute_search_text()
        super().save(*args, **kwargs)

    def compute_search_text(self) -> str:
        return search_key(" ".join([self.name, self.methodological_theme]))


class NetworkMembership(models.Model):
    class Role(models.TextChoices):
        PARTNER = "partner", _("Partner school")
        MAGNET = "magnet", _("Magnet school")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="network_memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)

    class Meta:
        verbose_name = _("network member school")
        verbose_name_plural = _("network member schools")
        constraints = [
            models.UniqueConstraint(fields=["network", "organisation"], name="uniq_network_org")
        ]

    def __str__(self) -> str:
        return f"{self.network}: {self.organisation} ({self.get_role_display()})"
