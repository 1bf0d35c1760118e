"""Checks for uploaded evidence: size, and what the file really is (not what its name says)."""

from __future__ import annotations

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

ALLOWED = {
    "pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "doc", "xls", "ppt",
    "png", "jpg", "gif", "webp", "mp4", "mp3", "m4a", "ogg", "wav", "zip",
}  # fmt: skip


def check_upload(upload) -> None:
    """Refuse files that are too large or not a document, image, audio or video."""
    if upload.size > settings.MAX_UPLOAD_BYTES:
        sizes = {
            "size": filesizeformat(upload.size),
            "limit": filesizeformat(settings.MAX_UPLOAD_BYTES),
        }
        message = _("The file is too large (%(size)s); the limit is %(limit)s.") % sizes
        raise ValidationError({"file": message})
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is not None and kind.extension in ALLOWED:
        return
    if kind is None and upload.name.lower().endswith((".txt", ".csv")):
        try:
            head.decode("utf-8")
            return
        except UnicodeDecodeError:
            pass
    raise ValidationError(
        {"file": _("This file is not a document, image, audio or video we accept.")}
    )
