"""The relationship survey of a pair's two sides (003 app. 3 §4.2.1, §5.3), through `surveys`.

Until the surveys app offers its template, nothing is launched and nothing is aggregated.
"""

from __future__ import annotations


def can_launch(user, *, territory=None, community=None) -> bool:
    return False


def can_launch_for_pair(user, pair) -> bool:
    return False


def pair_survey(pair, user) -> dict | None:
    return None


def aggregate(pairs) -> dict | None:
    return None
