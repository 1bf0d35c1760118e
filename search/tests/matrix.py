"""This app's rows of the permission matrix (core/tests/test_permission_matrix.py).

The search page is open to everyone (what each finds is the owning apps' rule, tested in
test_search.py); the API, like the others, answers signed-in callers.
"""

from __future__ import annotations

from core.tests.matrix import EVERYONE, SIGNED_IN, Endpoint, api, page

ENDPOINTS: list[Endpoint] = [
    page("search", "get", lambda w: "/search/?q=группа", EVERYONE),
    api("search", "get", lambda w: "/search/?q=группа", SIGNED_IN),
]
