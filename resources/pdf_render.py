"""Render the first page of a PDF to a PNG, in a process of its own.

Run as ``python -I pdf_render.py SOURCE TARGET``; it imports neither Django nor the project.
PDFium parses hostile input here, so a crash, a hang or a memory bomb ends this short-lived
process and not the web server or the worker that started it: the process caps its own memory
and CPU time before it loads PDFium, and the parent also waits for it only so long.
"""

from __future__ import annotations

import math
import resource
import sys

# The largest image made, in pixels; the page is scaled to fit, never rendered larger.
MAX_WIDTH = 600
MAX_HEIGHT = 900
# Enough for PDFium and one page's bitmap; a PDF that needs more is not worth a preview.
MEMORY_BYTES = 1024 * 1024 * 1024
CPU_SECONDS = 20

# Exit codes the parent reads (anything else, a signal included, is a failure too).
DONE, UNREADABLE, NO_PAGES, BAD_SIZE = 0, 3, 4, 5


def _limit_self() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def render(source: str, target: str) -> int:
    import pypdfium2 as pdfium
    from PIL import Image

    try:
        # A password-protected PDF fails here; forms (and their JavaScript) are never loaded.
        document = pdfium.PdfDocument(source)
    except pdfium.PdfiumError:
        return UNREADABLE
    try:
        if len(document) < 1:
            return NO_PAGES
        page = document[0]  # only the first page is ever parsed
        width, height = page.get_size()
        if not (math.isfinite(width) and math.isfinite(height)) or width < 1 or height < 1:
            return BAD_SIZE
        # A page a kilometre wide is drawn as small as any other, never to its own size.
        scale = min(MAX_WIDTH / width, MAX_HEIGHT / height, 4.0)
        image = page.render(scale=scale).to_pil()
        # A rotated page swaps its sides; the box holds either way.
        image.thumbnail((MAX_WIDTH, MAX_HEIGHT), Image.Resampling.LANCZOS)
        image.convert("RGB").save(target, format="PNG", optimize=True)
        page.close()
    except pdfium.PdfiumError:
        return UNREADABLE
    finally:
        document.close()
    return DONE


if __name__ == "__main__":
    _limit_self()
    sys.exit(render(sys.argv[1], sys.argv[2]))
