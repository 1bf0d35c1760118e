"""Who may credit which organisation; collections filled once and in order; forms sent twice
make one object."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from organisations.models import Territory
from organisations.tests.factories import OrganisationFactory, TerritoryFactory
from people.tests.factories import PersonFactory, centre_admin, school_admin, teacher_at
from resources import permissions, services
from resources.models import (
    Collection,
    CollectionItem,
    CommunityDocument,
    CommunityDocumentVersion,
    Resource,
    ResourceVersion,
)

from .factories import PDF, ResourceFactory, kind

pytestmark = pytest.mark.django_db


@pytest.fixture
def elsewhere():
    region = TerritoryFactory(name="Другой регион", kind=Territory.Kind.REGION)
    return OrganisationFactory(name="Чужая школа", territory=region)


def _pdf(name="plan.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _link(**extra):
    return {"title": "Ссылка", "kind": kind("link").pk, "url": "https://example.org/m",
            "licence": "cc-by", "key": str(uuid.uuid4()), **extra}  # fmt: skip


# Attribution -------------------------------------------------------------------------------------


def test_who_may_credit_an_organisation(plc, elsewhere):
    school = plc.organisation
    teacher = teacher_at(school)
    assert permissions.can_attribute_to(teacher, school)
    assert permissions.can_attribute_to(teacher, None)
    assert not permissions.can_attribute_to(teacher, elsewhere)
    assert permissions.can_attribute_to(school_admin(school), school)
    assert not permissions.can_attribute_to(school_admin(school), elsewhere)
    assert permissions.can_attribute_to(centre_admin(school.territory), school)
    assert not permissions.can_attribute_to(centre_admin(school.territory), elsewhere)
    assert permissions.can_attribute_to(centre_admin(elsewhere.territory), elsewhere)
    assert permissions.can_attribute_to(PersonFactory(is_superuser=True), elsewhere)


def test_a_teacher_credits_their_school_but_not_another(client, plc, elsewhere):
    teacher = teacher_at(plc.organisation)
    client.force_login(teacher)
    offered = client.get("/resources/new/").context["form"].fields["organisation"].queryset
    assert list(offered) == [plc.organisation]
    refused = client.post("/resources/new/", _link(organisation=elsewhere.pk))
    assert refused.status_code == 200 and "organisation" in refused.context["form"].errors
    assert not Resource.objects.exists()
    made = client.post("/resources/new/", _link(organisation=plc.organisation.pk))
    assert made.status_code == 302
    assert Resource.objects.get().organisation == plc.organisation


def test_the_service_refuses_another_organisation_on_the_field(plc, elsewhere):
    teacher = teacher_at(plc.organisation)
    with pytest.raises(ValidationError) as refused:
        services.create_draft(
            actor=teacher, title="Ссылка", kind=kind("link"), url="https://example.org/m",
            organisation=elsewhere,
        )  # fmt: skip
    assert "organisation" in refused.value.message_dict
    draft = services.create_draft(
        actor=teacher, title="Ссылка", kind=kind("link"), url="https://example.org/m"
    )
    with pytest.raises(ValidationError) as refused:
        services.update_resource(actor=teacher, resource=draft, organisation=elsewhere)
    assert "organisation" in refused.value.message_dict
    # A moderator editing keeps the author's organisation without working there.
    moderator = centre_admin(plc.organisation.territory)
    services.update_resource(actor=moderator, resource=draft, title="Исправлено")


def test_the_api_refuses_another_organisation_with_a_field_error(client, plc, elsewhere):
    client.force_login(teacher_at(plc.organisation))
    body = {"title": "Видео", "kind": "video", "url": "https://video.example/1"}
    refused = client.post(
        "/api/v1/resources/",
        {**body, "organisation": elsewhere.pk},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "organisation" in refused.json()
    made = client.post(
        "/api/v1/resources/",
        {**body, "organisation": plc.organisation.pk},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["organisation"] == plc.organisation.pk


# Collections -------------------------------------------------------------------------------------


def test_a_resource_joins_a_collection_once_and_positions_follow(plc):
    collection = services.create_collection(actor=plc.leader, title="Лучшее", community=plc)
    first, second = ResourceFactory(community=plc), ResourceFactory(community=plc)
    services.add_to_collection(actor=plc.leader, collection=collection, resource=first)
    with pytest.raises(services.AlreadyDone):
        services.add_to_collection(actor=plc.leader, collection=collection, resource=first)
    services.add_to_collection(actor=plc.leader, collection=collection, resource=second)
    assert list(collection.items.values_list("resource_id", "position")) == [
        (first.pk, 1),
        (second.pk, 2),
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        CollectionItem.objects.create(
            collection=collection, resource=ResourceFactory(community=plc), position=2
        )


def test_adding_twice_on_the_page_says_it_is_there_already(client, plc):
    collection = services.create_collection(actor=plc.leader, title="Лучшее", community=plc)
    resource = ResourceFactory(community=plc)
    client.force_login(plc.leader)
    url = f"/resources/{resource.pk}/collect/"
    assert client.post(url, {"collection": collection.pk}).status_code == 302
    again = client.post(url, {"collection": collection.pk}, follow=True)
    assert again.status_code == 200
    texts = [str(m) for m in again.context["messages"]]
    assert any("already" in t or "уже" in t for t in texts), texts
    assert collection.items.count() == 1


# Forms sent twice --------------------------------------------------------------------------------


def test_a_collection_form_sent_twice_makes_one_collection(client, plc):
    client.force_login(plc.leader)
    token = client.get("/resources/collections/new/").context["form"].initial["token"]
    data = {"owner": f"community:{plc.pk}", "title": "Практики ПОС", "token": token}
    first = client.post("/resources/collections/new/", data)
    again = client.post("/resources/collections/new/", data)
    assert first.status_code == again.status_code == 302
    assert first.url == again.url
    assert Collection.objects.count() == 1


def test_a_document_and_its_version_sent_twice_are_made_once(client, plc):
    client.force_login(plc.leader)
    url = f"/communities/{plc.pk}/documents/"
    token = client.get(url).context["form"].initial["token"]
    for _ in range(2):
        data = {"kind": "order", "title": "Приказ", "file": _pdf(), "token": token}
        assert client.post(url, data).status_code == 302
    document = CommunityDocument.objects.get()
    for _ in range(2):
        data = {"file": _pdf("v2.pdf"), "token": "v2-token"}
        response = client.post(f"/communities/documents/{document.pk}/versions/", data)
        assert response.status_code == 302
    assert CommunityDocumentVersion.objects.filter(document=document).count() == 2


def test_a_new_version_sent_twice_is_added_once(client, plc):
    resource = ResourceFactory(community=plc)
    client.force_login(plc.leader)
    for _ in range(2):
        data = {"file": _pdf("v2.pdf"), "token": "same-form"}
        assert client.post(f"/resources/{resource.pk}/versions/", data).status_code == 302
    assert ResourceVersion.objects.filter(resource=resource).count() == 1
    data = {"file": _pdf("v3.pdf"), "token": "another-form"}
    client.post(f"/resources/{resource.pk}/versions/", data)
    assert ResourceVersion.objects.filter(resource=resource).count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrations_data")
def test_two_tabs_adding_at_once_queue_on_the_collection(plc):
    """Only PostgreSQL runs the two at once (SQLite writes one at a time)."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    collection = services.create_collection(actor=plc.leader, title="Лучшее", community=plc)
    resources = [ResourceFactory(community=plc) for _ in range(2)]
    outcomes, start = [], threading.Barrier(4)

    def add(resource):
        try:
            start.wait()
            services.add_to_collection(actor=plc.leader, collection=collection, resource=resource)
            outcomes.append("added")
        except services.AlreadyDone:
            outcomes.append("repeat")
        except Exception as exc:  # noqa: BLE001 - the test reports whatever went wrong
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=add, args=(r,)) for r in [*resources, *resources]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["added", "added", "repeat", "repeat"]
    positions = sorted(collection.items.values_list("position", flat=True))
    assert positions == [1, 2]
