"""Saving a list of child rows (plan targets, minutes' decisions…) without losing their identity.

A row the editor kept carries its `id` and is updated in place, so whatever hangs on it (done
flags, status, evidence, attachments) survives an edit of its text. A row without `id` is new; an
existing row whose `id` is not sent any more was removed on purpose.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

M = TypeVar("M", bound=models.Model)


def match_rows(
    existing: Iterable[M], rows: Iterable[dict], *, field: str
) -> tuple[list[tuple[M | None, dict]], list[M]]:
    """Pair each submitted row with the existing row its `id` names (None for a new row).

    Returns the pairs in the submitted order and the existing rows that were left out. An id that
    is not one of `existing` (another document's row, a typo, a row sent twice) is refused with a
    ValidationError on `field`: writing to it would change someone else's document.
    """
    by_id = {obj.pk: obj for obj in existing}
    seen: set = set()
    pairs: list[tuple[M | None, dict]] = []
    for number, row in enumerate(rows, start=1):
        row = dict(row)
        pk = row.pop("id", None)
        if pk is None:
            pairs.append((None, row))
            continue
        obj = by_id.get(pk)
        if obj is None or pk in seen:
            raise ValidationError(
                {
                    field: _("Row %(n)s refers to a row that is not part of this document.")
                    % {"n": number}
                },
                code="foreign_row",
            )
        seen.add(pk)
        pairs.append((obj, row))
    removed = [obj for pk, obj in by_id.items() if pk not in seen]
    return pairs, removed
