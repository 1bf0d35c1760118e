"""The dashboard: what a person's communities, invitations, decisions and meetings need now."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from communities import selectors as community_selectors
from communities.permissions import can_create_any
from core.scopes import scopes_for
from discussions import permissions as discussion_permissions
from discussions import selectors as discussion_selectors
from meetings import selectors as meeting_selectors

from . import selectors


@login_required
@require_safe
def dashboard(request):
    user = request.user
    context = {
        "my_communities": community_selectors.community_list(user=user, mine=True)[:20],
        "invitations": community_selectors.requests_for_person(user),
        "join_requests": community_selectors.requests_to_decide(user),
        "attention": selectors.attention_items(user),
        "waiting": selectors.waiting_items(user),
        "scopes": scopes_for(user),
        "can_create_community": can_create_any(user),
        "decisions": meeting_selectors.decisions_for(user)[:10],
        "upcoming": meeting_selectors.upcoming_for(user),
        "new_posts": discussion_selectors.unread_by_community(user),
        "can_announce": discussion_permissions.can_announce_to_audience(user),
    }
    return render(request, "portal/dashboard.html", context)
