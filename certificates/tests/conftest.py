"""The Open Badges test serves the site with `live_server`, so it is transactional and its
tables are emptied afterwards, taking the rows the migrations wrote (community and event kinds)
with them. They are kept before it and put back after it, so that a later test on the same worker
finds the database as it was created (as devtools/tests/browser/conftest.py does for its tests).
"""

from __future__ import annotations

import pytest

_PRISTINE: list[str] = []
_REGENERATED = {"contenttypes", "auth"}  # recreated by the flush's post_migrate, with new ids


def _snapshot() -> None:
    from django.core import serializers
    from django.db import connection

    from communities.models import CommunityKind

    if _PRISTINE or not CommunityKind.objects.exists():
        return
    models = [
        m
        for m in connection.introspection.installed_models(connection.introspection.table_names())
        if m._meta.app_label not in _REGENERATED and m._default_manager.exists()
    ]
    rows = [obj for m in models for obj in m._default_manager.order_by("pk")]
    _PRISTINE.append(serializers.serialize("json", rows))


def _restore() -> None:
    from django.core import serializers
    from django.db import connection, transaction

    from communities.models import CommunityKind

    if not _PRISTINE or CommunityKind.objects.exists():
        return
    with transaction.atomic(), connection.constraint_checks_disabled():
        for obj in serializers.deserialize("json", _PRISTINE[0]):
            obj.save()


@pytest.fixture
def migrations_data(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _snapshot()
        _restore()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield
    if "migrations_data" in getattr(item, "fixturenames", ()) and nextitem is not None:
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            _restore()
    return result
