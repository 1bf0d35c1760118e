import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.models import Community
from people.models import Person
from planning.models import ApprovalStep, Plan
from planning.tests.editpage import EditPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(shared_demo):
    """The demo, loaded once for the module (the root conftest); each test's writes roll back."""
    return Plan.objects.get(community__kind__code="school_plc")


def login(client, username):
    client.force_login(Person.objects.get(username=username))


def test_demo_plan_is_shaped_like_the_seed_plan(demo):
    assert [m.month for m in demo.meetings.all()] == [10, 1, 3, 5]
    assert demo.targets.count() == 7
    assert demo.targets.get(indicator__startswith="Качество знаний по предметам").target == 70
    assert demo.status == Plan.Status.DRAFT


def test_leader_drafts_the_deputy_agrees_and_the_director_approves(client, demo):
    login(client, "leader")
    page = client.get(f"/plans/{demo.pk}/").content.decode()
    assert "Качество знаний по предметам ЕМЦ" in page and "Январь" in page
    assert "70 %" in page and ",00" not in page  # numbers as people write them
    assert f'formaction="/plans/{demo.pk}/discuss/"' in page  # the leader is offered the step
    response = client.post(f"/plans/{demo.pk}/discuss/", {"comment": "Протокол № 1"})
    assert response.status_code == 302
    assert client.post(f"/plans/{demo.pk}/approve/").status_code == 403  # not the leader's step

    login(client, "teacher")
    assert client.post(f"/plans/{demo.pk}/agree/").status_code == 403

    login(client, "deputy")
    client.post(f"/plans/{demo.pk}/agree/", {"comment": "Согласовано"})
    # Whoever agreed does not also approve (the director alone cannot do both either).
    assert client.post(f"/plans/{demo.pk}/approve/").status_code == 403
    login(client, "director")
    page = client.get(f"/plans/{demo.pk}/").context
    assert page["can_approve"] and not page["can_agree"]
    client.post(f"/plans/{demo.pk}/approve/", {"comment": "Утверждаю"})
    demo.refresh_from_db()
    assert demo.status == Plan.Status.APPROVED
    steps = list(demo.steps.values_list("action", "actor__username", "comment"))
    assert steps == [
        ("discussed", "leader", "Протокол № 1"),
        ("agreed", "deputy", "Согласовано"),
        ("approved", "director", "Утверждаю"),
    ]


def test_the_director_who_agreed_cannot_approve_unless_the_kind_allows_one_person(client, demo):
    from planning import services

    services.record_discussion(plan=demo, actor=Person.objects.get(username="leader"))
    login(client, "director")
    client.post(f"/plans/{demo.pk}/agree/")
    assert client.post(f"/plans/{demo.pk}/approve/").status_code == 403
    assert Plan.objects.get(pk=demo.pk).status == Plan.Status.AGREED
    kind = demo.community.kind
    kind.separate_approval = False
    kind.save()
    client.post(f"/plans/{demo.pk}/approve/")
    assert Plan.objects.get(pk=demo.pk).status == Plan.Status.APPROVED


def test_an_approved_plan_is_frozen_and_changes_make_a_revision(client, demo):
    director = Person.objects.get(username="director")
    leader = Person.objects.get(username="leader")
    from planning import services

    services.record_discussion(plan=demo, actor=leader)
    services.agree(plan=demo, actor=Person.objects.get(username="deputy"))
    services.approve(plan=demo, actor=director)
    login(client, "leader")
    assert client.get(f"/plans/{demo.pk}/edit/").status_code == 403
    response = client.post(f"/plans/{demo.pk}/revise/", {"comment": "Новые курсы"})
    revision = Plan.objects.get(previous=demo)
    assert response.url == f"/plans/{revision.pk}/"
    assert revision.revision == 2 and revision.status == Plan.Status.DRAFT
    assert revision.targets.count() == 7 and revision.meetings.count() == 4

    page = EditPage(client, revision.pk)
    page[f"t-{page.rows('target')[1]}-target"] = "75"
    page["goals"] = "Новая цель"
    assert page.post().status_code == 302
    changes = client.get(f"/plans/{revision.pk}/changes/").context["changes"]
    whats = [c.what for c in changes]
    assert any("Качество знаний по предметам" in w for w in whats)
    assert "цели" in " ".join(whats).lower() or "goals" in " ".join(whats).lower()

    services.record_discussion(plan=revision, actor=leader)
    services.agree(plan=revision, actor=Person.objects.get(username="deputy"))
    services.approve(plan=revision, actor=director)
    demo.refresh_from_db()
    assert demo.status == Plan.Status.SUPERSEDED


