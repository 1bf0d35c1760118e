"""Run a job in the background: on Celery when a broker is configured, otherwise in-process.

The embedded setup needs no extra process: a daemon thread runs the job. Tests set
BACKGROUND_SYNC so a job's result is there when the call returns.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone


def run(task, *args) -> None:
    """`task` is a Celery task; its plain function is used in-process."""
    if settings.CELERY_BROKER_URL:
        task.delay(*args)
        return
    func: Callable = getattr(task, "run", task)
    if settings.BACKGROUND_SYNC:
        func(*args)
        return

    def target() -> None:
        try:
            func(*args)
        finally:
            close_old_connections()

    threading.Thread(target=target, daemon=True).start()


def stale_cutoff() -> dt.datetime:
    """Jobs that gave no sign of life since this moment are taken as dead."""
    return timezone.now() - dt.timedelta(seconds=settings.JOB_HEARTBEAT_TIMEOUT)
