"""Saving a draft plan keeps its rows' identity; creating a plan twice gives one plan."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from communities.models import Community
from meetings import services as meeting_services
from meetings.models import Attachment
from people.models import Person
from planning import services
from planning.models import AgendaItem, Plan, PlannedMeeting, Target
from planning.tests.editpage import EditPage

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"


@pytest.fixture
def demo(shared_demo):
    """The demo, loaded once for the module (the root conftest); each test's writes roll back."""
    return Plan.objects.get(community__kind__code="school_plc")


def person(username):
    return Person.objects.get(username=username)


@pytest.fixture
def done_item(demo):
    """A plan item ticked done, with the protocol attached as its evidence."""
    item = demo.meetings.first().items.first()
    services.set_item_done(item=item, actor=person("leader"), done=True)
    meeting_services.attach(
        actor=person("leader"),
        title="Протокол № 1",
        plan_item=item,
        file=SimpleUploadedFile("protocol.pdf", PDF, "application/pdf"),
    )
    return item


def ids(plan: Plan) -> dict:
    return {
        "targets": list(plan.targets.values_list("pk", flat=True)),
        "meetings": list(plan.meetings.values_list("pk", flat=True)),
        "items": list(AgendaItem.objects.filter(meeting__plan=plan).values_list("pk", flat=True)),
    }


def test_a_done_plan_item_with_evidence_survives_a_plan_save_on_the_page(client, demo, done_item):
    planned = done_item.meeting
    # Meetings are scheduled from approved plans only; this one was, and the plan is a draft
    # again here only so that the page saves its rows around the meeting's link.
    Plan.objects.filter(pk=demo.pk).update(status=Plan.Status.APPROVED)
    held = meeting_services.schedule_meeting(
        confirmed=True,
        community=demo.community, actor=person("leader"), title=planned.title,
        chair=person("leader"), place="Каб. 5", planned=planned,
        starts_at=timezone.now() + dt.timedelta(days=3),
    )  # fmt: skip
    Plan.objects.filter(pk=demo.pk).update(status=Plan.Status.DRAFT)
    before = ids(demo)
    client.force_login(person("leader"))
    page = EditPage(client, demo.pk)
    key = str(planned.pk)
    lines = page.rows("item", key)
    new = page.add("item", key, first=True)
    page[f"i-{new}-section"] = "Новый пункт"
    page[f"i-{new}-action"] = "Новое действие"
    page[f"i-{done_item.pk}-action"] = done_item.action + " (уточнено)"
    page[f"t-{page.rows('target')[0]}-target"] = "71"
    assert page.post().status_code == 302

    item = AgendaItem.objects.get(pk=done_item.pk)
    assert item.done and item.action.endswith("(уточнено)")
    assert item.attachments.get().title == "Протокол № 1"
    assert default_storage.exists(item.attachments.get().file.name)
    assert planned.items.count() == len(lines) + 1
    assert planned.items.first().action == "Новое действие"  # kept in the submitted order
    after = ids(demo)
    assert after["targets"] == before["targets"] and after["meetings"] == before["meetings"]
    assert set(before["items"]) < set(after["items"])
    assert demo.targets.first().target == 71
    held.refresh_from_db()
    assert held.planned_id == planned.pk


def test_the_api_round_trips_row_ids_and_deletes_removed_rows_with_files(
    client, demo, done_item, django_capture_on_commit_callbacks
):
    before = ids(demo)
    client.force_login(person("leader"))
    read = client.get(f"/api/v1/plans/{demo.pk}/").json()
    body = {k: read[k] for k in ("version", "theme", "goals", "targets", "meetings")}
    response = client.patch(f"/api/v1/plans/{demo.pk}/", body, content_type="application/json")
    assert response.status_code == 200, response.content
    again = response.json()
    assert again["targets"] == read["targets"] and again["meetings"] == read["meetings"]
    assert ids(demo) == before
    assert AgendaItem.objects.get(pk=done_item.pk).done

    name = done_item.attachments.get().file.name
    body["version"] = again["version"]
    for meeting in body["meetings"]:
        meeting["items"] = [i for i in meeting["items"] if i["id"] != done_item.pk]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.patch(f"/api/v1/plans/{demo.pk}/", body, content_type="application/json")
        assert response.status_code == 200, response.content
        assert default_storage.exists(name)  # gone only once the save is committed
    assert not AgendaItem.objects.filter(pk=done_item.pk).exists()
    assert not Attachment.objects.exists()
    assert not default_storage.exists(name)
    assert len(ids(demo)["items"]) == len(before["items"]) - 1


def test_a_removed_planned_meeting_takes_its_items_evidence(
    client, demo, done_item, django_capture_on_commit_callbacks
):
    client.force_login(person("leader"))
    name = done_item.attachments.get().file.name
    page = EditPage(client, demo.pk)
    page.remove(f"m-{done_item.meeting_id}")
    with django_capture_on_commit_callbacks(execute=True):
        assert page.post().status_code == 302
    assert not PlannedMeeting.objects.filter(pk=done_item.meeting_id).exists()
    assert not Attachment.objects.exists() and not default_storage.exists(name)
    assert demo.meetings.count() == 3


