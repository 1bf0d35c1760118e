"""The bank's pages as people use them: filters, an indexable public page, submitting with a
hostile file, the moderator's queue and dashboard, a community's documents; query counts."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.tests.factories import CommunityFactory
from people.tests.factories import teacher_at
from resources.models import Resource

from .factories import PDF, ResourceFactory, kind

pytestmark = pytest.mark.django_db


def test_the_bank_filters_by_kind_grade_and_licence(client, plc):
    ResourceFactory(community=plc, title="Дроби", grade_from=5, grade_to=6)
    ResourceFactory(community=plc, title="Для родителей", kind=kind("recommendations-parents"),
                    grade_from=None, grade_to=None, licence="reserved")  # fmt: skip
    ResourceFactory(community=plc, title="Скрытый черновик", status=Resource.Status.DRAFT)
    ResourceFactory(community=plc, title="Для своих", is_public=False)
    page = client.get("/resources/").content.decode()
    assert "Дроби" in page and "Для родителей" in page
    assert "Скрытый черновик" not in page and "Для своих" not in page
    page = client.get("/resources/?grade=9").content.decode()
    assert "Дроби" not in page and "Для родителей" in page
    page = client.get("/resources/?kind=recommendations-parents&licence=reserved").content.decode()
    assert "Дроби" not in page and "Для родителей" in page


def test_a_public_resource_is_indexable_and_others_are_not(client, plc):
    public = ResourceFactory(community=plc, title="Открытый урок", description="О дробях")
    response = client.get(f"/resources/{public.pk}/")
    page = response.content.decode()
    assert "<title>Открытый урок" in page
    assert '<meta name="description" content="О дробях">' in page
    assert "noindex" not in page and "X-Robots-Tag" not in response
    internal = ResourceFactory(community=plc, is_public=False)
    client.force_login(plc.leader)
    response = client.get(f"/resources/{internal.pk}/")
    assert "noindex" in response["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex">' in response.content.decode()


def test_a_file_whose_bytes_lie_is_refused_on_the_field(client, plc):
    client.force_login(plc.leader)
    data = {
        "title": "Презентация", "kind": kind("presentation").pk, "licence": "cc-by",
        "community": plc.pk, "key": str(uuid.uuid4()),
        "file": SimpleUploadedFile("slides.pdf", b"MZ\x90\x00 an executable" * 20),
    }  # fmt: skip
    response = client.post("/resources/new/", data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Resource.objects.exists()


def test_posting_the_form_twice_makes_one_resource(client, plc):
    client.force_login(plc.leader)
    key = str(uuid.uuid4())
    for _ in range(2):
        response = client.post("/resources/new/", {
            "title": "План урока", "kind": kind().pk, "licence": "cc-by", "community": plc.pk,
            "key": key, "file": SimpleUploadedFile("plan.pdf", PDF),
        })  # fmt: skip
        assert response.status_code == 302
    assert Resource.objects.count() == 1


def test_the_moderator_sees_the_submission_in_the_queue_and_on_the_dashboard(client, plc):
    ResourceFactory(community=plc, title="Ждёт проверки", status=Resource.Status.SUBMITTED)
    client.force_login(plc.leader)
    assert "Ждёт проверки" in client.get("/resources/review/").content.decode()
    assert "Ждёт проверки" in client.get("/").content.decode()


def test_the_community_page_links_to_its_resources_and_documents(client, plc):
    client.force_login(plc.leader)
    page = client.get(f"/communities/{plc.pk}/").content.decode()
    assert f"/communities/{plc.pk}/resources/" in page
    assert f"/communities/{plc.pk}/documents/" in page
    response = client.post(f"/communities/{plc.pk}/documents/", {
        "kind": "regulation", "title": "Положение о ПОС", "number": "12",
        "file": SimpleUploadedFile("reg.pdf", PDF),
    })  # fmt: skip
    assert response.status_code == 302
    assert "Положение о ПОС" in client.get(f"/communities/{plc.pk}/documents/").content.decode()


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/resources/", "/resources/mine/", "/api/v1/resources/"])
def test_the_bank_lists_do_not_query_per_row(client, plc, url):
    author = teacher_at(plc.organisation)
    client.force_login(author)
    for _i in range(2):
        ResourceFactory(community=plc, created_by=author, with_file=True)
    few = _count(client, url)
    for _i in range(12):
        ResourceFactory(community=CommunityFactory(), created_by=author, with_file=True)
    assert _count(client, url) <= few


@pytest.mark.parametrize(
    "query", ["?grade=abc", "?grade=99", "?kind=nope&licence=x", "?page=zz", "?community=abc"]
)
def test_hostile_filters_answer_without_a_crash(client, query):
    assert client.get("/resources/" + query).status_code == 200
    assert client.get("/api/v1/resources/" + query).status_code in (401, 400, 200)


def test_an_anonymous_visitor_is_not_told_a_draft_exists(client, plc):
    hidden = ResourceFactory(community=plc, status=Resource.Status.DRAFT)
    assert client.get(f"/resources/{hidden.pk}/").status_code == 404
