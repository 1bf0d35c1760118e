"""Background jobs of the resource bank."""

from __future__ import annotations

from celery import shared_task

from . import previews


# Acknowledged only when done: a worker killed mid-conversion leaves the job to another, and the
# job is idempotent (see resources/previews.py).
@shared_task(name="resources.make_preview", acks_late=True, reject_on_worker_lost=True)
def make_preview(version_id: int) -> str:
    return previews.make_preview(version_id)
