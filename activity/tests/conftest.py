"""The shared world of the permission matrix (core/tests/conftest.py), for this app's tests."""

from core.tests.conftest import _module_world, world  # noqa: F401
