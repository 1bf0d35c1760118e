import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.models import Community
from meetings import services
from meetings.models import Decision, Meeting, Minutes
from people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def plc(shared_demo):  # loaded once for the module (the root conftest); writes roll back
    # The demo has meetings of its own; these tests start from none.
    Meeting.objects.all().delete()
    return Community.objects.get(kind__code="school_plc")


def person(username):
    return Person.objects.get(username=username)


def login(client, username):
    client.force_login(person(username))


def schedule(client, plc, when="2026-10-15T15:00"):
    login(client, "leader")
    return client.post(
        f"/communities/{plc.pk}/meetings/new/",
        {
            "title": "Заседание № 1",
            "starts_at": when,
            "place": "Кабинет 21",
            "chair": person("leader").pk,
            "questions": "Утверждение плана\nАнализ результатов",
            "guests": "demo.golubeva",
            "confirm": "on",  # the date may have passed: the page asks to confirm it
        },
    )


def test_leader_holds_a_meeting_writes_and_signs_the_minutes(client, plc):
    response = schedule(client, plc, when="2030-10-15T15:00")
    meeting = Meeting.objects.get()
    assert response.url == f"/meetings/{meeting.pk}/"
    assert meeting.participants.count() == 9  # 8 members and a guest
    assert meeting.participants.get(person__username="demo.golubeva").is_guest

    login(client, "teacher")
    client.post(f"/meetings/{meeting.pk}/reply/", {"reply": "yes"})
    assert meeting.participants.get(person__username="teacher").reply == "yes"

    # The meeting starts: minutes can be written.
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    login(client, "leader")
    teacher = person("teacher")
    data = {
        "version": "",
        "attended": [person("leader").pk, teacher.pk],
        # New rows, each named by its key (as the page's "add" buttons make them).
        "question": ["n00000001", "n00000002"],
        "q-n00000001-title": "Утверждение плана",
        "q-n00000001-speakers": "Соколова Е. И.",
        "q-n00000001-summary": "План обсуждён.",
        "q-n00000002-title": "Анализ результатов",
        "decision": ["n00000003"],
        "d-n00000003-text": "Провести открытый урок по физике",
        "d-n00000003-question": "1",  # the second question on the page
        "d-n00000003-assignee": teacher.pk,
        "d-n00000003-due_on": "2026-11-20",
    }
    assert client.post(f"/meetings/{meeting.pk}/minutes/", data).status_code == 302
    assert Decision.objects.get().question.title == "Анализ результатов"
    minutes = Minutes.objects.get()
    assert minutes.number == 1 and minutes.school_year == 2026
    assert set(
        meeting.participants.filter(attended=True).values_list("person__username", flat=True)
    ) == {"leader", "teacher"}

    login(client, "teacher")  # not the leader: refused with a message, nothing signed
    client.post(f"/meetings/{meeting.pk}/minutes/sign/")
    assert not Minutes.objects.get().is_signed
    login(client, "director")  # may write minutes as the school's admin, but signs only the leader
    response = client.post(f"/meetings/{meeting.pk}/minutes/sign/", follow=True)
    assert not Minutes.objects.get().is_signed
    assert (
        "руководитель" in response.content.decode().lower()
        or "leader" in response.content.decode().lower()
    )

    login(client, "leader")
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert 'data-confirm="Подписать протокол?' in page  # the browser asks before signing
    client.post(f"/meetings/{meeting.pk}/minutes/sign/")
    minutes.refresh_from_db()
    assert minutes.is_signed and minutes.signed_by.username == "leader"
    # Signed minutes are frozen; corrections are addenda.
    response = client.post(f"/meetings/{meeting.pk}/minutes/", data)
    assert response.status_code == 302 and Decision.objects.count() == 1
    client.post(f"/meetings/{meeting.pk}/minutes/addenda/", {"text": "Уточнение: урок в 9 классе"})
    assert minutes.addenda.get().text.startswith("Уточнение")


