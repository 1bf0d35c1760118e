"""Editing minutes keeps what hangs on their rows; double submits schedule one meeting."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from communities.models import Community
from meetings import services
from meetings.models import AgendaQuestion, Attachment, Decision, Meeting, Minutes
from meetings.tests.minutespage import MinutesPage
from people.models import Person

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


@pytest.fixture
def plc(shared_demo):  # loaded once for the module (the root conftest); writes roll back
    Meeting.objects.all().delete()
    return Community.objects.get(kind__code="school_plc")


def person(username):
    return Person.objects.get(username=username)


def held_meeting(plc, title="Заседание") -> Meeting:
    return services.schedule_meeting(
        confirmed=True,
        community=plc, actor=person("leader"), title=title, chair=person("leader"),
        place="Каб. 5", starts_at=timezone.now() - dt.timedelta(hours=3),
    )  # fmt: skip


@pytest.fixture
def done_decision(plc):
    """The demo's story: minutes written, a decision done with evidence and a file attached."""
    meeting = held_meeting(plc)
    services.write_minutes(
        meeting=meeting, version=None, attended=[person("leader").pk],
        questions=[
            {"title": "Анализ резултатов", "speakers": "", "summary": ""},
            {"title": "Открытые уроки", "speakers": "Соколова", "summary": "Обсудили"},
        ],
        decisions=[
            {"text": "Провести открытй урок", "assignee": person("teacher"), "due_on": None,
             "question": 1},
            {"text": "Собрать темы", "assignee": person("leader"), "due_on": None},
        ],
    )  # fmt: skip
    decision = meeting.decisions.get(text__startswith="Провести")
    services.attach(
        actor=person("teacher"),
        title="Конспект",
        decision=decision,
        file=SimpleUploadedFile("lesson.pdf", PDF, "application/pdf"),
    )
    services.update_decision(decision=decision, status="done", evidence="Урок проведён 12.10")
    decision.refresh_from_db()
    return decision


def assert_kept(decision: Decision) -> None:
    fresh = Decision.objects.get(pk=decision.pk)
    assert fresh.status == "done" and fresh.done_at == decision.done_at
    assert fresh.evidence == "Урок проведён 12.10"
    assert list(fresh.attachments.values_list("pk", flat=True)) == list(
        decision.attachments.values_list("pk", flat=True)
    )
    assert fresh.question_id == decision.question_id
    assert default_storage.exists(fresh.attachments.get().file.name)


def test_fixing_a_typo_on_the_minutes_page_keeps_the_done_decision(client, done_decision):
    meeting = done_decision.meeting
    question_ids = list(meeting.questions.values_list("pk", flat=True))
    client.force_login(person("leader"))
    page = MinutesPage(client, meeting.pk)
    page[f"q-{question_ids[0]}-title"] = "Анализ результатов"
    page[f"d-{done_decision.pk}-text"] = "Провести открытый урок"
    assert page.post().status_code == 302
    assert_kept(done_decision)
    assert Decision.objects.get(pk=done_decision.pk).text == "Провести открытый урок"
    assert list(meeting.questions.values_list("pk", flat=True)) == question_ids
    assert meeting.questions.get(pk=question_ids[0]).title == "Анализ результатов"
    assert meeting.decisions.count() == 2


def test_deleting_an_earlier_question_on_the_page_keeps_the_decisions_question(
    client, done_decision
):
    meeting = done_decision.meeting
    client.force_login(person("leader"))
    page = MinutesPage(client, meeting.pk)
    page.remove(f"q-{page.rows('question')[0]}")  # the decision is on question 2, which stays
    assert page.post().status_code == 302
    assert meeting.questions.count() == 1
    assert_kept(done_decision)


