"""Every upload (evidence, teacher lists) is judged by its bytes, not by its name or the browser.

A file is accepted only when its content is one of a short list of document and image types, its
name's extension agrees with that content, its head holds nothing a browser could run as a page,
and, for the zip-based office formats, its central directory promises no more than sane limits
before anything decompresses it. Stored names are generated; the person's file name is kept only
as text.
"""

from __future__ import annotations

import codecs
import io
import struct
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import PurePath
from typing import IO

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Kind:
    content_type: str
    suffixes: tuple[str, ...]
    inline: bool = False  # shown in the browser; everything else is only ever downloaded


_OOXML = "application/vnd.openxmlformats-officedocument"
_ODF = "application/vnd.oasis.opendocument"
KINDS: dict[str, Kind] = {
    "pdf": Kind("application/pdf", (".pdf",), inline=True),
    "png": Kind("image/png", (".png",), inline=True),
    "jpg": Kind("image/jpeg", (".jpg", ".jpeg"), inline=True),
    "docx": Kind(f"{_OOXML}.wordprocessingml.document", (".docx",)),
    "xlsx": Kind(f"{_OOXML}.spreadsheetml.sheet", (".xlsx",)),
    "pptx": Kind(f"{_OOXML}.presentationml.presentation", (".pptx",)),
    "odt": Kind(f"{_ODF}.text", (".odt",)),
    "ods": Kind(f"{_ODF}.spreadsheet", (".ods",)),
    "odp": Kind(f"{_ODF}.presentation", (".odp",)),
    "txt": Kind("text/plain", (".txt",)),
    "csv": Kind("text/csv", (".csv",)),
}
EVIDENCE_KINDS = frozenset(KINDS)
TABLE_KINDS = frozenset({"xlsx", "csv", "txt"})

# The part of a file browsers look at when they guess what it is; we look at it too.
HEAD_BYTES = 8192
# Lower-case; a file containing any of these near its start could be rendered as a page (an
# HTML or SVG polyglot behind a valid PDF or image signature, say) and is refused.
ACTIVE_MARKERS = (
    b"<html", b"<script", b"<svg", b"<!doctype", b"<?xml", b"<body", b"<head", b"<iframe",
    b"<object", b"<embed", b"<meta", b"<xsl", b"<!entity",
)  # fmt: skip
# Members smaller than this cannot hurt whatever their ratio (and tiny XML compresses very well).
_RATIO_FLOOR = 1024 * 1024
_OOXML_PARTS = {
    "word/document.xml": "docx",
    "xl/workbook.xml": "xlsx",
    "ppt/presentation.xml": "pptx",
}
_ODF_TYPES = {f"{_ODF}.text": "odt", f"{_ODF}.spreadsheet": "ods", f"{_ODF}.presentation": "odp"}


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def too_large(size: int) -> ValidationError:
    sizes = {"size": filesizeformat(size), "limit": filesizeformat(settings.MAX_UPLOAD_BYTES)}
    return _refuse(
        _("The file is too large (%(size)s); the limit is %(limit)s.") % sizes, "too_large"
    )


def has_active_content(head: bytes) -> bool:
    # UTF-16 text interleaves NUL bytes, which would hide a tag from a plain search.
    lowered = head.lower()
    squeezed = lowered.replace(b"\x00", b"")
    return any(marker in lowered or marker in squeezed for marker in ACTIVE_MARKERS)


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    if b"\x00" in head:
        return False
    try:
        # The head may end inside a multi-byte character, so decode it as an unfinished stream.
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return True
    except UnicodeDecodeError:
        pass
    # A single-byte code page (Windows-1251 CSV from Excel): any byte goes, control codes rarely.
    controls = sum(1 for byte in head if byte < 32 and byte not in b"\t\r\n\f")
    return controls <= len(head) * 0.01


def _too_many_members(count: int) -> ValidationError:
    return _refuse(
        _("The archive has too many parts (%(count)s); the limit is %(limit)s.")
        % {"count": count, "limit": settings.UPLOAD_ZIP_MAX_MEMBERS},
        "archive_members",
    )


def _declared_member_count(file: IO[bytes]) -> int | None:
    """The entry count in the end-of-directory record, or None when it is not plainly there."""
    end = file.seek(0, io.SEEK_END)
    tail_start = max(0, end - (22 + 65535))  # the record plus the longest comment
    file.seek(tail_start)
    tail = file.read()
    file.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        return None
    (count,) = struct.unpack("<H", tail[at + 10 : at + 12])
    return None if count == 0xFFFF else count  # 0xFFFF: the real count is in the ZIP64 record


