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
at once: a named responder stays one only while the relation that made them one is live — the
mentor while the leaders' pair is active, the curator while they curate the request's territory,
a council's or association's leader and members while the community is active and they hold a
role in it that answers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q

from communities.models import Community, Membership
from core.scopes import scopes_for, signed_in
from mentoring.models import Pair
from people.models import RoleAssignment

from .models import ConsultationRequest

COUNCIL = "consultative_council"
ASSOCIATION = "leaders_association"
Request = ConsultationRequest
Addressee = ConsultationRequest.Addressee
Status = ConsultationRequest.Status
GROUP_ADDRESSEES = (Addressee.COUNCIL, Addressee.ASSOCIATION)
# The roles in a council or an association whose holders answer its questions (a mentor's or
# mentee's membership belongs to a pair, not to the group's work).
GROUP_ROLES = (
    Membership.Role.LEADER,
    Membership.Role.MEMBER,
    Membership.Role.SECRETARY,
    Membership.Role.EXPERT,
)


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


def _live_pairs():
    return Pair.objects.filter(
        kind=Pair.Kind.LEADERS, status=Pair.Status.ACTIVE, community__status=Community.Status.ACTIVE
    )


def _mentors(request: Request) -> bool:
    """The mentor asked is still the asker's mentor in the same active leaders' pair."""
    return (
        _live_pairs()
        .filter(
            community_id=request.community_id,
            mentor_id=request.responder_id,
            mentee_id=request.asker_id,
        )
        .exists()
    )


def _curates(user, request: Request) -> bool:
    """The curator asked still curates the request's territory (or one above it); a
    superuser's universal scope does not make anyone the curator asked."""
    path = request.territory.path
    return any(path.startswith(p) for p in scopes_for(user).curator_paths)


def _in_group(user, request: Request) -> bool:
    """The leader, or a member in an answering role, of the active council or association the
    request is addressed to."""
    if request.addressee not in GROUP_ADDRESSEES or request.community_id is None:
        return False
    if request.community.status != Community.Status.ACTIVE:
        return False
    if request.community.leader_id == user.pk:
        return True
    return Membership.objects.filter(
        person=user, community_id=request.community_id, role__in=GROUP_ROLES
    ).exists()


def is_responder(user, request: Request) -> bool:
    """One of those the question is addressed to, while the relation lasts (never the asker)."""
    if not signed_in(user) or user.pk == request.asker_id:
        return False
    if request.addressee == Addressee.MENTOR:
        return user.pk == request.responder_id and _mentors(request)
    if request.addressee == Addressee.CURATOR:
        return user.pk == request.responder_id and _curates(user, request)
    return _in_group(user, request)


def responders(request: Request) -> list:
    """Who may take and answer the request: the list form of ``is_responder``."""
    return responders_of([request])[request.pk]


