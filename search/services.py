"""Writes of the search index. The domain apps' saves reach here through signals (search.signals)
inside their own transaction, so an object and its entry change together."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Model

from .backends import backend
from .documents import BY_MODEL, SOURCES
from .models import Entry

UPDATED = ("title", "body", "subject", "community_id", "date")


def index_object(obj: Model) -> Entry | None:
    """Put the object's current text in the index, or take it out when it may not be found."""
    source = BY_MODEL[type(obj)]
    entry = source.entry(obj)
    with transaction.atomic():
        if entry is None:
            unindex(source.kind, [obj.pk])
            return None
        row, _ = Entry.objects.update_or_create(
            kind=source.kind,
            object_id=obj.pk,
            defaults={field: getattr(entry, field) for field in UPDATED},
        )
        backend().index([row.pk])
    return row


def unindex(kind: str, object_ids: Iterable[int]) -> None:
    with transaction.atomic():
        entries = Entry.objects.filter(kind=kind, object_id__in=list(object_ids))
        ids = list(entries.values_list("pk", flat=True))
        if ids:
            backend().forget(ids)
            Entry.objects.filter(pk__in=ids).delete()


def reindex(*, kinds: Iterable[str] | None = None, batch: int = 2000, fill: bool = True) -> int:
    """Rebuild the index from the objects (all kinds by default), in bulk batches. Returns the
    number of entries written. Without `fill` the text index is left for `index_new` (a bulk
    load adds more rows first)."""
    chosen = list(kinds or SOURCES)
    engine = backend()
    written = 0
    with transaction.atomic():
        if set(chosen) == set(SOURCES):
            Entry.objects.all().delete()
            engine.forget_all()
        else:
            unindex_ids = list(Entry.objects.filter(kind__in=chosen).values_list("pk", flat=True))
            for start in range(0, len(unindex_ids), batch):
                engine.forget(unindex_ids[start : start + batch])
            Entry.objects.filter(kind__in=chosen).delete()
        for kind in chosen:
            for chunk in SOURCES[kind].entries(batch):
                created = Entry.objects.bulk_create(chunk, batch_size=batch)
                written += len(created)
        if fill:
            index_new(engine)
    return written


def index_new(engine=None) -> None:
    """Fill the vectors (PostgreSQL) or the FTS table (SQLite) of entries written in bulk."""
    (engine or backend()).index_all()
