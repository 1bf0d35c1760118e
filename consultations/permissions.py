"""Who may ask, see, take, answer and rate consultation requests, and publish FAQ entries.

- Ask: the leaders a targeted consultation is for (003 app. 1 §2.1) — a school's administrators
  (director, deputies), leaders of communities, the mentee of a pair, and the members of a
  consultative council or an inter-school association.
- See a request: its asker; its responders — the council's or the association's members and
  leader, the asker's mentor, the curator asked; and, for the board, the centre administrators
  and curators of its territory (or above).
- Take and answer: the responders (never the asker); once taken, only the one who took it answers.
- Rate: the asker, once, after the answer.
- Publish an anonymised FAQ entry: curators, centre administrators, and a council's chair for
  the council's requests.

Memberships and roles are read on every request, so a person who leaves a council loses access
at once.
"""

from __future__ import annotations

from django.db.models import Q

from communities.models import Community, Membership
from core.scopes import scopes_for, signed_in

from .models import ConsultationRequest

COUNCIL = "consultative_council"
ASSOCIATION = "leaders_association"
Request = ConsultationRequest
Addressee = ConsultationRequest.Addressee
Status = ConsultationRequest.Status
GROUP_ADDRESSEES = (Addressee.COUNCIL, Addressee.ASSOCIATION)


def _memberships(user):
    return Membership.objects.filter(person=user, community__status=Community.Status.ACTIVE)


def can_ask(user) -> bool:
    if not signed_in(user):
        return False
    scopes = scopes_for(user)
    if scopes.is_superuser or scopes.school_admin_orgs:
        return True
    return (
        _memberships(user)
        .filter(
            Q(role__in=(Membership.Role.LEADER, Membership.Role.MENTEE))
            | Q(community__kind__code__in=(COUNCIL, ASSOCIATION))
        )
        .exists()
    )


def _in_group(user, request: Request) -> bool:
    """A member or the leader of the council or association the request is addressed to."""
    if request.addressee not in GROUP_ADDRESSEES or request.community_id is None:
        return False
    if request.community.leader_id == user.pk:
        return True
    return _memberships(user).filter(community_id=request.community_id).exists()


def is_responder(user, request: Request) -> bool:
    """One of those the question is addressed to (the asker never is)."""
    if not signed_in(user) or user.pk == request.asker_id:
        return False
    if request.responder_id is not None:
        return user.pk == request.responder_id
    return _in_group(user, request)


def responders(request: Request) -> list:
    """Who may take and answer the request: the list form of ``is_responder``, read in one
    query however large the council."""
    from people.models import Person

    if request.responder_id is not None:
        people = Person.objects.filter(pk=request.responder_id)
    elif request.addressee in GROUP_ADDRESSEES and request.community_id is not None:
        members = Membership.objects.filter(
            community_id=request.community_id, community__status=Community.Status.ACTIVE
        ).values("person_id")
        people = Person.objects.filter(Q(pk__in=members) | Q(pk=request.community.leader_id or 0))
    else:
        return []
    return list(people.filter(is_active=True).exclude(pk=request.asker_id).order_by("pk"))


def oversees(user, request: Request) -> bool:
    """Sees the request for the board: the territory's centre administrators and curators."""
    if not signed_in(user):
        return False
    scopes = scopes_for(user)
    path = request.territory.path
    return scopes.in_centre(path) or scopes.in_curation(path)


def chairs(user, request: Request) -> bool:
    return (
        signed_in(user)
        and request.addressee == Addressee.COUNCIL
        and request.community_id is not None
        and request.community.leader_id == user.pk
    )


def can_view(user, request: Request) -> bool:
    if not signed_in(user):
        return False
    return user.pk == request.asker_id or is_responder(user, request) or oversees(user, request)


def _group_q(user) -> Q:
    groups = _memberships(user).values("community_id")
    return Q(addressee__in=GROUP_ADDRESSEES) & (
        Q(community_id__in=groups) | Q(community__leader_id=user.pk)
    )


def responder_q(user) -> Q:
    """The list form of ``is_responder``."""
    if not signed_in(user):
        return Q(pk__in=[])
    return (Q(responder_id=user.pk) | (Q(responder__isnull=True) & _group_q(user))) & ~Q(
        asker_id=user.pk
    )


def oversight_q(user) -> Q:
    if not signed_in(user):
        return Q(pk__in=[])
    scopes = scopes_for(user)
    if scopes.is_superuser:
        return Q()
    paths = [*scopes.centre_paths, *scopes.curator_paths]
    return scopes.territory_q(paths, "territory__path") if paths else Q(pk__in=[])


def visible_q(user) -> Q:
    """The list form of ``can_view``."""
    if not signed_in(user):
        return Q(pk__in=[])
    if scopes_for(user).is_superuser:  # an empty Q would vanish from an OR
        return Q()
    return Q(asker_id=user.pk) | responder_q(user) | oversight_q(user)


def waiting_q(user) -> Q:
    """Open requests waiting for this person: addressed to them and not taken by someone else."""
    return (
        responder_q(user)
        & Q(status__in=Request.OPEN)
        & (Q(taken_by__isnull=True) | Q(taken_by_id=getattr(user, "pk", None)))
    )


def can_take(user, request: Request) -> bool:
    return request.status == Status.SUBMITTED and is_responder(user, request)


def can_answer(user, request: Request) -> bool:
    if request.status not in Request.OPEN or not is_responder(user, request):
        return False
    return request.taken_by_id in (None, user.pk)


def can_rate(user, request: Request) -> bool:
    return signed_in(user) and request.status == Status.ANSWERED and user.pk == request.asker_id


def can_withdraw(user, request: Request) -> bool:
    return signed_in(user) and request.is_open and user.pk == request.asker_id


def can_see_board(user) -> bool:
    """The board of open requests: centre administrators, curators and councils' chairs."""
    if not signed_in(user):
        return False
    scopes = scopes_for(user)
    if scopes.is_superuser or scopes.centre_paths or scopes.curator_paths:
        return True
    return Community.objects.filter(
        leader_id=user.pk, kind__code=COUNCIL, status=Community.Status.ACTIVE
    ).exists()


def board_q(user) -> Q:
    """What the board shows: the requests of the territories overseen, and a chair's council's."""
    if not signed_in(user):
        return Q(pk__in=[])
    if scopes_for(user).is_superuser:
        return Q()
    return oversight_q(user) | (Q(addressee=Addressee.COUNCIL) & Q(community__leader_id=user.pk))


def can_publish_faq(user, request: Request | None = None) -> bool:
    """Curators and centre administrators (of the request's territory), or the council's chair
    for a council's request; a source request must have been answered."""
    if not signed_in(user):
        return False
    scopes = scopes_for(user)
    if request is None:
        return bool(scopes.is_superuser or scopes.centre_paths or scopes.curator_paths)
    if request.status not in (Status.ANSWERED, Status.CLOSED):
        return False
    return oversees(user, request) or chairs(user, request)


def can_manage_topics(user) -> bool:
    """The topics people ask about are data the centre keeps."""
    scopes = scopes_for(user)
    return bool(scopes.is_superuser or scopes.centre_paths)
