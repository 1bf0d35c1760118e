"""Background jobs: in-process without a broker, queued to Celery when one is configured."""

import socket
import threading
import uuid

import pytest
from celery import shared_task

from core import background

done = threading.Event()
seen: list[str] = []


@shared_task(name="core.tests.record")
def record(value: str) -> None:
    seen.append(value)
    done.set()


def test_in_process_runs_on_a_thread_without_a_broker(settings):
    settings.CELERY_BROKER_URL = ""
    settings.BACKGROUND_SYNC = False
    done.clear()
    background.run(record, "thread")
    assert done.wait(5)
    assert "thread" in seen


def test_synchronous_mode_runs_before_returning(settings):
    settings.CELERY_BROKER_URL = ""
    settings.BACKGROUND_SYNC = True
    background.run(record, "sync")
    assert seen[-1] == "sync"


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="Redis is not running on 127.0.0.1:6379")
def test_with_a_broker_the_job_is_queued_in_redis(settings):
    import redis

    from collegium.celery import app

    queue = f"collegium-test-{uuid.uuid4().hex}"
    url = "redis://127.0.0.1:6379/15"
    settings.CELERY_BROKER_URL = url
    client = redis.Redis.from_url(url)
    old = (app.conf.broker_url, app.conf.task_default_queue, app.conf.task_always_eager)
    app.conf.broker_url = url
    app.conf.task_default_queue = queue
    app.conf.task_always_eager = False
    try:
        background.run(record, "queued")
        assert client.llen(queue) == 1
        assert b"core.tests.record" in client.lindex(queue, 0)
    finally:
        client.delete(queue)
        app.conf.broker_url, app.conf.task_default_queue, app.conf.task_always_eager = old
