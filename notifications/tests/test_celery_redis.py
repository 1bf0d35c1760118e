"""The broker path: with CELERY_BROKER_URL set, a real Celery worker runs reminders via Redis."""

import datetime as dt
import os
import socket
import time

import pytest
from django.utils import timezone

from communities.tests.factories import CommunityFactory, MembershipFactory
from core import background
from meetings import services as meeting_services
from notifications import tasks
from notifications.models import Notification


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


def _wait_for(condition, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)


@pytest.mark.xdist_group(name="redis-broker")
# Skipped on a laptop without Redis; CI starts Redis, so there its absence is a failure.
@pytest.mark.skipif(
    not _redis_up() and not os.environ.get("CI"), reason="Redis is not running on 127.0.0.1:6379"
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrations_data")
def test_reminders_run_on_a_celery_worker_through_redis(settings):
    from celery.contrib.testing.worker import start_worker

    from collegium.celery import app

    community = CommunityFactory()
    leader = MembershipFactory(community=community, role="leader").person
    meeting_services.schedule_meeting(
        confirmed=True,
        community=community, actor=leader, title="Soon", chair=leader, place="Room",
        starts_at=timezone.now() + dt.timedelta(hours=3),
    )  # fmt: skip
    url = "redis://127.0.0.1:6379/15"  # the same broker and queue as core's broker test
    settings.CELERY_BROKER_URL = url
    saved = (app.conf.broker_url, app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.broker_url = url
    app.conf.task_always_eager = False
    app.conf.task_default_queue = "collegium-tests"
    app.close()  # drop pooled connections to whatever broker an earlier test used
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1):
            background.run(tasks.send_reminders)
            _wait_for(Notification.objects.exists)
            background.run(tasks.send_reminders)  # a second run must send nothing twice
            queue = app.conf.task_default_queue
            with app.connection_for_write() as connection:
                client = connection.channel().client
                _wait_for(lambda: client.llen(queue) == 0)
            time.sleep(0.5)  # let the worker finish the job it took
    finally:
        app.conf.broker_url, app.conf.task_always_eager, app.conf.task_default_queue = saved
        app.close()
    assert Notification.objects.filter(recipient=leader, kind="meeting_soon").count() == 1
