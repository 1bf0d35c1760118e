from core.tests.conftest import _module_world, world  # noqa: F401 - the shared world's fixtures
