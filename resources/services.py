"""Write actions of the resource bank. Each takes the acting person, asks the policy and runs in
one transaction; files are checked by their bytes (core.uploads) before anything is stored."""

from __future__ import annotations

import io
import uuid
from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Community
from core.actions import announce, require
from core.scopes import scopes_for
from core.uploads import check_upload, discard_files_on_commit
from organisations.models import Network, Organisation, Territory

from . import permissions, previews, signals
from .models import (
    Collection,
    CollectionItem,
    CommunityDocument,
    CommunityDocumentVersion,
    Resource,
    ResourceKind,
    ResourceReview,
    ResourceVersion,
)

Status = Resource.Status
IMAGE_KINDS = ("png", "jpg")
PREVIEW_SIZE = (480, 480)
RESOURCE_FIELDS = (
    "title", "description", "kind", "subject", "grade_from", "grade_to", "topic", "author_text",
    "community", "organisation", "licence", "is_public", "url",
)  # fmt: skip


def _territory_for(actor, community: Community | None, organisation: Organisation | None):
    if community is not None:
        return community.territory
    if organisation is not None:
        return organisation.territory
    position = (
        actor.positions.select_related("organisation__territory").order_by("pk").first()
        if actor is not None
        else None
    )
    if position is not None:
        return position.organisation.territory
    # Staff without a post at a school: the territory of a role they hold.
    paths = scopes_for(actor).role_paths if actor is not None else []
    territory = Territory.objects.filter(path__in=paths).order_by("path").first()
    if territory is not None:
        return territory
    raise ValidationError(
        {"organisation": _("Name the organisation or the community the resource belongs to.")}
    )


def _check_attribution(actor, organisation: Organisation | None) -> None:
    """A resource credits a school by name: only those who work there or run it may say so."""
    if actor is not None and not permissions.can_attribute_to(actor, organisation):
        raise ValidationError(
            {
                "organisation": _(
                    "You may credit only an organisation where you work or which you administer."
                )
            }
        )


def _clean_fields(values: dict) -> dict:
    values = {k: v for k, v in values.items() if k in RESOURCE_FIELDS}
    for name in ("title", "description", "subject", "topic", "author_text", "url"):
        if name in values:
            values[name] = (values[name] or "").strip()
    if "title" in values and not values["title"]:
        raise ValidationError({"title": _("Give the title.")})
    low, high = values.get("grade_from"), values.get("grade_to")
    if low is not None and high is not None and low > high:
        raise ValidationError({"grade_to": _("The last grade comes before the first.")})
    kind: ResourceKind | None = values.get("kind")
    if kind is not None and kind.takes_link and "url" in values and not values["url"]:
        raise ValidationError({"url": _("Give the link to the material.")})
    return values


def _full_clean(resource: Resource) -> None:
    try:
        resource.full_clean(exclude=["created_by", "territory", "authors"])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc


def _preview_of(file) -> ContentFile | None:
    """A small PNG of an image; none when Pillow cannot read it (the upload stands)."""
    from PIL import Image, UnidentifiedImageError

    try:
        file.seek(0)
        with Image.open(file) as image:
            # A decompression bomb is refused here rather than inflated.
            if image.width * image.height > 40_000_000:
                return None
            image.thumbnail(PREVIEW_SIZE)
            out = io.BytesIO()
            image.convert("RGB").save(out, format="PNG")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    finally:
        file.seek(0)
    return ContentFile(out.getvalue(), name="preview.png")


def _new_version(*, actor, resource: Resource, file, note: str, token: str = "") -> ResourceVersion:
    kind = check_upload(file)
    version = ResourceVersion(
        resource=resource,
        original_name=PurePath(getattr(file, "name", "") or "file").name[:255],
        size=getattr(file, "size", 0) or 0,
        note=(note or "").strip()[:500],
        uploaded_by=actor,
        token=token,
    )
    Preview = ResourceVersion.PreviewStatus
    if kind in IMAGE_KINDS:
        preview = _preview_of(file)
        if preview is not None:
            version.preview.save(preview.name, preview, save=False)
        version.preview_status = Preview.READY if preview is not None else Preview.FAILED
    elif kind in previews.PREVIEW_KINDS:
        # Rendering and converting take seconds to minutes: the background does them.
        version.preview_status = Preview.PENDING
    version.file.save(version.original_name, file, save=False)
    version.save()
    if version.preview_status == Preview.PENDING:
        previews.schedule(version)
    return version


