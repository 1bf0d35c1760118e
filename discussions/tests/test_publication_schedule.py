"""The publication schedule and the register of publications (004, meetings 1 and 4: «график
публикаций в сетевом сообществе», «журнал регистрации публикаций»): the community's moderators
plan who publishes what by when; the responsible member is told, reminded and sees it on the
dashboard, and writes the post from the schedule; the register lists what was published and
downloads as a spreadsheet."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from communities.models import Membership
from core.tests.conftest import SECRETARY, TEACHER_A
from discussions import services
from discussions.models import PlannedPublication, Post
from notifications.models import Notification
from notifications.services import send_reminders


def _today():
    return timezone.localdate()


def _plan(world, *, days=10, who=None, title="Итоги семинара"):
    return services.plan_publication(
        actor=world.leader, community=world.plc, title=title,
        responsible=who or world.member, due_on=_today() + dt.timedelta(days),
    )  # fmt: skip


def test_a_moderator_plans_once_and_the_responsible_member_is_told(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.leader)
    url = f"/communities/{world.plc.pk}/schedule/"
    form = client.get(url).context["form"]
    data = {
        "title": "Итоги семинара",
        "responsible": world.member.pk,
        "due_on": (_today() + dt.timedelta(10)).isoformat(),
        "token": form.initial["token"],
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
        client.post(url, data)  # sent twice
    planned = PlannedPublication.objects.get(community=world.plc)
    assert planned.responsible == world.member and planned.created_by == world.leader
    told = Notification.objects.get(
        recipient=world.member, kind=Notification.Kind.PUBLICATION_PLANNED
    )
    assert "Итоги семинара" in told.text and f"#planned-{planned.pk}" in told.url
    assert "Итоги семинара" in client.get(url).content.decode()


def test_bad_plans_get_a_message_on_their_field(client, world):
    client.force_login(world.leader)
    url = f"/communities/{world.plc.pk}/schedule/"
    past = {
        "title": "Отчёт",
        "responsible": world.member.pk,
        "due_on": (_today() - dt.timedelta(1)).isoformat(),
    }
    response = client.post(url, past)
    assert response.status_code == 200 and "due_on" in response.context["form"].errors
    outsider = {**past, "due_on": _today().isoformat(), "responsible": world.user(TEACHER_A).pk}
    response = client.post(url, outsider)
    assert "responsible" in response.context["form"].errors
    blank = {**past, "due_on": _today().isoformat(), "title": "\u200b\x07 "}
    response = client.post(url, blank)
    assert "title" in response.context["form"].errors
    assert not PlannedPublication.objects.exists()


def test_members_see_the_schedule_but_only_moderators_plan(client, world):
    _plan(world)
    url = f"/communities/{world.plc.pk}/schedule/"
    client.force_login(world.user(SECRETARY))
    page = client.get(url)
    assert page.status_code == 200 and page.context["form"] is None
    data = {"title": "x", "responsible": world.member.pk, "due_on": _today().isoformat()}
    assert client.post(url, data).status_code == 403
    with pytest.raises(PermissionDenied):
        services.plan_publication(
            actor=world.user(SECRETARY), community=world.plc, title="x",
            responsible=world.member, due_on=_today(),
        )  # fmt: skip
    client.force_login(world.user(TEACHER_A))
    assert client.get(url).status_code == 403
    assert client.get(f"/communities/{world.plc.pk}/publications/").status_code == 403
    assert client.get(f"/communities/{world.plc.pk}/publications.xlsx").status_code == 403


def test_the_responsible_member_writes_the_post_from_the_schedule(client, world):
    planned = _plan(world)
    client.force_login(world.member)
    schedule = client.get(f"/communities/{world.plc.pk}/schedule/").content.decode()
    write = f"/communities/{world.plc.pk}/feed/new/?planned={planned.pk}"
    assert write.replace("&", "&amp;") in schedule or write in schedule
    form = client.get(write).context["form"]
    assert form.initial["planned"] == planned.pk and form.initial["title"] == "Итоги семинара"
    data = {
        "title": "Итоги семинара",
        "body": "Семинар прошёл",
        "planned": planned.pk,
        "token": form.initial["token"],
    }
    assert client.post(f"/communities/{world.plc.pk}/feed/new/", data).status_code == 302
    planned.refresh_from_db()
    assert planned.post.body == "Семинар прошёл" and planned.is_published
    page = client.get(f"/communities/{world.plc.pk}/schedule/")
    assert not page.context["rows"][0]["may_write"]
    register = client.get(f"/communities/{world.plc.pk}/publications/").content.decode()
    assert "Семинар прошёл" in register or "Итоги семинара" in register
    # The line is written: a second post cannot claim it.
    with pytest.raises(ValidationError):
        services.create_post(
            actor=world.member, community=world.plc, body="Ещё раз", planned=planned
        )
    assert Post.objects.filter(community=world.plc).count() == 1


def test_another_member_cannot_write_someone_elses_line(client, world):
    planned = _plan(world)
    secretary = world.user(SECRETARY)
    with pytest.raises(ValidationError):
        services.create_post(actor=secretary, community=world.plc, body="Моё", planned=planned)
    client.force_login(secretary)
    form = client.get(f"/communities/{world.plc.pk}/feed/new/?planned={planned.pk}")
    assert "planned" not in form.context["form"].fields
    sneaked = client.post(
        f"/communities/{world.plc.pk}/feed/new/", {"body": "Моё", "planned": planned.pk}
    )
    assert sneaked.status_code == 302  # a post of their own, not the line's
    planned.refresh_from_db()
    assert planned.post is None


def test_reminders_and_the_dashboard(client, world):
    soon = _plan(world, days=2, title="Скоро")
    later = _plan(world, days=20, title="Позже")
    late = _plan(world, days=1, title="Опоздание")
    PlannedPublication.objects.filter(pk=late.pk).update(due_on=_today() - dt.timedelta(2))
    left = _plan(world, days=1, who=world.user(SECRETARY), title="Ушедший")
    Membership.objects.filter(community=world.plc, person=world.user(SECRETARY)).delete()
    send_reminders()
    send_reminders()  # a second run tells nobody twice
    due = Notification.objects.filter(kind=Notification.Kind.PUBLICATION_DUE)
    assert sorted(n.text.split(": ", 1)[1] for n in due) == ["Опоздание", "Скоро"]
    assert all(n.recipient == world.member for n in due)
    assert later.title not in " ".join(due.values_list("text", flat=True))
    assert not due.filter(recipient=world.user(SECRETARY)).exists() and left.pk

    client.force_login(world.member)
    waiting = [i for i in client.get("/").context["waiting"] if i.kind == "publication"]
    assert [i.title for i in waiting] == ["Опоздание", "Скоро"]
    assert waiting[0].overdue and not waiting[1].overdue
    assert waiting[1].url.endswith(f"?planned={soon.pk}")


def test_a_moderator_removes_an_unwritten_line_only(client, world):
    planned = _plan(world)
    written = _plan(world, title="Написано")
    services.create_post(actor=world.member, community=world.plc, body="Готово", planned=written)
    client.force_login(world.member)
    assert client.post(f"/schedule/{planned.pk}/remove/").status_code == 403
    client.force_login(world.leader)
    assert client.post(f"/schedule/{planned.pk}/remove/").status_code == 302
    assert client.post(f"/schedule/{written.pk}/remove/").status_code == 403
    assert list(PlannedPublication.objects.values_list("title", flat=True)) == ["Написано"]


def _publish(world, n, start=0):
    for i in range(start, start + n):
        services.create_post(
            actor=world.member, community=world.plc, title=f"Пост {i}", body=f"Текст {i}"
        )


def test_the_register_downloads_in_publication_order_and_safely(client, world):
    planned = _plan(world, title="По графику")
    services.create_post(actor=world.member, community=world.plc, body="Первый", planned=planned)
    services.create_post(
        actor=world.member, community=world.plc, title='=HYPERLINK("http://x")', body="b"
    )
    client.force_login(world.user(SECRETARY))
    response = client.get(f"/communities/{world.plc.pk}/publications.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert world.plc.name in rows[0][0]
    assert rows[1][4] == "Название"  # the header row
    assert [r[0] for r in rows[2:]] == [1, 2]
    assert rows[2][4] == "Первый" and "По графику" in rows[2][6]
    formula = sheet.cell(row=4, column=5)
    assert formula.data_type == "s" and formula.value.startswith("=")


def test_the_register_and_schedule_make_as_many_queries_for_many_posts(client, world):
    client.force_login(world.leader)
    urls = [
        f"/communities/{world.plc.pk}/publications/",
        f"/communities/{world.plc.pk}/publications.xlsx",
        f"/communities/{world.plc.pk}/schedule/",
    ]
    _publish(world, 2)
    _plan(world)
    for url in urls:
        client.get(url)  # warm up

    def counts():
        out = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            out.append(len(queries))
        return out

    few = counts()
    _publish(world, 12, start=2)
    for i in range(6):
        _plan(world, title=f"План {i}")
    assert counts() == few


def test_the_schedule_through_the_api(client, world):
    api = "/api/v1/schedule/"
    due = (_today() + dt.timedelta(5)).isoformat()
    body = {"community": world.plc.pk, "title": "Итоги", "responsible": world.member.pk,
            "due_on": due, "token": "api-1"}  # fmt: skip

    def post(url, data):
        return client.post(url, data, content_type="application/json")

    client.force_login(world.member)
    assert post(api, body).status_code == 403  # not a moderator
    client.force_login(world.leader)
    made = post(api, body)
    assert made.status_code == 201 and post(api, body).json()["id"] == made.json()["id"]
    bad = post(api, {**body, "token": "", "responsible": world.user(TEACHER_A).pk})
    assert bad.status_code == 400 and "responsible" in bad.json()
    listed = client.get(api, {"community": world.plc.pk}).json()["results"]
    assert [(r["title"], r["published"]) for r in listed] == [("Итоги", False)]

    client.force_login(world.member)
    written = post(
        "/api/v1/posts/",
        {"community": world.plc.pk, "body": "Готово", "planned": made.json()["id"]},
    )
    assert written.status_code == 201
    row = client.get(api, {"community": world.plc.pk}).json()["results"][0]
    assert row["post"] == written.json()["id"] and row["published"]
    assert client.delete(f"{api}{row['id']}/").status_code == 403

    client.force_login(world.user(TEACHER_A))
    assert client.get(api, {"community": world.plc.pk}).status_code == 403
    assert client.delete(f"{api}{row['id']}/").status_code == 404
    client.force_login(world.leader)
    assert client.delete(f"{api}{row['id']}/").status_code == 403  # written: it stays
    spare = _plan(world, title="Лишнее")
    assert client.delete(f"{api}{spare.pk}/").status_code == 204
    assert client.get(api).status_code == 404  # no community
