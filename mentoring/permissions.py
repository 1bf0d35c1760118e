"""Who may see and write mentoring pairs, their plans, logs, reports and the year-end analysis.

- The two sides of a pair (its mentor and mentee) see everything of their pair and write its
  plan, log and their own reports.
- A pair inside a school PLC is seen by the PLC's leader and the school's administrators, who
  appoint such pairs; the school's administrators approve its plan (004 doc. 10–11).
- A leaders' pair between schools is seen by the curators and the centre's administrators of
  its territory (or above); the curators approve its plan and write the year-end analysis
  (003 app. 3 §5.3–5.4).
- Nobody else: not the PLC's other members, not the region at large.

Sides are read from the pair's rows on every request, so a replaced side loses access at once.
"""

from __future__ import annotations

from django.db.models import Q

from communities.models import Community
from core.scopes import scopes_for
from organisations.models import Territory

from .models import Analysis, MentoringPlan, Pair, Report


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


def is_side(user, pair: Pair) -> bool:
    return _signed_in(user) and user.pk in (pair.mentor_id, pair.mentee_id)


def _school_admin_of(user, community: Community) -> bool:
    scopes = scopes_for(user)
    return scopes.is_superuser or (
        community.organisation_id is not None
        and community.organisation_id in scopes.school_admin_orgs
    )


def _curates(user, community: Community) -> bool:
    """A curator of the community's territory (or above)."""
    return scopes_for(user).in_curation(community.territory.path)


def oversees(user, pair: Pair) -> bool:
    """Sees the pair without being a side: the PLC's leader and the school's administrators for
    a PLC pair, the territory's curators and centre administrators for a leaders' pair."""
    if not _signed_in(user):
        return False
    community = pair.community
    if pair.kind == Pair.Kind.SCHOOL:
        return community.leader_id == user.pk or _school_admin_of(user, community)
    scopes = scopes_for(user)
    return scopes.in_curation(community.territory.path) or scopes.in_centre(
        community.territory.path
    )


def can_view(user, pair: Pair) -> bool:
    return is_side(user, pair) or oversees(user, pair)


def visible_q(user, prefix: str = "") -> Q:
    """The list form of ``can_view``, for querysets of pairs (``prefix`` e.g. "pair__")."""
    if not _signed_in(user):
        return Q(pk__in=[])
    scopes = scopes_for(user)
    if scopes.is_superuser:
        return Q()
    p = prefix
    q = Q(**{f"{p}mentor_id": user.pk}) | Q(**{f"{p}mentee_id": user.pk})
    school = Q(**{f"{p}community__leader_id": user.pk})
    if scopes.school_admin_orgs:
        school |= Q(**{f"{p}community__organisation_id__in": scopes.school_admin_orgs})
    q |= Q(**{f"{p}kind": Pair.Kind.SCHOOL}) & school
    paths = [*scopes.curator_paths, *scopes.centre_paths]
    if paths:
        q |= Q(**{f"{p}kind": Pair.Kind.LEADERS}) & scopes.territory_q(
            paths, f"{p}community__territory__path"
        )
    return q


def can_appoint(user, community: Community) -> bool:
    """Form a pair: in a school's PLC its leader or the school's administrators appoint the
    mentor (004 doc. 11); a leaders' pair is opened by its territory's curators or centre."""
    if not (_signed_in(user) and community.is_active):
        return False
    if community.kind.requires_pair_roles:
        scopes = scopes_for(user)
        return scopes.in_curation(community.territory.path) or scopes.in_centre(
            community.territory.path
        )
    if community.organisation_id is None:
        return False
    return community.leader_id == user.pk or _school_admin_of(user, community)


def can_manage(user, pair: Pair) -> bool:
    """Finish a pair: whoever may appoint one in its community."""
    return can_appoint(user, pair.community)


def can_log(user, pair: Pair) -> bool:
    """Either side writes the log of an active pair."""
    return pair.is_active and is_side(user, pair)


def can_edit_plan(user, pair: Pair) -> bool:
    return pair.is_active and is_side(user, pair)


def can_approve_plan(user, plan: MentoringPlan) -> bool:
    """The school's administrators approve a PLC pair's plan, the curators a leaders' pair's."""
    if plan.status != MentoringPlan.Status.SUBMITTED or not _signed_in(user):
        return False
    pair = plan.pair
    if pair.kind == Pair.Kind.SCHOOL:
        return _school_admin_of(user, pair.community)
    return _curates(user, pair.community)


def plan_approvers_q(user) -> Q:
    """The list form of ``can_approve_plan`` for querysets of plans waiting for approval."""
    if not _signed_in(user):
        return Q(pk__in=[])
    scopes = scopes_for(user)
    waiting = Q(status=MentoringPlan.Status.SUBMITTED)
    if scopes.is_superuser:
        return waiting
    q = Q(pk__in=[])
    if scopes.school_admin_orgs:
        q |= Q(pair__kind=Pair.Kind.SCHOOL) & Q(
            pair__community__organisation_id__in=scopes.school_admin_orgs
        )
    if scopes.curator_paths:
        q |= Q(pair__kind=Pair.Kind.LEADERS) & scopes.territory_q(
            scopes.curator_paths, "pair__community__territory__path"
        )
    return waiting & q


def can_write_report(user, pair: Pair, side: str) -> bool:
    """Each side writes its own report."""
    return pair.is_active and pair.side_of(user) == side


def can_mark_seen(user, report: Report) -> bool:
    return report.is_submitted and report.seen_at is None and oversees(user, report.pair)


# -- the year-end analysis ----------------------------------------------------------------------


def can_analyse_territory(user, territory: Territory) -> bool:
    """The curators of the territory write the analysis of its leaders' pairs (003 app. 3 §5.3)."""
    return _signed_in(user) and scopes_for(user).in_curation(territory.path)


def can_view_territory_analysis(user, territory: Territory) -> bool:
    scopes = scopes_for(user)
    return can_analyse_territory(user, territory) or (
        _signed_in(user) and scopes.in_centre(territory.path)
    )


def can_analyse_community(user, community: Community) -> bool:
    """A PLC's mentoring report: its leader and the school's administrators."""
    if not _signed_in(user) or community.organisation_id is None:
        return False
    if community.kind.requires_pair_roles:
        return False
    return community.leader_id == user.pk or _school_admin_of(user, community)


def can_edit_analysis(user, analysis: Analysis) -> bool:
    if analysis.community_id:
        return can_analyse_community(user, analysis.community)
    return can_analyse_territory(user, analysis.territory)


def curated_territories(user):
    """Territories whose leaders' pairs the user analyses: the user's curator territories."""
    scopes = scopes_for(user)
    if not scopes.is_authenticated:
        return Territory.objects.none()
    if scopes.is_superuser:
        return Territory.objects.filter(parent__isnull=True)
    return Territory.objects.filter(path__in=scopes.curator_paths)