def archive_kind(file: IO[bytes]) -> str:
    """What a zip-based file is, judged from its central directory within the limits.

    Nothing is decompressed: only the directory at the end of the file is read. Its declared
    sizes are binding for every later reader that uses ``zipfile`` (openpyxl does): a member
    is never inflated past its declared size, and a member that lies fails its CRC check.
    """
    declared = _declared_member_count(file)
    if declared is not None and declared > settings.UPLOAD_ZIP_MAX_MEMBERS:
        # Refused before zipfile builds an object per entry of a huge directory.
        raise _too_many_members(declared)
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
            if len(members) > settings.UPLOAD_ZIP_MAX_MEMBERS:
                raise _too_many_members(len(members))
            total = 0
            for member in members:
                total += member.file_size
                ratio = member.file_size / max(member.compress_size, 1)
                if member.file_size > _RATIO_FLOOR and ratio > settings.UPLOAD_ZIP_MAX_RATIO:
                    raise _refuse(
                        _("The file unpacks to far more than its size; it is refused."),
                        "archive_ratio",
                    )
            if total > settings.UPLOAD_ZIP_MAX_UNCOMPRESSED_BYTES:
                raise _refuse(
                    _("The file unpacks to %(size)s; the limit is %(limit)s.")
                    % {
                        "size": filesizeformat(total),
                        "limit": filesizeformat(settings.UPLOAD_ZIP_MAX_UNCOMPRESSED_BYTES),
                    },
                    "archive_size",
                )
            names = {member.filename: member for member in members}
            for part, kind in _OOXML_PARTS.items():
                if part in names:
                    return kind
            mimetype = names.get("mimetype")
            if mimetype is not None and mimetype.file_size <= 100:
                declared = archive.read(mimetype).decode("ascii", "replace").strip()
                return _ODF_TYPES.get(declared, "zip")
            return "zip"
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
        raise _refuse(_("The file could not be read; it may be damaged."), "damaged") from exc


def _size(upload) -> int | None:
    size = getattr(upload, "size", None)
    return size if isinstance(size, int) else None


def check_upload(upload, *, allowed: Iterable[str] = EVIDENCE_KINDS) -> str:
    """Accept an uploaded file or refuse it with a ValidationError; returns its kind ("pdf"…).

    The error's ``code`` says why: too_large, empty, active_content, damaged, archive_members,
    archive_ratio, archive_size, type (not one of ``allowed``) or name (the extension lies).
    """
    allowed = frozenset(allowed)
    size = _size(upload)
    if size is not None and size > settings.MAX_UPLOAD_BYTES:
        raise too_large(size)
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    if not head:
        raise _refuse(_("The file is empty."), "empty")
    if has_active_content(head):
        raise _refuse(
            _("The file contains web page or script code and cannot be accepted."),
            "active_content",
        )
    suffix = PurePath(getattr(upload, "name", "") or "").suffix.lower()
    if head.startswith(b"PK\x03\x04"):
        try:
            kind = archive_kind(upload)
        finally:
            upload.seek(0)
    else:
        guess = filetype.guess(head)
        kind = guess.extension if guess is not None else None
        # Some signatures are two letters ("BM" is a bitmap), so a table whose first cell
        # starts with them is still text when its bytes read as text.
        if kind not in KINDS and suffix in (".txt", ".csv") and _looks_like_text(head):
            kind = suffix[1:]
    if kind not in allowed:
        accepted = ", ".join(sorted({s for k in allowed for s in KINDS[k].suffixes}))
        raise _refuse(
            _("This kind of file is not accepted. Accepted: %(kinds)s.") % {"kinds": accepted},
            "type",
        )
    if suffix not in KINDS[kind].suffixes:
        raise _refuse(
            _("The file's name ends in “%(suffix)s” but it is a %(kind)s file; rename it.")
            % {"suffix": suffix or "—", "kind": KINDS[kind].suffixes[0]},
            "name",
        )
    return kind


def content_type_of(name: str) -> tuple[str, bool]:
    """The content type and whether it may be shown inline, from a generated stored name.

    Stored names take their extension from a checked upload, so the extension is trustworthy;
    anything else (files stored before the checks existed) is served as opaque bytes.
    """
    suffix = PurePath(name).suffix.lower()
    for kind in KINDS.values():
        if suffix in kind.suffixes:
            return kind.content_type, kind.inline
    return "application/octet-stream", False


@deconstructible
class GeneratedName:
    """``upload_to`` that never uses the person's file name, only its (checked) extension."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        suffix = PurePath(filename).suffix.lower()
        known = {s for kind in KINDS.values() for s in kind.suffixes}
        suffix = suffix if suffix in known else ""
        return f"{self.folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"

    def __eq__(self, other) -> bool:
        return isinstance(other, GeneratedName) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)


def discard_files_on_commit(files: Iterable) -> None:
    """Delete stored files once the surrounding transaction has committed.

    The files go only after the commit: a rolled-back change must not leave rows without files.
    """
    for file in files:
        if file:
            transaction.on_commit(partial(file.storage.delete, file.name))


def check_uploads(
    files, *, limit: int, field: str = "files", allowed: Iterable[str] = EVIDENCE_KINDS
) -> list:
    """Several files of one form field, each judged by `check_upload`; the message names the
    file it is about. Returns the non-empty uploads with their kinds."""
    files = [f for f in (files or []) if f]
    if len(files) > limit:
        raise ValidationError({field: _("Attach at most %(n)s files.") % {"n": limit}})
    checked = []
    for file in files:
        try:
            checked.append((file, check_upload(file, allowed=allowed)))
        except ValidationError as exc:
            name = PurePath(getattr(file, "name", "") or "").name
            raise ValidationError({field: [f"{name}: {m}" for m in exc.messages]}) from exc
    return checked
