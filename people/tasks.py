"""Background jobs of the people app."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.utils import translation

from . import exports, imports


@shared_task
def run_teacher_import(import_id: int, language: str | None = None) -> None:
    """Run a stored teacher import; reasons for bad rows come in the uploader's language."""
    with translation.override(language or settings.LANGUAGE_CODE):
        imports.run_import(import_id)


@shared_task(name="people.fail_stale_imports")
def fail_stale_imports() -> int:
    """Sweep: imports and exports whose worker died are failed even if nobody looks at them."""
    return imports.fail_stale_imports() + exports.fail_stale_exports()


@shared_task(name="people.remove_expired_exports")
def remove_expired_exports() -> int:
    return exports.remove_expired_exports()


@shared_task
def build_databank_export(export_id: int, language: str | None = None) -> None:
    # Without a broker there is no beat to sweep old exports: each new one does it.
    exports.remove_expired_exports()
    with translation.override(language or settings.LANGUAGE_CODE):
        exports.build_databank_export(export_id)
