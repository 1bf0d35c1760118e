"""The rotating QR code of attendance: an HMAC of the event and a 30-second window.

The organiser's screen shows the code of the current window; a participant's scan is accepted in
the current and the previous window only, so a code forwarded to someone absent has expired by
the time it is used.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings

WINDOW_SECONDS = 30


def _window(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // WINDOW_SECONDS)


def code_for(event, window: int) -> str:
    message = f"event-attendance:{event.pk}:{window}".encode()
    key = hashlib.sha256(f"events.attendance:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:20]


def current_code(event, now: float | None = None) -> str:
    return code_for(event, _window(now))


def seconds_left(now: float | None = None) -> int:
    now = time.time() if now is None else now
    return WINDOW_SECONDS - int(now % WINDOW_SECONDS)


def is_valid(event, code: str, now: float | None = None) -> bool:
    code = (code or "").strip()
    if not code:
        return False
    window = _window(now)
    return any(hmac.compare_digest(code, code_for(event, w)) for w in (window, window - 1))
