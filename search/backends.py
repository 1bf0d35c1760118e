"""The database-specific part of search, behind one interface (`backend()`):

- PostgreSQL: Entry.vector, a stored tsvector (`russian` configuration; title weight A, subject
  and text B) with a GIN index, queried with websearch_to_tsquery, ranked by ts_rank and
  highlighted by ts_headline on the page's rows only.
- SQLite: an FTS5 table search_fts (rowid = Entry.id) holding Snowball stems made in Python,
  queried with the query's stems (every word must occur), ranked by bm25 and highlighted in
  Python on the page's rows only.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection
from django.db.models import BooleanField, F, QuerySet, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat
from django.utils.safestring import SafeString

from . import text
from .models import Entry

CONFIG = "russian"
# A word expected to match no more than this many times the ranked matches is searched through
# the text index alone; a commoner one by walking the entries newest first.
FEW_TIMES = 4
SNIPPET_WORDS = 30


def newest_of(matches: QuerySet[Entry], limit: int) -> list[int]:
    """The newest `limit` of a few matches, sorted here: asked of the database with ORDER BY and
    LIMIT, the planner may walk the dates instead of starting from the text index."""
    rows = list(matches.values_list("date", "pk"))
    rows.sort(key=lambda row: (row[0] is not None, row[0] or 0, row[1]), reverse=True)
    return [pk for _date, pk in rows[:limit]]


class PostgresBackend:
    def index(self, ids: Sequence[int]) -> None:
        if not ids:
            return
        Entry.objects.filter(pk__in=ids).update(vector=self.vector())

    @staticmethod
    def vector():
        return (
            SearchVector("title", weight="A", config=CONFIG)
            + SearchVector("subject", weight="B", config=CONFIG)
            + SearchVector("body", weight="B", config=CONFIG)
        )

    def index_all(self) -> None:
        Entry.objects.filter(vector__isnull=True).update(vector=self.vector())

    def forget(self, ids: Sequence[int]) -> None:
        pass  # the vector lives in the row itself

    def forget_all(self) -> None:
        pass

    def _query(self, q: str) -> SearchQuery:
        return SearchQuery(q, config=CONFIG, search_type="websearch")

    def matching(self, qs: QuerySet[Entry], q: str) -> QuerySet[Entry]:
        return qs.filter(vector=self._query(q))

    def newest_matches(self, qs: QuerySet[Entry], q: str, limit: int) -> list[int]:
        """The ids of the newest `limit` matches among `qs`."""
        if self._estimated_matches(q) <= limit * FEW_TIMES:
            # Few in the whole index: all of them, through the GIN index. Asked newest first
            # with a LIMIT, the planner would walk the dates hoping to meet them soon (a rare
            # word took 0.9 s at L).
            return newest_of(self.matching(qs, q), limit)
        return list(
            self.matching(qs, q)
            .order_by(F("date").desc(nulls_last=True), "-id")
            .values_list("pk", flat=True)[:limit]
        )

    def _estimated_matches(self, q: str) -> int:
        """How many entries the planner expects the words to match, from the statistics of the
        text column: counting them (a bitmap of the GIN index) cost 30 ms for a common word at
        L, the estimate costs a plan."""
        sql, params = (
            Entry.objects.filter(vector=self._query(q)).values("pk").query.sql_with_params()
        )
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        return int(plan[0]["Plan"]["Plan Rows"])

    def ranked_ids(self, ids: list[int], q: str) -> list[int]:
        query = self._query(q)
        return list(
            Entry.objects.filter(pk__in=ids)
            .annotate(rank=SearchRank(F("vector"), query))
            .order_by("-rank", F("date").desc(nulls_last=True), "-id")
            .values_list("pk", flat=True)
        )

    def snippets(
        self, entries: Iterable[Entry], q: str
    ) -> dict[int, tuple[SafeString, SafeString]]:
        ids = [e.pk for e in entries]
        if not ids:
            return {}
        query = self._query(q)
        marks = {"start_sel": text.START, "stop_sel": text.STOP}
        rows = (
            Entry.objects.filter(pk__in=ids)
            .annotate(
                title_marked=SearchHeadline(
                    "title", query, config=CONFIG, highlight_all=True, **marks
                ),
                body_marked=SearchHeadline(
                    Concat("subject", Value(" "), "body", output_field=TextField()),
                    query,
                    config=CONFIG,
                    max_words=SNIPPET_WORDS,
                    min_words=SNIPPET_WORDS // 2,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                    **marks,
                ),
            )
            .values_list("pk", "title_marked", "body_marked")
        )
        return {pk: (text.to_html(t), text.to_html(b)) for pk, t, b in rows}


class SQLiteBackend:
    TABLE = "search_fts"

    def index(self, ids: Sequence[int]) -> None:
        if not ids:
            return
        rows = Entry.objects.filter(pk__in=ids).values_list("pk", "title", "subject", "body")
        self._write(rows, ids)

    def _write(self, rows, ids: Sequence[int]) -> None:
        with connection.cursor() as cursor:
            self._delete(cursor, ids)
            cursor.executemany(
                f"INSERT INTO {self.TABLE} (rowid, title, body) VALUES (%s, %s, %s)",
                [
                    (pk, text.stemmed_text(title), text.stemmed_text(f"{subject} {body}"))
                    for pk, title, subject, body in rows
                ],
            )

    def _delete(self, cursor, ids: Sequence[int]) -> None:
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {self.TABLE} WHERE rowid IN ({marks})", chunk)

    def index_all(self, batch: int = 5000) -> None:
        """Every entry, from scratch (the table is emptied first)."""
        self.forget_all()
        qs = Entry.objects.order_by("pk").values_list("pk", "title", "subject", "body")
        last = 0
        while True:
            rows = list(qs.filter(pk__gt=last)[:batch])
            if not rows:
                break
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {self.TABLE} (rowid, title, body) VALUES (%s, %s, %s)",
                    [
                        (pk, text.stemmed_text(t), text.stemmed_text(f"{s} {b}"))
                        for pk, t, s, b in rows
                    ],
                )
            last = rows[-1][0]

    def forget(self, ids: Sequence[int]) -> None:
        with connection.cursor() as cursor:
            self._delete(cursor, ids)

    def forget_all(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.TABLE}")

    @staticmethod
    def expression(q: str) -> str:
        # Each stem quoted: FTS5 reads nothing in it as syntax, whatever the person typed.
        return " ".join(f'"{s}"' for s in text.query_stems(q))

    def matching(self, qs: QuerySet[Entry], q: str) -> QuerySet[Entry]:
        expression = self.expression(q)
        if not expression:
            return qs.none()
        return qs.filter(pk__in=RawSQL(self._matched_ids, [expression]))

    @property
    def _matched_ids(self) -> str:
        return f"SELECT rowid FROM {self.TABLE} WHERE {self.TABLE} MATCH %s"

    def newest_matches(self, qs: QuerySet[Entry], q: str, limit: int) -> list[int]:
        """The ids of the newest `limit` matches among `qs`."""
        expression = self.expression(q)
        if not expression:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM ({self._matched_ids} LIMIT %s)", [expression, limit + 1]
            )
            if cursor.fetchone()[0] <= limit:  # few: start from them
                return newest_of(self.matching(qs, q), limit)
        # Many matches: walk search_entry_newest (or the kind's index) and probe a list of
        # the matched ids made once; the unary plus keeps SQLite from starting from that list
        # instead, which would mean checking every match against the policy and sorting.
        table = Entry._meta.db_table
        probe = RawSQL(
            f"+{table}.id IN ({self._matched_ids})", [expression], output_field=BooleanField()
        )
        return list(
            qs.filter(probe)
            .order_by(F("date").desc(nulls_last=True), "-id")
            .values_list("pk", flat=True)[:limit]
        )

    def ranked_ids(self, ids: list[int], q: str) -> list[int]:
        expression = self.expression(q)
        if not (expression and ids):
            return []
        table = Entry._meta.db_table
        return list(
            Entry.objects.filter(pk__in=ids)
            .extra(  # noqa: S610 - fixed SQL; the one user value is a parameter
                tables=[self.TABLE],
                where=[f"{self.TABLE}.rowid = {table}.id", f"{self.TABLE} MATCH %s"],
                params=[expression],
                select={"rank": f"-bm25({self.TABLE}, 10.0, 1.0)"},
                order_by=["-rank", f"-{table}.date", f"-{table}.id"],
            )
            .values_list("pk", flat=True)
        )

    def snippets(
        self, entries: Iterable[Entry], q: str
    ) -> dict[int, tuple[SafeString, SafeString]]:
        wanted = set(text.query_stems(q))
        return {
            e.pk: (
                text.to_html(text.marked(e.title, wanted)),
                text.to_html(
                    text.marked(f"{e.subject} {e.body}".strip(), wanted, window=SNIPPET_WORDS)
                ),
            )
            for e in entries
        }


def backend() -> PostgresBackend | SQLiteBackend:
    return PostgresBackend() if connection.vendor == "postgresql" else SQLiteBackend()
