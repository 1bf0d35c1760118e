"""The Open Badges 2.0 documents, and 1EdTech's validator verifying a hosted assertion.

The validator (PyPI `openbadges`) pins libraries that clash with the project's, so it runs in a
venv of its own, `.venv-openbadges`, which `make test` builds first (`make openbadges-venv`).
Without it the test is skipped, except under CI, where it fails.
"""

import hashlib
import json
import os
import subprocess
from pathlib import Path

import pytest

from certificates import services
from certificates.models import Certificate
from certificates.tests.factories import held_event

ROOT = Path(__file__).resolve().parents[2]
VALIDATOR = ROOT / ".venv-openbadges" / "bin" / "python"
CHECK = Path(__file__).with_name("openbadges_check.py")


def _issued():
    h = held_event()
    services.issue_for_event(event=h.event, actor=h.leader)
    return h, Certificate.objects.get(holder=h.participant)


@pytest.mark.django_db
def test_the_assertion_badge_and_issuer_are_spec_shaped(client, settings):
    settings.SITE_URL = "https://collegium.example.org"
    h, certificate = _issued()
    assertion = client.get(f"/openbadges/assertions/{certificate.token}.json")
    assert assertion.status_code == 200
    assert assertion["Content-Type"].startswith("application/ld+json")
    body = assertion.json()
    assert body["@context"] == "https://w3id.org/openbadges/v2"
    assert body["type"] == "Assertion"
    assert body["id"] == (
        f"https://collegium.example.org/openbadges/assertions/{certificate.token}.json"
    )
    assert body["verification"] == {"type": "hosted"}
    recipient = body["recipient"]
    expected = hashlib.sha256(("maria@example.org" + certificate.salt).encode()).hexdigest()
    assert recipient == {
        "type": "email",
        "hashed": True,
        "salt": certificate.salt,
        "identity": f"sha256${expected}",
    }
    assert "maria@example.org" not in assertion.content.decode()
    badge = client.get(body["badge"].removeprefix("https://collegium.example.org")).json()
    assert badge["type"] == "BadgeClass"
    assert badge["name"] == "Участник: Мастер-класс «Смысловое чтение»"
    assert badge["image"].startswith("data:image/svg+xml;base64,")
    issuer = client.get(badge["issuer"].removeprefix("https://collegium.example.org")).json()
    assert issuer["type"] == "Issuer"
    assert issuer["name"] == "ПОС учителей (СШ № 7)"
    # One BadgeClass per event and role: the speaker's differs, another participant's would not.
    speaker = Certificate.objects.get(holder=h.speaker)
    assert speaker.badge_key != certificate.badge_key
    assert speaker.issuer_key == certificate.issuer_key


@pytest.mark.django_db
def test_a_revoked_assertion_answers_410_and_unknown_ones_404(client):
    h, certificate = _issued()
    services.revoke(certificate=certificate, actor=h.leader, reason="Ошибка")
    response = client.get(f"/openbadges/assertions/{certificate.token}.json")
    assert response.status_code == 410
    assert response.json()["revoked"] is True
    assert "recipient" not in response.json()
    assert client.get("/openbadges/assertions/nothing-here.json").status_code == 404
    assert client.get("/openbadges/badges/nothing-here.json").status_code == 404
    assert client.get("/openbadges/issuers/nothing-here.json").status_code == 404


def _validate(url: str, origin: str) -> dict:
    if not VALIDATOR.exists():
        if os.environ.get("CI"):
            pytest.fail("The Open Badges validator venv is missing: run `make openbadges-venv`.")
        pytest.skip("The Open Badges validator venv is missing (make openbadges-venv).")
    done = subprocess.run(
        [str(VALIDATOR), str(CHECK), url, origin],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp")},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.sqlite_only(
    "the validator judges the JSON documents, which the client tests above check on both databases"
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrations_data")
def test_1edtech_validator_verifies_the_hosted_assertion(live_server, settings):
    settings.SITE_URL = live_server.url
    h, certificate = _issued()
    url = f"{live_server.url}/openbadges/assertions/{certificate.token}.json"

    checked = _validate(url, live_server.url)

    report = checked["result"]["report"]
    errors = [m for m in report["messages"] if m["messageLevel"] == "ERROR"]
    assert errors == [], json.dumps(report, ensure_ascii=False)
    assert report["valid"] is True
    assert report["openBadgesVersion"] == "2.0"
    assert checked["refused"] == []  # it needed nothing from the internet
    graph = {node["id"]: node for node in checked["result"]["graph"]}
    assert graph[url]["badge"].endswith(f"/openbadges/badges/{certificate.badge_key}.json")

    # Revoked, the same URL answers 410 with only `"revoked": true`: the validator (which knows
    # no revocation of hosted assertions beyond that) finds no valid badge there any more.
    services.revoke(certificate=certificate, actor=h.leader, reason="Ошибка в ФИО")
    revoked = _validate(url, live_server.url)["result"]["report"]
    assert revoked["valid"] is False
    assert revoked["errorCount"] > 0
