"""Uploads are judged by their bytes and reached only through permission-checked downloads.

Every hostile file is built here in code (nothing binary is committed); assertions look at error
codes, field keys, status codes and headers, never at message text.
"""

from __future__ import annotations

import io
import random
import struct
import time
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import clear_url_caches, resolve
from django.urls.exceptions import Resolver404

from core import uploads
from meetings import services as meeting_services
from meetings.models import Attachment, Decision

from .conftest import ADMIN_A, ADMIN_B, LEADER, MEMBER, SUPERUSER, TEACHER_A, TEACHER_C

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00" + b"\x00" * 32
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512  # legacy .doc/.xls
MB = 1024 * 1024


def office_zip(kind: str, members: dict[str, bytes] | None = None) -> bytes:
    """A minimal OOXML or ODF container: enough for its type to be recognised."""
    parts = {
        "docx": {"word/document.xml": b"<w:document/>"},
        "xlsx": {"xl/workbook.xml": b"<workbook/>"},
        "pptx": {"ppt/presentation.xml": b"<p:presentation/>"},
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        if kind in ("odt", "ods", "odp"):
            kinds = {"odt": "text", "ods": "spreadsheet", "odp": "presentation"}
            mimetype = f"application/vnd.oasis.opendocument.{kinds[kind]}"
            archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
            archive.writestr("content.xml", b'<office:document-content version="1.3"/>')
        else:
            archive.writestr("[Content_Types].xml", b"<Types/>")
            for name, content in parts.get(kind, {}).items():
                archive.writestr(name, content)
        for name, content in (members or {}).items():
            archive.writestr(name, content)
    return buf.getvalue()


def declare_size(data: bytes, member: str, size: int) -> bytes:
    """Rewrite a member's declared uncompressed size, as a crafted zip bomb does."""
    data = bytearray(data)
    (directory,) = struct.unpack("<I", data[-6:-2])  # end record, no comment
    pos = directory
    while data[pos : pos + 4] == b"PK\x01\x02":
        name_len, extra_len, comment_len = struct.unpack("<HHH", data[pos + 28 : pos + 34])
        (local,) = struct.unpack("<I", data[pos + 42 : pos + 46])
        if data[pos + 46 : pos + 46 + name_len].decode() == member:
            struct.pack_into("<I", data, pos + 24, size)
            struct.pack_into("<I", data, local + 22, size)
        pos += 46 + name_len + extra_len + comment_len
    return bytes(data)


def refusal(name: str, content: bytes, allowed=uploads.EVIDENCE_KINDS) -> str:
    with pytest.raises(ValidationError) as caught:
        uploads.check_upload(SimpleUploadedFile(name, content), allowed=allowed)
    return caught.value.code


# --- what is accepted ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("report.pdf", PDF, "pdf"),
        ("photo.PNG", PNG, "png"),
        ("photo.jpeg", JPEG, "jpg"),
        ("photo.jpg", JPEG, "jpg"),
        ("minutes.docx", office_zip("docx"), "docx"),
        ("list.xlsx", office_zip("xlsx"), "xlsx"),
        ("slides.pptx", office_zip("pptx"), "pptx"),
        ("minutes.odt", office_zip("odt"), "odt"),
        ("table.ods", office_zip("ods"), "ods"),
        ("slides.odp", office_zip("odp"), "odp"),
        ("notes.txt", "Протокол заседания: 3 < 5".encode(), "txt"),
        ("list.csv", "Фамилия;Имя\nИванова;Анна\n".encode("cp1251"), "csv"),
        ("bmi.csv", b"BMI;Name\n21;Anna\n", "csv"),
        ("utf16.txt", "Протокол".encode("utf-16"), "txt"),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_documents_and_images_are_accepted_by_their_content(name, content, kind):
    assert uploads.check_upload(SimpleUploadedFile(name, content)) == kind


# --- what is refused -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        PDF + b"<html><body><script>alert(1)</script></body></html>",
        b"%PDF-1.4\n" + b"% padding\n" * 200 + b"<ScRiPt>alert(1)</ScRiPt>",
        PNG + b"<!DOCTYPE html>",
    ],
    ids=["pdf-then-html", "pdf-script-further-in-the-head", "png-then-doctype"],
)
def test_a_valid_signature_followed_by_a_page_is_refused(content):
    name = "file.png" if content.startswith(PNG) else "file.pdf"
    assert refusal(name, content) == "active_content"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("logo.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'),
        ("page.txt", b"Hello\n<html><script>alert(1)</script>"),
        ("page.txt", "<html><script>x</script></html>".encode("utf-16")),
        ("list.csv", b"a;b\n<iframe src=//evil.example>"),
    ],
    ids=["svg", "svg-named-png", "html-in-text", "utf16-html", "iframe-in-csv"],
)
def test_svg_html_and_script_are_refused(name, content):
    assert refusal(name, content) == "active_content"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", PNG),
        ("photo.png", PDF),
        ("minutes.pdf", office_zip("docx")),
        ("list.docx", office_zip("xlsx")),
        ("minutes", PDF),
        ("notes.pdf", b"just some text"),
    ],
    ids=["png-named-pdf", "pdf-named-png", "docx-named-pdf", "xlsx-named-docx", "no-ext", "txt"],
)
def test_a_name_that_lies_about_the_content_is_refused(name, content):
    assert refusal(name, content) in ("name", "type")


