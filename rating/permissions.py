"""Who may set a school's rating scheme and who sees whose rating: the one place that says so.

The teacher sees their own row; the school's administrators see their school's teachers' rows
and set the scheme; a community's leader sees its members' rows. Nobody else.
"""

from __future__ import annotations

from core.scopes import scopes_for


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


def can_edit_scheme(user, organisation) -> bool:
    """The school's administration (director, deputies) sets the criteria and weights."""
    scopes = scopes_for(user)
    return scopes.is_authenticated and organisation.pk in scopes.school_admin_orgs


def can_view_school_rating(user, organisation) -> bool:
    return can_edit_scheme(user, organisation)


def can_view_community_rating(user, community) -> bool:
    return _signed_in(user) and community.leader_id == user.pk


def can_export_school_rating(user, organisation) -> bool:
    return can_view_school_rating(user, organisation)


def can_export_community_rating(user, community) -> bool:
    return can_view_community_rating(user, community)


def can_view_own_rating(user) -> bool:
    return _signed_in(user)


def can_view_scheme(user, organisation) -> bool:
    """The criteria and weights are open to the school's administrators and its staff, whom
    they rate (the rows stay with those named above)."""
    if can_edit_scheme(user, organisation):
        return True
    return _signed_in(user) and user.positions.filter(organisation=organisation).exists()
