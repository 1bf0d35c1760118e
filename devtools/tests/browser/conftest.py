"""Browser tests: the demo's main journeys in Debian's Chromium, checked with axe-core.

Chromium is not downloaded by Playwright: the tests launch the system's `chromium`
(`apt-get install chromium`; CHROMIUM overrides the path). axe-core comes from npm
(`npm ci` at the repository root puts it in node_modules/). Without either the tests skip with
the reason; with CI set they fail instead, so a CI run cannot pass without having run them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def _chromium() -> str | None:
    path = (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )
    return path if path and os.access(path, os.X_OK) else None


def _missing() -> str | None:
    reasons = []
    if _chromium() is None:
        reasons.append("Chromium is not installed (apt-get install chromium, or set CHROMIUM)")
    if not AXE.exists():
        reasons.append("axe-core is not installed (run `npm ci` at the repository root)")
    return "; ".join(reasons) or None


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    missing = _missing()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests cannot run in CI: {missing}", pytrace=False)
        pytest.skip(missing)
    # Playwright's sync API keeps an event loop in this thread until the session ends, so Django
    # would refuse every later ORM call in this process (the demo, the database's set-up and
    # teardown, the tests xdist runs on this worker after these) as if made from async code.
    # They are synchronous and safe. Set only once a browser test starts Playwright.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    return {
        **browser_type_launch_args,
        "executable_path": _chromium(),
        "args": ["--no-sandbox", "--disable-dev-shm-usage"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # The site speaks Russian first; the tests read it as a Russian browser would.
    return {**browser_context_args, "locale": "ru-RU", "viewport": {"width": 1280, "height": 800}}


@pytest.fixture
def context(context):
    # axe is added to every document before its own scripts run: an init script is not subject
    # to the page's Content-Security-Policy, which forbids inline scripts.
    context.add_init_script(path=str(AXE))
    context.set_default_timeout(15_000)
    return context
