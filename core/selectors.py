"""Cross-app reads for the dashboard: what needs this person's attention."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse

from communities.models import Community
from communities.permissions import filter_visible
from communities.selectors import may_break_rules_q, rule_violations
from people.roles import scopes_for

ATTENTION_LIMIT = 20


@dataclass
class AttentionItem:
    title: str
    detail: str
    url: str


def administered_communities(user):
    """Communities the user runs: as leader, or over their host as an administrator."""
    scopes = scopes_for(user)
    if scopes.is_superuser:
        return Community.objects.all()
    q = Q(leader=user)
    if scopes.school_admin_orgs:
        q |= Q(organisation_id__in=scopes.school_admin_orgs)
    if scopes.coordinator_networks:
        q |= Q(network_id__in=scopes.coordinator_networks)
    q |= scopes.territory_q(scopes.centre_paths, "territory__path")
    if scopes.curator_paths:
        q |= Q(kind__curated=True) & scopes.territory_q(scopes.curator_paths, "territory__path")
    return Community.objects.filter(q)


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