def create_draft(
    *, actor, key: uuid.UUID | None = None, authors=(), file=None, note: str = "", **fields
) -> Resource:
    """A new draft by `actor`; a second call with the same form key returns the first one."""
    if key is not None:
        done = Resource.objects.filter(creation_key=key, created_by=actor).first()
        if done is not None:
            return done
    values = _clean_fields(fields)
    community = values.get("community")
    require(actor, lambda: permissions.can_submit_into(actor, community))
    _check_attribution(actor, values.get("organisation"))
    if file is not None:
        check_upload(file)  # before anything is written, with the message on the field
    resource = Resource(
        created_by=actor,
        creation_key=key,
        territory=_territory_for(actor, community, values.get("organisation")),
        **values,
    )
    if resource.organisation is None and community is not None:
        resource.organisation = community.organisation
    _full_clean(resource)
    try:
        with transaction.atomic():
            resource.save()
            resource.authors.set([actor, *[a for a in authors if a != actor]])
            if file is not None:
                _new_version(actor=actor, resource=resource, file=file, note=note)
    except IntegrityError:
        # The same form posted twice at once: the other request made it.
        done = Resource.objects.filter(creation_key=key, created_by=actor).first()
        if key is None or done is None:
            raise
        return done
    return resource


def update_resource(*, actor, resource: Resource, authors=None, **fields) -> Resource:
    values = _clean_fields(fields)
    with transaction.atomic():
        resource = Resource.objects.select_for_update().get(pk=resource.pk)
        require(actor, lambda: permissions.can_edit(actor, resource))
        community = values.get("community", resource.community)
        if community != resource.community:
            require(actor, lambda: permissions.can_submit_into(actor, community))
        organisation = values.get("organisation", resource.organisation)
        if organisation != resource.organisation:
            # Keeping the organisation a moderator or a colleague chose is not crediting anew.
            _check_attribution(actor, organisation)
        for name, value in values.items():
            setattr(resource, name, value)
        resource.territory = _territory_for(actor, resource.community, resource.organisation)
        _full_clean(resource)
        resource.save()
        if authors is not None:
            resource.authors.set([resource.created_by, *authors])
    return resource


def add_version(
    *, actor, resource: Resource, file, note: str = "", token: str = ""
) -> ResourceVersion:
    """A new current file. An author's new file for a published resource goes back to review;
    a moderator's stays published (they have seen it). A second call with the same form
    `token` returns the version the first one added."""
    if file is None:
        raise ValidationError({"file": _("Choose a file.")})
    check_upload(file)
    token = (token or "")[:40]
    with transaction.atomic():
        # The resource's row lock also orders two submits of one form: the second finds the first.
        resource = Resource.objects.select_for_update(of=("self",)).get(pk=resource.pk)
        require(actor, lambda: permissions.can_add_version(actor, resource))
        if token:
            earlier = resource.versions.filter(uploaded_by=actor, token=token).first()
            if earlier is not None:
                return earlier
        if resource.status == Status.SUBMITTED and not permissions.moderates(actor, resource):
            raise ValidationError(_("The resource is being reviewed; wait for the decision."))
        version = _new_version(actor=actor, resource=resource, file=file, note=note, token=token)
        resubmit = resource.status == Status.PUBLISHED and not permissions.moderates(
            actor, resource
        )
        if resubmit:
            resource.status = Status.SUBMITTED
            resource.submitted_at = timezone.now()
            resource.save(update_fields=["status", "submitted_at", "updated_at"])
            announce(signals.resource_submitted, Resource, resource=resource, actor=actor)
    return version


