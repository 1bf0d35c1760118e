"""Smoke test of a running Collegium over HTTP, as a browser behind a TLS proxy would use it.

    python deploy/smoke.py http://127.0.0.1:8765 --organisation ID [--restored]

Standard library only, so it runs against any deployment. It logs in as the demo's leader,
opens pages, attaches a file to a decision and downloads it again (and checks that an anonymous
visitor cannot), then as the demo's director runs a teacher-list check in the background and waits
for the worker to finish it. With --restored it checks that a site restored from a backup still
has the data and files the first run left. Exits non-zero with a message on the first failure.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

PASSWORD = "collegium-demo"
MARKER = Path(__file__).with_name(".smoke-evidence.json")


class Failed(Exception):
    pass


class Browser:
    """Cookies kept by hand: the session cookie is Secure, and the proxy's TLS is simulated."""

    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self.host = urllib.parse.urlsplit(self.base).netloc
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(_NoRedirect)

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        url = path if path.startswith("http") else self.base + path
        request = urllib.request.Request(url, data=body, method=method)
        request.add_header("X-Forwarded-Proto", "https")
        request.add_header("Referer", f"https://{self.host}/")
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, dict(response.headers), response.read()

    def get(self, path: str):
        return self.request("GET", path)

    def csrf(self, path: str) -> str:
        status, _, body = self.get(path)
        expect(status == 200, f"GET {path} answered {status}")
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        expect(found is not None, f"no CSRF token on {path}")
        return found.group(1).decode()

    def post_form(self, path: str, fields: dict, files: dict | None = None):
        token = self.csrf(path)
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in {"csrfmiddlewaretoken": token, **fields}.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for name, (filename, content, kind) in (files or {}).items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {kind}\r\n\r\n'.encode()
                + content
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request(
            "POST", path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        )

    def login(self, username: str) -> None:
        status, headers, _ = self.post_form(
            "/accounts/login/", {"username": username, "password": PASSWORD}
        )
        expect(status == 302, f"login as {username} answered {status}")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise Failed(message)


def step(text: str) -> None:
    print(f"  ok  {text}", flush=True)


def pdf_bytes(text: str) -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
        + f"% {text}\n".encode()
        + b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )


def link_to(page: bytes, text: str) -> str:
    for href, label in re.findall(rb'<a href="([^"]+)"[^>]*>([^<]*)</a>', page):
        if html.unescape(label.decode()).strip() == text:
            return html.unescape(href.decode())
    raise Failed(f"no link «{text}» on the page")


def check_site(base: str) -> Browser:
    browser = Browser(base)
    status, _, body = browser.get("/health/")
    expect(status == 200 and json.loads(body)["database"] == "ok", f"/health/ answered {status}")
    step("health answers over plain HTTP")
    status, headers, body = browser.get("/accounts/login/")
    expect(status == 200, f"login page answered {status}")
    expect("Content-Security-Policy" in headers, "no Content-Security-Policy header")
    css = re.search(rb'<link rel="stylesheet" href="([^"]+)"', body)
    expect(css is not None, "no stylesheet on the login page")
    status, _, _ = browser.get(css.group(1).decode())
    expect(status == 200, f"the stylesheet answered {status}")
    step("login page and collected static files are served")
    browser.login("leader")
    status, _, body = browser.get("/")
    expect(status == 200 and b"Collegium" in body, f"dashboard answered {status}")
    step("leader logs in and sees the dashboard")
    return browser


def first_decision(browser: Browser) -> int:
    status, _, body = browser.get("/api/v1/decisions/")
    expect(status == 200, f"decisions API answered {status}")
    results = json.loads(body)["results"]
    expect(bool(results), "the leader sees no decisions")
    return results[0]["id"]


def check_files(browser: Browser, base: str) -> dict:
    decision = first_decision(browser)
    title = f"smoke evidence {uuid.uuid4().hex[:8]}"
    content = pdf_bytes(title)
    path = f"/decisions/{decision}/"
    status, _, _ = browser.post_form(
        path,
        {"attach": "1", "title": title, "url": ""},
        {"file": ("протокол.pdf", content, "application/pdf")},
    )
    expect(status == 302, f"attaching evidence answered {status}")
    status, _, page = browser.get(path)
    href = link_to(page, title)
    status, headers, body = browser.get(href)
    expect(status == 200 and body == content, f"downloading the evidence answered {status}")
    step("evidence uploaded and downloaded again, byte for byte")
    status, _, body = Browser(base).get(href)
    expect(status != 200 or body != content, "an anonymous visitor downloaded the evidence")
    step(f"an anonymous visitor cannot download it ({status})")
    return {"decision": decision, "title": title, "content": content.decode("latin-1")}


def check_background_import(base: str, organisation: int) -> None:
    director = Browser(base)
    director.login("director")
    rows = "ФИО;Должность;Электронная почта\r\nСмоуков Тест Тестович;Учитель;smoke@example.org\r\n"
    status, headers, _ = director.post_form(
        f"/organisations/{organisation}/import/",
        {"dry_run": "on"},
        {"file": ("список.csv", rows.encode("cp1251"), "text/csv")},
    )
    expect(status == 302, f"uploading a teacher list answered {status}")
    record = int(re.search(r"/imports/(\d+)/", headers["Location"]).group(1))
    deadline = time.monotonic() + 90
    while True:
        status, _, body = director.get(f"/api/v1/imports/teachers/{record}/")
        expect(status == 200, f"import status answered {status}")
        state = json.loads(body)["status"]
        if state not in ("pending", "running"):
            break
        expect(time.monotonic() < deadline, "the worker did not finish the import in 90 s")
        time.sleep(0.5)
    expect(state == "checked", f"the background import ended {state}: {body[:300]!r}")
    step("a teacher list was checked by the background worker")


def check_restored(base: str) -> None:
    saved = json.loads(MARKER.read_text())
    browser = check_site(base)
    status, _, page = browser.get(f"/decisions/{saved['decision']}/")
    expect(status == 200, f"the decision answered {status} after the restore")
    status, _, body = browser.get(link_to(page, saved["title"]))
    expect(status == 200 and body == saved["content"].encode("latin-1"), "evidence lost")
    step("the restored site serves the data and the file of the first run")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--organisation", type=int)
    parser.add_argument("--restored", action="store_true")
    args = parser.parse_args()
    try:
        if args.restored:
            check_restored(args.base)
        else:
            browser = check_site(args.base)
            MARKER.write_text(json.dumps(check_files(browser, args.base)))
            check_background_import(args.base, args.organisation)
    except Failed as failure:
        print(f"SMOKE FAILED: {failure}", file=sys.stderr)
        return 1
    print("smoke test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