def responders_of(requests: Iterable[Request]) -> dict[int, list]:
    """``responders`` of each request (by pk), read in a few queries however many requests and
    however large the councils. The requests need their community and territory loaded."""
    from people.models import Person

    requests = list(requests)
    named: dict[int, set[int]] = {r.pk: set() for r in requests}
    mentored = [r for r in requests if r.addressee == Addressee.MENTOR and r.responder_id]
    if mentored:
        live = set(
            _live_pairs()
            .filter(
                community_id__in={r.community_id for r in mentored},
                mentor_id__in={r.responder_id for r in mentored},
            )
            .values_list("community_id", "mentor_id", "mentee_id")
        )
        for r in mentored:
            if (r.community_id, r.responder_id, r.asker_id) in live:
                named[r.pk].add(r.responder_id)
    curated = [r for r in requests if r.addressee == Addressee.CURATOR and r.responder_id]
    if curated:
        curates: dict[int, set[int]] = defaultdict(set)
        for person_id, territory_id in RoleAssignment.objects.filter(
            person_id__in={r.responder_id for r in curated}, role=RoleAssignment.Role.CURATOR
        ).values_list("person_id", "territory_id"):
            curates[person_id].add(territory_id)
        for r in curated:
            # The territory asked or one above it.
            ancestors = {int(i) for i in r.territory.path.strip("/").split("/") if i}
            if curates[r.responder_id] & ancestors:
                named[r.pk].add(r.responder_id)
    grouped = [
        r
        for r in requests
        if r.addressee in GROUP_ADDRESSEES
        and r.community_id is not None
        and r.community.status == Community.Status.ACTIVE
    ]
    if grouped:
        members: dict[int, set[int]] = defaultdict(set)
        for community_id, person_id in Membership.objects.filter(
            community_id__in={r.community_id for r in grouped}, role__in=GROUP_ROLES
        ).values_list("community_id", "person_id"):
            members[community_id].add(person_id)
        for r in grouped:
            named[r.pk] |= members[r.community_id]
            if r.community.leader_id:
                named[r.pk].add(r.community.leader_id)
    wanted = set().union(*named.values())
    people = Person.objects.filter(is_active=True).in_bulk(wanted) if wanted else {}
    return {
        r.pk: [people[pk] for pk in sorted(named[r.pk]) if pk in people and pk != r.asker_id]
        for r in requests
    }


def reminded(request: Request) -> list:
    """Whom an overdue request reminds: the responder who took it while they still are one,
    else everyone who may take it."""
    return reminded_of([request])[request.pk]


def reminded_of(requests: Iterable[Request]) -> dict[int, list]:
    """``reminded`` of each request (by pk), in as many queries as for one."""
    requests = list(requests)
    answering = responders_of(requests)
    chosen = {}
    for request in requests:
        people = answering[request.pk]
        taker = [p for p in people if p.pk == request.taken_by_id]
        chosen[request.pk] = taker or people
    return chosen


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
        and request.community.status == Community.Status.ACTIVE
        and request.community.leader_id == user.pk
    )


def can_view(user, request: Request) -> bool:
    if not signed_in(user):
        return False
    return user.pk == request.asker_id or is_responder(user, request) or oversees(user, request)


def _group_q(user) -> Q:
    groups = Membership.objects.filter(person=user, role__in=GROUP_ROLES).values("community_id")
    return (
        Q(addressee__in=GROUP_ADDRESSEES)
        & Q(community__status=Community.Status.ACTIVE)
        & (Q(community_id__in=groups) | Q(community__leader_id=user.pk))
    )


def _mentor_q(user) -> Q:
    pair = _live_pairs().filter(
        community_id=OuterRef("community_id"), mentor_id=user.pk, mentee_id=OuterRef("asker_id")
    )
    return Q(addressee=Addressee.MENTOR, responder_id=user.pk) & Q(Exists(pair))


def _curator_q(user) -> Q:
    paths = scopes_for(user).curator_paths
    if not paths:
        return Q(pk__in=[])
    return Q(addressee=Addressee.CURATOR, responder_id=user.pk) & scopes_for(user).territory_q(
        paths, "territory__path"
    )


def responder_q(user) -> Q:
    """The list form of ``is_responder``."""
    if not signed_in(user):
        return Q(pk__in=[])
    return (_mentor_q(user) | _curator_q(user) | _group_q(user)) & ~Q(asker_id=user.pk)


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


def _taken_by_another(user, request: Request) -> bool:
    """Taken by someone else who still answers for it: one whose relation has ended no longer
    holds the question, so it does not wait for them forever."""
    if request.taken_by_id in (None, user.pk):
        return False
    return is_responder(request.taken_by, request)


def can_take(user, request: Request) -> bool:
    if request.status not in Request.OPEN or not is_responder(user, request):
        return False
    if request.status == Status.TAKEN and request.taken_by_id == user.pk:
        return False
    return not _taken_by_another(user, request)


def can_answer(user, request: Request) -> bool:
    if request.status not in Request.OPEN or not is_responder(user, request):
        return False
    return not _taken_by_another(user, request)


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
