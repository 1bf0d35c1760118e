"""Previews of the bank's files, made in the background after the upload commits.

A PDF's first page becomes a PNG; an office file (DOCX, PPTX, ODT, ODP) is first converted to a
PDF by LibreOffice where it is installed, and that PDF is kept as the version's "PDF version".
Both steps run in child processes with time and memory limits, because the files are anybody's
and the parsers are large C programs. Every outcome is a status on the version, never an error
for the person: the upload itself stands whatever happens here.

The job is idempotent: it works only on a version still waiting for its preview, writes its
files and its status together at the end, and a second run of the same job (a worker killed
and the job delivered again) finds the work done or does it again from the start.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from core import background
from core.uploads import check_upload, discard_files_on_commit

from . import pdf_render
from .models import ResourceVersion

logger = logging.getLogger(__name__)

PreviewStatus = ResourceVersion.PreviewStatus
OFFICE_KINDS = frozenset({"docx", "pptx", "odt", "odp"})
PREVIEW_KINDS = OFFICE_KINDS | {"pdf"}
# Wall-clock limits for the child processes (the renderer also caps its own CPU time).
RENDER_SECONDS = 30
CONVERT_SECONDS = 120
# A converted PDF larger than this is not kept (a small DOCX that unfolds into a huge PDF).
MAX_PDF_BYTES = 50 * 1024 * 1024


def office_binary() -> str | None:
    """LibreOffice's command where the server has it; conversion is skipped without it."""
    return shutil.which("soffice") or shutil.which("libreoffice")


