"""The registry of a report's sections: any app registers a provider of one section.

A provider is a `Section`: a code, a title, the kinds of report it belongs to (`owners`), an
order, and `collect(scope)` returning the section's data as JSON-ready blocks. The data is frozen
into a submitted version as it is, so a returned or accepted report still shows what was sent.

Blocks are plain dicts the renderers of this app draw in HTML, DOCX and PDF (reports/render.py):

- ``{"type": "text", "text": "…"}`` — a paragraph;
- ``{"type": "facts", "rows": [["label", "value"], …]}`` — a two-column list of figures;
- ``{"type": "table", "title": "…", "rows": [[header…], [cell…], …]}`` — the first row heads;
- ``{"type": "chart", "title": "…", "labels": [...], "series": [{"name": "…", "values": [...]}],
  "unit": "%"}`` — a bar chart (one series or grouped);
- ``{"type": "photos", "items": [{"title": "…", "material": id}]}`` — event photos (the renderers
  read the files through the events app's storage);
- ``{"type": "link", "title": "…", "url": "/…"}`` — a record the section summarises.

A provider may give its own renderers instead (`html`, `docx`, `pdf`, each taking the data) when
blocks do not fit. Each `collect` must run a fixed number of queries whatever the data's size;
reports/tests/test_query_counts.py checks the built-in ones at two sizes.

Who registers: an app that may import ``reports`` (one above it in the layers) calls
``register`` in its ``AppConfig.ready``; for an app below ``reports`` (which may not import it),
``reports/providers.py`` wraps that app's selectors in a provider — as it does for planning,
meetings, events, lesson_study and mentoring. The ``results`` app's indicators and charts join
either way: a provider returning facts, tables and chart blocks for the owners it applies to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from core.schoolyear import year_bounds


@dataclass
class Scope:
    """What a report covers: its owner, the communities it reports on and the school year."""

    owner_type: str
    owner: Any
    communities: QuerySet  # of communities.Community
    school_year: int
    organisation_ids: list[int] = field(default_factory=list)  # schools it covers
    network_ids: list[int] = field(default_factory=list)
    territory_path: str = ""  # the centre's territory (its own events, pairs)

    @property
    def starts(self) -> dt.date:
        return year_bounds(self.school_year)[0]

    @property
    def ends(self) -> dt.date:
        return year_bounds(self.school_year)[1]

    @property
    def single(self) -> bool:
        return self.owner_type == "community"


@dataclass(frozen=True)
class Section:
    code: str
    title: Any  # a lazy translation
    owners: frozenset[str]
    collect: Callable[[Scope], dict]
    order: int = 100
    html: Callable[[dict], str] | None = None
    docx: Callable[[Any, dict], None] | None = None
    pdf: Callable[[dict, Any], list] | None = None


_REGISTRY: dict[str, Section] = {}


def register(section: Section) -> None:
    """Add or replace the section with this code (replacing keeps a re-run of ready() harmless)."""
    _REGISTRY[section.code] = section


def unregister(code: str) -> None:
    _REGISTRY.pop(code, None)


def sections_for(owner_type: str) -> list[Section]:
    return sorted(
        (s for s in _REGISTRY.values() if owner_type in s.owners), key=lambda s: (s.order, s.code)
    )


def get(code: str) -> Section | None:
    return _REGISTRY.get(code)


ALL_OWNERS = frozenset({"community", "school", "network", "centre"})
