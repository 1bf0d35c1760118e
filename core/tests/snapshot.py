"""A fingerprint of every table, to show that a refused or ineffective request wrote nothing.

Generic on purpose: it reads every model Django knows, so a refused write that touches some row
no per-endpoint check thought of is caught too. Sessions and the login-failure log are left out:
signing in and being refused legitimately write there.
"""

from __future__ import annotations

import hashlib

from django.apps import apps

IGNORED_APPS = {"sessions", "axes"}


def _models():
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.app_label not in IGNORED_APPS and m._meta.managed and not m._meta.proxy
    ]


def database_snapshot() -> dict[str, str]:
    """Each table's rows, hashed: equal snapshots mean no row was added, removed or changed."""
    snapshot = {}
    for model in _models():
        rows = model._base_manager.order_by("pk").values_list()
        snapshot[model._meta.label] = hashlib.blake2b(
            repr(list(rows)).encode(), digest_size=16
        ).hexdigest()
    return snapshot


def differences(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(label for label in before if before[label] != after.get(label))
