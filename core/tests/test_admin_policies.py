"""The admin of discussions, consultations and resources asks the apps' policies (core.admin):
a staff account with every model permission sees and changes only what the policy lets it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from consultations.models import ConsultationRequest, ConsultationTopic
from consultations.tests.matrix import asked
from core.tests.conftest import ADMIN_B, CENTRE, LEADER, SUPERUSER, TEACHER_C
from discussions.models import Comment, Post, Reply, Topic
from discussions.tests.matrix import plc_comment, plc_topic
from resources.models import Collection, CommunityDocument, Resource, ResourceKind
from resources.tests.matrix import collection, document, submitted

APPS = ("discussions", "consultations", "resources")
MODELS = [
    ("discussions", "post", Post),
    ("discussions", "comment", Comment),
    ("discussions", "topic", Topic),
    ("discussions", "reply", Reply),
    ("consultations", "consultationrequest", ConsultationRequest),
    ("resources", "resource", Resource),
    ("resources", "collection", Collection),
    ("resources", "communitydocument", CommunityDocument),
]


def _everything(w):
    submitted(w)
    collection(w)
    document(w)
    asked(w)
    plc_comment(w)
    topic = plc_topic(w)
    from discussions import services

    services.reply(actor=w.member, topic=topic, body="Ответ")


def _staff(person):
    person.is_staff = True
    person.save(update_fields=["is_staff"])
    person.user_permissions.add(*Permission.objects.filter(content_type__app_label__in=APPS))
    return person


def _rows(client, app: str, model: str) -> int:
    response = client.get(f"/admin/{app}/{model}/")
    assert response.status_code == 200, (app, model)
    return response.context["cl"].result_count


@pytest.mark.django_db
def test_a_staff_account_without_rights_sees_no_rows_and_is_refused(client, world):
    _everything(world)
    client.force_login(_staff(world.user(TEACHER_C)))  # a teacher of another region
    for app, model, _cls in MODELS:
        if model in ("collection", "resource"):
            continue  # collections and published resources are showcases everyone sees
        assert _rows(client, app, model) == 0, model
    published = Resource.objects.filter(status=Resource.Status.PUBLISHED).count()
    assert _rows(client, "resources", "resource") == published < Resource.objects.count()
    hidden = submitted(world)
    # Not shown is not found: the admin sends back to its index rather than open it.
    assert client.get(f"/admin/resources/resource/{hidden.pk}/change/").status_code == 302
    shown = collection(world)
    assert client.post(f"/admin/resources/collection/{shown.pk}/change/", {}).status_code == 403
    assert client.get(f"/admin/resources/collection/{shown.pk}/delete/").status_code == 403
    assert client.get("/admin/resources/collection/add/").status_code == 403
    assert client.get("/admin/resources/resourcekind/add/").status_code == 403
    assert client.get("/admin/consultations/consultationtopic/add/").status_code == 403
    kinds = client.get("/admin/resources/resourcekind/")
    assert kinds.status_code == 200 and kinds.context["cl"].result_count > 0


@pytest.mark.django_db
def test_a_staff_account_without_model_permissions_gets_403(client, world):
    _everything(world)
    teacher = world.user(TEACHER_C)
    teacher.is_staff = True
    teacher.save(update_fields=["is_staff"])
    client.force_login(teacher)
    for app, model, _cls in MODELS:
        assert client.get(f"/admin/{app}/{model}/").status_code == 403, model


@pytest.mark.django_db
def test_the_superuser_sees_every_row(client, world):
    _everything(world)
    client.force_login(world.user(SUPERUSER))
    for app, model, cls in MODELS:
        assert _rows(client, app, model) == cls.objects.count() > 0, model
    resource = submitted(world)
    assert client.get(f"/admin/resources/resource/{resource.pk}/change/").status_code == 200


@pytest.mark.django_db
def test_a_moderator_sees_and_changes_their_communitys_rows_only(client, world):
    _everything(world)
    client.force_login(_staff(world.user(LEADER)))  # leads the PLC
    resource = submitted(world)
    assert (
        _rows(client, "resources", "resource")
        == Resource.objects.filter(community=world.plc).count()
    )
    page = client.get(f"/admin/resources/resource/{resource.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' in page.content.decode()
    assert _rows(client, "discussions", "post") == 1
    # Another community's consultation is not theirs to read.
    assert _rows(client, "consultations", "consultationrequest") == 0


@pytest.mark.django_db
def test_consultations_are_read_by_those_who_see_them_and_changed_by_those_who_oversee(
    client, world
):
    request = asked(world)
    client.force_login(_staff(world.user(ADMIN_B)))  # the mentor asked
    assert _rows(client, "consultations", "consultationrequest") == 1
    url = f"/admin/consultations/consultationrequest/{request.pk}/change/"
    assert client.post(url, {}).status_code == 403
    assert client.get(url.replace("change", "delete")).status_code == 403
    client.force_login(_staff(world.user(CENTRE)))
    assert client.get(url).status_code == 200
    assert client.get(url.replace("change", "delete")).status_code == 403
    assert client.get("/admin/consultations/consultationtopic/add/").status_code == 200
    assert ConsultationTopic.objects.exists()


@pytest.mark.django_db
def test_bodies_are_read_only_in_the_admin(client, world):
    _everything(world)
    client.force_login(world.user(SUPERUSER))
    for model, obj in (
        ("post", Post.objects.first()),
        ("comment", Comment.objects.first()),
        ("topic", Topic.objects.first()),
        ("reply", Reply.objects.first()),
    ):
        page = client.get(f"/admin/discussions/{model}/{obj.pk}/change/").content.decode()
        assert 'name="body"' not in page, model
        assert obj.body in page, model


@pytest.mark.django_db
def test_the_centre_keeps_the_resource_kinds(client, world):
    client.force_login(_staff(world.user(CENTRE)))
    assert client.get("/admin/resources/resourcekind/add/").status_code == 200
    kind = ResourceKind.objects.first()
    assert client.get(f"/admin/resources/resourcekind/{kind.pk}/change/").status_code == 200