def submit(*, actor, resource: Resource) -> Resource:
    with transaction.atomic():
        resource = Resource.objects.select_for_update().get(pk=resource.pk)
        if resource.status == Status.SUBMITTED and permissions.is_author(actor, resource):
            return resource  # sent already (a double click)
        require(actor, lambda: permissions.can_submit(actor, resource))
        if not resource.url and not resource.versions.exists():
            raise ValidationError(_("Add a file or a link before sending the resource."))
        resource.status = Status.SUBMITTED
        resource.submitted_at = timezone.now()
        resource.save(update_fields=["status", "submitted_at", "updated_at"])
        announce(signals.resource_submitted, Resource, resource=resource, actor=actor)
    return resource


def review(*, actor, resource: Resource, decision: str, comment: str = "") -> ResourceReview:
    """Publish or return a submitted resource; a return says what to change."""
    comment = (comment or "").strip()
    if decision not in (ResourceReview.Decision.PUBLISH, ResourceReview.Decision.RETURN):
        raise ValidationError({"decision": _("Choose to publish or to return.")})
    if decision == ResourceReview.Decision.RETURN and not comment:
        raise ValidationError({"comment": _("Say what the author should change.")})
    with transaction.atomic():
        resource = Resource.objects.select_for_update().get(pk=resource.pk)
        if actor is not None and not permissions.can_review(actor, resource):
            if resource.status != Status.SUBMITTED and permissions.moderates(actor, resource):
                raise ValidationError(_("The resource is not waiting for review."))
            raise PermissionDenied
        now = timezone.now()
        if decision == ResourceReview.Decision.PUBLISH:
            resource.status = Status.PUBLISHED
            resource.published_at = now
        else:
            resource.status = Status.RETURNED
        resource.save(update_fields=["status", "published_at", "updated_at"])
        done = ResourceReview.objects.create(
            resource=resource, reviewer=actor, decision=decision, comment=comment
        )
        announce(signals.resource_reviewed, Resource, resource=resource, review=done, actor=actor)
    return done


def unpublish(*, actor, resource: Resource, comment: str = "") -> ResourceReview:
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say why the resource is taken down.")})
    with transaction.atomic():
        resource = Resource.objects.select_for_update().get(pk=resource.pk)
        require(actor, lambda: permissions.can_unpublish(actor, resource))
        resource.status = Status.RETURNED
        resource.save(update_fields=["status", "updated_at"])
        done = ResourceReview.objects.create(
            resource=resource,
            reviewer=actor,
            decision=ResourceReview.Decision.UNPUBLISH,
            comment=comment,
        )
        announce(signals.resource_reviewed, Resource, resource=resource, review=done, actor=actor)
    return done


# Collections ---------------------------------------------------------------------------------


def create_collection(
    *,
    actor,
    title: str,
    description: str = "",
    community: Community | None = None,
    network: Network | None = None,
    territory: Territory | None = None,
    token: str = "",
) -> Collection:
    """A new collection; a second call with the same form `token` returns the first one."""
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the title.")})
    owners = [o for o in (community, network, territory) if o is not None]
    if len(owners) != 1:
        raise ValidationError({"owner": _("Choose whose collection it is.")})
    require(
        actor,
        lambda: permissions.can_manage_collection_of(
            actor, community=community, network=network, territory=territory
        ),
    )
    token = (token or "")[:40]
    if token:
        earlier = Collection.objects.filter(created_by=actor, token=token).first()
        if earlier is not None:
            return earlier
    place = territory or (community or network).territory
    try:
        with transaction.atomic():
            return Collection.objects.create(
                title=title[:300],
                description=(description or "").strip(),
                community=community,
                network=network,
                territory=place,
                created_by=actor,
                token=token,
            )
    except IntegrityError:
        # The same form sent twice at once: the other request made it.
        if not token:
            raise
        return Collection.objects.get(created_by=actor, token=token)


class AlreadyDone(Exception):  # noqa: N818 - not an error: the request was already done
    """The same request came twice (two tabs, a double click); `obj` is what the first made."""

    def __init__(self, obj):
        super().__init__(obj.pk)
        self.obj = obj


