"""Background jobs of the results app."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.utils import translation

from . import imports


@shared_task
def run_results_import(import_id: int, language: str | None = None) -> None:
    """Run a stored results import; reasons for bad rows come in the uploader's language."""
    with translation.override(language or settings.LANGUAGE_CODE):
        imports.run_import(import_id)


@shared_task(name="results.fail_stale_imports")
def fail_stale_imports() -> int:
    """Results and exam imports whose worker died (one schedule entry serves both)."""
    from .imports import exams

    return imports.fail_stale_imports() + exams.fail_stale_exam_imports()


@shared_task
def run_exam_results_import(import_id: int, language: str | None = None) -> None:
    """Run a stored exam results import in the uploader's language."""
    from .imports import exams

    with translation.override(language or settings.LANGUAGE_CODE):
        exams.run_exam_import(import_id)
