"""Cross-app reads for the dashboard: what needs this person's attention."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from communities.models import Community
from communities.permissions import filter_visible
from communities.selectors import administered_communities, may_break_rules_q, rule_violations

ATTENTION_LIMIT = 20


@dataclass
class AttentionItem:
    title: str
    detail: str
    url: str


def attention_items(user) -> list[AttentionItem]:
    """Communities the user leads or administers that break their kind's rules now."""
    base = administered_communities(user) | Community.objects.filter(leader=user)
    candidates = (
        filter_visible(user, base.filter(may_break_rules_q()))
        .select_related("kind")
        .prefetch_related("memberships")
        .order_by("name", "id")
        .distinct()[: ATTENTION_LIMIT * 2]
    )
    items: list[AttentionItem] = []
    for community in candidates:
        violations = rule_violations(community, list(community.memberships.all()))
        if violations:
            items.append(
                AttentionItem(
                    title=community.name,
                    detail="; ".join(v.message for v in violations),
                    url=reverse("communities:detail", args=[community.pk]),
                )
            )
        if len(items) >= ATTENTION_LIMIT:
            break
    return items
