"""Who may see and change people and their databank records (personal data)."""

from __future__ import annotations

from collections.abc import Callable, Collection

from django.db.models import Q

from core.scopes import scopes_for
from organisations.permissions import can_manage_organisation_staff  # asked by our pages too


def can_view_directory(user) -> bool:
    return bool(user and user.is_authenticated)


def _admin_orgs_of(user, person) -> bool:
    """True when the user administers (school or centre) any organisation the person works at."""
    scopes = scopes_for(user)
    if scopes.is_superuser:
        return True
    if not (scopes.school_admin_orgs or scopes.centre_paths):
        return False
    positions = person.positions.select_related("organisation__territory")
    for position in positions:
        if position.organisation_id in scopes.school_admin_orgs:
            return True
        if scopes.in_centre(position.organisation.territory.path):
            return True
    return False


# Further reasons to see someone's databank record, given by the apps above this one (a
# community's leader sees its current members' records, 004 doc. 2 and 6): each is asked
# (user, person) -> bool. CommunitiesConfig.ready registers its rule; see docs/architecture.md.
_databank_grants: list[Callable[..., bool]] = []


def register_databank_grant(grant: Callable[..., bool]) -> None:
    if grant not in _databank_grants:
        _databank_grants.append(grant)


def _may_administer_databank(user, person) -> bool:
    """The person themselves and their administrators: they may also edit and export."""
    if not (user and user.is_authenticated):
        return False
    if user.pk == person.pk:
        return True
    return _admin_orgs_of(user, person)


def can_view_databank(user, person) -> bool:
    if _may_administer_databank(user, person):
        return True
    if not (user and user.is_authenticated):
        return False
    return any(grant(user, person) for grant in _databank_grants)


def can_edit_databank(user, person) -> bool:
    return _may_administer_databank(user, person)


def can_export_databank(user, person) -> bool:
    """A file leaves the platform: only the person and their administrators take one."""
    return _may_administer_databank(user, person)


def can_fetch_databank_export(user, export) -> bool:
    """A background export is handed only to the one who asked and is logged as its viewer."""
    return export.requested_by_id == getattr(user, "pk", None) and can_manage_organisation_staff(
        user, export.organisation
    )


def can_edit_person(user, person) -> bool:
    """Account fields (name, contacts): the person and their administrators."""
    return _may_administer_databank(user, person)


def contacts_visible_q(user) -> Q:
    """People whose e-mail and phone the user may see: themselves and those they administer.

    The directory shows names to every signed-in user, but a lookup by exact e-mail or phone is
    limited to these people, so it cannot tell anyone else whether an address belongs to someone.
    """
    scopes = scopes_for(user)
    if not scopes.is_authenticated:
        return Q(pk__in=[])
    if scopes.is_superuser:
        return Q()
    q = Q(pk=user.pk)
    if scopes.school_admin_orgs:
        q |= Q(positions__organisation_id__in=scopes.school_admin_orgs)
    if scopes.centre_paths:
        q |= scopes.territory_q(scopes.centre_paths, "positions__organisation__territory__path")
    return q


def editable_person_ids(user, person_ids: Collection[int]) -> set[int]:
    """The ids among `person_ids` for whom `can_edit_person` holds, in a query per 500 people.

    The same rule as `_admin_orgs_of`, asked of many people at once (a teacher import matches
    thousands of rows to people who may work elsewhere).
    """
    from .models import Position

    if not (user and user.is_authenticated):
        return set()
    wanted = set(person_ids)
    allowed = wanted & {user.pk}
    scopes = scopes_for(user)
    if scopes.is_superuser:
        return wanted
    if not (scopes.school_admin_orgs or scopes.centre_paths):
        return allowed
    administered = Q(organisation_id__in=scopes.school_admin_orgs) | scopes.territory_q(
        scopes.centre_paths, "organisation__territory__path"
    )
    rest = sorted(wanted - allowed)
    for start in range(0, len(rest), 500):
        allowed.update(
            Position.objects.filter(administered, person_id__in=rest[start : start + 500])
            .values_list("person_id", flat=True)
            .distinct()
        )
    return allowed


# Attestation and growth (issue 8) -----------------------------------------------------------


def databank_visible_q(user) -> Q:
    """People whose databank records the user sees without a registered grant: themselves and
    those they administer (the set form of ``_may_administer_databank``)."""
    return contacts_visible_q(user)


def centre_paths_of(user) -> list[str] | None:
    """The territories whose teachers' attestations a centre admin follows; None: all (the
    superuser); an empty list: none."""
    scopes = scopes_for(user)
    if scopes.is_superuser:
        return None
    return list(scopes.centre_paths) if scopes.is_authenticated else []


def can_view_centre_attestations(user) -> bool:
    return centre_paths_of(user) != []


def can_view_organisation_attestations(user, organisation) -> bool:
    """A school's attestation list: its administrators (and the centre above it)."""
    return can_manage_organisation_staff(user, organisation)


def can_view_portfolio(user, person) -> bool:
    """The portfolio is the databank record put together: whoever may see the record."""
    return can_view_databank(user, person)


def can_export_portfolio(user, person) -> bool:
    return can_view_databank(user, person)


def can_manage_course_support(user, person) -> bool:
    """Post-course support is planned by those who keep the record (000 §2.2.4)."""
    return can_edit_databank(user, person)


def can_view_course_support(user, person) -> bool:
    return can_view_databank(user, person)
