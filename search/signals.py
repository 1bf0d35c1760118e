"""The index follows the domain apps' saves and deletes in the same transaction. The apps know
nothing of search (it sits above them); it listens to their models."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from . import services
from .documents import BY_MODEL


def _saved(sender, instance, created=False, update_fields=None, raw=False, **kwargs) -> None:
    if raw:
        return  # fixtures: `reindex_search` rebuilds the index after loading
    source = BY_MODEL[sender]
    if update_fields is not None and not (set(update_fields) & source.fields):
        return
    services.index_object(instance)


def _deleted(sender, instance, **kwargs) -> None:
    services.unindex(BY_MODEL[sender].kind, [instance.pk])


def connect() -> None:
    for model in BY_MODEL:
        post_save.connect(_saved, sender=model, dispatch_uid=f"search-save-{model.__name__}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"search-delete-{model.__name__}")