def add_to_collection(*, actor, collection: Collection, resource: Resource) -> CollectionItem:
    """Put a published resource last in the collection. Raises AlreadyDone when it is
    there already (two tabs, a double click): nothing changes."""
    with transaction.atomic():
        # Two tabs adding at once queue on the collection's row, so the second one sees the
        # first one's item and its position. Only the collection's own row is locked: PostgreSQL
        # refuses FOR UPDATE on the nullable side of an outer join.
        collection = Collection.objects.select_for_update(of=("self",)).get(pk=collection.pk)
        require(actor, lambda: permissions.can_manage_collection(actor, collection))
        if resource.status != Status.PUBLISHED:
            raise ValidationError({"resource": _("Only published resources join a collection.")})
        existing = CollectionItem.objects.filter(collection=collection, resource=resource).first()
        if existing is not None:
            raise AlreadyDone(existing)
        last = collection.items.aggregate(last=Max("position"))["last"] or 0
        return CollectionItem.objects.create(
            collection=collection, resource=resource, position=last + 1
        )


def remove_from_collection(*, actor, collection: Collection, resource: Resource) -> None:
    with transaction.atomic():
        require(actor, lambda: permissions.can_manage_collection(actor, collection))
        CollectionItem.objects.filter(collection=collection, resource=resource).delete()


# A community's documents ---------------------------------------------------------------------


def add_document(
    *,
    actor,
    community: Community,
    kind: str,
    title: str,
    file,
    number: str = "",
    date=None,
    approved_by: str = "",
    note: str = "",
    token: str = "",
) -> CommunityDocument:
    """A new document with its first file; a second call with the same form `token` returns
    the first one."""
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the title.")})
    if kind not in CommunityDocument.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of document.")})
    if file is None:
        raise ValidationError({"file": _("Choose a file.")})
    check_upload(file)
    token = (token or "")[:40]
    require(actor, lambda: permissions.can_manage_documents(actor, community))
    if token:
        earlier = CommunityDocument.objects.filter(
            community=community, created_by=actor, token=token
        ).first()
        if earlier is not None:
            return earlier
    try:
        with transaction.atomic():
            document = CommunityDocument.objects.create(
                community=community,
                kind=kind,
                title=title[:300],
                number=(number or "").strip()[:50],
                date=date,
                approved_by=(approved_by or "").strip()[:300],
                created_by=actor,
                token=token,
            )
            _document_version(actor=actor, document=document, file=file, note=note)
    except IntegrityError:
        # The same form sent twice at once: the other request made it.
        if not token:
            raise
        return CommunityDocument.objects.get(community=community, created_by=actor, token=token)
    return document


def _document_version(
    *, actor, document, file, note: str, token: str = ""
) -> CommunityDocumentVersion:
    version = CommunityDocumentVersion(
        document=document,
        original_name=PurePath(getattr(file, "name", "") or "file").name[:255],
        note=(note or "").strip()[:500],
        uploaded_by=actor,
        token=token,
    )
    version.file.save(version.original_name, file, save=False)
    version.save()
    return version


def add_document_version(
    *, actor, document: CommunityDocument, file, note: str = "", token: str = ""
) -> CommunityDocumentVersion:
    """A new file of the document; a second call with the same form `token` returns the
    version the first one added."""
    if file is None:
        raise ValidationError({"file": _("Choose a file.")})
    check_upload(file)
    token = (token or "")[:40]
    with transaction.atomic():
        require(actor, lambda: permissions.can_manage_documents(actor, document.community))
        # The document's row lock orders two submits of one form: the second finds the first.
        locked = CommunityDocument.objects.select_for_update(of=("self",)).get(pk=document.pk)
        if token:
            earlier = locked.versions.filter(uploaded_by=actor, token=token).first()
            if earlier is not None:
                return earlier
        return _document_version(actor=actor, document=locked, file=file, note=note, token=token)


def delete_draft(*, actor, resource: Resource) -> None:
    with transaction.atomic():
        resource = Resource.objects.select_for_update().get(pk=resource.pk)
        require(
            actor,
            lambda: resource.status == Status.DRAFT and permissions.is_author(actor, resource),
        )
        files = [f for v in resource.versions.all() for f in (v.file, v.preview, v.pdf)]
        resource.delete()
        discard_files_on_commit(files)


def note_download(*, resource: Resource, actor) -> None:
    """A file of the resource was served: tell the apps that count it (nothing is written here)."""
    signals.downloaded.send(
        sender=Resource,
        resource=resource,
        actor=actor if actor is not None and actor.is_authenticated else None,
    )
