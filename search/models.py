"""The search index: one row per object that may be found (issue 10, item 6).

A row copies the object's plain text (never its HTML) and what the filters need. Who may see
the row is not copied: the search asks the owning app's policy for the object ids at query
time, so a changed membership or community visibility needs no reindexing.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from communities.models import Community


class NewestFirstIndex(models.Index):
    """(date DESC NULLS LAST, id DESC) after the given leading fields: the order in which a
    search walks its matches (search.selectors). SQLite sorts NULLs first by itself, so its
    index reads the same order backwards and knows no NULLS modifier; PostgreSQL needs it."""

    def __init__(self, *, leading: tuple[str, ...] = (), name: str) -> None:
        self.leading = tuple(leading)
        super().__init__(
            *(F(f) for f in self.leading),
            F("date").desc(nulls_last=True),
            F("id").desc(),
            name=name,
        )

    def deconstruct(self):
        path, _args, _kwargs = super().deconstruct()
        return path, (), {"leading": self.leading, "name": self.name}

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor == "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        plain = models.Index(fields=[*self.leading, "date", "id"], name=self.name)
        return plain.create_sql(model, schema_editor, using=using, **kwargs)


class Entry(models.Model):
    class Kind(models.TextChoices):
        COMMUNITY = "community", _("Communities")
        PERSON = "person", _("People")
        POST = "post", _("Posts")
        TOPIC = "topic", _("Forum topics")
        RESOURCE = "resource", _("Resources")
        EVENT = "event", _("Events")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(_("title"), max_length=500)
    body = models.TextField(_("text"), blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    community = models.ForeignKey(
        Community,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("community"),
    )
    date = models.DateTimeField(_("date"), null=True, blank=True)
    # PostgreSQL only (weights: title A, subject and text B); SQLite keeps its FTS5 table
    # search_fts instead (search.backends).
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("search index entry")
        verbose_name_plural = _("search index entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="uniq_search_entry")
        ]
        indexes = [
            models.Index(fields=["community", "kind"], name="search_entry_community"),
            NewestFirstIndex(name="search_entry_newest"),
            NewestFirstIndex(leading=("kind",), name="search_entry_kind_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.title}"

    def get_absolute_url(self) -> str:
        return entry_url(self)


URL_NAMES = {
    Entry.Kind.COMMUNITY: "communities:detail",
    Entry.Kind.PERSON: "people:detail",
    Entry.Kind.POST: "discussions:detail",
    Entry.Kind.TOPIC: "discussions:topic",
    Entry.Kind.RESOURCE: "resources:detail",
    Entry.Kind.EVENT: "events:detail",
}


def entry_url(entry: Entry) -> str:
    from django.urls import reverse

    return reverse(URL_NAMES[entry.kind], args=[entry.object_id])
