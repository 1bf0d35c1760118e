"""Previews made in the background: a PDF's first page, office files converted by LibreOffice,
hostile files failing quietly, who may see them, and uploads through the API."""

import io
import os
import shutil
import time
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from communities.models import Membership
from communities.tests.factories import CommunityFactory, MembershipFactory
from people.tests.factories import teacher_at
from resources import previews, services
from resources.models import Resource, ResourceVersion

from .factories import PDF, ResourceFactory, kind, png

pytestmark = pytest.mark.django_db
Preview = ResourceVersion.PreviewStatus
HAS_SOFFICE = bool(shutil.which("soffice") or shutil.which("libreoffice"))


def real_pdf(pages=((595, 842),), name="plan.pdf") -> ContentFile:
    """A PDF made by reportlab; each page of its own size, with some text on it."""
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    sheet = canvas.Canvas(out)
    for number, size in enumerate(pages, start=1):
        sheet.setPageSize(size)
        sheet.drawString(40, 40, f"Страница {number}")
        sheet.showPage()
    sheet.save()
    return ContentFile(out.getvalue(), name=name)


def docx(name="plan.docx") -> ContentFile:
    from docx import Document

    document = Document()
    document.add_heading("План урока", level=1)
    document.add_paragraph("Дроби: сложение и вычитание.")
    out = io.BytesIO()
    document.save(out)
    return ContentFile(out.getvalue(), name=name)


@pytest.fixture
def plc():
    community = CommunityFactory()
    leader = teacher_at(community.organisation)
    MembershipFactory(community=community, person=leader, role=Membership.Role.LEADER)
    community.leader = leader
    community.save()
    return community


@pytest.fixture
def member(plc):
    person = teacher_at(plc.organisation)
    MembershipFactory(community=plc, person=person)
    return person


@pytest.fixture
def upload(plc, member, django_capture_on_commit_callbacks):
    """Draft a resource with `file` and run the jobs its commit starts; its current version."""

    def make(file) -> ResourceVersion:
        with django_capture_on_commit_callbacks(execute=True):
            resource = services.create_draft(
                actor=member, title="Урок дробей", kind=kind(), community=plc, file=file
            )
        return resource.versions.get()

    return make


def _image(field) -> Image.Image:
    with field.open("rb") as file:
        image = Image.open(io.BytesIO(file.read()))
        image.load()
    return image


def test_a_pdf_gets_its_first_page_as_the_preview(upload):
    # A landscape first page, then a portrait one: the preview is the first's shape.
    version = upload(real_pdf(pages=((842, 595), (595, 842))))
    assert version.preview_status == Preview.READY
    image = _image(version.preview)
    assert image.format == "PNG"
    assert image.width > image.height
    assert image.width <= 600
    assert not version.pdf  # a PDF is its own PDF version


