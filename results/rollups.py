"""Territory rollups: the sums of every school under a territory, kept beside the schools'
summaries so that a region's indicator table reads its own few hundred rows.

Each rewrite is one DELETE and one INSERT … SELECT … GROUP BY over ``ResultSummary`` joined to
the organisations under each territory (by the territory's materialised path), in the caller's
transaction. A territory moved under another parent rewrites the ancestors it left and joined.
Writes that bypass the models (``QuerySet.update`` of an organisation's territory or of a
territory's parent) are not seen: ``rebuild_result_rollups`` repairs them.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_init, post_save, pre_delete

from organisations.models import Organisation, Territory
from organisations.signals import territory_moved

from .models import ResultRow, ResultSummary, TerritorySummary

COUNT_FIELDS = ResultRow.COUNT_FIELDS


def _ids_in(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


def _insert_sql(where: str) -> str:
    summary, rollup = ResultSummary._meta.db_table, TerritorySummary._meta.db_table
    organisation, territory = Organisation._meta.db_table, Territory._meta.db_table
    fields = ", ".join(COUNT_FIELDS)
    sums = ", ".join(f"SUM(s.{f})" for f in COUNT_FIELDS)
    # A prefix test without LIKE: no wildcard to escape, the same on SQLite and PostgreSQL.
    return (
        f"INSERT INTO {rollup} (territory_id, school_year, period_id, subject, rows, {fields}) "
        f"SELECT t.id, s.school_year, s.period_id, s.subject, SUM(s.rows), {sums} "
        f"FROM {territory} t "
        f"JOIN {territory} inner_t ON substr(inner_t.path, 1, length(t.path)) = t.path "
        f"JOIN {organisation} o ON o.territory_id = inner_t.id "
        f"JOIN {summary} s ON s.organisation_id = o.id "
        f"WHERE {where} "
        "GROUP BY t.id, s.school_year, s.period_id, s.subject"
    )


def rebuild_territories(
    territory_ids: Iterable[int] | None = None,
    *,
    school_year: int | None = None,
    period_ids: Iterable[int] | None = None,
) -> int:
    """Rewrite the rollups of the given territories (all when None), of one year's periods or
    of every year. Returns the number of rollup rows written."""
    rollups = TerritorySummary.objects.all()
    conditions, params = ["t.path <> ''"], []
    if territory_ids is not None:
        territory_ids = sorted(set(territory_ids))
        if not territory_ids:
            return 0
        rollups = rollups.filter(territory_id__in=territory_ids)
        conditions.append(f"t.id IN ({', '.join(['%s'] * len(territory_ids))})")
        params += territory_ids
    if school_year is not None:
        period_ids = sorted(set(period_ids or []))
        if not period_ids:
            return 0
        rollups = rollups.filter(school_year=school_year, period_id__in=period_ids)
        conditions.append("s.school_year = %s")
        conditions.append(f"s.period_id IN ({', '.join(['%s'] * len(period_ids))})")
        params += [school_year, *period_ids]
    with transaction.atomic():
        rollups.delete()
        with connection.cursor() as cursor:
            cursor.execute(_insert_sql(" AND ".join(conditions)), params)
            return cursor.rowcount


def territory_and_ancestors(territory_id: int) -> list[int]:
    path = Territory.objects.filter(pk=territory_id).values_list("path", flat=True).first()
    return _ids_in(path or "")


def rebuild_for_school(organisation_id: int, school_year: int, period_ids: Iterable[int]) -> None:
    """After a school's summaries of a year's periods were rewritten: its territory's and every
    ancestor's rollups of those periods (called inside the import's transaction)."""
    path = (
        Organisation.objects.filter(pk=organisation_id)
        .values_list("territory__path", flat=True)
        .first()
    )
    rebuild_territories(_ids_in(path or ""), school_year=school_year, period_ids=period_ids)


def rebuild_subtree(territory: Territory) -> int:
    """A territory, its ancestors and its descendants: every rollup its schools count in."""
    below = Territory.objects.filter(path__startswith=territory.path).values_list("pk", flat=True)
    return rebuild_territories({*_ids_in(territory.path), *below})


# Organisations: a school that moves or is deleted changes the sums of the territories it
# left; its rollups are rewritten for every year. Organisations lie below results, so results
# listens to their model signals.


def _remember_territory(sender, instance: Organisation, **kwargs) -> None:
    # From __dict__: never a query, even for an instance loaded without the field.
    instance._rollup_territory_id = instance.__dict__.get("territory_id")


def _after_save(sender, instance: Organisation, created: bool, **kwargs) -> None:
    before = getattr(instance, "_rollup_territory_id", None)
    instance._rollup_territory_id = instance.territory_id
    if created or before is None or before == instance.territory_id:
        return
    if not ResultSummary.objects.filter(organisation_id=instance.pk).exists():
        return
    paths = dict(
        Territory.objects.filter(pk__in=[before, instance.territory_id]).values_list("pk", "path")
    )
    left, joined = (
        set(_ids_in(paths.get(before, ""))),
        set(_ids_in(paths.get(instance.territory_id, ""))),
    )
    rebuild_territories(left ^ joined)  # the common ancestors' sums are unchanged


def _before_delete(sender, instance: Organisation, **kwargs) -> None:
    instance._rollup_had_results = ResultSummary.objects.filter(
        organisation_id=instance.pk
    ).exists()


def _after_delete(sender, instance: Organisation, **kwargs) -> None:
    # The summaries went with the school (CASCADE) before this signal.
    if getattr(instance, "_rollup_had_results", False):
        rebuild_territories(territory_and_ancestors(instance.territory_id))


def _after_territory_moved(
    sender, *, territory: Territory, old_path: str, new_path: str, **kwargs
) -> None:
    # The moved territory and its districts keep their schools; only the ancestors it left and
    # the ones it joined change their sums (the common ones, and itself, are in both paths).
    if ResultSummary.objects.filter(organisation__territory__path__startswith=new_path).exists():
        rebuild_territories(set(_ids_in(old_path)) ^ set(_ids_in(new_path)))


def connect() -> None:
    uid = "results.rollups"
    territory_moved.connect(_after_territory_moved, dispatch_uid=uid)
    post_init.connect(_remember_territory, sender=Organisation, dispatch_uid=uid)
    post_save.connect(_after_save, sender=Organisation, dispatch_uid=uid)
    pre_delete.connect(_before_delete, sender=Organisation, dispatch_uid=uid)
    post_delete.connect(_after_delete, sender=Organisation, dispatch_uid=uid)
