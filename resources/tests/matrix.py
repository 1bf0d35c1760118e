"""This app's rows of the permission matrix (core/tests/test_permission_matrix.py).

The resources the rows need belong to the PLC of school A (its member is their author; its
leader, school A's administration and the region's centre moderate them) and are made on first
use and kept on the world; each test's writes are rolled back.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from core.tests.conftest import (
    ADMIN_A,
    ADMIN_B,
    CENTRE,
    CENTRE_OTHER,
    COORDINATOR,
    CURATOR,
    LEADER,
    LEADER_OTHER,
    MEMBER,
    SECRETARY,
    SUPERUSER,
)
from core.tests.matrix import (
    ANON,
    CREATED,
    EVERYONE,
    FORM,
    IN_REGION,
    NOT_FOUND,
    PLC_MANAGERS,
    REDIRECT,
    SIGNED_IN,
    Endpoint,
    World,
    api,
    page,
)
from resources.models import (
    Collection,
    CollectionItem,
    CommunityDocument,
    CommunityDocumentVersion,
    Resource,
    ResourceKind,
    ResourceVersion,
)

from .factories import PDF, png

MODERATORS = PLC_MANAGERS  # the PLC's leader, school A's administration, the region's centre
AUTHOR_AND_MODERATORS = [*MODERATORS, MEMBER]
HIDDEN_FROM_ANON = {ANON: NOT_FOUND}
# Who may open "make a collection": staff anywhere and those who run an active community.
COLLECTORS = [
    SUPERUSER, CENTRE, CENTRE_OTHER, CURATOR, COORDINATOR, ADMIN_A, ADMIN_B, LEADER, LEADER_OTHER,
]  # fmt: skip
REGION_COLLECTORS = [SUPERUSER, CENTRE, CURATOR]  # a collection of the region
DOCUMENT_VIEWERS = [*PLC_MANAGERS, MEMBER, SECRETARY]  # the PLC's members and administrators
# Signed-in people who may not file a draft with no community: the superuser has no post and no
# role territory to file it under.
DRAFTERS = [r for r in SIGNED_IN if r != SUPERUSER]


def not_seen(seen, anon: bool = True) -> dict:
    """Pages answer like the API: what a person may not see is not found (core.views)."""
    return {r: NOT_FOUND for r in [*([ANON] if anon else []), *SIGNED_IN] if r not in seen}


DRAFT_HIDDEN = not_seen(AUTHOR_AND_MODERATORS, anon=False)  # pages behind the sign-in
OUT_OF_REGION = not_seen(IN_REGION)  # the PLC is seen in its region only


def _kept(w: World, attr: str, make):
    obj = getattr(w, attr, None)
    # A rolled-back row's id can be taken by another row later, so the title must match too.
    if obj is None or not type(obj).objects.filter(pk=obj.pk, title=obj.title).exists():
        obj = make(w)
        setattr(w, attr, obj)
    return obj


def _resource(w: World, status: str, public: bool, title: str) -> Resource:
    resource = Resource.objects.create(
        title=title,
        kind=ResourceKind.objects.get(code="lesson-plan"),
        community=w.plc,
        organisation=w.school_a,
        territory=w.plc.territory,
        created_by=w.member,
        status=status,
        is_public=public,
    )
    resource.authors.add(w.member)
    version = ResourceVersion(resource=resource, original_name="lesson.png", uploaded_by=w.member)
    version.file.save("lesson.png", png(), save=False)
    version.preview.save("preview.png", png(), save=False)
    version.pdf.save("lesson.pdf", SimpleUploadedFile("lesson.pdf", PDF), save=False)
    version.preview_status = ResourceVersion.PreviewStatus.READY
    version.save()
    return resource


def public(w: World) -> Resource:
    return _kept(w, "_res_public", lambda w: _resource(w, "published", True, "Открытый урок"))


def internal(w: World) -> Resource:
    return _kept(w, "_res_internal", lambda w: _resource(w, "published", False, "Урок для своих"))


def submitted(w: World) -> Resource:
    return _kept(w, "_res_submitted", lambda w: _resource(w, "submitted", False, "На проверке"))


def draft(w: World) -> Resource:
    return _kept(w, "_res_draft", lambda w: _resource(w, "draft", False, "Черновик"))


def collection(w: World) -> Collection:
    def make(w):
        made = Collection.objects.create(title="Лучшие практики", territory=w.region)
        CollectionItem.objects.create(collection=made, resource=public(w), position=1)
        return made

    return _kept(w, "_res_collection", make)


def document(w: World) -> CommunityDocument:
    def make(w):
        made = CommunityDocument.objects.create(
            community=w.plc, kind="regulation", title="Положение о ПОС", created_by=w.leader
        )
        version = CommunityDocumentVersion(document=made, original_name="reg.pdf")
        version.file.save("reg.pdf", SimpleUploadedFile("reg.pdf", PDF), save=False)
        version.save()
        return made

    return _kept(w, "_res_document", make)


def _version(getter):
    return lambda w: ResourceVersion.objects.filter(resource=getter(w)).first()


def status_of(getter):
    return lambda w: Resource.objects.get(pk=getter(w).pk).status


def titled(title: str):
    return lambda w: Resource.objects.filter(title=title).count()


def versions_of(getter):
    return lambda w: ResourceVersion.objects.filter(resource=getter(w)).count()


def items_of(w):
    return sorted(
        CollectionItem.objects.filter(collection=collection(w)).values_list("pk", flat=True)
    )


def collections_titled(w):
    return Collection.objects.filter(title="Практики региона").count()


def documents_of(w):
    return CommunityDocument.objects.filter(community=w.plc).count()


def document_versions(w):
    return CommunityDocumentVersion.objects.filter(document=document(w)).count()


def _pdf(name="v2.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _draft_form(title):
    def data(w):
        return {
            "title": title,
            "kind": ResourceKind.objects.get(code="link").pk,
            "url": "https://example.org/material",
            "licence": "cc-by",
        }

    return data


ENDPOINTS: list[Endpoint] = [
    page("resource bank", "get", lambda w: "/resources/", EVERYONE),
    page("my resources", "get", lambda w: "/resources/mine/", SIGNED_IN),
    page("add a resource form", "get", lambda w: "/resources/new/", SIGNED_IN),
    page(
        "add a resource",
        "post",
        lambda w: "/resources/new/",
        DRAFTERS,
        REDIRECT,
        data=_draft_form("Новая ссылка"),
        changed=titled("Новая ссылка"),
        overrides={SUPERUSER: FORM},
    ),  # fmt: skip
    page(
        "resources to review",
        "get",
        lambda w: "/resources/review/",
        [SUPERUSER, CENTRE, CENTRE_OTHER, CURATOR, ADMIN_A, LEADER, LEADER_OTHER],
    ),  # fmt: skip
    page("public resource", "get", lambda w: f"/resources/{public(w).pk}/", EVERYONE),
    page(
        "published resource for signed-in people",
        "get",
        lambda w: f"/resources/{internal(w).pk}/",
        SIGNED_IN,
        overrides=HIDDEN_FROM_ANON,
    ),  # fmt: skip
    page(
        "submitted resource",
        "get",
        lambda w: f"/resources/{submitted(w).pk}/",
        AUTHOR_AND_MODERATORS,
        overrides=not_seen(AUTHOR_AND_MODERATORS),
    ),  # fmt: skip
    page(
        "edit a draft form",
        "get",
        lambda w: f"/resources/{draft(w).pk}/edit/",
        AUTHOR_AND_MODERATORS,
        overrides=DRAFT_HIDDEN,
    ),  # fmt: skip
    page(
        "edit a draft",
        "post",
        lambda w: f"/resources/{draft(w).pk}/edit/",
        AUTHOR_AND_MODERATORS,
        REDIRECT,
        data=lambda w: {**_draft_form("Черновик исправлен")(w), "community": w.plc.pk},
        changed=titled("Черновик исправлен"),
        overrides=DRAFT_HIDDEN,
    ),  # fmt: skip
    page(
        "add a version",
        "post",
        lambda w: f"/resources/{draft(w).pk}/versions/",
        AUTHOR_AND_MODERATORS,
        REDIRECT,
        data=lambda w: {"file": _pdf()},
        changed=versions_of(draft),
        overrides=DRAFT_HIDDEN,
    ),  # fmt: skip
    page(
        "submit a draft",
        "post",
        lambda w: f"/resources/{draft(w).pk}/submit/",
        [MEMBER],
        REDIRECT,
        changed=status_of(draft),
        # Moderators see the draft and are refused; the submit page redirects everyone it lets in.
        overrides=DRAFT_HIDDEN,
    ),  # fmt: skip
    page(
        "review a resource",
        "post",
        lambda w: f"/resources/{submitted(w).pk}/review/",
        MODERATORS,
        REDIRECT,
        data=lambda w: {"decision": "publish"},
        changed=status_of(submitted),
        overrides=not_seen(AUTHOR_AND_MODERATORS, anon=False),
    ),  # fmt: skip
    page(
        "unpublish a resource",
        "post",
        lambda w: f"/resources/{public(w).pk}/unpublish/",
        MODERATORS,
        REDIRECT,
        data=lambda w: {"comment": "Устарело"},
        changed=status_of(public),
    ),  # fmt: skip
    page(
        "add to a collection",
        "post",
        lambda w: f"/resources/{internal(w).pk}/collect/",
        REGION_COLLECTORS,
        REDIRECT,
        data=lambda w: {"collection": collection(w).pk},
        changed=items_of,
    ),  # fmt: skip
    page(
        "file of a public resource",
        "get",
        lambda w: f"/resources/versions/{_version(public)(w).pk}/file/",
        EVERYONE,
    ),  # fmt: skip
    page(
        "file of a submitted resource",
        "get",
        lambda w: f"/resources/versions/{_version(submitted)(w).pk}/file/",
        AUTHOR_AND_MODERATORS,
        overrides=not_seen(AUTHOR_AND_MODERATORS),
    ),  # fmt: skip
    page(
        "preview of a public resource",
        "get",
        lambda w: f"/resources/versions/{_version(public)(w).pk}/preview/",
        EVERYONE,
    ),  # fmt: skip
    page(
        "preview of a submitted resource",
        "get",
        lambda w: f"/resources/versions/{_version(submitted)(w).pk}/preview/",
        AUTHOR_AND_MODERATORS,
        overrides=not_seen(AUTHOR_AND_MODERATORS),
    ),  # fmt: skip
    page(
        "PDF version of a public resource",
        "get",
        lambda w: f"/resources/versions/{_version(public)(w).pk}/pdf/",
        EVERYONE,
    ),  # fmt: skip
    page(
        "PDF version of a submitted resource",
        "get",
        lambda w: f"/resources/versions/{_version(submitted)(w).pk}/pdf/",
        AUTHOR_AND_MODERATORS,
        overrides=not_seen(AUTHOR_AND_MODERATORS),
    ),  # fmt: skip
    page("collections", "get", lambda w: "/resources/collections/", EVERYONE),
    page("collection", "get", lambda w: f"/resources/collections/{collection(w).pk}/", EVERYONE),
    page("make a collection form", "get", lambda w: "/resources/collections/new/", COLLECTORS),
    page(
        "make a collection",
        "post",
        lambda w: "/resources/collections/new/",
        REGION_COLLECTORS,
        REDIRECT,
        data=lambda w: {"owner": f"territory:{w.region.pk}", "title": "Практики региона"},
        changed=collections_titled,
        overrides={r: FORM for r in COLLECTORS if r not in REGION_COLLECTORS},
    ),  # fmt: skip
    page(
        "community's resources",
        "get",
        lambda w: f"/communities/{w.plc.pk}/resources/",
        IN_REGION,
        overrides=OUT_OF_REGION,
    ),  # fmt: skip
    page(
        "community's documents",
        "get",
        lambda w: f"/communities/{w.plc.pk}/documents/",
        DOCUMENT_VIEWERS,
        overrides=OUT_OF_REGION,
    ),  # fmt: skip
    page(
        "add a community document",
        "post",
        lambda w: f"/communities/{w.plc.pk}/documents/",
        PLC_MANAGERS,
        REDIRECT,
        data=lambda w: {"kind": "order", "title": "Приказ о создании ПОС", "file": _pdf()},
        changed=documents_of,
        overrides=OUT_OF_REGION,
    ),  # fmt: skip
    page(
        "add a document version",
        "post",
        lambda w: f"/communities/documents/{document(w).pk}/versions/",
        PLC_MANAGERS,
        REDIRECT,
        data=lambda w: {"file": _pdf()},
        changed=document_versions,
        overrides=not_seen(IN_REGION, anon=False),
    ),  # fmt: skip
    page(
        "community document file",
        "get",
        lambda w: f"/communities/documents/files/{document(w).versions.first().pk}/",
        DOCUMENT_VIEWERS,
        overrides=OUT_OF_REGION,
    ),  # fmt: skip
    api("resources", "get", lambda w: "/resources/", SIGNED_IN),
    api("published resource", "get", lambda w: f"/resources/{internal(w).pk}/", SIGNED_IN),
    api(
        "submitted resource",
        "get",
        lambda w: f"/resources/{submitted(w).pk}/",
        AUTHOR_AND_MODERATORS,
        overrides={r: NOT_FOUND for r in SIGNED_IN if r not in AUTHOR_AND_MODERATORS},
    ),  # fmt: skip
    api(
        "create a draft",
        "post",
        lambda w: "/resources/",
        DRAFTERS,
        CREATED,
        data=lambda w: {"title": "Ссылка из API", "kind": "link", "url": "https://example.org/x"},
        changed=titled("Ссылка из API"),
        overrides={SUPERUSER: 400},
    ),  # fmt: skip
    api(
        "submit a draft",
        "post",
        lambda w: f"/resources/{draft(w).pk}/submit/",
        [MEMBER],
        changed=status_of(draft),
        overrides={r: NOT_FOUND for r in SIGNED_IN if r not in AUTHOR_AND_MODERATORS},
    ),  # fmt: skip
    # The matrix sends JSON, which carries no file: those let in get as far as the file's
    # check (400); uploads themselves are tested in test_api.py.
    api(
        "upload a version",
        "post",
        lambda w: f"/resources/{draft(w).pk}/versions/",
        AUTHOR_AND_MODERATORS,
        400,
        data=lambda w: {"note": "Новый файл"},
        changed=lambda w: ResourceVersion.objects.filter(resource=draft(w)).count(),
        overrides={r: NOT_FOUND for r in SIGNED_IN if r not in AUTHOR_AND_MODERATORS},
    ),  # fmt: skip
    api("collections", "get", lambda w: "/resource-collections/", SIGNED_IN),
    api("collection", "get", lambda w: f"/resource-collections/{collection(w).pk}/", SIGNED_IN),
]