def test_decisions_reach_the_assignee_and_turn_overdue(client, plc):
    meeting = services.schedule_meeting(
        confirmed=True,
        community=plc, actor=person("leader"), title="Заседание",
        starts_at=timezone.now() - dt.timedelta(days=30), place="Каб. 1", chair=person("leader"),
    )  # fmt: skip
    services.write_minutes(
        meeting=meeting,
        version=None,
        attended=[person("teacher").pk],
        questions=[{"title": "Вопрос", "speakers": "", "summary": ""}],
        decisions=[
            {"text": "Сдать отчёт", "assignee": person("teacher"),
             "due_on": timezone.localdate() - dt.timedelta(days=1)},
            {"text": "Подготовить мастер-класс", "assignee": person("teacher"),
             "due_on": timezone.localdate() + dt.timedelta(days=10)},
        ],
    )  # fmt: skip
    login(client, "teacher")
    page = client.get("/").content.decode()
    assert "Сдать отчёт" in page and "Подготовить мастер-класс" in page
    assert page.count("badge err") == 1  # only the late one is overdue
    late = Decision.objects.get(text="Сдать отчёт")
    response = client.post(f"/decisions/{late.pk}/", {"status": "done", "evidence": ""})
    assert response.status_code == 200  # evidence required
    client.post(f"/decisions/{late.pk}/", {"status": "done", "evidence": "Отчёт сдан"})
    late.refresh_from_db()
    assert late.status == "done" and not late.is_overdue
    login(client, "leader")
    page = client.get(f"/communities/{plc.pk}/decisions/").content.decode()
    assert "Подготовить мастер-класс" in page and "Сдать отчёт" not in page


def test_bad_meeting_input_gets_clear_messages(client, plc):
    login(client, "leader")
    response = client.post(
        f"/communities/{plc.pk}/meetings/new/",
        {"title": "Без председателя", "starts_at": "2026-02-30T10:00", "place": ""},
    )
    assert response.status_code == 200
    assert "starts_at" in response.context["form"].errors
    response = client.post(
        f"/communities/{plc.pk}/meetings/new/",
        {
            "title": "Без председателя",
            "starts_at": "2026-10-01T10:00",
            "place": "Зал",
            "confirm": "on",
        },
    )
    assert "chair" in response.context["form"].errors
    response = client.post(
        f"/communities/{plc.pk}/meetings/new/",
        {"title": "Наоборот", "starts_at": "2026-10-01T10:00", "ends_at": "2026-10-01T09:00",
         "place": "Зал", "chair": person("leader").pk, "confirm": "on"},
    )  # fmt: skip
    assert "ends_at" in response.context["form"].errors
    assert not Meeting.objects.exists()


def test_minutes_are_numbered_per_community_and_year(plc):
    leader = person("leader")
    numbers = []
    for day in (dt.date(2025, 10, 1), dt.date(2026, 1, 20), dt.date(2026, 9, 10)):
        meeting = services.schedule_meeting(
            confirmed=True,
            community=plc, actor=leader, title="З", chair=leader, place="К",
            starts_at=timezone.make_aware(dt.datetime.combine(day, dt.time(15))),
        )  # fmt: skip
        minutes = services.write_minutes(
            meeting=meeting, version=None, attended=[],
            questions=[{"title": "В", "speakers": "", "summary": ""}], decisions=[],
        )  # fmt: skip
        numbers.append((minutes.school_year, minutes.number))
    assert numbers == [(2025, 1), (2025, 2), (2026, 1)]


def test_outsiders_cannot_write_or_see_members_only_meetings(client, plc):
    schedule(client, plc)
    meeting = Meeting.objects.get()
    login(client, "demo.volkova")  # a director elsewhere, not invited
    assert client.get(f"/meetings/{meeting.pk}/").status_code == 200  # internal community
    assert client.get(f"/meetings/{meeting.pk}/minutes/").status_code == 403
    assert client.post(f"/meetings/{meeting.pk}/reply/", {"reply": "yes"}).status_code == 403
    client.logout()
    assert client.get(f"/meetings/{meeting.pk}/").status_code == 302


