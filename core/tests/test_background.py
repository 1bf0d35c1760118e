"""Background jobs: in-process without a broker, queued to Celery when one is configured."""

import threading

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


# The broker path (Celery through Redis, a real worker) is tested in
# notifications/tests/test_celery_redis.py.
