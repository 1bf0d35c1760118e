"""The file as bytes: size limits, which kind of table it is, and how its text is encoded."""

from __future__ import annotations

import codecs
import io
import os
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core import uploads

from .report import ImportFileError, ImportSource


def _too_large(size: int) -> ImportFileError:
    return ImportFileError(
        _("The file is too large (%(size)s); the limit is %(limit)s.")
        % {"size": filesizeformat(size), "limit": filesizeformat(settings.MAX_UPLOAD_BYTES)}
    )


def read_file_bytes(file: ImportSource) -> bytes:
    """The content of a path, bytes, an uploaded or a stored file; refuses oversize files."""
    limit = settings.MAX_UPLOAD_BYTES
    if isinstance(file, bytes | bytearray):
        data = bytes(file)
    elif isinstance(file, str | os.PathLike):
        size = os.path.getsize(file)
        if size > limit:
            raise _too_large(size)
        data = Path(file).read_bytes()
    else:
        size = getattr(file, "size", None)
        if isinstance(size, int) and size > limit:
            raise _too_large(size)
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(limit + 1)
        if hasattr(file, "seek"):
            file.seek(0)
    if len(data) > limit:
        raise _too_large(len(data))
    if not data:
        raise ImportFileError(_("The file is empty."))
    return data


def _not_a_table() -> ImportFileError:
    return ImportFileError(
        _(
            "The file is neither an Excel workbook (.xlsx) nor a CSV text file. Save the list "
            "as .xlsx or CSV and upload it again."
        )
    )


def _looks_like_text(text: str) -> bool:
    sample = text[:65536]
    if not sample.strip():
        return False
    controls = sum(
        1 for ch in sample if ch not in "\t\r\n" and unicodedata.category(ch) in ("Cc", "Cs", "Co")
    )
    return controls <= len(sample) * 0.01


def _decodings(data: bytes) -> Iterator[tuple[str, str]]:
    """Plausible decodings of a text file, most likely first (decoded lazily)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            return
        if _looks_like_text(text):
            yield "utf-16", text
        return
    if b"\x00" in data[:65536]:
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    else:
        if _looks_like_text(text):
            yield "utf-8", text
        return
    # Not UTF-8: most likely Windows-1251 (what Russian Excel saves as CSV); the header row
    # decides between it and the other Cyrillic code pages.
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    guess = [best.encoding] if best is not None and best.encoding else []
    tried = set()
    for encoding in ["cp1251", *guess, "koi8_r", "cp866", "mac_cyrillic"]:
        name = codecs.lookup(encoding).name
        if name in tried:
            continue
        tried.add(name)
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if _looks_like_text(text):
            yield name, text


def sniff_format(data: bytes) -> str:
    """ "xlsx" or "csv" judged by the content, whatever the file is called."""
    if not data:
        raise ImportFileError(_("The file is empty."))
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise ImportFileError(
            _(
                "This is an old Excel file (.xls) or a password-protected workbook. Save it "
                "as .xlsx without a password, or as CSV, and upload it again."
            )
        )
    if data.startswith(b"PK\x03\x04"):
        # Before openpyxl inflates anything: a zip bomb is refused from its directory alone.
        try:
            kind = uploads.archive_kind(io.BytesIO(data))
        except ValidationError as exc:
            if exc.code == "damaged":
                raise ImportFileError(
                    _("The Excel file could not be read; it may be damaged.")
                ) from exc
            raise ImportFileError(exc.messages[0]) from exc
        if kind == "xlsx":
            return "xlsx"
        raise _not_a_table()
    if next(_decodings(data), None) is not None:
        return "csv"
    raise _not_a_table()


def check_file(file: ImportSource) -> str:
    """Quick check for forms and the API: size and real type. Returns "xlsx" or "csv".

    An uploaded file also passes the checks every upload does (its name must agree with its
    content, and nothing in its head may look like a web page).
    """
    kind = sniff_format(read_file_bytes(file))
    if not isinstance(file, str | os.PathLike | bytes | bytearray) and getattr(file, "name", None):
        try:
            uploads.check_upload(file, allowed=uploads.TABLE_KINDS)
        except ValidationError as exc:
            raise ImportFileError(exc.messages[0]) from exc
    return kind