def test_the_later_of_two_saves_is_refused_and_nothing_is_lost(client, demo):
    login(client, "leader")
    first, second = EditPage(client, demo.pk), EditPage(client, demo.pk)  # two tabs
    first["theme"] = "Тема первого редактора"
    assert first.post().status_code == 302
    second["theme"] = "Тема второго редактора"
    response = second.post()
    assert response.status_code == 200
    assert "Reload the page" in str(response.context["form"].errors) or (
        "Обновите страницу" in str(response.context["form"].errors)
    )
    assert "Тема второго редактора" in response.content.decode()  # still on screen to copy
    demo.refresh_from_db()
    assert demo.theme == "Тема первого редактора"


def test_sending_back_needs_a_reason_and_returns_the_draft(client, demo):
    from planning import services

    services.record_discussion(plan=demo, actor=Person.objects.get(username="leader"))
    login(client, "director")
    client.post(f"/plans/{demo.pk}/send-back/", {"comment": ""})
    demo.refresh_from_db()
    assert demo.status == Plan.Status.DISCUSSED
    client.post(f"/plans/{demo.pk}/send-back/", {"comment": "Уточните показатели"})
    demo.refresh_from_db()
    assert demo.status == Plan.Status.DRAFT
    assert demo.steps.last().action == ApprovalStep.Action.RETURNED


def test_discussion_needs_targets_and_meetings(client):
    call_command("load_demo", verbosity=0)
    group = Community.objects.get(kind__code="micro_group")
    login(client, "teacher")  # leads the micro-group
    client.post(f"/communities/{group.pk}/plans/new/", {"school_year": 2026})
    plan = Plan.objects.get(community=group)
    client.post(f"/plans/{plan.pk}/discuss/")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT
    response = client.post(f"/communities/{group.pk}/plans/new/", {"school_year": 2026})
    assert response.status_code == 200 and response.context["form"].errors


def test_start_from_last_years_plan(client, demo):
    login(client, "leader")
    client.post(
        f"/communities/{demo.community_id}/plans/new/",
        {"school_year": 2027, "copy_from": demo.pk},
    )
    plan = Plan.objects.get(community=demo.community, school_year=2027)
    assert plan.theme == demo.theme and plan.targets.count() == 7
    assert sum(m.items.count() for m in plan.meetings.all()) == 12


def test_plans_are_refused_to_outsiders(client, demo):
    outsider = Person.objects.get(username="demo.golubeva")
    client.force_login(outsider)  # a director of another school
    assert client.get(f"/plans/{demo.pk}/").status_code == 200  # the PLC is open to staff
    assert client.get(f"/plans/{demo.pk}/edit/").status_code == 403
    assert client.post(f"/plans/{demo.pk}/discuss/").status_code == 403
    client.logout()
    assert client.get(f"/plans/{demo.pk}/").status_code == 302


def test_plan_page_query_count_does_not_grow_with_rows(client, demo):
    login(client, "leader")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/plans/{demo.pk}/").status_code == 200
        return len(queries)

    before = count()
    page = EditPage(client, demo.pk)
    for n in range(20):
        key = page.add("target")
        page[f"t-{key}-indicator"] = f"Показатель {n}"
        page[f"t-{key}-target"] = "10"
    assert page.post().status_code == 302
    assert Plan.objects.get(pk=demo.pk).targets.count() == 27
    assert count() == before


