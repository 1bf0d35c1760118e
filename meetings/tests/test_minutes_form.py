"""The minutes page with real rows: only the questions and decisions that exist are drawn, "add"
fetches one blank row (htmx, or the page again without JavaScript), "Remove" drops a row, and
the page saves through the same service as the API."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from communities.models import Community, Membership
from meetings import services
from meetings.models import AgendaQuestion, Decision, Meeting, Minutes, Participant
from meetings.tests.minutespage import MinutesPage
from people.models import Person

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"


def person(username: str) -> Person:
    return Person.objects.get(username=username)


@pytest.fixture
def plc(shared_demo):  # loaded once for the module (the root conftest); writes roll back
    Meeting.objects.all().delete()
    return Community.objects.get(kind__code="school_plc")


def held_meeting(plc, questions=()) -> Meeting:
    return services.schedule_meeting(
        confirmed=True,
        community=plc, actor=person("leader"), title="Заседание", chair=person("leader"),
        place="Каб. 5", starts_at=timezone.now() - dt.timedelta(hours=3), questions=list(questions),
    )  # fmt: skip


@pytest.fixture
def minuted(plc) -> Meeting:
    """Minutes with two questions and two decisions; the first decision is done, with evidence
    and a file."""
    meeting = held_meeting(plc)
    services.write_minutes(
        meeting=meeting, version=None, attended=[person("leader").pk],
        questions=[
            {"title": "Анализ результатов", "speakers": "", "summary": ""},
            {"title": "Открытые уроки", "speakers": "Соколова", "summary": "Обсудили"},
        ],
        decisions=[
            {"text": "Провести открытый урок", "assignee": person("teacher"), "due_on": None,
             "question": 1},
            {"text": "Собрать темы", "assignee": person("leader"), "due_on": None, "question": 0},
        ],
    )  # fmt: skip
    done = meeting.decisions.get(text="Провести открытый урок")
    services.attach(
        actor=person("teacher"), title="Конспект", decision=done,
        file=SimpleUploadedFile("lesson.pdf", PDF, "application/pdf"),
    )  # fmt: skip
    services.update_decision(decision=done, status="done", evidence="Урок проведён 12.10")
    return meeting


@pytest.fixture
def leader(client, plc):
    client.force_login(person("leader"))
    return client


def snapshot(meeting: Meeting) -> tuple:
    """Everything a save could change, to show that a refused one changed nothing."""
    return (
        list(Minutes.objects.filter(meeting=meeting).values_list("version", "secretary_id")),
        list(
            AgendaQuestion.objects.filter(meeting=meeting)
            .order_by("pk")
            .values_list("pk", "order", "title", "speakers", "summary")
        ),
        list(
            Decision.objects.filter(meeting=meeting)
            .order_by("pk")
            .values_list("pk", "text", "assignee_id", "due_on", "question_id", "status", "evidence")
        ),
        # In the order of the rows, not of the table's storage (PostgreSQL moves updated rows).
        list(
            Participant.objects.filter(meeting=meeting).order_by("pk").values_list("pk", "attended")
        ),
    )


def test_only_the_rows_that_exist_are_drawn(leader, minuted, plc):
    page = MinutesPage(leader, minuted.pk)
    questions = list(minuted.questions.values_list("pk", flat=True))
    decisions = list(minuted.decisions.values_list("pk", flat=True))
    assert page.rows("question") == [str(pk) for pk in questions]
    assert sorted(page.rows("decision")) == sorted(str(pk) for pk in decisions)
    # New minutes: one row per agenda question already on the meeting, no decision rows.
    fresh = held_meeting(plc, questions=["Первый вопрос", "Второй вопрос"])
    page = MinutesPage(leader, fresh.pk)
    assert page.rows("question") == [str(q.pk) for q in fresh.questions.all()]
    assert page.rows("decision") == []
    assert page[f"q-{fresh.questions.first().pk}-title"] == "Первый вопрос"


def test_a_decision_added_through_the_row_endpoint_is_saved(leader, minuted):
    page = MinutesPage(leader, minuted.pk)
    key = page.add("decision")
    assert key.startswith("n")
    page[f"d-{key}-text"] = "Подготовить доклад"
    page[f"d-{key}-question"] = "1"  # the second question on the page
    page[f"d-{key}-assignee"] = person("teacher").pk
    page[f"d-{key}-due_on"] = "2026-12-20"
    question = page.add("question")
    page[f"q-{question}-title"] = "Разное"
    assert page.post().status_code == 302
    decision = minuted.decisions.get(text="Подготовить доклад")
    assert decision.assignee == person("teacher")
    assert decision.due_on == dt.date(2026, 12, 20)
    assert decision.question.title == "Открытые уроки"
    assert list(minuted.questions.values_list("title", flat=True))[-1] == "Разное"
    assert minuted.decisions.count() == 3


def test_the_row_fragment_is_one_blank_row_with_a_fresh_key(leader, minuted):
    url = f"/meetings/{minuted.pk}/minutes/row/"
    one = leader.get(url, {"add": "decision"}, headers={"HX-Request": "true"})
    two = leader.get(url, {"add": "decision"}, headers={"HX-Request": "true"})
    assert one.status_code == two.status_code == 200
    body = one.content.decode()
    assert body.count("<fieldset") == 1 and "<html" not in body
    assert 'name="decision"' in body and "autofocus" in body
    assert one.context["row"].key != two.context["row"].key
    # The decision offers the meeting's invitees and its questions by number.
    assignees = {v for v, _label in one.context["row"].form.fields["assignee"].choices if v}
    assert assignees == set(minuted.participants.values_list("person_id", flat=True))
    assert leader.get(url, {"add": "question"}).status_code == 200
    for bad in ("", "nothing", "decision:1", "../x"):
        assert leader.get(url, {"add": bad}).status_code == 400


def test_the_row_endpoint_is_for_who_may_write_the_minutes(client, minuted, plc):
    url = f"/meetings/{minuted.pk}/minutes/row/?add=decision"
    client.force_login(person("teacher"))  # a member, not a secretary: may not write minutes
    assert client.get(url).status_code == 403
    assert client.get(f"/meetings/{minuted.pk}/minutes/").status_code == 403
    Membership.objects.filter(community=plc, person__username="teacher").update(
        role=Membership.Role.SECRETARY
    )
    assert client.get(url).status_code == 200  # a secretary of the community may
    client.force_login(person("director"))  # the school's administrator may
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302
    client.force_login(person("leader"))
    assert client.get(url).status_code == 200
    minutes = Minutes.objects.get(meeting=minuted)
    services.sign_minutes(minutes=minutes, actor=person("leader"))
    assert client.get(url).status_code == 403  # signed: corrections go in as addenda


def test_a_removed_decision_goes_and_the_others_keep_status_evidence_and_files(leader, minuted):
    done = minuted.decisions.get(text="Провести открытый урок")
    other = minuted.decisions.get(text="Собрать темы")
    files = list(done.attachments.values_list("pk", flat=True))
    page = MinutesPage(leader, minuted.pk)
    page.remove(f"d-{other.pk}")
    page[f"d-{done.pk}-text"] = "Провести открытый урок физики"
    assert page.post().status_code == 302
    assert not Decision.objects.filter(pk=other.pk).exists()
    kept = Decision.objects.get(pk=done.pk)
    assert kept.text == "Провести открытый урок физики"
    assert (kept.status, kept.evidence) == ("done", "Урок проведён 12.10")
    assert list(kept.attachments.values_list("pk", flat=True)) == files
    assert kept.question.title == "Открытые уроки"


def test_removing_a_question_keeps_the_decisions_on_the_others(leader, minuted):
    first = minuted.questions.first()
    done = minuted.decisions.get(text="Провести открытый урок")  # on the second question
    page = MinutesPage(leader, minuted.pk)
    page.remove(f"q-{first.pk}")
    assert page.post().status_code == 302
    assert list(minuted.questions.values_list("title", flat=True)) == ["Открытые уроки"]
    assert Decision.objects.get(pk=done.pk).question.title == "Открытые уроки"
    assert minuted.decisions.get(text="Собрать темы").question is None


def test_a_stale_second_tab_is_refused_and_writes_nothing(leader, minuted):
    first, second = MinutesPage(leader, minuted.pk), MinutesPage(leader, minuted.pk)
    question = minuted.questions.first()
    first[f"q-{question.pk}-summary"] = "Из первой вкладки"
    assert first.post().status_code == 302
    after_first = snapshot(minuted)
    key = second.add("decision")
    second[f"d-{key}-text"] = "Из второй вкладки"
    second.remove(f"d-{minuted.decisions.first().pk}")
    response = second.post()
    assert response.status_code == 200 and response.context["errors"]
    assert "Из второй вкладки" in response.content.decode()  # still on screen to copy
    assert snapshot(minuted) == after_first


def test_bad_rows_get_errors_at_their_field_and_nothing_is_written(leader, minuted):
    before = snapshot(minuted)
    question = minuted.questions.first()
    done = minuted.decisions.get(text="Провести открытый урок")
    page = MinutesPage(leader, minuted.pk)
    page[f"q-{question.pk}-speakers"] = "С" * 501
    page[f"d-{done.pk}-due_on"] = "not a date"
    data = page.data()
    data[f"q-{question.pk}-title"] = ["\x0b "]  # only what Word pastes for a break: empty
    key = "n0123456789"
    data |= {"decision": [*data["decision"], key], f"d-{key}-text": ["Новое"]}
    data[f"d-{key}-assignee"] = [str(person("mentor").pk)]  # not invited to this meeting
    response = leader.post(page.url, data)
    assert response.status_code == 200
    assert snapshot(minuted) == before
    editor = response.context["editor"]
    assert set(editor.questions[0].form.errors) == {"title", "speakers"}
    rows = {row.key: row for row in editor.decisions}
    assert set(rows[str(done.pk)].form.errors) == {"due_on"}
    assert set(rows[key].form.errors) == {"assignee"}
    links = [
        a.get("href") for a in MinutesPage.parse(response).xpath("//*[@id='minutes-errors']//a")
    ]
    assert f"#id_q-{question.pk}-title" in links and f"#id_d-{key}-assignee" in links
    again = MinutesPage(leader, minuted.pk, response)
    assert again[f"q-{question.pk}-speakers"] == "С" * 501  # what was typed stays to be fixed


def test_damaged_row_keys_are_refused(leader, minuted):
    before = snapshot(minuted)
    page = MinutesPage(leader, minuted.pk)
    response = page.post(decision="../1")
    assert response.status_code == 200 and response.context["errors"]
    assert snapshot(minuted) == before


def test_new_rows_left_blank_are_ignored(leader, minuted):
    before = snapshot(minuted)
    page = MinutesPage(leader, minuted.pk)
    page.add("question")
    page.add("decision")
    assert page.post().status_code == 302
    after = snapshot(minuted)
    assert after[0][0][0] == before[0][0][0] + 1 and after[1:] == before[1:]


def test_without_javascript_add_redraws_the_page_keeping_what_was_typed(leader, minuted):
    before = snapshot(minuted)
    question = minuted.questions.first()
    page = MinutesPage(leader, minuted.pk)
    page[f"q-{question.pk}-summary"] = "Ещё не сохранено"
    page.tick("attended", person("teacher").pk)
    response = page.post(add="decision")
    assert response.status_code == 200 and snapshot(minuted) == before  # nothing saved yet
    assert not response.context["errors"]  # the blank row is not an error
    page.load(response.content)
    assert page[f"q-{question.pk}-summary"] == "Ещё не сохранено"
    assert str(person("teacher").pk) in page.data()["attended"]
    new = page.rows("decision")[-1]
    assert len(page.rows("decision")) == 3 and new.startswith("n")
    page[f"d-{new}-text"] = "Добавлено без JavaScript"
    assert page.post().status_code == 302
    assert minuted.decisions.filter(text="Добавлено без JavaScript").exists()
    assert minuted.questions.get(pk=question.pk).summary == "Ещё не сохранено"
    assert minuted.participants.get(person__username="teacher").attended


def test_every_control_of_the_page_has_a_label(leader, minuted):
    page = MinutesPage(leader, minuted.pk)
    page.add("decision")
    page.add("question")
    labels = {label.get("for") for label in page.doc.iter("label")}
    controls = [
        el
        for el in page.form.iter("input", "select", "textarea")
        if el.get("type") not in ("hidden", "checkbox") or el.get("id")
    ]
    assert controls and all(
        el.get("id") in labels or el.getparent().tag == "label" for el in controls
    )
    buttons = list(page.form.iter("button"))
    assert buttons and all(b.text_content().strip() for b in buttons)
