"""The geometry of the statistics' bar charts (one per measure), drawn by the template as SVG.

Plain numbers as strings go into the SVG attributes (a localised "1,5" is no length); the
figures themselves are printed by each bar and in the table under the charts.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .models import PeriodKind
from .selectors import Row

TOP = 14  # room above the tallest bar for its figure
HEIGHT = 100  # the tallest bar
BASE = TOP + HEIGHT
STEP = 34  # one period's width
BAR = 24
CHART_HEIGHT = BASE + 18
TITLES = {
    "visitors": _("Visitors"),
    "views": _("Page views"),
    "actions": _("Active actions"),
    "feedback": _("Feedback"),
}


def short_label(row: Row) -> str:
    return row.start.strftime("%m.%y" if row.kind == PeriodKind.MONTH else "%d.%m")


def period_label(row: Row) -> str:
    if row.kind == PeriodKind.MONTH:
        return date_format(row.start, "YEAR_MONTH_FORMAT")
    first = date_format(row.start, "SHORT_DATE_FORMAT")
    return f"{first} – {date_format(row.end, 'SHORT_DATE_FORMAT')}"


@dataclass(frozen=True)
class Bar:
    value: int
    x: str
    y: str
    height: str
    label_x: str
    label_y: str
    short: str
    title: str


@dataclass(frozen=True)
class Chart:
    measure: str
    title: str
    bars: list[Bar]
    width: int
    height: int = CHART_HEIGHT
    base: int = BASE


def charts(rows: list[Row]) -> list[Chart]:
    found = []
    for measure, title in TITLES.items():
        values = [getattr(row, measure) for row in rows]
        top = max(values, default=0) or 1
        bars = []
        for index, (row, value) in enumerate(zip(rows, values, strict=True)):
            height = round(value * HEIGHT / top, 1)
            x = 4 + index * STEP
            bars.append(
                Bar(
                    value=value,
                    x=str(x),
                    y=str(BASE - height),
                    height=str(height),
                    label_x=str(x + BAR // 2),
                    label_y=str(BASE - height - 3),
                    short=short_label(row),
                    title=period_label(row),
                )
            )
        found.append(Chart(measure, str(title), bars, width=8 + STEP * max(len(rows), 1)))
    return found
