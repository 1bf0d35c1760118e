"""Handing a stored upload to someone the owning object's policy has already let in."""

from __future__ import annotations

from pathlib import PurePath
from urllib.parse import quote

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header

from .uploads import content_type_of


def _local_path(file: FieldFile) -> str | None:
    try:
        return file.storage.path(file.name)
    except NotImplementedError:  # object storage has no local path
        return None


def serve_upload(file: FieldFile, *, filename: str = "") -> HttpResponse:
    """The file as a download (inline only for images and PDF) under the person's own name.

    The content type comes from the generated stored name, whose extension was checked against
    the content at upload; nosniff stops the browser from second-guessing it.
    """
    if not file or not file.name:
        raise Http404
    content_type, inline = content_type_of(file.name)
    filename = filename or PurePath(file.name).name
    header = settings.SENDFILE_HEADER
    path = _local_path(file) if header else None
    if path is not None:
        # The web server sends the bytes; Django only decided that this person may have them.
        response = HttpResponse(content_type=content_type)
        if header.lower() == "x-accel-redirect":
            response[header] = settings.SENDFILE_PREFIX.rstrip("/") + "/" + quote(file.name)
        else:
            response[header] = path
        response["Content-Disposition"] = content_disposition_header(not inline, filename)
    else:
        try:
            handle = file.storage.open(file.name, "rb")
        except (FileNotFoundError, OSError) as exc:
            raise Http404 from exc
        response = FileResponse(
            handle, as_attachment=not inline, filename=filename, content_type=content_type
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    return response
