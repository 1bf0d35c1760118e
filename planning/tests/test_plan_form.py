"""The plan's edit page with real rows: targets, planned meetings and their agenda items are
added, removed and moved in the page, and saved through the same service as the API."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings import services as meeting_services
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


def person(username: str) -> Person:
    return Person.objects.get(username=username)


@pytest.fixture
def leader(client, demo):
    client.force_login(person("leader"))
    return client


def snapshot(plan: Plan) -> tuple:
    """Everything a save could change, to show that a refused one changed nothing."""
    return (
        Plan.objects.filter(pk=plan.pk).values_list("version", "theme").get(),
        list(Target.objects.filter(plan=plan).values_list("pk", "order", "indicator", "target")),
        list(PlannedMeeting.objects.filter(plan=plan).values_list("pk", "order", "month", "title")),
        list(
            AgendaItem.objects.filter(meeting__plan=plan).values_list(
                "pk", "meeting_id", "order", "section", "action", "leaders", "evidence", "done"
            )
        ),
    )


def actions(meeting: PlannedMeeting) -> list[str]:
    return list(meeting.items.values_list("action", flat=True))


def test_an_agenda_item_is_added_in_its_four_fields_without_any_separator(leader, demo):
    meeting = demo.meetings.get(month=1)
    before = actions(meeting)
    page = EditPage(leader, demo.pk)
    assert 'name="m-' in page.response.content.decode()
    assert "|" not in "".join(page.form.xpath(".//label/text()"))  # no "a | b | c" hint left
    key = page.add("item", str(meeting.pk))
    page[f"i-{key}-section"] = "Открытый урок"
    page[f"i-{key}-action"] = "Урок физики с листами наблюдения | по Lesson Study"
    page[f"i-{key}-leaders"] = "Учитель физики"
    page[f"i-{key}-evidence"] = "конспект, листы наблюдения"
    assert page.post().status_code == 302
    item = meeting.items.last()
    assert actions(meeting) == [*before, item.action]
    assert (item.section, item.action, item.leaders, item.evidence) == (
        "Открытый урок",
        "Урок физики с листами наблюдения | по Lesson Study",  # a | is just a character now
        "Учитель физики",
        "конспект, листы наблюдения",
    )


def test_the_row_fragment_is_one_blank_row_with_a_fresh_key(leader, demo):
    meeting = demo.meetings.first()
    url = f"/plans/{demo.pk}/edit/row/"
    one = leader.get(url, {"add": f"item:{meeting.pk}"}, headers={"HX-Request": "true"})
    two = leader.get(url, {"add": f"item:{meeting.pk}"}, headers={"HX-Request": "true"})
    assert one.status_code == two.status_code == 200
    body = one.content.decode()
    assert body.count("<fieldset") == 1 and "<html" not in body
    assert f'name="m-{meeting.pk}-item"' in body and "autofocus" in body
    assert one.context["row"].key != two.context["row"].key
    new_meeting = leader.get(url, {"add": "meeting"}).content.decode()
    assert new_meeting.count('data-row="item"') == 1  # a new meeting comes with one item
    assert leader.get(url, {"add": "target"}).status_code == 200
    for bad in ("", "nothing", "item:", "item:../x", "item:1 OR 1=1"):
        assert leader.get(url, {"add": bad}).status_code == 400


def test_the_row_fragment_is_for_the_plans_editors_only(client, demo):
    url = f"/plans/{demo.pk}/edit/row/?add=target"
    client.force_login(person("teacher"))  # a member of the PLC, who does not edit its plan
    assert client.get(url).status_code == 403
    client.force_login(person("leader"))
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302
    Plan.objects.filter(pk=demo.pk).update(status=Plan.Status.APPROVED)  # frozen: no rows
    client.force_login(person("leader"))
    assert client.get(url).status_code == 403


def test_without_javascript_add_and_move_redraw_the_page_keeping_what_was_typed(leader, demo):
    meeting = demo.meetings.first()
    before = snapshot(demo)
    page = EditPage(leader, demo.pk)
    page["theme"] = "Новая тема, ещё не сохранена"
    response = page.post(add=f"item:{meeting.pk}")
    assert response.status_code == 200 and snapshot(demo) == before  # nothing saved yet
    assert not response.context["errors"]  # the blank row is not an error
    page.load(response.content)
    assert page["theme"] == "Новая тема, ещё не сохранена"
    items = page.rows("item", str(meeting.pk))
    assert len(items) == meeting.items.count() + 1
    new = items[-1]
    page[f"i-{new}-action"] = "Добавлено без JavaScript"
    page.load(page.post(move=f"up:i:{new}").content)
    assert page.rows("item", str(meeting.pk))[-2] == new
    page.load(page.post(move=f"down:m:{meeting.pk}").content)
    assert page.rows("meeting")[1] == str(meeting.pk)
    assert page.post().status_code == 302
    demo.refresh_from_db()
    assert demo.theme == "Новая тема, ещё не сохранена"
    assert list(demo.meetings.values_list("pk", flat=True))[1] == meeting.pk
    assert actions(meeting)[-2] == "Добавлено без JavaScript"


def test_rows_keep_the_order_of_the_page(leader, demo):
    meeting = demo.meetings.first()
    ids = list(meeting.items.values_list("pk", flat=True))
    targets = list(demo.targets.values_list("pk", flat=True))
    page = EditPage(leader, demo.pk)
    page.move(f"item-{ids[-1]}", -(len(ids) - 1))  # the last item goes first
    page.move(f"target-{targets[0]}", 1)
    assert page.post().status_code == 302
    assert list(meeting.items.values_list("pk", flat=True)) == [ids[-1], *ids[:-1]]
    assert list(demo.targets.values_list("pk", flat=True)) == [targets[1], targets[0], *targets[2:]]


def test_removing_one_item_keeps_the_others_done_and_their_evidence(leader, demo):
    meeting = demo.meetings.first()
    first, second, *rest = meeting.items.all()
    for item in (first, second):
        services.set_item_done(item=item, actor=person("leader"), done=True)
    meeting_services.attach(
        actor=person("leader"), title="Протокол № 1", plan_item=second,
        file=SimpleUploadedFile("protocol.pdf", PDF, "application/pdf"),
    )  # fmt: skip
    page = EditPage(leader, demo.pk)
    page.remove(f"i-{first.pk}")
    page[f"i-{second.pk}-action"] = second.action + " (уточнено)"
    assert page.post().status_code == 302
    assert not AgendaItem.objects.filter(pk=first.pk).exists()
    kept = AgendaItem.objects.get(pk=second.pk)
    assert kept.done and kept.action.endswith("(уточнено)")
    assert kept.attachments.get().title == "Протокол № 1"
    assert list(meeting.items.values_list("pk", flat=True)) == [second.pk, *(i.pk for i in rest)]


def test_a_second_tab_saving_an_older_version_is_refused_and_writes_nothing(leader, demo):
    meeting = demo.meetings.first()
    first, second = EditPage(leader, demo.pk), EditPage(leader, demo.pk)
    first["theme"] = "Из первой вкладки"
    assert first.post().status_code == 302
    after_first = snapshot(demo)
    key = second.add("item", str(meeting.pk))
    second[f"i-{key}-action"] = "Из второй вкладки"
    second.remove(f"i-{meeting.items.first().pk}")
    response = second.post()
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "Из второй вкладки" in response.content.decode()  # still on screen to copy
    assert snapshot(demo) == after_first


def test_a_double_submit_saves_once_and_answers_both_as_saved(leader, demo):
    meeting = demo.meetings.first()
    page = EditPage(leader, demo.pk)
    key = page.add("item", str(meeting.pk))
    page[f"i-{key}-action"] = "Один раз"
    data = page.data()
    first = leader.post(page.url, data)
    second = leader.post(page.url, data)
    assert first.status_code == second.status_code == 302
    assert second.url == f"/plans/{demo.pk}/"
    assert actions(meeting).count("Один раз") == 1
    # The same rendering of the form sending other text later is a stale save, not a repeat.
    data[f"i-{key}-action"] = ["Другой текст"]
    assert leader.post(page.url, data).status_code == 200
    assert "Другой текст" not in actions(meeting)


def test_bad_rows_get_errors_at_their_row_and_field_and_nothing_is_written(leader, demo):
    meeting = demo.meetings.get(month=3)
    item = meeting.items.first()
    target = demo.targets.first()
    before = snapshot(demo)
    page = EditPage(leader, demo.pk)
    page["theme"] = "Тема, которая не сохранится"
    page[f"i-{item.pk}-action"] = "\x0b\x07 "  # only what Word pastes for breaks: empty
    page[f"i-{item.pk}-leaders"] = "Л" * 301
    page[f"t-{target.pk}-target"] = "семьдесят"
    response = page.post()
    assert response.status_code == 200
    assert snapshot(demo) == before
    item_form = next(
        i.form
        for m in response.context["editor"].meetings
        for i in m.items
        if i.key == str(item.pk)
    )
    assert set(item_form.errors) == {"action", "leaders"}
    target_form = response.context["editor"].targets[0].form
    assert set(target_form.errors) == {"target"}
    links = [a.get("href") for a in EditPage.parse(response).xpath("//*[@id='plan-errors']//a")]
    assert links == [
        f"#id_t-{target.pk}-target",
        f"#id_i-{item.pk}-action",
        f"#id_i-{item.pk}-leaders",
    ]
    page = EditPage.from_response(leader, demo.pk, response)
    assert page[f"i-{item.pk}-leaders"] == "Л" * 301  # what was typed stays to be fixed


def test_text_pasted_from_word_is_saved_without_control_characters(leader, demo):
    item = demo.meetings.first().items.first()
    page = EditPage(leader, demo.pk)
    page[f"i-{item.pk}-action"] = "Анализ\x0bработы\x00 ПОС\x1eгруппы\x1f"
    page["goals"] = "Первая цель\x0bвторая цель\x07"
    assert page.post().status_code == 302
    item.refresh_from_db()
    demo.refresh_from_db()
    assert item.action == "Анализ работы ПОС-группы"
    assert demo.goals == "Первая цель\nвторая цель"


def test_new_rows_left_blank_are_ignored(leader, demo):
    before = snapshot(demo)
    page = EditPage(leader, demo.pk)
    page.add("target")
    page.add("meeting")
    page.add("item", str(demo.meetings.first().pk))
    assert page.post().status_code == 302
    after = snapshot(demo)
    assert after[0][0] == before[0][0] + 1 and after[1:] == before[1:]


def test_damaged_row_keys_are_refused(leader, demo):
    before = snapshot(demo)
    page = EditPage(leader, demo.pk)
    response = page.post(target="../1")
    assert response.status_code == 200 and response.context["errors"]
    assert snapshot(demo) == before


def test_numbers_are_shown_and_read_as_people_write_them(leader, demo):
    target = demo.targets.get(indicator__startswith="Качество знаний по предметам")
    page = EditPage(leader, demo.pk)
    assert page[f"t-{target.pk}-target"] == "70"
    assert ".00" not in page.response.content.decode()
    page[f"t-{target.pk}-actual"] = "72,5"  # the Russian decimal comma
    assert page.post().status_code == 302
    target.refresh_from_db()
    assert target.actual == Decimal("72.5")
    assert EditPage(leader, demo.pk)[f"t-{target.pk}-actual"] == "72,5"


def test_every_control_of_the_page_has_a_label_and_every_button_a_name(leader, demo):
    page = EditPage(leader, demo.pk)
    page.add("meeting")
    labels = {label.get("for") for label in page.doc.iter("label")}
    controls = [
        el
        for el in page.form.iter("input", "select", "textarea")
        if el.get("type") not in ("hidden",)
    ]
    assert controls and all(el.get("id") in labels for el in controls)
    buttons = list(page.form.iter("button"))
    assert buttons and all(b.text_content().strip() or b.get("aria-label") for b in buttons)
    assert page.form.xpath(".//fieldset[@data-row='meeting']/legend")
    described = [el.get("aria-describedby") for el in controls if el.get("aria-describedby")]
    assert all(page.doc.get_element_by_id(i) is not None for i in described)


def test_the_edit_page_query_count_does_not_grow_with_rows(leader, demo):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert leader.get(f"/plans/{demo.pk}/edit/").status_code == 200
        return len(queries)

    before = count()
    meeting = demo.meetings.first()
    Target.objects.bulk_create(
        Target(plan=demo, order=50 + n, indicator=f"Показатель {n}", target=n) for n in range(20)
    )
    for n in range(5):
        extra = PlannedMeeting.objects.create(plan=demo, order=50 + n, month=4, title=f"З{n}")
        AgendaItem.objects.bulk_create(
            AgendaItem(meeting=extra, order=k, action=f"Пункт {k}") for k in range(6)
        )
    AgendaItem.objects.bulk_create(AgendaItem(meeting=meeting, action=f"Ещё {k}") for k in range(9))
    assert count() == before


def test_a_new_meeting_is_added_with_its_agenda(leader, demo):
    page = EditPage(leader, demo.pk)
    key = page.add("meeting")
    page[f"m-{key}-month"] = "4"
    page[f"m-{key}-title"] = "Апрельское заседание"
    first = page.rows("item", key)[0]
    page[f"i-{first}-action"] = "Первый пункт"
    second = page.add("item", key)
    page[f"i-{second}-action"] = "Второй пункт"
    page[f"i-{second}-leaders"] = "Руководитель ПОС"
    assert page.post().status_code == 302
    meeting = demo.meetings.last()
    assert (meeting.month, meeting.title) == (4, "Апрельское заседание")
    assert actions(meeting) == ["Первый пункт", "Второй пункт"]


def test_a_new_meeting_without_month_is_pointed_at_and_nothing_is_written(leader, demo):
    before = snapshot(demo)
    page = EditPage(leader, demo.pk)
    key = page.add("meeting")
    page[f"i-{page.rows('item', key)[0]}-action"] = "Пункт без заседания"
    response = page.post()
    assert response.status_code == 200 and snapshot(demo) == before
    links = [a.get("href") for a in EditPage.parse(response).xpath("//*[@id='plan-errors']//a")]
    assert links == [f"#id_m-{key}-month", f"#id_m-{key}-title"]
