"""Who may see, submit, edit, review and collect resources, and who sees a community's documents.
Pages, API, admin, notices and the dashboard ask here.

- Seeing: a published public resource — everyone, search engines included; a published
  non-public one — signed-in people; a draft, submitted or returned one — its authors and its
  moderators.
- Submitting: any signed-in person; into a community only its members (and its moderators).
- Moderating (publish, return, unpublish): a community's resource by its leader and those who
  administer the community's host (communities.permissions.administers: school administration,
  network coordinators, the centre, curators of curated kinds such as network groups); a resource
  of no community by the centre administrators and curators over its territory.
- Editing: the authors while it is a draft or returned; moderators at any time. A new version
  uploaded by an author to a published resource sends it back to review (services.add_version):
  what a moderator did not see is not published under their decision.
- Collections: made and filled by whoever runs their owner — the community's leader and host
  administrators, the network's coordinators, the centre of the territory (and its curators).
- Crediting an organisation (a resource's "organisation"): one where the person works, a
  school they administer, or one in the territory they run as the centre or curate (the
  superuser any); otherwise anyone could publish in a school's name.
- A community's documents (its regulation and orders): managed by those who may run the
  community (leader, host administrators); seen by its members and administrators, by everyone
  when the community is public.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from communities import permissions as community_permissions
from communities.models import Community, Membership
from communities.selectors import administered_communities, host_administrators
from core.scopes import scopes_for, signed_in
from organisations.models import Organisation

from .models import Collection, CommunityDocument, Resource

Status = Resource.Status


def is_author(user, resource: Resource) -> bool:
    if not signed_in(user):
        return False
    if resource.created_by_id == user.pk:
        return True
    return resource.authors.filter(pk=user.pk).exists()


def moderates(user, resource: Resource) -> bool:
    scopes = scopes_for(user)
    if not scopes.is_authenticated:
        return False
    if scopes.is_superuser:
        return True
    if resource.community_id:
        community = resource.community
        return community.leader_id == user.pk or community_permissions.administers(user, community)
    path = resource.territory.path
    return scopes.in_centre(path) or scopes.in_curation(path)


def moderated_q(user) -> Q:
    """The list form of `moderates`."""
    scopes = scopes_for(user)
    if not scopes.is_authenticated:
        return Q(pk__in=[])
    if scopes.is_superuser:
        return Q()
    q = Q(community__leader_id=user.pk)
    q |= Q(community__in=administered_communities(user).values("pk"))
    q |= Q(community__isnull=True) & scopes.territory_q(
        [*scopes.centre_paths, *scopes.curator_paths], "territory__path"
    )
    return q


def moderators(resource: Resource) -> list:
    """Who is told that a resource waits for review: a community's leader (its host's
    administrators when it has none); for a resource of no community, the centre administrators
    and curators over its territory — each one whom `moderates` lets in."""
    from people.roles import holders_over

    if resource.community_id:
        community = resource.community
        if community.leader_id and community.leader.is_active:
            return [community.leader]
        people = host_administrators(community)
    else:
        people = holders_over(territory_path=resource.territory.path)
    return [p for p in people if moderates(p, resource)]


def _community_open_q(user) -> Q:
    """A members-only community's resources (and collections) are seen only by those who may
    see that community; another community's follow the resource's own rule (a moderator made
    it public, or it is for signed-in people)."""
    return (
        Q(community__isnull=True)
        | ~Q(community__visibility=Community.Visibility.MEMBERS)
        | Q(
            community__in=Community.objects.filter(community_permissions.visible_q(user)).values(
                "pk"
            )
        )
    )


def can_view(user, resource: Resource) -> bool:
    if resource.status == Status.PUBLISHED:
        community = resource.community if resource.community_id else None
        if (
            community is not None
            and community.visibility == Community.Visibility.MEMBERS
            and not community_permissions.can_view(user, community)
        ):
            return is_author(user, resource) or moderates(user, resource)
        return resource.is_public or signed_in(user)
    return is_author(user, resource) or moderates(user, resource)


def visible_q(user) -> Q:
    """Resources the person may open: for lists and the API's querysets."""
    published = Q(status=Status.PUBLISHED) & _community_open_q(user)
    if not signed_in(user):
        return published & Q(is_public=True)
    if scopes_for(user).is_superuser:
        return Q()  # an empty Q would vanish from the OR below
    return published | own_q(user) | moderated_q(user)


def bank_q(user) -> Q:
    """What the bank lists: published resources the person may see."""
    published = Q(status=Status.PUBLISHED) & _community_open_q(user)
    return published if signed_in(user) else published & Q(is_public=True)


def own_q(user) -> Q:
    if not signed_in(user):
        return Q(pk__in=[])
    return Q(created_by_id=user.pk) | Q(
        Exists(Resource.authors.through.objects.filter(resource=OuterRef("pk"), person=user.pk))
    )


def can_create(user) -> bool:
    return signed_in(user)


def can_submit_into(user, community: Community | None) -> bool:
    if not signed_in(user):
        return False
    if community is None:
        return True
    if not community.is_active:
        return False
    return community_permissions.is_member(user, community) or community_permissions.can_edit(
        user, community
    )


