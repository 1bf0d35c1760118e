"""The resource bank's actions: drafts, files judged by their bytes, submission, review,
notices, collections and a community's documents."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile

from communities.tests.factories import MembershipFactory
from notifications.models import Notification
from people.tests.factories import PersonFactory, centre_admin, curator, teacher_at
from resources import services
from resources.models import CommunityDocument, Resource, ResourceReview

from .factories import ResourceFactory, kind, pdf, png

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(plc):
    person = teacher_at(plc.organisation)
    MembershipFactory(community=plc, person=person)
    return person


def draft(member, plc, **kw):
    values = {"title": "Урок дробей", "kind": kind(), "community": plc, "file": pdf()}
    values.update(kw)
    return services.create_draft(actor=member, **values)


def test_a_member_drafts_submits_and_the_leader_publishes(
    plc, member, django_capture_on_commit_callbacks
):
    resource = draft(member, plc)
    assert resource.status == Resource.Status.DRAFT
    assert resource.territory == plc.territory
    assert list(resource.authors.all()) == [member]
    assert resource.versions.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(actor=member, resource=resource)
    told = Notification.objects.get(kind=Notification.Kind.RESOURCE_TO_REVIEW)
    assert told.recipient == plc.leader
    with django_capture_on_commit_callbacks(execute=True):
        services.review(actor=plc.leader, resource=resource, decision="publish", comment="Хорошо")
    resource.refresh_from_db()
    assert resource.status == Resource.Status.PUBLISHED and resource.published_at
    assert Notification.objects.filter(
        kind=Notification.Kind.RESOURCE_REVIEWED, recipient=member
    ).exists()


def test_a_return_needs_a_comment_and_the_author_resubmits(plc, member):
    resource = draft(member, plc)
    services.submit(actor=member, resource=resource)
    with pytest.raises(ValidationError) as error:
        services.review(actor=plc.leader, resource=resource, decision="return", comment=" ")
    assert "comment" in error.value.message_dict
    services.review(actor=plc.leader, resource=resource, decision="return", comment="Добавьте цели")
    resource.refresh_from_db()
    assert resource.status == Resource.Status.RETURNED
    services.submit(actor=member, resource=resource)
    resource.refresh_from_db()
    assert resource.status == Resource.Status.SUBMITTED


def test_an_outsider_cannot_submit_into_a_community_nor_review(plc, member):
    outsider = teacher_at(plc.organisation)
    with pytest.raises(PermissionDenied):
        draft(outsider, plc)
    resource = draft(member, plc)
    services.submit(actor=member, resource=resource)
    with pytest.raises(PermissionDenied):
        services.review(actor=outsider, resource=resource, decision="publish")
    with pytest.raises(PermissionDenied):
        services.review(actor=member, resource=resource, decision="publish")


def test_the_same_form_posted_twice_makes_one_resource(plc, member):
    key = uuid.uuid4()
    first = draft(member, plc, key=key)
    second = draft(member, plc, key=key, file=pdf())
    assert first.pk == second.pk
    assert Resource.objects.count() == 1


def test_a_second_submit_changes_nothing(plc, member, django_capture_on_commit_callbacks):
    resource = draft(member, plc)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(actor=member, resource=resource)
        services.submit(actor=member, resource=resource)
    assert Notification.objects.filter(kind=Notification.Kind.RESOURCE_TO_REVIEW).count() == 1


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("plan.pdf", b"MZ\x90\x00\x03 not a pdf at all" * 10, "type"),
        ("plan.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "name"),
        ("plan.pdf", b"%PDF-1.4 <script>alert(1)</script>", "active_content"),
        ("plan.pdf", b"", "empty"),
    ],
)
def test_files_are_judged_by_their_bytes(plc, member, name, content, code):
    with pytest.raises(ValidationError) as error:
        draft(member, plc, file=ContentFile(content, name=name))
    assert error.value.code == code
    assert not Resource.objects.exists()


def test_an_oversize_file_is_refused_with_nothing_written(plc, member, settings):
    settings.MAX_UPLOAD_BYTES = 10
    with pytest.raises(ValidationError) as error:
        draft(member, plc)
    assert error.value.code == "too_large"
    assert not Resource.objects.exists()


def test_an_image_gets_a_thumbnail(plc, member):
    resource = draft(member, plc, file=png(size=(1600, 900)))
    version = resource.versions.get()
    assert version.preview
    from PIL import Image

    with version.preview.open("rb") as f, Image.open(f) as image:
        assert max(image.size) <= 480


def test_an_authors_new_file_sends_a_published_resource_back_to_review(plc, member):
    resource = draft(member, plc)
    services.submit(actor=member, resource=resource)
    services.review(actor=plc.leader, resource=resource, decision="publish")
    services.add_version(actor=member, resource=resource, file=pdf("v2.pdf"), note="Исправлено")
    resource.refresh_from_db()
    assert resource.status == Resource.Status.SUBMITTED
    services.review(actor=plc.leader, resource=resource, decision="publish")
    services.add_version(actor=plc.leader, resource=resource, file=pdf("v3.pdf"))
    resource.refresh_from_db()
    assert resource.status == Resource.Status.PUBLISHED
    assert resource.versions.first().original_name == "v3.pdf"


def test_a_resource_of_no_community_is_reviewed_by_the_territory(plc):
    teacher = teacher_at(plc.organisation)
    reviewer = curator(plc.territory)
    centre = centre_admin(plc.territory)
    resource = services.create_draft(
        actor=teacher, title="Рекомендации родителям", kind=kind("recommendations-parents"),
        url="https://example.org/r",
    )  # fmt: skip
    assert resource.territory == plc.territory
    services.submit(actor=teacher, resource=resource)
    from resources.permissions import moderators

    assert set(moderators(resource)) == {reviewer, centre}
    services.review(actor=reviewer, resource=resource, decision="publish")


def test_unpublish_takes_down_with_a_reason(plc, member):
    resource = ResourceFactory(community=plc, created_by=member)
    with pytest.raises(ValidationError):
        services.unpublish(actor=plc.leader, resource=resource, comment="")
    services.unpublish(actor=plc.leader, resource=resource, comment="Нарушены авторские права")
    resource.refresh_from_db()
    assert resource.status == Resource.Status.RETURNED
    assert resource.reviews.get().decision == ResourceReview.Decision.UNPUBLISH


def test_collections_take_published_resources_once(plc, member):
    collection = services.create_collection(
        actor=plc.leader, title="Лучшие практики", community=plc
    )
    published = ResourceFactory(community=plc)
    services.add_to_collection(actor=plc.leader, collection=collection, resource=published)
    with pytest.raises(services.AlreadyDone):  # a repeat changes nothing
        services.add_to_collection(actor=plc.leader, collection=collection, resource=published)
    assert collection.items.count() == 1
    with pytest.raises(ValidationError):
        services.add_to_collection(
            actor=plc.leader, collection=collection,
            resource=ResourceFactory(community=plc, status=Resource.Status.DRAFT),
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.add_to_collection(actor=member, collection=collection, resource=published)


def test_a_community_document_with_versions(plc, member):
    document = services.add_document(
        actor=plc.leader, community=plc, kind=CommunityDocument.Kind.REGULATION,
        title="Положение о ПОС", number="45", approved_by="Приказ директора", file=pdf(),
    )  # fmt: skip
    services.add_document_version(actor=plc.leader, document=document, file=pdf("v2.pdf"))
    assert document.versions.count() == 2
    with pytest.raises(PermissionDenied):
        services.add_document_version(actor=member, document=document, file=pdf())
    with pytest.raises(ValidationError):
        services.add_document(
            actor=plc.leader, community=plc, kind="order", title="Приказ",
            file=ContentFile(b"<html>hi</html>", name="x.pdf"),
        )  # fmt: skip


def test_a_person_without_a_workplace_names_the_organisation():
    person = PersonFactory()
    with pytest.raises(ValidationError) as error:
        services.create_draft(actor=person, title="Ссылка", kind=kind("link"), url="https://e.org")
    assert "organisation" in error.value.message_dict


def test_a_members_only_communitys_resources_stay_inside_it(client, plc, member):
    """A published resource, even one marked public, of a community others may not see is
    neither listed nor opened for them; its members find it as before."""
    plc.visibility = plc.Visibility.MEMBERS
    plc.save()
    resource = draft(member, plc, title="Внутренний шаблон приказа")
    services.submit(actor=member, resource=resource)
    services.review(actor=plc.leader, resource=resource, decision="publish", comment="")
    Resource.objects.filter(pk=resource.pk).update(is_public=True)
    outsider = PersonFactory()
    for person in (outsider, None):
        client.logout()
        if person:
            client.force_login(person)
        assert "Внутренний шаблон приказа" not in client.get("/resources/").content.decode()
        assert client.get(f"/resources/{resource.pk}/").status_code in (403, 404)
    client.force_login(member)
    assert "Внутренний шаблон приказа" in client.get("/resources/").content.decode()
    assert client.get(f"/resources/{resource.pk}/").status_code == 200
    assert client.get("/resources/?community=99999999999999999999999").status_code == 200
    assert client.get("/resources/new/?community=²").status_code == 200
