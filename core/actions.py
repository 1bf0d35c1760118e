"""What every app's actions (services) share: asking the policy, and telling the apps above.

An action takes the person acting and asks its app's policy itself, so pages, API and any other
caller cannot disagree; `actor=None` is a trusted caller (the demo loader, a data migration, a
test's setup). What it changed is announced with a signal once the transaction commits, so a
rolled-back change tells nobody.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.dispatch import Signal


def require(actor, allowed: Callable[[], bool]) -> None:
    """Refuse unless there is no actor (a trusted caller) or the policy allows."""
    if actor is not None and not allowed():
        raise PermissionDenied


def announce(signal: Signal, sender, **kwargs) -> None:
    """Send `signal` once the transaction commits; the change is made by then, so a receiver
    that fails is logged rather than shown as the action's error (robust)."""
    transaction.on_commit(lambda: signal.send(sender=sender, **kwargs), robust=True)