def can_edit(user, resource: Resource) -> bool:
    if resource.status in (Status.DRAFT, Status.RETURNED) and is_author(user, resource):
        return True
    return moderates(user, resource)


def can_add_version(user, resource: Resource) -> bool:
    return is_author(user, resource) or moderates(user, resource)


def can_submit(user, resource: Resource) -> bool:
    return resource.status in (Status.DRAFT, Status.RETURNED) and is_author(user, resource)


def can_review(user, resource: Resource) -> bool:
    return resource.status == Status.SUBMITTED and moderates(user, resource)


def can_unpublish(user, resource: Resource) -> bool:
    return resource.status == Status.PUBLISHED and moderates(user, resource)


def can_moderate_any(user) -> bool:
    scopes = scopes_for(user)
    if not scopes.is_authenticated:
        return False
    return bool(
        scopes.is_superuser
        or scopes.centre_paths
        or scopes.curator_paths
        or administered_communities(user).exists()
    )


# Crediting an organisation ---------------------------------------------------------------------


def attributable_q(user) -> Q:
    """The list form of `can_attribute_to`, over organisations."""
    scopes = scopes_for(user)
    if not scopes.is_authenticated:
        return Q(pk__in=[])
    if scopes.is_superuser:
        return Q()
    q = Q(pk__in=user.positions.values("organisation_id")) | Q(pk__in=scopes.school_admin_orgs)
    paths = [*scopes.centre_paths, *scopes.curator_paths]
    if paths:
        q |= scopes.territory_q(paths, "territory__path")
    return q


def can_attribute_to(user, organisation: Organisation | None) -> bool:
    """May the person credit `organisation` as a resource's? No organisation is always allowed."""
    if organisation is None:
        return True
    scopes = scopes_for(user)
    if not scopes.is_authenticated:
        return False
    if scopes.is_superuser or organisation.pk in scopes.school_admin_orgs:
        return True
    path = organisation.territory.path
    if scopes.in_centre(path) or scopes.in_curation(path):
        return True
    return user.positions.filter(organisation_id=organisation.pk).exists()


# Collections ---------------------------------------------------------------------------------


def can_manage_collection_of(user, *, community=None, network=None, territory=None) -> bool:
    scopes = scopes_for(user)
    if not scopes.is_authenticated:
        return False
    if scopes.is_superuser:
        return True
    if community is not None:
        return community_permissions.can_edit(user, community)
    if network is not None:
        return network.pk in scopes.coordinator_networks or scopes.in_centre(network.territory.path)
    if territory is not None:
        return scopes.in_centre(territory.path) or scopes.in_curation(territory.path)
    return False


def can_manage_collection(user, collection: Collection) -> bool:
    owned_above = collection.community_id or collection.network_id
    return can_manage_collection_of(
        user,
        community=collection.community,
        network=collection.network,
        territory=None if owned_above else collection.territory,
    )


def managed_collections_q(user) -> Q:
    """The list form of `can_manage_collection`."""
    scopes = scopes_for(user)
    if not scopes.is_authenticated:
        return Q(pk__in=[])
    if scopes.is_superuser:
        return Q()
    editable = community_permissions.editable_q(user)
    q = Q(community__in=Community.objects.filter(editable, status=Community.Status.ACTIVE))
    q |= Q(network_id__in=scopes.coordinator_networks)
    q |= Q(network__isnull=False) & scopes.territory_q(
        scopes.centre_paths, "network__territory__path"
    )
    q |= Q(community__isnull=True, network__isnull=True) & scopes.territory_q(
        [*scopes.centre_paths, *scopes.curator_paths], "territory__path"
    )
    return q


def can_create_collection(user) -> bool:
    scopes = scopes_for(user)
    if not scopes.is_authenticated:
        return False
    return bool(
        scopes.is_staff_anywhere
        or administered_communities(user).filter(status=Community.Status.ACTIVE).exists()
    )


def collection_visible_q(user) -> Q:
    """Collections are showcases, seen by everyone, except those a community keeps: seen by
    whoever may see the community; their items by each resource's rule."""
    return _community_open_q(user)


# A community's documents -----------------------------------------------------------------------


def can_view_documents(user, community: Community) -> bool:
    if community.visibility == Community.Visibility.PUBLIC:
        return True
    if not signed_in(user):
        return False
    return community_permissions.is_member(user, community) or community_permissions.administers(
        user, community
    )


def can_manage_documents(user, community: Community) -> bool:
    return community_permissions.can_edit(user, community)


def can_view_document(user, document: CommunityDocument) -> bool:
    return can_view_documents(user, document.community)


def documents_visible_q(user) -> Q:
    """The list form of `can_view_document`, over documents."""
    public = Q(community__visibility=Community.Visibility.PUBLIC)
    if not signed_in(user):
        return public
    if scopes_for(user).is_superuser:
        return Q()
    member_of = Membership.objects.filter(person_id=user.pk).values("community_id")
    administered = administered_communities(user).values("pk")
    return public | Q(community__in=member_of) | Q(community__in=administered)


# Reference data ----------------------------------------------------------------------------------


def can_manage_kinds(user) -> bool:
    """Resource kinds are data the centre keeps (a new kind without a release)."""
    scopes = scopes_for(user)
    return bool(scopes.is_superuser or scopes.centre_paths)
