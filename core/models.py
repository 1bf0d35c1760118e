"""Pieces of models that several apps share."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class BackgroundJob(models.Model):
    """A job run in the background that says it is alive while it works.

    A worker killed by a crash or `kill -9` cannot record its own failure; a job whose last sign
    of life is older than JOB_HEARTBEAT_TIMEOUT is taken as failed (see `core.background`).
    """

    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)

    class Meta:
        abstract = True

    @classmethod
    def stale_q(cls, active_statuses, cutoff) -> Q:
        """Active jobs nobody has heard of since `cutoff` (never started ones by creation)."""
        return Q(status__in=active_statuses) & (
            Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
        )
