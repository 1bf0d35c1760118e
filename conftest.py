import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits count in the cache: each test starts with none spent."""
    from django.core.cache import cache

    cache.clear()
    yield
