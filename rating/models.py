"""A school's teachers' rating (004 doc. 17): its criteria and weights are data the school sets.

A scheme belongs to one school and one school year; each criterion names a per-person measure
(people.measures, registered by the apps that keep the records), its weight and an optional cap
on the raw value. A teacher's points for a criterion are min(value, cap) × weight; the rating
is the sum. Nothing is stored per teacher: the rating is computed from the records when read.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

YEARS = [MinValueValidator(2000)]


class RatingScheme(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("school"),
        on_delete=models.CASCADE,
        related_name="rating_schemes",
    )
    school_year = models.PositiveSmallIntegerField(_("school year"), validators=YEARS)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rating scheme")
        verbose_name_plural = _("rating schemes")
        ordering = ["organisation_id", "-school_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "school_year"], name="uniq_rating_scheme_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.school_year}/{self.school_year + 1}"


class Criterion(models.Model):
    scheme = models.ForeignKey(RatingScheme, on_delete=models.CASCADE, related_name="criteria")
    measure = models.CharField(_("measure"), max_length=60)
    weight = models.DecimalField(_("weight"), max_digits=7, decimal_places=2)
    cap = models.DecimalField(
        _("counted up to"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Values above it count as this much; leave empty for no limit"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("rating criterion")
        verbose_name_plural = _("rating criteria")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.measure} × {self.weight}"
