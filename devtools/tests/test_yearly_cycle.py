"""The yearly cycle in the demo, as its people do it through the pages (issue 7's "Done when"):
the leader sends the plan, the director is told and sees it waiting, the deputy agrees, the
director approves, and the director alone cannot do both."""

import io
import re

import pytest
from django.core.management import call_command
from docx import Document

from communities.models import Community
from notifications.models import Notification
from people.models import Person
from planning.models import Plan

pytestmark = pytest.mark.django_db

PASSWORD = "collegium-demo"


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    call_command("load_demo", verbosity=0)


def _as(client, login):
    person = Person.objects.get(username=login)
    assert person.check_password(PASSWORD)
    client.force_login(person)
    return client


def _step(client, plan, step, **data):
    return client.post(f"/plans/{plan.pk}/{step}/", data)


def _plan():
    return Plan.objects.filter(community__leader__username="leader").latest("id")


def test_plan_goes_from_leader_to_deputy_to_director(
    demo, client, django_capture_on_commit_callbacks
):
    plan = _plan()
    assert plan.status == Plan.Status.DRAFT
    # The leader adds an agenda item as a row of its own (no "|" typed anywhere).
    edit = _as(client, "leader").get(f"/plans/{plan.pk}/edit/").content.decode()
    assert "|" not in re.sub(r"<[^>]+>", "", edit).replace("||", "")

    with django_capture_on_commit_callbacks(execute=True):
        assert _step(client, plan, "discuss").status_code == 302
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DISCUSSED

    # The director has a notification and sees the plan under «Требует моего внимания».
    assert Notification.objects.filter(
        recipient__username="director", url__contains=f"/plans/{plan.pk}/"
    )
    dashboard = _as(client, "director").get("/").content.decode()
    assert f"/plans/{plan.pk}/" in dashboard

    # The deputy agrees; the director approves; the deputy may not approve what they agreed.
    with django_capture_on_commit_callbacks(execute=True):
        assert _step(_as(client, "deputy"), plan, "agree").status_code == 302
    plan.refresh_from_db()
    assert plan.status == Plan.Status.AGREED
    assert _step(client, plan, "approve").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        assert _step(_as(client, "director"), plan, "approve").status_code == 302
    plan.refresh_from_db()
    assert plan.status == Plan.Status.APPROVED

    # The approved plan's DOCX: A4, the organisation's name, «УТВЕРЖДАЮ».
    response = client.get(f"/plans/{plan.pk}/plan.docx")
    document = Document(io.BytesIO(b"".join(response.streaming_content)
                                    if response.streaming else response.content))  # fmt: skip
    section = document.sections[0]
    # A4; the plan's wide table is laid out landscape.
    assert sorted([round(section.page_width.mm), round(section.page_height.mm)]) == [210, 297]
    text = "\n".join(p.text for p in document.paragraphs)
    header = "\n".join(p.text for p in section.header.paragraphs)
    assert "УТВЕРЖДАЮ" in text
    assert plan.community.organisation.name in header + text


def test_the_director_alone_cannot_both_agree_and_approve(demo, client):
    plan = _plan()
    _step(_as(client, "leader"), plan, "discuss")
    assert _step(_as(client, "director"), plan, "agree").status_code == 302
    plan.refresh_from_db()
    assert plan.status == Plan.Status.AGREED
    assert _step(client, plan, "approve").status_code == 403
    plan.refresh_from_db()
    assert plan.status == Plan.Status.AGREED
    assert Community.objects.get(pk=plan.community_id).kind.separate_approval


def test_a_meeting_held_from_the_plan_shows_as_held_with_its_minutes(demo, client):
    import datetime as dt

    from django.utils import timezone

    from meetings import services as meeting_services
    from meetings.models import Meeting

    plan = _plan()
    _step(_as(client, "leader"), plan, "discuss")
    _step(_as(client, "deputy"), plan, "agree")
    _step(_as(client, "director"), plan, "approve")
    plan.refresh_from_db()
    planned = plan.meetings.order_by("order", "id").first()
    community = plan.community
    # The leader schedules it from the plan; yesterday's time is confirmed.
    yesterday = timezone.localtime() - dt.timedelta(days=1)
    response = _as(client, "leader").post(
        f"/communities/{community.pk}/meetings/new/",
        {
            "title": planned.title,
            "starts_at": yesterday.strftime("%Y-%m-%dT%H:%M"),
            "place": "Кабинет 12",
            "chair": community.leader_id,
            "planned": planned.pk,
            "confirm": "on",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    meeting = Meeting.objects.get(planned=planned)
    leader = Person.objects.get(username="leader")
    minutes = meeting_services.write_minutes(
        meeting=meeting,
        attended=list(meeting.participants.values_list("person_id", flat=True)),
        questions=[
            {"id": q.pk, "title": q.title, "speakers": "", "summary": "Обсудили."}
            for q in meeting.questions.all()
        ],
        decisions=[],
        actor=leader,
        version=0,
        covered_items=list(planned.items.values_list("pk", flat=True)),
    )
    assert client.post(f"/meetings/{meeting.pk}/minutes/sign/").status_code == 302
    minutes.refresh_from_db()
    assert minutes.is_signed
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    assert f'href="/meetings/{meeting.pk}/"' in page
    assert yesterday.strftime("%d.%m.%Y") in page
    assert re.search(rf"№\s*{minutes.number}", page)
    # The items the minutes covered are ticked on the plan and counted in its progress.
    assert planned.items.exists() and not planned.items.filter(done=False).exists()
