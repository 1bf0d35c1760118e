"""Chat lines are moderated as posts and comments are (003 app. 2 §4.2.7): members report a line,
the moderators hide it with a reason its author reads, and restore it; the others no longer see
it — on the page, in the poll for new lines and in the API."""

import pytest
from django.core.exceptions import PermissionDenied

from core.tests.conftest import SECRETARY, TEACHER_A
from discussions import services
from discussions.models import ModerationAction, Report, Status
from notifications.models import Notification


@pytest.fixture
def line(world):
    return services.send_chat_message(
        actor=world.user(SECRETARY), community=world.plc, body="Buy my course at example.com"
    )


def _chat(client, world):
    return client.get(f"/communities/{world.plc.pk}/chat/").content.decode()


def test_a_member_reports_a_chat_line_once_and_the_moderators_are_told(
    client, world, line, django_capture_on_commit_callbacks
):
    client.force_login(world.member)
    assert f"/moderation/chat/{line.pk}/report/" in _chat(client, world)
    url = f"/moderation/chat/{line.pk}/report/"
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url, {"reason": "spam", "text": "advertising"})
        client.post(url, {"reason": "spam"})  # sent twice
    assert sent.status_code == 302 and f"#chat-{line.pk}" in sent["Location"]
    report = Report.objects.get(target="chat", object_id=line.pk)
    assert report.chat == line and report.community == world.plc
    assert Notification.objects.filter(
        recipient=world.leader, kind=Notification.Kind.MODERATION_REPORT
    ).exists()
    assert client.get("/moderation/").status_code == 403  # the member moderates nothing
    client.force_login(world.leader)
    assert "Buy my course" in client.get("/moderation/").content.decode()


def test_the_author_and_an_outsider_cannot_report_a_line(client, world, line):
    client.force_login(world.user(SECRETARY))
    assert client.post(f"/moderation/chat/{line.pk}/report/", {"reason": "spam"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.report(actor=world.user(TEACHER_A), item=line, reason="spam")
    assert not Report.objects.exists()


def test_a_moderator_hides_a_line_with_a_reason_the_author_reads(
    client, world, line, django_capture_on_commit_callbacks
):
    services.report(actor=world.member, item=line, reason="spam")
    client.force_login(world.leader)
    assert f"/moderation/chat/{line.pk}/hide/" in _chat(client, world)
    with django_capture_on_commit_callbacks(execute=True):
        hidden = client.post(f"/moderation/chat/{line.pk}/hide/", {"reason": "Advertising"})
    assert hidden.status_code == 302
    line.refresh_from_db()
    assert line.status == Status.HIDDEN and line.hidden_reason == "Advertising"
    assert Report.objects.get(chat=line).state == Report.State.RESOLVED
    assert ModerationAction.objects.filter(chat=line, action="hide").exists()
    told = Notification.objects.get(
        recipient=world.user(SECRETARY), kind=Notification.Kind.MODERATED
    )
    assert f"#chat-{line.pk}" in told.url
    assert "Buy my course" in _chat(client, world)  # the moderator still sees it

    client.force_login(world.user(SECRETARY))
    page = _chat(client, world)
    assert "Buy my course" in page and "Advertising" in page
    assert "Advertising" in client.get(told.url).content.decode()

    client.force_login(world.member)
    assert "Buy my course" not in _chat(client, world)
    since = client.get(f"/communities/{world.plc.pk}/chat/since/?after={line.pk - 1}")
    assert "Buy my course" not in since.content.decode()
    api = client.get(f"/api/v1/communities/{world.plc.pk}/chat/").json()
    assert line.pk not in [row["id"] for row in api]
    assert client.post(f"/moderation/chat/{line.pk}/hide/", {"reason": "x"}).status_code == 403


def test_a_member_cannot_hide_and_a_moderator_restores(client, world, line):
    client.force_login(world.member)
    assert client.post(f"/moderation/chat/{line.pk}/hide/", {"reason": "x"}).status_code == 403
    services.hide(actor=world.leader, item=line, reason="Advertising")
    client.force_login(world.leader)
    api = client.get(f"/api/v1/communities/{world.plc.pk}/chat/").json()
    row = next(row for row in api if row["id"] == line.pk)
    assert row["moderation"]["hidden"] and row["moderation"]["hidden_reason"] == "Advertising"
    restored = client.post(f"/moderation/chat/{line.pk}/restore/", {"reason": "Agreed"})
    assert restored.status_code == 302
    line.refresh_from_db()
    assert line.status == Status.PUBLISHED and line.hidden_reason == ""
    client.force_login(world.member)
    assert "Buy my course" in _chat(client, world)


def test_a_chat_line_is_reported_through_the_api(client, world, line):
    url = f"/api/v1/chat/{line.pk}/report/"
    client.force_login(world.member)
    made = client.post(url, {"reason": "spam"}, content_type="application/json")
    again = client.post(url, {"reason": "spam"}, content_type="application/json")
    assert made.status_code == 201 and again.status_code == 200
    assert again.json()["id"] == made.json()["id"]
    client.force_login(world.user(SECRETARY))
    assert client.post(url, {"reason": "spam"}, content_type="application/json").status_code == 403
    client.force_login(world.user(TEACHER_A))
    assert client.post(url, {"reason": "spam"}, content_type="application/json").status_code == 404