def test_png_named_pdf_is_refused_for_its_name():
    assert refusal("report.pdf", PNG) == "name"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("old.doc", OLE),
        ("anim.gif", GIF),
        ("archive.zip", office_zip("zip", {"readme.txt": b"x"})),
        ("program.exe", b"MZ\x90\x00\x03" + b"\x00" * 64),
        ("binary.txt", b"\x00\x01\x02\x03" * 50),
    ],
    ids=["legacy-doc", "gif", "plain-zip", "exe", "binary-as-text"],
)
def test_types_off_the_allow_list_are_refused(name, content):
    assert refusal(name, content) == "type"


def test_a_spreadsheet_is_not_evidence_for_a_teacher_list_only_tables():
    assert refusal("minutes.docx", office_zip("docx"), allowed=uploads.TABLE_KINDS) == "type"


def test_empty_damaged_and_oversize_files_are_refused(settings):
    assert refusal("empty.pdf", b"") == "empty"
    assert refusal("broken.docx", b"PK\x03\x04broken") == "damaged"
    settings.MAX_UPLOAD_BYTES = 100
    assert refusal("big.pdf", PDF + b"0" * 200) == "too_large"


# --- zip bombs -------------------------------------------------------------------------------


def _refused_quickly(name: str, content: bytes) -> str:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        code = refusal(name, content)
    finally:
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert elapsed < 1.0, elapsed
    assert peak < 100 * MB, peak
    return code


def test_a_3_mb_bomb_declaring_gigabytes_is_refused_without_inflating_it():
    # 3 MB of incompressible bytes whose member claims to unpack to 3.75 GB.
    noise = random.Random(6).randbytes(3 * MB)
    packed = office_zip("docx", {"word/media/a.bin": noise})
    bomb = declare_size(packed, "word/media/a.bin", 0xF0000000)
    assert len(bomb) > 2 * MB
    assert _refused_quickly("bomb.docx", bomb) in ("archive_size", "archive_ratio")


def test_a_real_bomb_of_zeros_is_refused_by_its_ratio():
    zeros = office_zip("xlsx", {"xl/worksheets/sheet1.xml": bytes(40 * MB)})
    assert len(zeros) < MB  # 40 MB of zeros pack into kilobytes
    assert _refused_quickly("list.xlsx", zeros) == "archive_ratio"


def test_one_gigabyte_declared_in_one_member_is_refused():
    small = office_zip("docx", {"word/big.xml": bytes(MB)})
    bomb = declare_size(small, "word/big.xml", 1024 * MB)
    assert _refused_quickly("bomb.docx", bomb) in ("archive_size", "archive_ratio")


def test_many_small_members_add_up_to_too_much(settings):
    settings.UPLOAD_ZIP_MAX_UNCOMPRESSED_BYTES = 10 * MB
    parts = {f"word/media/p{i}.bin": bytes(range(256)) * 4096 for i in range(12)}  # 12 × 1 MB
    assert refusal("album.docx", office_zip("docx", parts)) == "archive_size"


