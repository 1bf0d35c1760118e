import pytest


def pytest_collection_modifyitems(config, items):
    """CI runs the suite twice, on SQLite and on PostgreSQL. A test that hands our output to an
    external program (Chromium, LibreOffice, the Open Badges validator) checks what that program
    makes of it, which is the same whichever database served it, so it runs on SQLite only."""
    from django.conf import settings

    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        return
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        if marker is not None:
            why = marker.kwargs.get("reason") or (marker.args[0] if marker.args else "")
            item.add_marker(pytest.mark.skip(reason=f"run on SQLite only: {why}"))


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits count in the cache: each test starts with none spent."""
    from django.core.cache import cache

    cache.clear()
    yield


# Rows the migrations write (community kinds and their rules, event kinds…), kept as they were
# before the first test that serves the site. A live server needs committed data, so such tests
# are transactional and their tables are emptied afterwards, taking these rows with them; they
# are put back before and after each such test, so that it, and any test after it on the same
# worker, finds the database as it was created.
_PRISTINE: list[str] = []
_REGENERATED = {"contenttypes", "auth"}  # recreated by the flush's post_migrate, with new ids


def _snapshot() -> None:
    from django.core import serializers
    from django.db import connection

    from communities.models import CommunityKind

    if _PRISTINE:
        return
    if not CommunityKind.objects.exists():
        pytest.fail("this test needs the migrations' data; an earlier test removed it")
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
    """The migrations' rows, present when the test starts."""
    with django_db_blocker.unblock():
        _restore()
        _snapshot()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a test that used them has had its tables emptied, put the migrations' rows back."""
    result = yield
    # With no next test the session's teardown has just dropped the test database.
    if "migrations_data" in getattr(item, "fixturenames", ()) and nextitem is not None:
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            _restore()
    return result


@pytest.fixture(scope="module")
def _module_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, loaded once per test module inside a transaction that is rolled back afterwards.

    Each test's own ``db`` transaction is a savepoint inside it, so whatever a test writes is rolled
    back before the next one: every test of the module starts from the freshly loaded demo, for one
    load (several seconds) instead of one per test. Not for transactional tests or modules that
    watch the demo's own on-commit work: the load's commit never happens.
    """
    from django.core.management import call_command
    from django.db import transaction
    from django.test import override_settings

    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(MEDIA_ROOT=media):
                call_command("load_demo", verbosity=0)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield media
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def shared_demo(_module_demo, db, settings):
    """The module's demo, as `call_command("load_demo")` at the test's start would leave it."""
    settings.MEDIA_ROOT = _module_demo  # where the demo's files are
