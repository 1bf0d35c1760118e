"""Page views of a community's pages, counted first-party (no third-party tracker).

Counted: a successful (200) GET of an HTML page whose route is in the `communities` namespace
with a `pk`, or carries a `community_pk`, or whose view set ``request.activity_community``.
Not counted: htmx partials (a part of a page already counted), bots, anything else.

Without a Celery broker the same middleware starts the aggregation in-process at most every
ACTIVITY_EVERY_SECONDS (as notifications' embedded scheduler does for reminders).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache

from core import background

from . import recording, tasks
from .models import Kind

log = logging.getLogger(__name__)

BOT_MARKERS = ("bot", "crawl", "spider", "slurp", "curl", "wget", "python-", "headless", "monitor")


def is_bot(user_agent: str) -> bool:
    agent = user_agent.lower()
    return not agent or any(marker in agent for marker in BOT_MARKERS)


def community_of(request) -> int | None:
    explicit = getattr(request, "activity_community", None)
    if explicit:
        return int(explicit)
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    kwargs = match.kwargs
    if "community_pk" in kwargs:
        return int(kwargs["community_pk"])
    if "communities" in match.namespaces and "pk" in kwargs:
        return int(kwargs["pk"])
    return None


class PageViewMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        try:
            if (
                request.method == "GET"
                and response.status_code == 200
                and response.get("Content-Type", "").startswith("text/html")
                and "HX-Request" not in request.headers
                and not is_bot(request.headers.get("User-Agent", ""))
            ):
                community_id = community_of(request)
                if community_id:
                    recording.record(community_id, Kind.VIEW, request)
        except Exception:
            log.exception("activity: a page view was not recorded")
        interval = settings.ACTIVITY_EVERY_SECONDS
        if interval and not settings.CELERY_BROKER_URL:
            if cache.add("collegium:activity-aggregated", True, timeout=interval):
                background.run(tasks.aggregate_activity)
        return response
