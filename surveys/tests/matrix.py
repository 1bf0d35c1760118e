"""This app's rows of the permission matrix (core/tests/test_permission_matrix.py)."""

from core.tests.matrix import Endpoint

ENDPOINTS: list[Endpoint] = []