@functools.cache
def no_network_prefix() -> tuple[str, ...]:
    """The words that run a command with no network at all, or () where this server cannot.

    LibreOffice fetches what a document links to (a remote image, a linked table) while it
    converts it: an uploaded file could make our server send requests wherever it says, our
    internal network included. `unshare -rn` gives the conversion a network namespace of its
    own with nothing in it (through an unprivileged user namespace, where the kernel allows
    one; containers often do not, and then the conversion runs as before and the log says so
    once — settings.PREVIEWS_NEED_ISOLATION refuses to convert instead)."""
    unshare = shutil.which("unshare")
    if unshare is not None:
        try:
            done = subprocess.run(
                [unshare, "-rn", "true"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=10,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            done = None
        if done is not None and done.returncode == 0:
            return (unshare, "-rn")
    logger.warning(
        "LibreOffice conversions run with the network: `unshare -rn` is not allowed here"
    )
    return ()


def schedule(version: ResourceVersion) -> None:
    """Queue the preview once the upload's transaction commits (a rolled-back upload has none)."""
    from .tasks import make_preview

    transaction.on_commit(partial(background.run, make_preview, version.pk))


def queue_waiting(*, retry: bool = False) -> int:
    """Start the jobs of versions still waiting: jobs lost with an in-process worker, files
    uploaded before previews existed, and with `retry` those that failed or found no converter
    (after LibreOffice is installed, say). Returns how many were started."""
    from django.conf import settings
    from django.db.models import Q

    from .tasks import make_preview

    suffixes = Q()
    for kind in PREVIEW_KINDS:
        suffixes |= Q(file__iendswith=f".{kind}")
    again = [PreviewStatus.NONE] + (
        [PreviewStatus.FAILED, PreviewStatus.UNAVAILABLE] if retry else []
    )
    ResourceVersion.objects.filter(suffixes, preview_status__in=again).update(
        preview_status=PreviewStatus.PENDING
    )
    waiting = list(
        ResourceVersion.objects.filter(preview_status=PreviewStatus.PENDING).values_list(
            "pk", flat=True
        )
    )
    for pk in waiting:
        if settings.CELERY_BROKER_URL:
            make_preview.delay(pk)
        else:
            make_preview(pk)  # here and now: a command's threads would die with it
    return len(waiting)


def render_first_page(source: Path, target: Path) -> bool:
    """The first page of the PDF at `source` as a PNG at `target`; False when it cannot be."""
    try:
        done = subprocess.run(
            [sys.executable, "-I", pdf_render.__file__, str(source), str(target)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=RENDER_SECONDS,
            check=False,
        )
    except (subprocess.TimeoutExpired, OSError):
        return False
    return done.returncode == pdf_render.DONE and target.is_file() and target.stat().st_size > 0


def convert_to_pdf(source: Path, workdir: Path) -> Path | None:
    """`source` converted by LibreOffice into `workdir`, or None when it failed or took too long.

    Each conversion has a profile of its own (LibreOffice locks a shared one, so parallel
    conversions would wait on each other or fail) and runs in a session of its own, so that
    a timeout kills LibreOffice's whole process group and leaves nothing behind.
    """
    soffice = office_binary()
    if soffice is None:
        return None
    isolation = no_network_prefix()
    if not isolation and getattr(settings, "PREVIEWS_NEED_ISOLATION", False):
        return None
    out = workdir / "out"
    out.mkdir()
    command = [
        *isolation, soffice, f"-env:UserInstallation={(workdir / 'profile').as_uri()}",
        "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
        "--convert-to", "pdf", "--outdir", str(out), str(source),
    ]  # fmt: skip
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(workdir)}
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=environment,
            start_new_session=True,
        )
    except OSError:
        return None
    try:
        process.wait(timeout=CONVERT_SECONDS)
    except subprocess.TimeoutExpired:
        return None
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        process.wait()
    result = out / f"{source.stem}.pdf"
    if not result.is_file() or not 0 < result.stat().st_size <= MAX_PDF_BYTES:
        return None
    with result.open("rb") as file:
        if not file.read(5) == b"%PDF-":
            return None
    return result


def _stored_kind(version: ResourceVersion) -> str | None:
    """The stored file's kind, judged again by its bytes (files stored before the checks too)."""
    try:
        with version.file.open("rb") as file:
            return check_upload(file)
    except ValidationError:
        return None


def make_preview(version_id: int) -> str:
    """Make the preview (and the PDF version of an office file); returns the status it leaves."""
    version = ResourceVersion.objects.filter(pk=version_id).first()
    if version is None:
        return "gone"
    if version.preview_status != PreviewStatus.PENDING:
        return version.preview_status  # done already (a job delivered twice)
    try:
        status, image, pdf = _work(version)
    except Exception:
        # The storage or a child process misbehaved: the person sees "no preview", we see why.
        logger.exception("No preview for resource version %s", version_id)
        status, image, pdf = PreviewStatus.FAILED, None, None
    return _finish(version_id, status, image, pdf)


def _work(version: ResourceVersion) -> tuple[str, bytes | None, bytes | None]:
    kind = _stored_kind(version)
    if kind not in PREVIEW_KINDS:
        return PreviewStatus.FAILED, None, None
    if kind in OFFICE_KINDS and office_binary() is None:
        return PreviewStatus.UNAVAILABLE, None, None
    with tempfile.TemporaryDirectory(prefix="collegium-preview-") as tmp:
        workdir = Path(tmp)
        # A fixed name: the person's file name never reaches a command line.
        source = workdir / f"source.{kind}"
        with version.file.open("rb") as stored, source.open("wb") as copy:
            shutil.copyfileobj(stored, copy)
        pdf = None
        if kind in OFFICE_KINDS:
            converted = convert_to_pdf(source, workdir)
            if converted is None:
                return PreviewStatus.FAILED, None, None
            pdf = converted.read_bytes()
            source = converted
        target = workdir / "preview.png"
        if not render_first_page(source, target):
            # The PDF version is still worth keeping when only its picture failed.
            return (PreviewStatus.FAILED, None, pdf)
        return PreviewStatus.READY, target.read_bytes(), pdf


def _finish(version_id: int, status: str, image: bytes | None, pdf: bytes | None) -> str:
    written = []
    try:
        with transaction.atomic():
            version = ResourceVersion.objects.select_for_update().filter(pk=version_id).first()
            if version is None:
                return "gone"  # the draft was deleted meanwhile
            if version.preview_status != PreviewStatus.PENDING:
                return version.preview_status  # another run finished first
            # A retried job replaces what an earlier run kept (a PDF version without its picture).
            discard_files_on_commit(
                [old for old, new in ((version.preview, image), (version.pdf, pdf)) if new]
            )
            if image is not None:
                version.preview.save("preview.png", ContentFile(image), save=False)
                written.append(version.preview)
            if pdf is not None:
                version.pdf.save("document.pdf", ContentFile(pdf), save=False)
                written.append(version.pdf)
            version.preview_status = status
            version.save(update_fields=["preview", "pdf", "preview_status"])
    except Exception:
        for file in written:
            file.storage.delete(file.name)
        raise
    return status