def test_a_zip_with_a_huge_number_of_members_is_refused(settings):
    members = {f"xl/m/{i}.xml": b"" for i in range(settings.UPLOAD_ZIP_MAX_MEMBERS + 1)}
    assert _refused_quickly("list.xlsx", office_zip("xlsx", members)) == "archive_members"


def test_a_directory_declaring_a_huge_member_count_is_refused_before_it_is_parsed():
    data = bytearray(office_zip("xlsx"))
    struct.pack_into("<HH", data, len(data) - 22 + 8, 65000, 65000)  # end record's counts
    assert _refused_quickly("list.xlsx", bytes(data)) == "archive_members"


# --- storing ---------------------------------------------------------------------------------


def test_evidence_is_stored_under_a_generated_name_and_keeps_its_own_as_text(world):
    attachment = meeting_services.attach(
        actor=world.leader,
        title="",
        decision=world.decision,
        file=SimpleUploadedFile("../../Отчёт <b>.pdf", PDF),
    )
    stored = attachment.file.name
    assert stored.startswith("evidence/") and stored.endswith(".pdf")
    assert "Отчёт" not in stored and ".." not in stored
    assert len(stored.rsplit("/", 1)[-1]) == 32 + len(".pdf")
    assert attachment.original_name == "Отчёт <b>.pdf"
    assert attachment.file.read() == PDF


def test_attach_refuses_hostile_files_with_a_file_error(world):
    with pytest.raises(ValidationError) as caught:
        meeting_services.attach(
            actor=world.leader,
            title="x",
            decision=world.decision,
            file=SimpleUploadedFile("report.pdf", PDF + b"<html>"),
        )
    assert set(caught.value.message_dict) == {"file"}
    assert not Attachment.objects.exists()


def test_the_evidence_page_refuses_an_svg(client, world):
    client.force_login(world.leader)
    svg = SimpleUploadedFile("x.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml")
    response = client.post(
        f"/decisions/{world.decision.pk}/", {"attach": "1", "title": "x", "file": svg}
    )
    assert response.status_code == 200
    assert response.context["attachment_form"].errors["file"]
    assert not Attachment.objects.exists()


# --- serving ---------------------------------------------------------------------------------


def _evidence(world, name="Отчёт о работе.docx", content=None, **owner) -> Attachment:
    owner = owner or {"decision": world.decision}
    return meeting_services.attach(
        actor=world.leader,
        title="Report",
        file=SimpleUploadedFile(name, content if content is not None else office_zip("docx")),
        **owner,
    )


def _url(attachment: Attachment) -> str:
    return f"/evidence/{attachment.pk}/file/"


def test_a_member_downloads_evidence_as_an_attachment_under_its_own_name(client, world):
    attachment = _evidence(world)
    client.force_login(world.member)
    response = client.get(_url(attachment))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == attachment.file.open("rb").read()
    assert response["Content-Type"] == uploads.KINDS["docx"].content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''%D0%9E%D1%82%D1%87%D1%91%D1%82" in disposition


@pytest.mark.parametrize(
    ("name", "content"), [("scan.pdf", PDF), ("photo.png", PNG)], ids=["pdf", "png"]
)
def test_pdf_and_images_are_shown_inline(client, world, name, content):
    attachment = _evidence(world, name, content)
    client.force_login(world.member)
    response = client.get(_url(attachment))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Type"] == uploads.content_type_of(name)[0]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pages_link_the_protected_download_never_media(client, world):
    attachment = _evidence(world)
    client.force_login(world.member)
    page = client.get(f"/decisions/{world.decision.pk}/").content.decode()
    assert _url(attachment) in page
    assert attachment.file.name not in page
    item = world.approved_plan.meetings.first().items.first()
    on_item = _evidence(world, plan_item=item)
    page = client.get(f"/plan-items/{item.pk}/evidence/").content.decode()
    assert _url(on_item) in page and on_item.file.name not in page