def test_fixing_a_typo_through_the_api_keeps_the_done_decision(client, done_decision):
    meeting = done_decision.meeting
    client.force_login(person("leader"))
    read = client.get(f"/api/v1/meetings/{meeting.pk}/").json()
    body = {
        "version": read["minutes"]["version"],
        "attended": [p["person"] for p in read["participants"] if p["attended"]],
        "questions": read["questions"],
        "decisions": read["decisions"],
    }
    # The same body back changes no row.
    response = client.put(
        f"/api/v1/meetings/{meeting.pk}/minutes/", body, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    again = response.json()
    assert again["questions"] == read["questions"]
    assert again["decisions"] == read["decisions"]
    assert_kept(done_decision)

    body["version"] = again["minutes"]["version"]
    for row in body["decisions"]:
        if row["id"] == done_decision.pk:
            row["text"] = "Провести открытый урок"
    response = client.put(
        f"/api/v1/meetings/{meeting.pk}/minutes/", body, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert_kept(done_decision)
    assert Decision.objects.get(pk=done_decision.pk).text == "Провести открытый урок"


def test_a_decision_removed_on_purpose_takes_its_evidence_and_file(
    client, done_decision, django_capture_on_commit_callbacks
):
    meeting = done_decision.meeting
    name = done_decision.attachments.get().file.name
    client.force_login(person("leader"))
    read = client.get(f"/api/v1/meetings/{meeting.pk}/").json()
    body = {
        "version": read["minutes"]["version"],
        "questions": read["questions"],
        "decisions": [d for d in read["decisions"] if d["id"] != done_decision.pk],
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.put(
            f"/api/v1/meetings/{meeting.pk}/minutes/", body, content_type="application/json"
        )
        assert response.status_code == 200, response.content
        assert default_storage.exists(name)  # the file goes only once the change is committed
    assert not Decision.objects.filter(pk=done_decision.pk).exists()
    assert not Attachment.objects.exists()
    assert not default_storage.exists(name)
    assert meeting.decisions.count() == 1


def test_a_removed_question_unlinks_its_kept_decision(client, done_decision):
    meeting = done_decision.meeting
    client.force_login(person("leader"))
    read = client.get(f"/api/v1/meetings/{meeting.pk}/").json()
    body = {
        "version": read["minutes"]["version"],
        "questions": [q for q in read["questions"] if q["id"] != done_decision.question_id],
        "decisions": read["decisions"],
    }
    response = client.put(
        f"/api/v1/meetings/{meeting.pk}/minutes/", body, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    kept = Decision.objects.get(pk=done_decision.pk)
    assert kept.question_id is None and kept.status == "done"
    assert kept.attachments.count() == 1


def test_rows_of_other_minutes_are_refused(client, plc, done_decision):
    other = held_meeting(plc, "Другое заседание")
    services.write_minutes(
        meeting=other, version=None, attended=[],
        questions=[{"title": "Вопрос", "speakers": "", "summary": ""}],
        decisions=[{"text": "Чужое решение", "assignee": None, "due_on": None}],
    )  # fmt: skip
    client.force_login(person("leader"))
    page = MinutesPage(client, other.pk)
    data = page.data()
    data["decision"] = [str(done_decision.pk)]  # another meeting's decision, named by hand
    data[f"d-{done_decision.pk}-text"] = ["Перезаписано"]
    response = client.post(page.url, data)
    assert response.status_code == 200 and response.context["errors"]
    assert_kept(done_decision)
    assert Decision.objects.get(pk=done_decision.pk).text == "Провести открытй урок"

    read = client.get(f"/api/v1/meetings/{other.pk}/").json()
    body = {
        "version": read["minutes"]["version"],
        "questions": [{"id": done_decision.question_id, "title": "Перезаписано"}],
    }
    response = client.put(
        f"/api/v1/meetings/{other.pk}/minutes/", body, content_type="application/json"
    )
    assert response.status_code == 400 and "questions" in response.json()
    assert AgendaQuestion.objects.get(pk=done_decision.question_id).title == "Открытые уроки"
    assert Minutes.objects.get(meeting=other).version == read["minutes"]["version"]


def test_the_later_first_save_of_new_minutes_is_refused(client, plc):
    meeting = held_meeting(plc)
    client.force_login(person("leader"))
    first, second = MinutesPage(client, meeting.pk), MinutesPage(client, meeting.pk)
    assert first["version"] == "0"
    for page, title in ((first, "Первый секретарь"), (second, "Второй секретарь")):
        page[f"q-{page.rows('question')[0]}-title"] = title  # the one blank question offered
    assert first.post().status_code == 302
    response = second.post()
    assert response.status_code == 200 and response.context["errors"]
    assert "Второй секретарь" in response.content.decode()  # kept on screen to copy
    assert response.context["version"] == 0  # a second click is refused again
    assert meeting.questions.get().title == "Первый секретарь"

    body = {"version": 0, "questions": [{"title": "Третий"}]}
    response = client.put(
        f"/api/v1/meetings/{meeting.pk}/minutes/", body, content_type="application/json"
    )
    assert response.status_code == 409
    assert meeting.questions.get().title == "Первый секретарь"


def test_an_api_write_to_existing_minutes_without_version_is_refused(client, done_decision):
    meeting = done_decision.meeting
    client.force_login(person("leader"))
    body = {"questions": [{"title": "Без версии"}]}
    response = client.put(
        f"/api/v1/meetings/{meeting.pk}/minutes/", body, content_type="application/json"
    )
    assert response.status_code == 400 and "version" in response.json()
    assert not meeting.questions.filter(title="Без версии").exists()
    assert_kept(done_decision)
    # New minutes may still be written without one: there is nothing to overwrite.
    fresh = held_meeting(done_decision.community, "Новое")
    response = client.put(
        f"/api/v1/meetings/{fresh.pk}/minutes/", body, content_type="application/json"
    )
    assert response.status_code == 200, response.content


def test_sending_the_meeting_form_twice_schedules_one_meeting(client, plc):
    client.force_login(person("leader"))
    form = client.get(f"/communities/{plc.pk}/meetings/new/").context["form"]
    key = form.initial["idempotency_key"]
    assert key
    data = {
        "title": "Заседание № 2", "starts_at": "2030-12-16T15:00", "place": "Кабинет 21",
        "chair": person("leader").pk, "idempotency_key": key,
    }  # fmt: skip
    first = client.post(f"/communities/{plc.pk}/meetings/new/", data)
    second = client.post(f"/communities/{plc.pk}/meetings/new/", data)
    meeting = Meeting.objects.get()
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == f"/meetings/{meeting.pk}/"
    # A newly opened form is a new request.
    other = client.get(f"/communities/{plc.pk}/meetings/new/").context["form"]
    assert other.initial["idempotency_key"] != key
    client.post(
        f"/communities/{plc.pk}/meetings/new/",
        data | {"idempotency_key": other.initial["idempotency_key"]},
    )
    assert Meeting.objects.count() == 2


def test_a_retried_api_call_with_the_same_idempotency_key_schedules_one_meeting(client, plc):
    client.force_login(person("leader"))
    body = {
        "community": plc.pk, "title": "Заседание", "starts_at": "2030-12-16T15:00:00+03:00",
        "place": "Каб. 5", "chair": person("leader").pk,
    }  # fmt: skip
    headers = {"Idempotency-Key": "a7c3e0f4-retry"}
    first = client.post("/api/v1/meetings/", body, content_type="application/json", headers=headers)
    again = client.post("/api/v1/meetings/", body, content_type="application/json", headers=headers)
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"] == Meeting.objects.get().pk
    # Without a key every call is a new meeting, as before.
    plain = client.post("/api/v1/meetings/", body, content_type="application/json")
    assert plain.status_code == 201
    assert Meeting.objects.count() == 2
    # A key that cannot be stored is a 400, not a 500.
    response = client.post(
        "/api/v1/meetings/", body, content_type="application/json",
        headers={"Idempotency-Key": "x" * 500},
    )  # fmt: skip
    assert response.status_code == 400 and Meeting.objects.count() == 2
    # The same key for a different request is refused, not answered with the first meeting.
    elsewhere = Community.objects.exclude(pk=plc.pk).filter(status="active").first()
    with pytest.raises(ValidationError) as refused:
        services.schedule_meeting(
            confirmed=True,
            community=elsewhere, actor=person("leader"), title="З", chair=person("leader"),
            place="К", starts_at=timezone.now(), idempotency_key=headers["Idempotency-Key"],
        )  # fmt: skip
    assert "idempotency_key" in refused.value.message_dict


def test_an_idempotency_key_is_each_persons_own(client, plc):
    """Someone else's request with the same key is a request of its own, not a repeat."""
    body = {
        "community": plc.pk, "title": "Заседание", "starts_at": "2030-12-16T15:00:00+03:00",
        "place": "Каб. 5", "chair": person("leader").pk,
    }  # fmt: skip
    headers = {"Idempotency-Key": "shared-key"}
    ids = []
    for username in ("leader", "director"):
        client.force_login(person(username))
        response = client.post(
            "/api/v1/meetings/", body, content_type="application/json", headers=headers
        )
        assert response.status_code == 201
        ids.append(response.json()["id"])
    assert ids[0] != ids[1] and Meeting.objects.count() == 2


def test_an_idempotency_key_of_up_to_100_characters_is_kept(client, plc):
    client.force_login(person("leader"))
    body = {
        "community": plc.pk, "title": "Заседание", "starts_at": "2030-12-16T15:00:00+03:00",
        "place": "Каб. 5", "chair": person("leader").pk,
    }  # fmt: skip
    post = lambda key: client.post(  # noqa: E731
        "/api/v1/meetings/", body, content_type="application/json", headers={"Idempotency-Key": key}
    )
    assert post("k" * 100).status_code == 201
    refused = post("k" * 101)
    assert refused.status_code == 400 and "idempotency_key" in refused.json()
    assert Meeting.objects.count() == 1


def test_minutes_are_numbered_per_community(plc):
    """Each community numbers its minutes from 1 in a school year."""
    leader = person("leader")
    other = Community.objects.exclude(pk=plc.pk).filter(status="active").first()
    numbers = []
    for community in (plc, other, plc):
        meeting = services.schedule_meeting(
            confirmed=True,
            community=community, actor=person("admin"), title="З", chair=leader, place="К",
            starts_at=timezone.now() - dt.timedelta(days=1),
        )  # fmt: skip
        minutes = services.write_minutes(
            meeting=meeting, version=None, attended=[],
            questions=[{"title": "В", "speakers": "", "summary": ""}], decisions=[],
        )  # fmt: skip
        numbers.append(minutes.number)
    assert numbers == [1, 1, 2]


def test_a_repeat_racing_the_first_request_gets_the_first_meeting(plc, monkeypatch):
    leader = person("leader")
    kwargs = {
        "community": plc, "actor": leader, "title": "З", "chair": leader, "place": "К",
        "starts_at": timezone.now() + dt.timedelta(days=1), "idempotency_key": "same",
    }  # fmt: skip
    twin = []

    def first_request_commits_meanwhile(meeting):
        # Runs after the service looked for an earlier meeting and before it inserts its own.
        if not twin:
            twin.append(
                Meeting.objects.create(
                    community=plc, created_by=leader, idempotency_key="same", title="З",
                    chair=leader, place="К", starts_at=kwargs["starts_at"],
                )
            )  # fmt: skip

    monkeypatch.setattr(Meeting, "clean", first_request_commits_meanwhile)
    with pytest.raises(services.AlreadyScheduled) as repeat:
        services.schedule_meeting(confirmed=True, **kwargs)
    assert repeat.value.meeting.pk == twin[0].pk  # not an IntegrityError, not a second meeting
    with pytest.raises(ValidationError):
        services.schedule_meeting(confirmed=True, **kwargs | {"idempotency_key": "bad\x00key"})


@pytest.mark.parametrize(
    ("year", "plausible"), [(1999, False), (2000, True), (2100, True), (2101, False)]
)
def test_a_meeting_date_is_plausible_from_2000_to_2100(plc, year, plausible):
    leader = person("leader")
    starts_at = timezone.make_aware(dt.datetime(year, 6, 1, 15, 0))
    schedule = lambda: services.schedule_meeting(  # noqa: E731
        confirmed=True,
        community=plc,
        actor=leader,
        title="З",
        chair=leader,
        place="К",
        starts_at=starts_at,
    )
    if plausible:
        assert schedule().starts_at == starts_at
    else:
        with pytest.raises(ValidationError) as refused:
            schedule()
        assert "starts_at" in refused.value.message_dict
