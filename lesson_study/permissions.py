"""Who may see and work on lesson-study cycles and lesson visits. Pages, API, notifications and
the dashboard ask here.

- A cycle is the team's work: its members work on it (plans, case pupils, discussion, their own
  observation sheets); the team's leader manages it (creates it, schedules the lessons, moves
  the stages on).
- Those over the team read it: the leader of the PLC the team works in (002 #6), the host's
  administrators (school admins) and the methodological centre. Outsiders don't see it.
- Lesson visits are logged by members, each as the visitor; feedback is read by the visitor,
  the teacher visited, the community's leader and its administrators.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from communities import permissions as community_permissions
from communities.models import Community, Membership
from core.scopes import scopes_for

from .models import Cycle, LessonVisit, ObservationSheet, ResearchLesson


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


def leads_parent_of(user, community: Community) -> bool:
    parent = community.parent
    return _signed_in(user) and parent is not None and parent.leader_id == user.pk


def can_read_team_work(user, community: Community) -> bool:
    """Cycles and the visits log of a community: its members and those over it."""
    if not _signed_in(user):
        return False
    return (
        community_permissions.is_member(user, community)
        or leads_parent_of(user, community)
        or community_permissions.administers(user, community)
    )


def can_work_in(user, community: Community) -> bool:
    return community.is_active and community_permissions.is_member(user, community)


def leads(user, community: Community) -> bool:
    return (
        community.is_active
        and community_permissions.member_role(user, community) == Membership.Role.LEADER
    )


# Cycles -----------------------------------------------------------------------------------
def can_create_cycle(user, community: Community) -> bool:
    return leads(user, community)


def can_view_cycle(user, cycle: Cycle) -> bool:
    return can_read_team_work(user, cycle.community)


def can_work_on(user, cycle: Cycle) -> bool:
    """Edit the question, plans, case pupils, discussion and conclusions."""
    return cycle.stage != Cycle.Stage.REPORT and can_work_in(user, cycle.community)


def can_manage(user, cycle: Cycle) -> bool:
    """Schedule the lessons and move the stages on: the team's leader."""
    return leads(user, cycle.community)


def can_fill_sheet(user, lesson: ResearchLesson, observer_ids: set[int] | None = None) -> bool:
    """An observer of the lesson fills their own sheets while they are in the team."""
    if not _signed_in(user):
        return False
    ids = observer_ids if observer_ids is not None else {o.pk for o in lesson.observers.all()}
    return user.pk in ids and can_work_in(user, lesson.cycle.community)


def visible_cycles_q(user, prefix: str = "") -> Q:
    """Cycles (or, with a prefix, objects of cycles) the user may read, for lists and the API."""
    if not _signed_in(user):
        return Q(pk__in=[])
    scopes = scopes_for(user)
    if scopes.is_superuser:
        return Q()
    c = f"{prefix}community__"
    member = Membership.objects.filter(community_id=OuterRef(f"{c}id"), person_id=user.pk)
    q = Q(Exists(member)) | Q(**{f"{c}parent__leader_id": user.pk})
    if scopes.school_admin_orgs:
        q |= Q(**{f"{c}organisation_id__in": scopes.school_admin_orgs})
    if scopes.coordinator_networks:
        q |= Q(**{f"{c}network_id__in": scopes.coordinator_networks})
    q |= scopes.territory_q(scopes.centre_paths, f"{c}territory__path")
    return q


def visible_sheets_q(user) -> Q:
    return visible_cycles_q(user, "lesson__cycle__")


def can_edit_sheet(user, sheet: ObservationSheet) -> bool:
    return (
        _signed_in(user)
        and sheet.observer_id == user.pk
        and sheet.lesson.cycle.stage != Cycle.Stage.REPORT
        and can_work_in(user, sheet.lesson.cycle.community)
    )


# Lesson visits ----------------------------------------------------------------------------
def can_view_visits(user, community: Community) -> bool:
    return can_read_team_work(user, community)


def can_log_visit(user, community: Community) -> bool:
    return can_work_in(user, community)


def can_delete_visit(user, visit: LessonVisit) -> bool:
    return _signed_in(user) and visit.visitor_id == user.pk


def can_read_feedback(user, visit: LessonVisit, community: Community) -> bool:
    if not _signed_in(user):
        return False
    if user.pk in (visit.visitor_id, visit.teacher_id):
        return True
    return community.leader_id == user.pk or community_permissions.administers(user, community)