def test_evidence_upload_checks_size_and_real_type(client, plc, settings):
    meeting = services.schedule_meeting(
        confirmed=True,
        community=plc, actor=person("leader"), title="З", chair=person("leader"), place="К",
        starts_at=timezone.now() - dt.timedelta(hours=2),
    )  # fmt: skip
    services.write_minutes(
        meeting=meeting, version=None, attended=[],
        questions=[{"title": "В", "speakers": "", "summary": ""}],
        decisions=[{"text": "Сделать", "assignee": person("teacher"), "due_on": None}],
    )  # fmt: skip
    decision = Decision.objects.get()
    login(client, "teacher")
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf at all", "application/pdf")
    response = client.post(
        f"/decisions/{decision.pk}/", {"attach": "1", "title": "Отчёт", "file": fake}
    )
    assert response.status_code == 200 and response.context["attachment_form"].errors
    pdf = SimpleUploadedFile(
        "report.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "application/pdf"
    )
    response = client.post(
        f"/decisions/{decision.pk}/", {"attach": "1", "title": "Отчёт", "file": pdf}
    )
    assert response.status_code == 302 and decision.attachments.count() == 1
    settings.MAX_UPLOAD_BYTES = 10
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4" + b"0" * 100, "application/pdf")
    response = client.post(
        f"/decisions/{decision.pk}/", {"attach": "1", "title": "Big", "file": big}
    )
    assert response.status_code == 200 and decision.attachments.count() == 1


def test_meeting_page_query_count_does_not_grow(client, plc):
    leader = person("leader")
    meeting = services.schedule_meeting(
        confirmed=True,
        community=plc, actor=leader, title="З", chair=leader, place="К",
        starts_at=timezone.now() - dt.timedelta(hours=1),
    )  # fmt: skip
    login(client, "leader")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/meetings/{meeting.pk}/").status_code == 200
        return len(queries)

    before = count()
    services.write_minutes(
        meeting=meeting, version=None, attended=[leader.pk],
        questions=[{"title": f"В{n}", "speakers": "", "summary": ""} for n in range(15)],
        decisions=[{"text": f"Р{n}", "assignee": leader, "due_on": None} for n in range(15)],
    )  # fmt: skip
    # The minutes add one more object to the page; rows beyond that must not add queries.
    after = count()
    services.write_minutes(
        meeting=meeting, version=Minutes.objects.get().version, attended=[leader.pk],
        questions=[{"title": f"В{n}", "speakers": "", "summary": ""} for n in range(40)],
        decisions=[{"text": f"Р{n}", "assignee": leader, "due_on": None} for n in range(40)],
    )  # fmt: skip
    assert count() == after
    assert after - before <= 2


def test_evidence_of_nothing_is_handed_to_the_superuser_only(client):
    """Evidence that belongs to no decision or plan item (added in the admin) proves nothing
    anyone else may see."""
    from meetings.models import Attachment
    from people.tests.factories import PersonFactory

    pdf = SimpleUploadedFile("note.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", "application/pdf")
    attachment = Attachment.objects.create(title="Note", file=pdf, original_name="note.pdf")
    url = f"/evidence/{attachment.pk}/file/"
    client.force_login(PersonFactory())
    assert client.get(url).status_code == 403
    client.force_login(PersonFactory(is_superuser=True, is_staff=True))
    assert client.get(url).status_code == 200


def test_in_the_admin_a_meeting_is_changed_by_who_runs_its_community(client):
    """A staff account with the model right edits only meetings it may manage on the site."""
    from django.contrib.auth.models import Permission

    from communities.tests.factories import CommunityFactory
    from organisations.tests.factories import OrganisationFactory
    from people.tests.factories import PersonFactory, school_admin

    school = OrganisationFactory()
    community = CommunityFactory(organisation=school)
    chair = PersonFactory()
    meeting = services.schedule_meeting(
        confirmed=True,
        community=community, actor=PersonFactory(is_superuser=True), title="Planning", chair=chair,
        place="Room",
        starts_at=timezone.now() + dt.timedelta(days=3),
    )  # fmt: skip
    url = f"/admin/meetings/meeting/{meeting.pk}/change/"
    rights = Permission.objects.filter(codename__in=["view_meeting", "change_meeting"])
    director = school_admin(school, is_staff=True)
    stranger = school_admin(OrganisationFactory(), is_staff=True)
    for staff in (director, stranger):
        staff.user_permissions.set(rights)

    client.force_login(director)
    assert 'name="_save"' in client.get(url).content.decode()
    client.force_login(stranger)
    page = client.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