def test_rows_of_another_plan_are_refused(client, demo, done_item):
    other = services.create_plan(community=demo.community, school_year=2030, actor=person("leader"))
    target = demo.targets.first()
    client.force_login(person("leader"))
    body = {
        "version": other.version,
        "targets": [{"id": target.pk, "indicator": "Чужое", "target": "1"}],
    }
    response = client.patch(f"/api/v1/plans/{other.pk}/", body, content_type="application/json")
    assert response.status_code == 400 and "targets" in response.json()
    body = {
        "version": other.version,
        "meetings": [{"month": 9, "title": "Т", "items": [{"id": done_item.pk, "action": "X"}]}],
    }
    response = client.patch(f"/api/v1/plans/{other.pk}/", body, content_type="application/json")
    assert response.status_code == 400 and "meetings" in response.json()
    assert Target.objects.get(pk=target.pk).indicator == target.indicator
    assert AgendaItem.objects.get(pk=done_item.pk).action == done_item.action
    assert not other.meetings.exists()

    # The page names a row by its id: another plan's row id is refused the same way.
    page = EditPage(client, other.pk)
    response = page.post(
        target=target.pk, **{f"t-{target.pk}-indicator": "Чужое", f"t-{target.pk}-unit": "%"},
        **{f"t-{target.pk}-target": "1"},
    )  # fmt: skip
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert Target.objects.get(pk=target.pk).indicator == target.indicator


def test_a_plan_write_without_version_is_refused(client, demo):
    client.force_login(person("leader"))
    response = client.patch(
        f"/api/v1/plans/{demo.pk}/", {"theme": "Без версии"}, content_type="application/json"
    )
    assert response.status_code == 400 and "version" in response.json()
    demo.refresh_from_db()
    assert demo.theme != "Без версии"


@pytest.fixture
def second_request_wins_the_race(monkeypatch):
    """Another request creates the same plan after the service checked and before it inserts."""
    made = []

    def create_meanwhile(plan):
        if not made:
            made.append(Plan.objects.create(community=plan.community, school_year=plan.school_year))

    monkeypatch.setattr(Plan, "clean", create_meanwhile)
    return made


def test_a_raced_double_create_is_a_validation_error(demo, second_request_wins_the_race):
    with pytest.raises(ValidationError) as refused:
        services.create_plan(community=demo.community, school_year=2031, actor=person("leader"))
    assert "school_year" in refused.value.message_dict
    assert second_request_wins_the_race


def test_a_raced_double_create_on_the_page_shows_the_form_error(
    client, demo, second_request_wins_the_race
):
    client.force_login(person("leader"))
    response = client.post(f"/communities/{demo.community_id}/plans/new/", {"school_year": 2031})
    assert response.status_code == 200 and "school_year" in response.context["form"].errors


def test_creating_the_same_plan_twice_through_the_api_is_a_400(client, demo):
    community = Community.objects.get(pk=demo.community_id)
    client.force_login(person("leader"))
    body = {"community": community.pk, "school_year": 2032}
    first = client.post("/api/v1/plans/", body, content_type="application/json")
    second = client.post("/api/v1/plans/", body, content_type="application/json")
    assert first.status_code == 201 and second.status_code == 400
    assert "school_year" in second.json()
    assert Plan.objects.filter(community=community, school_year=2032).count() == 1


def test_the_page_narrows_a_computed_target_to_subjects_and_a_period(client, demo):
    quality = demo.targets.get(indicator="Качество знаний по предметам ЕМЦ")
    assert quality.source == "results_quality" and "Физика" in quality.source_options["subjects"]
    client.force_login(person("leader"))
    page = EditPage(client, demo.pk)
    key = str(quality.pk)
    assert "Математика, Физика" in page[f"t-{key}-subjects"]
    page[f"t-{key}-subjects"] = "Математика;  Физика, Математика"
    page[f"t-{key}-period"] = "q1"
    assert page.post().status_code == 302
    quality.refresh_from_db()
    assert quality.source_options == {"subjects": ["Математика", "Физика"], "period": "q1"}
    page = EditPage(client, demo.pk)
    assert page[f"t-{key}-period"] == "q1"
    assert page[f"t-{key}-subjects"] == "Математика, Физика"


def test_options_on_a_typed_target_are_refused_on_their_field(client, demo):
    typed = demo.targets.filter(source="").first()
    client.force_login(person("leader"))
    page = EditPage(client, demo.pk)
    page[f"t-{typed.pk}-subjects"] = "Математика"
    response = page.post()
    assert response.status_code == 200
    errors = EditPage.parse(response).xpath("//*[contains(@class, 'has-error')]//p[@class='error']")
    assert errors and "не сужается" in errors[0].text_content()
    typed.refresh_from_db()
    assert typed.source_options == {}
