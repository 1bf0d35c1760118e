"""The edges of the site: rate limits, security headers, and probes over plain HTTP."""

import re
from pathlib import Path

import pytest
from rest_framework import throttling

from organisations.tests.factories import OrganisationFactory
from people.tests.factories import PersonFactory, school_admin

BASE = Path(__file__).resolve().parents[2]
TEMPLATE_DIRS = [p for p in BASE.glob("*/templates") if ".venv" not in p.parts] + [
    p for p in BASE.glob("templates")
]

pytestmark = pytest.mark.django_db


def _templates():
    for folder in TEMPLATE_DIRS:
        yield from folder.rglob("*.html")


def test_pages_send_a_strict_content_security_policy(client):
    client.force_login(PersonFactory())
    policy = client.get("/")["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
    )
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_no_template_has_inline_scripts_handlers_or_styles():
    """The policy above would silently break any of these, so none may exist."""
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
    handler = re.compile(r"\son[a-z]+\s*=", re.I)
    style = re.compile(r"<style\b|\sstyle\s*=", re.I)
    found = []
    for template in _templates():
        text = template.read_text(encoding="utf-8")
        for pattern in (inline_script, handler, style):
            if pattern.search(text):
                found.append(f"{template.relative_to(BASE)}: {pattern.pattern}")
    assert found == []


def test_api_docs_load_their_script_as_a_file(client):
    client.force_login(PersonFactory())
    page = client.get("/api/docs/").content.decode()
    assert "<script>" not in page and "<style>" not in page
    script = re.search(r'<script src="([^"]*api/docs[^"]*)"', page)
    assert script, "the Swagger set-up script must be a separate file"
    assert client.get(script.group(1)).status_code == 200


def test_permissions_policy_switches_off_devices(client):
    header = client.get("/accounts/login/")["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in header


def test_health_answers_plain_http_even_when_https_is_enforced(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/health/").status_code == 200
    redirected = client.get("/accounts/login/")
    assert redirected.status_code == 301 and redirected.url.startswith("https://")


def test_anonymous_api_calls_are_rate_limited(client):
    answers = [client.get("/api/v1/communities/").status_code for _ in range(61)]
    assert answers[:60] == [200] * 60  # public communities are open to all
    assert answers[60] == 429


def test_signed_in_api_calls_are_rate_limited_per_person(client, monkeypatch):
    monkeypatch.setattr(
        throttling.SimpleRateThrottle,
        "THROTTLE_RATES",
        {"anon": "60/minute", "user": "5/minute", "import": "2/minute"},
    )
    first, second = PersonFactory(), PersonFactory()
    client.force_login(first)
    answers = [client.get("/api/v1/communities/").status_code for _ in range(6)]
    assert answers == [200] * 5 + [429]
    client.force_login(second)  # another person has a budget of their own
    assert client.get("/api/v1/communities/").status_code == 200


def test_teacher_import_has_a_stricter_limit(client, monkeypatch):
    monkeypatch.setattr(
        throttling.SimpleRateThrottle,
        "THROTTLE_RATES",
        {"anon": "60/minute", "user": "100/minute", "import": "2/minute"},
    )
    organisation = OrganisationFactory()
    client.force_login(school_admin(organisation))
    answers = [
        client.post("/api/v1/imports/teachers/", {"organisation": organisation.pk}).status_code
        for _ in range(3)
    ]
    assert answers[:2] == [400, 400]  # no file: a clear 400, still counted
    assert answers[2] == 429
    assert client.get("/api/v1/communities/").status_code == 200  # other calls unaffected


def test_import_page_is_rate_limited(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "60/minute", "user": "100/minute", "import": "2/minute"},
    }
    organisation = OrganisationFactory()
    client.force_login(school_admin(organisation))
    url = f"/organisations/{organisation.pk}/import/"
    answers = [client.post(url, {}).status_code for _ in range(3)]
    assert answers == [200, 200, 429]


def test_one_address_may_try_only_so_many_logins(client, settings):
    settings.LOGIN_RATE = "3/m"
    answers = [
        client.post("/accounts/login/", {"username": f"nobody{n}", "password": "x"}).status_code
        for n in range(4)
    ]
    assert answers == [200, 200, 200, 429]
    assert client.get("/accounts/login/").status_code == 200  # reading the form is not limited
