"""Background jobs of the reports app: building a report's DOCX or PDF."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.utils import translation


@shared_task
def build_report_file(file_id: int, language: str | None = None) -> None:
    from . import services

    with translation.override(language or settings.LANGUAGE_CODE):
        services.build_file(file_id)
