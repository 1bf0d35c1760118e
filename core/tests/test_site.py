import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.urls import reverse

from people.tests.factories import PersonFactory

BASE = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_health_reports_database(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_health_is_503_when_database_does_not_answer(client):
    with mock.patch("core.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_deploy_check_passes_with_production_settings():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "collegium.settings",
        "DEBUG": "0",
        "SECRET_KEY": "x" * 20 + "-production-secret-key-with-enough-entropy-0123456789",
        "ALLOWED_HOSTS": "collegium.example.org",
    }
    # The test settings relax these for the test client; production leaves them unset.
    for name in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
        env.pop(name, None)
    # The browser tests set this in the test process once Playwright runs (their conftest).
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_settings_refuse_to_start_without_secret_key_in_production():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "collegium.settings", "DEBUG": "0"}
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=BASE, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_pages_need_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.django_db
def test_login_with_password_and_throttling(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    PersonFactory(username="anna")
    response = client.post("/accounts/login/", {"username": "anna", "password": "collegium-test"})
    assert response.status_code == 302
    client.logout()
    for _attempt in range(3):
        client.post("/accounts/login/", {"username": "anna", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "anna", "password": "collegium-test"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_passwords_are_hashed_with_argon2_in_production():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "collegium.settings", "DEBUG": "1"}
    code = "from django.conf import settings; print(settings.PASSWORD_HASHERS[0])"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
    )
    assert "Argon2PasswordHasher" in result.stdout


@pytest.mark.django_db
def test_language_switch_to_english(client):
    person = PersonFactory()
    client.force_login(person)
    ru = client.get("/").content.decode()
    assert "Мои сообщества" in ru
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    en = client.get("/").content.decode()
    assert "My communities" in en


@pytest.mark.django_db
def test_openapi_schema_lists_the_endpoints(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    text = response.content.decode()
    for path in [
        "/api/v1/territories/",
        "/api/v1/organisations/",
        "/api/v1/networks/",
        "/api/v1/communities/",
        "/api/v1/memberships/",
        "/api/v1/people/",
        "/api/v1/people/me/",
    ]:
        assert path in text
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert "drf_spectacular_sidecar" in docs.content.decode()  # served locally, no CDN


@pytest.mark.django_db
def test_openapi_schema_generates_without_warnings():
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", os.devnull)


@pytest.mark.django_db
def test_admin_lists_every_model_for_the_superuser(client, django_user_model):
    from django.apps import apps
    from django.contrib import admin

    ours = {"organisations", "people", "communities", "planning", "meetings", "notifications"}
    models = [m for m in apps.get_models() if m._meta.app_label in ours]
    assert [m for m in models if m not in admin.site._registry] == []
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.org", "x"))
    for model in models:
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        assert client.get(url).status_code == 200, url


def test_system_checks_pass():
    from django.core.management import call_command

    call_command("check", "--fail-level", "WARNING")


def test_the_site_has_a_favicon(client):
    page = client.get("/accounts/login/").content.decode()
    assert 'rel="icon"' in page and "favicon.svg" in page
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response.url.endswith("img/favicon.svg")


def test_a_refusal_is_logged_as_one_line_and_an_error_keeps_its_traceback():
    import logging

    from core.logging import RefusalsWithoutTraceback

    def record(status):
        try:
            raise PermissionError("no")
        except PermissionError:
            import sys

            entry = logging.LogRecord("django.request", 30, __file__, 1, "x", (), sys.exc_info())
        entry.status_code = status
        return entry

    refused, failed = record(403), record(500)
    keep = RefusalsWithoutTraceback()
    assert keep.filter(refused) and keep.filter(failed)
    assert refused.exc_info is None and failed.exc_info is not None
    assert "django.request" in __import__("django").conf.settings.LOGGING["loggers"]
