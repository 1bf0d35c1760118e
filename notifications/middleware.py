"""The embedded scheduler: without a Celery broker, reminders (and the daily digests, which go
out once a day whatever the number of runs) run in-process every few minutes.

Each request checks a cache key; the first one after the interval starts the job in the
background. With a broker configured, Celery beat runs the same task instead.
"""

from django.conf import settings
from django.core.cache import cache

from core import background

from . import tasks


class EmbeddedSchedulerMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        interval = settings.REMINDERS_EVERY_SECONDS
        if interval and not settings.CELERY_BROKER_URL:
            if cache.add("collegium:reminders-ran", True, timeout=interval):
                background.run(tasks.send_reminders)
                background.run(tasks.send_digests)
        return response
