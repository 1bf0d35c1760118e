"""Who writes a year's report, who receives it, who sees it.

- Writes: a community's report — its leader; a school's — the school's administrators; a
  network's — its coordinators; the centre's (a territory's) — the centre's administrators of that
  territory or above. The superuser may do all.
- Receives (accepts or returns): whom the rule names — for a community its kind's
  ``report_receiver`` (the host school's administrators, the network's coordinators, the
  territory's curators or centre administrators); a school's and a network's report goes to the
  centre of their territory; the centre's to the centre's administrators (its deputy director,
  003 order §2.2). Nobody decides on a version they submitted themselves.
- Sees: the writers and the receivers.
"""

from __future__ import annotations

from django.db.models import Q

from communities.models import Community
from core.scopes import scopes_for

from .models import Owner, Receiver, Report
from .rules import receiver_of


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


def can_write_for(user, owner_type: str, owner) -> bool:
    if not _signed_in(user):
        return False
    scopes = scopes_for(user)
    if scopes.is_superuser:
        return True
    if owner_type == Owner.COMMUNITY:
        return owner.is_active and owner.leader_id == user.pk
    if owner_type == Owner.SCHOOL:
        return owner.pk in scopes.school_admin_orgs
    if owner_type == Owner.NETWORK:
        return owner.pk in scopes.coordinator_networks
    if owner_type == Owner.CENTRE:
        return any(owner.path.startswith(p) for p in scopes.centre_paths)
    return False


def can_write(user, report: Report) -> bool:
    return can_write_for(user, report.owner_type, report.owner)


def can_edit(user, report: Report) -> bool:
    return report.is_editable and can_write(user, report)


def _receives(user, receiver: str, report: Report) -> bool:
    scopes = scopes_for(user)
    owner = report.owner
    if report.owner_type == Owner.COMMUNITY:
        if receiver == Receiver.SCHOOL_ADMIN:
            return owner.organisation_id is not None and (
                owner.organisation_id in scopes.school_admin_orgs
            )
        if receiver == Receiver.COORDINATOR:
            return owner.network_id is not None and owner.network_id in scopes.coordinator_networks
        if receiver == Receiver.CURATOR:
            return any(owner.territory.path.startswith(p) for p in scopes.curator_paths)
        # The centre (and a council's reports, which go through the centre).
        return any(owner.territory.path.startswith(p) for p in scopes.centre_paths)
    path = owner.path if report.owner_type == Owner.CENTRE else owner.territory.path
    return any(path.startswith(p) for p in scopes.centre_paths)


def can_receive(user, report: Report) -> bool:
    if not _signed_in(user):
        return False
    receiver = receiver_of(report)
    if not receiver:
        return False
    return scopes_for(user).is_superuser or _receives(user, receiver, report)


def can_view(user, report: Report) -> bool:
    return can_write(user, report) or can_receive(user, report)


def can_submit(user, report: Report) -> bool:
    return report.is_editable and bool(receiver_of(report)) and can_write(user, report)


def can_decide(user, report: Report, submitted_by_id: int | None) -> bool:
    """Accept or return the submitted version: a receiver who did not submit it."""
    return (
        report.status == Report.Status.SUBMITTED
        and can_receive(user, report)
        and user.pk != submitted_by_id
    )


def receives_q(user, prefix: str = "") -> Q:
    """Communities whose reports the user receives (the board's rows), by their kinds' rules."""
    if not _signed_in(user):
        return Q(pk__in=[])
    scopes = scopes_for(user)
    p = prefix
    if scopes.is_superuser:
        return ~Q(**{f"{p}kind__report_receiver": ""})
    q = Q(pk__in=[])
    if scopes.school_admin_orgs:
        q |= Q(**{f"{p}kind__report_receiver": Receiver.SCHOOL_ADMIN}) & Q(
            **{f"{p}organisation_id__in": scopes.school_admin_orgs}
        )
    if scopes.coordinator_networks:
        q |= Q(**{f"{p}kind__report_receiver": Receiver.COORDINATOR}) & Q(
            **{f"{p}network_id__in": scopes.coordinator_networks}
        )
    if scopes.curator_paths:
        q |= Q(**{f"{p}kind__report_receiver": Receiver.CURATOR}) & scopes.territory_q(
            scopes.curator_paths, f"{p}territory__path"
        )
    if scopes.centre_paths:
        q |= Q(
            **{f"{p}kind__report_receiver__in": [Receiver.CENTRE_ADMIN, Receiver.COUNCIL]}
        ) & scopes.territory_q(scopes.centre_paths, f"{p}territory__path")
    return q


def received_reports_q(user) -> Q:
    """Reports of any owner the user receives (list form of ``can_receive``)."""
    if not _signed_in(user):
        return Q(pk__in=[])
    scopes = scopes_for(user)
    if scopes.is_superuser:
        return Q()
    q = Q(owner_type=Owner.COMMUNITY, community__in=Community.objects.filter(receives_q(user)))
    if scopes.centre_paths:
        q |= Q(owner_type=Owner.SCHOOL) & scopes.territory_q(
            scopes.centre_paths, "organisation__territory__path"
        )
        q |= Q(owner_type=Owner.NETWORK) & scopes.territory_q(
            scopes.centre_paths, "network__territory__path"
        )
        q |= Q(owner_type=Owner.CENTRE) & scopes.territory_q(scopes.centre_paths, "territory__path")
    return q


# The board's other rows: the schools, networks and territories (their centres) whose report the
# user receives; the same rule as received_reports_q, over the owners rather than the reports.
_OWNER_PATHS = {Owner.SCHOOL: "territory__path", Owner.NETWORK: "territory__path",
                Owner.CENTRE: "path"}  # fmt: skip


def receives_owners_q(user, owner_type: str) -> Q:
    if not _signed_in(user) or owner_type not in _OWNER_PATHS:
        return Q(pk__in=[])
    scopes = scopes_for(user)
    if scopes.is_superuser:
        return Q()
    if not scopes.centre_paths:
        return Q(pk__in=[])
    return scopes.territory_q(scopes.centre_paths, _OWNER_PATHS[owner_type])


def written_reports_q(user) -> Q:
    if not _signed_in(user):
        return Q(pk__in=[])
    scopes = scopes_for(user)
    if scopes.is_superuser:
        return Q()
    q = Q(owner_type=Owner.COMMUNITY, community__leader_id=user.pk)
    if scopes.school_admin_orgs:
        q |= Q(owner_type=Owner.SCHOOL, organisation_id__in=scopes.school_admin_orgs)
    if scopes.coordinator_networks:
        q |= Q(owner_type=Owner.NETWORK, network_id__in=scopes.coordinator_networks)
    if scopes.centre_paths:
        q |= Q(owner_type=Owner.CENTRE) & scopes.territory_q(scopes.centre_paths, "territory__path")
    return q


def visible_q(user) -> Q:
    return written_reports_q(user) | received_reports_q(user)


def may_see_board(user) -> bool:
    scopes = scopes_for(user)
    return scopes.is_authenticated and scopes.is_staff_anywhere