def _members_only_decision(world) -> Decision:
    import datetime as dt

    from django.utils import timezone

    meeting = meeting_services.schedule_meeting(
        confirmed=True,
        community=world.members_only, actor=world.user(ADMIN_A), title="Closed",
        chair=world.user(ADMIN_A), place="Room 2", starts_at=timezone.now() - dt.timedelta(days=1),
    )  # fmt: skip
    return Decision.objects.create(meeting=meeting, community=world.members_only, text="Closed")


def test_evidence_of_a_closed_community_follows_the_decisions_policy(client, world):
    attachment = _evidence(world, decision=_members_only_decision(world))
    response = client.get(_url(attachment))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    for role in (TEACHER_A, ADMIN_B, TEACHER_C, LEADER):  # not members of the closed group
        client.force_login(world.user(role))
        assert client.get(_url(attachment)).status_code in (403, 404), role
    for role in (MEMBER, ADMIN_A, SUPERUSER):
        client.force_login(world.user(role))
        assert client.get(_url(attachment)).status_code == 200, role


def test_plan_item_evidence_follows_the_plans_policy(client, world):
    from planning.models import Plan

    item = world.approved_plan.meetings.first().items.first()
    attachment = _evidence(world, plan_item=item)
    Plan.objects.filter(pk=world.approved_plan.pk).update(community=world.members_only)
    client.force_login(world.user(TEACHER_A))
    assert client.get(_url(attachment)).status_code in (403, 404)
    client.force_login(world.member)
    assert client.get(_url(attachment)).status_code == 200


def test_a_link_without_a_file_has_nothing_to_download(client, world):
    link = meeting_services.attach(
        actor=world.leader, title="Site", decision=world.decision, url="https://example.org/"
    )
    client.force_login(world.member)
    assert client.get(_url(link)).status_code == 404
    assert client.get("/evidence/999999/file/").status_code == 404


def test_evidence_is_not_reachable_under_media_even_in_debug(client, world, settings):
    import importlib

    import collegium.urls

    attachment = _evidence(world)
    settings.DEBUG = True
    try:
        importlib.reload(collegium.urls)
        clear_url_caches()
        with pytest.raises(Resolver404):
            resolve(f"/{settings.MEDIA_URL}{attachment.file.name}")
        client.force_login(world.user(SUPERUSER))
        assert client.get(f"/{settings.MEDIA_URL}{attachment.file.name}").status_code == 404
    finally:
        settings.DEBUG = False
        importlib.reload(collegium.urls)
        clear_url_caches()


@pytest.mark.parametrize(
    ("header", "expected"),
    [("X-Accel-Redirect", "/protected/{name}"), ("X-Sendfile", "{path}")],
)
def test_a_web_server_can_send_the_bytes(client, world, settings, header, expected):
    settings.SENDFILE_HEADER = header
    attachment = _evidence(world)
    client.force_login(world.member)
    response = client.get(_url(attachment))
    assert response.status_code == 200
    assert response.content == b""
    name, path = attachment.file.name, attachment.file.path
    assert response[header] == expected.format(name=name, path=path)
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(world.user(TEACHER_C))
    closed = _evidence(world, decision=_members_only_decision(world))
    denied = client.get(_url(closed))
    assert denied.status_code in (403, 404) and not denied.has_header(header)


def test_the_admin_links_the_protected_downloads_and_takes_no_uploads(client, world):
    from people import imports

    attachment = _evidence(world)
    record = imports.create_import(
        organisation=world.school_a,
        file=SimpleUploadedFile("list.csv", "ФИО;Должность\n".encode()),
        dry_run=True,
    )
    client.force_login(world.user(SUPERUSER))
    page = client.get(f"/admin/meetings/attachment/{attachment.pk}/change/")
    assert page.status_code == 200
    assert "file" not in page.context["adminform"].form.fields
    assert _url(attachment) in page.content.decode()
    assert attachment.file.name not in page.content.decode()
    page = client.get(f"/admin/people/teacherimport/{record.pk}/change/")
    assert page.status_code == 200
    assert f"/organisations/{world.school_a.pk}/imports/{record.pk}/file/" in page.content.decode()
    assert record.file.name not in page.content.decode()
    assert client.get("/admin/people/teacherimport/add/").status_code == 403