def test_the_preview_waits_for_the_commit(plc, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        resource = services.create_draft(
            actor=member, title="Урок", kind=kind(), community=plc, file=real_pdf()
        )
    version = resource.versions.get()
    assert version.preview_status == Preview.PENDING and not version.preview
    assert len(callbacks) == 1


def test_a_huge_page_is_drawn_small(upload):
    version = upload(real_pdf(pages=((14400, 200),)))
    assert version.preview_status == Preview.READY
    image = _image(version.preview)
    assert image.width <= 600 and image.height <= 900


def test_only_the_first_of_many_pages_is_drawn(upload):
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(3000):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    started = time.monotonic()
    version = upload(ContentFile(out.getvalue(), name="many.pdf"))
    assert version.preview_status == Preview.READY
    assert time.monotonic() - started < previews.RENDER_SECONDS


@pytest.mark.parametrize("how", ["broken", "encrypted"])
def test_a_pdf_that_cannot_be_read_has_no_preview(upload, how):
    if how == "broken":
        file = ContentFile(PDF, name="plan.pdf")
    else:
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter()
        writer.append(PdfReader(io.BytesIO(real_pdf().read())))
        writer.encrypt("secret")
        out = io.BytesIO()
        writer.write(out)
        file = ContentFile(out.getvalue(), name="secret.pdf")
    version = upload(file)
    assert version.preview_status == Preview.FAILED
    assert not version.preview and not version.pdf
    assert version.resource.versions.count() == 1  # the upload itself stands


def test_a_stored_file_whose_bytes_lie_is_not_rendered(plc, member):
    """A file stored before the upload checks: its name says PDF, its bytes an executable."""
    resource = ResourceFactory(community=plc, created_by=member)
    version = ResourceVersion(resource=resource, original_name="x.pdf",
                              preview_status=Preview.PENDING)  # fmt: skip
    version.file.save("x.pdf", ContentFile(b"MZ\x90\x00 an executable" * 20), save=False)
    version.save()
    assert previews.make_preview(version.pk) == Preview.FAILED
    version.refresh_from_db()
    assert not version.preview


def test_a_job_delivered_twice_changes_nothing(upload):
    version = upload(real_pdf())
    first = version.preview.name
    assert previews.make_preview(version.pk) == Preview.READY
    version.refresh_from_db()
    assert version.preview.name == first
    assert previews.make_preview(version.pk + 1000) == "gone"


def test_a_deleted_draft_leaves_its_job_nothing_to_do(
    plc, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        resource = services.create_draft(
            actor=member, title="Урок", kind=kind(), community=plc, file=real_pdf()
        )
    pk = resource.versions.get().pk
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_draft(actor=member, resource=resource)
    assert previews.make_preview(pk) == "gone"


def test_without_libreoffice_an_office_file_waits_for_no_conversion(upload, monkeypatch):
    monkeypatch.setattr(previews, "office_binary", lambda: None)
    version = upload(docx())
    assert version.preview_status == Preview.UNAVAILABLE
    assert not version.preview and not version.pdf


def test_a_conversion_that_hangs_is_killed(upload, monkeypatch, tmp_path):
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nsleep 60\n")
    fake.chmod(0o755)
    monkeypatch.setattr(previews, "office_binary", lambda: str(fake))
    monkeypatch.setattr(previews, "CONVERT_SECONDS", 1)
    started = time.monotonic()
    version = upload(docx())
    assert time.monotonic() - started < 30
    assert version.preview_status == Preview.FAILED
    assert not version.pdf


def test_a_render_that_hangs_is_stopped(upload, monkeypatch, tmp_path):
    """A PDF whose first page takes forever (a bomb): the renderer's process is ended."""
    from resources import pdf_render

    slow = tmp_path / "slow_render.py"
    slow.write_text("import time\ntime.sleep(60)\n")
    monkeypatch.setattr(pdf_render, "__file__", str(slow))
    monkeypatch.setattr(previews, "RENDER_SECONDS", 1)
    started = time.monotonic()
    version = upload(real_pdf())
    assert time.monotonic() - started < 30
    assert version.preview_status == Preview.FAILED and not version.preview


# Skipped on a laptop without LibreOffice; in CI (which installs it) its absence is a failure.
@pytest.mark.skipif(not HAS_SOFFICE and not os.environ.get("CI"), reason="LibreOffice is missing")
@pytest.mark.sqlite_only(
    "LibreOffice's conversion is the same whichever database keeps the version; a PDF upload's "
    "ready preview is checked on both"
)
def test_a_docx_becomes_a_pdf_with_a_preview(client, upload, member):
    version = upload(docx())
    assert version.preview_status == Preview.READY
    with version.pdf.open("rb") as file:
        assert file.read(5) == b"%PDF-"
    assert _image(version.preview).width <= 600
    client.force_login(member)
    response = client.get(f"/resources/versions/{version.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "plan.pdf" in response["Content-Disposition"]
    page = client.get(f"/resources/{version.resource_id}/").content.decode()
    assert f"/resources/versions/{version.pk}/pdf/" in page
    assert f"/resources/versions/{version.pk}/preview/" in page


def test_the_preview_and_the_pdf_follow_the_resource_rule(client, upload, plc):
    version = upload(real_pdf())  # a draft: its author and moderators only
    version.pdf.save("copy.pdf", ContentFile(real_pdf().read()), save=True)
    urls = [f"/resources/versions/{version.pk}/preview/", f"/resources/versions/{version.pk}/pdf/"]
    for url in urls:
        assert client.get(url).status_code == 404  # anonymous: not told it exists
    client.force_login(teacher_at(CommunityFactory().organisation))
    for url in urls:
        assert client.get(url).status_code == 404  # nor a stranger
    client.force_login(plc.leader)
    for url in urls:
        assert client.get(url).status_code == 200


def test_the_pages_show_the_preview_and_its_status(client, plc, member, upload):
    version = upload(real_pdf())
    resource = version.resource
    resource.status, resource.is_public = Resource.Status.PUBLISHED, True
    resource.save()
    bank = client.get("/resources/").content.decode()
    assert f'src="/resources/versions/{version.pk}/preview/"' in bank
    assert 'loading="lazy"' in bank and "alt=" in bank
    waiting = ResourceFactory(community=plc, created_by=member)
    ResourceVersion.objects.create(resource=waiting, file=real_pdf(), original_name="w.pdf",
                                   preview_status=Preview.PENDING)  # fmt: skip
    page = client.get(f"/resources/{waiting.pk}/").content.decode()
    assert 'role="status"' in page


def _with_previews(plc, author, count):
    for _ in range(count):
        resource = ResourceFactory(community=plc, created_by=author)
        version = ResourceVersion(resource=resource, original_name="p.png",
                                  preview_status=Preview.READY)  # fmt: skip
        version.file.save("p.png", png(), save=False)
        version.preview.save("preview.png", png(), save=False)
        version.pdf.save("p.pdf", ContentFile(PDF), save=False)
        version.save()


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/resources/", "/resources/mine/", "/api/v1/resources/"])
def test_previews_add_no_queries_per_row(client, plc, url, django_assert_max_num_queries):
    author = teacher_at(plc.organisation)
    client.force_login(author)
    _with_previews(plc, author, 2)
    few = _count(client, url)
    _with_previews(plc, author, 12)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert response.status_code == 200
    if url.startswith("/api/"):
        rows = response.json()["results"]
        assert len(rows) == 14
        assert all(row["preview_url"] and row["pdf_url"] for row in rows)
    else:
        assert response.content.decode().count('class="resource-thumb"') == 14


# The API ----------------------------------------------------------------------------------------


def _pdf_upload(name="plan.pdf"):
    return SimpleUploadedFile(name, real_pdf().read(), content_type="application/pdf")


def test_a_draft_with_its_file_through_the_api(
    client, plc, member, django_capture_on_commit_callbacks
):
    client.force_login(member)
    body = {"title": "Урок с файлом", "kind": "lesson-plan", "community": plc.pk,
            "key": str(uuid.uuid4()), "grade_from": "", "file": _pdf_upload()}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/resources/", body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["file_url"] and data["pdf_url"] == data["file_url"]
    assert data["preview_status"] == "pending"  # answered before the job ran
    again = client.get(f"/api/v1/resources/{data['id']}/").json()
    assert again["preview_status"] == "ready" and again["preview_url"]


def test_the_api_refuses_a_file_whose_bytes_lie_on_its_field(client, plc, member):
    client.force_login(member)
    body = {"title": "Урок", "kind": "lesson-plan", "community": plc.pk,
            "file": SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 an executable" * 20)}  # fmt: skip
    response = client.post("/api/v1/resources/", body)
    assert response.status_code == 400
    assert "file" in response.json()
    assert not Resource.objects.exists()


def test_a_new_version_through_the_api(client, plc, member, django_capture_on_commit_callbacks):
    resource = services.create_draft(actor=member, title="Урок", kind=kind(), community=plc)
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/v1/resources/{resource.pk}/versions/",
            {"file": _pdf_upload("v2.pdf"), "note": "Исправлены задачи"},
        )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["original_name"] == "v2.pdf" and data["note"] == "Исправлены задачи"
    version = ResourceVersion.objects.get(pk=data["id"])
    assert version.preview_status == Preview.READY

    bad = client.post(
        f"/api/v1/resources/{resource.pk}/versions/",
        {"file": SimpleUploadedFile("v3.docx", b"%PDF-1.4 not a docx")},
    )
    assert bad.status_code == 400 and "file" in bad.json()
    assert resource.versions.count() == 1


def test_only_those_who_may_add_a_version_upload_one(client, plc, member):
    published = ResourceFactory(community=plc, created_by=member)
    published.authors.add(member)
    outsider = teacher_at(CommunityFactory().organisation)
    client.force_login(outsider)  # sees the public resource, may not change it
    response = client.post(f"/api/v1/resources/{published.pk}/versions/", {"file": _pdf_upload()})
    assert response.status_code == 403
    draft = services.create_draft(actor=member, title="Черновик", kind=kind(), community=plc)
    response = client.post(f"/api/v1/resources/{draft.pk}/versions/", {"file": _pdf_upload()})
    assert response.status_code == 404  # a draft of someone else's is not shown at all
    assert not ResourceVersion.objects.exists()


def test_the_command_makes_the_previews_of_earlier_uploads(plc, member, monkeypatch):
    from django.core.management import call_command

    resource = ResourceFactory(community=plc, created_by=member)
    earlier = ResourceVersion.objects.create(resource=resource, file=real_pdf(),
                                             original_name="old.pdf")  # fmt: skip
    office = ResourceVersion.objects.create(resource=resource, file=docx(), original_name="o.docx",
                                            preview_status=Preview.UNAVAILABLE)  # fmt: skip
    monkeypatch.setattr(previews, "office_binary", lambda: None)
    out = io.StringIO()
    call_command("make_resource_previews", stdout=out)
    assert "1" in out.getvalue()
    earlier.refresh_from_db()
    assert earlier.preview_status == Preview.READY and earlier.preview
    office.refresh_from_db()
    assert office.preview_status == Preview.UNAVAILABLE  # only with --retry
    call_command("make_resource_previews", "--retry", stdout=out)
    office.refresh_from_db()
    assert office.preview_status == Preview.UNAVAILABLE  # still no LibreOffice: asked again


@pytest.fixture
def remote():
    """A web server on this machine that counts the requests it gets."""
    import http.server
    import threading

    asked = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the standard library's name
            asked.append(self.path)
            self.send_response(404)
            self.end_headers()

        do_OPTIONS = do_HEAD = do_GET  # noqa: N815

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", asked
    server.shutdown()


@pytest.mark.skipif(not HAS_SOFFICE and not os.environ.get("CI"), reason="LibreOffice is missing")
@pytest.mark.skipif(not previews.no_network_prefix(), reason="no network namespaces here")
@pytest.mark.sqlite_only("what LibreOffice fetches does not depend on the database")
def test_a_conversion_fetches_nothing_a_document_links_to(remote, tmp_path):
    url, asked = remote
    source = tmp_path / "linked.html"
    source.write_text(f'<html><body><p>Урок</p><img src="{url}/probe.png"></body></html>')
    work = tmp_path / "work"
    work.mkdir()
    assert previews.convert_to_pdf(source, work) is not None  # converted, the image missing
    assert asked == []


def test_a_server_that_cannot_isolate_converts_nothing_when_told_so(
    upload, monkeypatch, settings, tmp_path
):
    ran = tmp_path / "ran"
    fake = tmp_path / "soffice"
    fake.write_text(f"#!/bin/sh\ntouch {ran}\n")
    fake.chmod(0o755)
    monkeypatch.setattr(previews, "office_binary", lambda: str(fake))
    monkeypatch.setattr(previews, "no_network_prefix", lambda: ())
    settings.PREVIEWS_NEED_ISOLATION = True
    version = upload(docx())
    assert version.preview_status == Preview.FAILED and not version.pdf
    assert not ran.exists()
