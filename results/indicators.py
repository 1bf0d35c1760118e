"""The indicators, each defined once: its name, its formula as shown to users, and its value.

"Assessed" pupils are those given a mark 5, 4, 3 or 2; those «не аттестован» (н/а) are left out
of both the numerator and the denominator, so a class where half the pupils were not assessed
shows the quality of the marks actually given (the н/а count is shown beside the figures).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Counts = Mapping[str, int]


def assessed(counts: Counts) -> int:
    return sum(counts.get(k) or 0 for k in ("count_5", "count_4", "count_3", "count_2"))


@dataclass(frozen=True)
class Indicator:
    code: str
    name: Promise
    formula: Promise
    numerator: Callable[[Counts], int]

    def value(self, counts: Counts) -> Decimal | None:
        """The percentage to one decimal place; None when nobody was assessed."""
        total = assessed(counts)
        if not total:
            return None
        return (Decimal(self.numerator(counts)) * 100 / total).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )


QUALITY = Indicator(
    "quality",
    _("Knowledge quality, %"),
    _("(“5” + “4”) ÷ assessed × 100; assessed = “5” + “4” + “3” + “2”, without “н/а”"),
    lambda c: (c.get("count_5") or 0) + (c.get("count_4") or 0),
)
PASS_RATE = Indicator(
    "pass_rate",
    _("Pass rate, %"),
    _("(assessed − “2”) ÷ assessed × 100; assessed = “5” + “4” + “3” + “2”, without “н/а”"),
    lambda c: assessed(c) - (c.get("count_2") or 0),
)
INDICATORS = {i.code: i for i in (QUALITY, PASS_RATE)}
