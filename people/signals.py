"""What the apps above people add to its pages, without people importing them.

``portfolio_sections``: a teacher's portfolio (page and PDF) shows, after the databank, the
sections the higher apps know of — events the teacher spoke at and lessons shown (events),
lesson-study cycles (lesson_study). A receiver is called with ``person``, ``since`` (the first
day the portfolio covers) and ``viewer`` and returns a list of ``PortfolioSection`` (or None).
Connect it in the app's ``AppConfig.ready`` (docs/architecture.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.dispatch import Signal


@dataclass(frozen=True)
class PortfolioSection:
    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    order: int = 100  # sections are shown by order, then title


class SectionSignal(Signal):
    def sections(self, sender, **kwargs) -> list[PortfolioSection]:
        found: list[PortfolioSection] = []
        for _receiver, response in self.send(sender, **kwargs):
            found.extend(response or [])
        return sorted(found, key=lambda s: (s.order, s.title))


portfolio_sections = SectionSignal()