def test_api_plan_flow_with_version_conflict(client, demo):
    login(client, "leader")
    body = client.get(f"/api/v1/plans/{demo.pk}/").json()
    assert len(body["meetings"]) == 4
    ok = client.patch(
        f"/api/v1/plans/{demo.pk}/",
        {"theme": "API", "version": body["version"]},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["theme"] == "API"
    stale = client.patch(
        f"/api/v1/plans/{demo.pk}/",
        {"theme": "Старое", "version": body["version"]},
        content_type="application/json",
    )
    assert stale.status_code == 409
    assert client.post(f"/api/v1/plans/{demo.pk}/discuss/").status_code == 200
    login(client, "teacher")
    assert client.post(f"/api/v1/plans/{demo.pk}/agree/").status_code == 403
    login(client, "deputy")
    assert client.post(f"/api/v1/plans/{demo.pk}/agree/").json()["status"] == "agreed"
    assert client.post(f"/api/v1/plans/{demo.pk}/approve/").status_code == 403  # two people
    login(client, "director")
    assert client.post(f"/api/v1/plans/{demo.pk}/approve/").json()["status"] == "approved"


def test_evidence_attaches_to_plan_items_of_an_approved_plan(client, demo):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from planning import services

    leader, director = (
        Person.objects.get(username="leader"),
        Person.objects.get(username="director"),
    )
    services.record_discussion(plan=demo, actor=leader)
    services.agree(plan=demo, actor=Person.objects.get(username="deputy"))
    services.approve(plan=demo, actor=director)
    item = demo.meetings.first().items.first()
    login(client, "leader")
    pdf = SimpleUploadedFile(
        "protocol.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", "application/pdf"
    )
    response = client.post(
        f"/plan-items/{item.pk}/evidence/", {"title": "Протокол № 1", "file": pdf}
    )
    assert response.status_code == 302 and item.attachments.count() == 1
    client.post(f"/plan-items/{item.pk}/done/", {"done": "on"})
    page = client.get(f"/plans/{demo.pk}/").content.decode()
    assert "1 из 12" in page or "1 of 12" in page
    login(client, "teacher")
    assert (
        client.post(f"/plan-items/{item.pk}/evidence/", {"url": "https://example.org"}).status_code
        == 403
    )


def test_another_plc_starts_from_an_approved_plan_as_a_template(client, demo):
    from communities.tests.factories import MembershipFactory
    from planning import services

    leader, director = (
        Person.objects.get(username="leader"),
        Person.objects.get(username="director"),
    )
    services.record_discussion(plan=demo, actor=leader)
    services.agree(plan=demo, actor=Person.objects.get(username="deputy"))
    services.approve(plan=demo, actor=director)
    other = Community.objects.create(
        kind=demo.community.kind, name="ПОС словесников",
        organisation=demo.community.organisation, territory=demo.community.territory,
    )  # fmt: skip
    MembershipFactory(community=other, person=director, role="leader")
    other.leader = director
    other.save()
    client.force_login(director)
    form = client.get(f"/communities/{other.pk}/plans/new/").context["form"]
    assert demo in form.fields["copy_from"].queryset
    client.post(f"/communities/{other.pk}/plans/new/", {"school_year": 2026, "copy_from": demo.pk})
    copy = Plan.objects.get(community=other)
    assert copy.targets.count() == 7 and copy.status == "draft"


def test_coordinator_keeps_the_networks_research_plan_of_three_to_five_years(client, demo):
    from organisations.models import Network

    network = Network.objects.get()
    login(client, "coordinator")
    url = f"/networks/{network.pk}/research-plans/new/"
    data = {"title": "Программа", "theme": "Грамотность", "start_year": 2026, "end_year": 2035}
    response = client.post(url, data)
    assert response.status_code == 200 and "end_year" in response.context["form"].errors
    data["end_year"] = 2029
    assert client.post(url, data).status_code == 302
    page = client.get(f"/networks/{network.pk}/research-plans/").content.decode()
    assert "Программа" in page and "2026–2029" in page
    login(client, "teacher")
    assert client.post(url, data).status_code == 403


def test_the_demo_plcs_knowledge_quality_target_is_computed_from_its_results(client):
    from planning import selectors

    call_command("load_demo", verbosity=0)
    plan = Plan.objects.get(community__kind__code="school_plc")
    quality = plan.targets.get(indicator="Качество знаний по предметам ЕМЦ")
    row = selectors.target_row(quality, plan)
    assert row.computed and row.actual is not None
    assert row.url.startswith(f"/results/communities/{plan.community_id}/rows/")
    client.force_login(Person.objects.get(username="leader"))
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    assert row.url.replace("&", "&amp;") in page and "Информатика" in page
