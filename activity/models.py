"""Activity statistics (J11; 003 app. 1 §5.3, app. 2 §3.1.4): first-party counters per community.

A counted request or action appends one `Hit` and reads nothing. The background aggregation
(`aggregation.aggregate`) folds hits into per-day and per-week/month sums and deletes them. A
visitor is never stored as a person: only keyed hashes that change every month (and week), so
the rows cannot be joined to anyone nor followed from one period to the next; no URL is kept.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    VIEW = "view", _("Page view")
    ACTION = "action", _("Active action")
    FEEDBACK = "feedback", _("Feedback")


class PeriodKind(models.TextChoices):
    WEEK = "week", _("Week")
    MONTH = "month", _("Month")


class Hit(models.Model):
    """One counted view, action or feedback, waiting for the aggregation (append-only)."""

    # A plain id, not a foreign key: the insert must stay one cheap statement, and a hit of a
    # community deleted meanwhile is simply dropped by the aggregation.
    community_id = models.BigIntegerField()
    day = models.DateField()
    kind = models.CharField(max_length=8, choices=Kind.choices)
    # The same person's keys for the month and for the week of `day` (recording.visitor_keys).
    visitor = models.CharField(max_length=32, blank=True)
    week_visitor = models.CharField(max_length=32, blank=True)

    class Meta:
        verbose_name = _("hit")
        verbose_name_plural = _("hits")

    def __str__(self) -> str:
        return f"{self.kind} {self.community_id} {self.day}"


class CommunityDay(models.Model):
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="activity_days"
    )
    day = models.DateField()
    views = models.PositiveIntegerField(default=0)
    actions = models.PositiveIntegerField(default=0)
    feedback = models.PositiveIntegerField(default=0)
    visitors = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("day of activity")
        verbose_name_plural = _("days of activity")
        constraints = [
            models.UniqueConstraint(fields=["community", "day"], name="activity_day_unique")
        ]

    def __str__(self) -> str:
        return f"{self.community_id} {self.day}"


class CommunityPeriod(models.Model):
    """A week's (starting Monday) or a calendar month's sums: what the statistics page reads."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="activity_periods"
    )
    kind = models.CharField(max_length=5, choices=PeriodKind.choices)
    start = models.DateField()
    views = models.PositiveIntegerField(default=0)
    actions = models.PositiveIntegerField(default=0)
    feedback = models.PositiveIntegerField(default=0)
    visitors = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("period of activity")
        verbose_name_plural = _("periods of activity")
        ordering = ["community", "kind", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "kind", "start"], name="activity_period_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.community_id} {self.kind} {self.start}"


class PeriodVisitor(models.Model):
    """Who (as the period's hash) was counted in a day, week or month: distinct visitors of a
    period are counted across its days. Purged some weeks after the period ends."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE)
    kind = models.CharField(max_length=5)  # "day", "week" or "month"
    start = models.DateField()
    visitor = models.CharField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["community", "kind", "start", "visitor"], name="activity_visitor_unique"
            )
        ]
        indexes = [models.Index(fields=["start"], name="activity_visitor_start")]

    def __str__(self) -> str:
        return f"{self.community_id} {self.kind} {self.start}"


class AggregationLock(models.Model):
    """One row: the lock two aggregation runs take in turn (works on every database)."""

    name = models.CharField(max_length=20, unique=True)

    def __str__(self) -> str:
        return self.name
