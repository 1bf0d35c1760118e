"""The geometry of the indicator charts, drawn by the templates as SVG: small multiples (one
chart per subject, quality and pass rate by period) and one bar per school.

Numbers go into SVG attributes as plain strings here, never through the template's number
formatting: the Russian locale would write "60,0", which is no length. Every value is 0–100, so
the chart's units are percentage points; the viewBox scales them to the page's width.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from .selectors import SchoolFigure, Table

TOP = 14  # room above a 100 % bar for its figure
BASE = TOP + 100  # the bars' baseline
GROUP = 64  # the width of one period's pair of bars
BAR = 22
LEFT = 4
HEIGHT = BASE + 18  # the period's name below
SCALE = 1.6  # CSS pixels per unit at full size; a narrow column shrinks the chart further


def _number(value: Decimal | None) -> str:
    return "0" if value is None else str(value)


@dataclass
class Bar:
    value: Decimal | None
    x: int
    css: str

    @property
    def height(self) -> str:
        return _number(self.value)

    @property
    def y(self) -> str:
        return str(BASE - (self.value or 0))

    @property
    def label_x(self) -> str:
        return str(self.x + BAR // 2)

    @property
    def label_y(self) -> str:
        return str(BASE - (self.value or 0) - 3)


@dataclass
class Group:
    """One period in a subject's chart: its two bars and the link to the rows behind them."""

    name: str
    url: str
    quality: Bar
    pass_rate: Bar
    label_x: str

    @property
    def bars(self) -> tuple[Bar, Bar]:
        return self.quality, self.pass_rate


@dataclass
class SmallChart:
    subject: str
    groups: list[Group]
    width: int
    height: int = HEIGHT
    base: int = BASE

    @property
    def pixel_width(self) -> int:
        return round(self.width * SCALE)

    @property
    def pixel_height(self) -> int:
        return round(self.height * SCALE)


def rows_link(rows_url: str, year: int, period_code: str, subject: str) -> str:
    query = {"year": year, "period": period_code}
    if subject:
        query["subject"] = subject
    return f"{rows_url}?{urlencode(query)}"


def small_multiples(table: Table, rows_url: str) -> list[SmallChart]:
    """One chart per subject (all subjects first), a pair of bars per period with results."""
    charts = []
    for subject, cells in table.rows:
        groups = []
        for period, cell in zip(table.periods, cells, strict=True):
            if cell is None:
                continue
            x = LEFT + len(groups) * GROUP
            groups.append(
                Group(
                    name=period.name,
                    url=rows_link(rows_url, table.school_year, period.code, subject),
                    quality=Bar(cell.values.get("quality"), x + 4, "bar-quality"),
                    pass_rate=Bar(cell.values.get("pass_rate"), x + 6 + BAR, "bar-pass"),
                    label_x=str(x + GROUP // 2),
                )
            )
        if groups:
            charts.append(
                SmallChart(subject=subject, groups=groups, width=LEFT * 2 + len(groups) * GROUP)
            )
    return charts


@dataclass
class SchoolBar:
    """A school's bar: its figure, the bars' lengths (of 100) and where a click leads."""

    figure: SchoolFigure
    quality: str
    pass_rate: str
    url: str | None  # the rows behind the bar, for those who may see the school's results
    school_url: str | None


def school_bars(figures: list[SchoolFigure], links) -> list[SchoolBar]:
    """``links(figure)`` gives (rows URL, school page URL), or Nones where the viewer may not
    see the school's own results."""
    return [
        SchoolBar(
            figure,
            _number(figure.values["quality"]),
            _number(figure.values["pass_rate"]),
            *links(figure),
        )
        for figure in figures
    ]
