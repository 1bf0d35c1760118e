"""The forum through the REST API: the same policy as the pages — its readers list topics and
replies, those who may post open topics, a hidden reply reaches only its author and the
moderators, a double submit makes one topic, bad input is a 400 on its field."""

from core.tests.conftest import SECRETARY, TEACHER_A
from discussions import services
from discussions.models import Report, Topic

TOPICS = "/api/v1/topics/"


def _post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_open_list_read_and_reply_round_trip(client, world):
    client.force_login(world.member)
    data = {"community": world.plc.pk, "title": "Оценивание", "body": "Как?", "token": "t1"}
    made = _post(client, TOPICS, data)
    again = _post(client, TOPICS, data)
    assert made.status_code == 201 and again.json()["id"] == made.json()["id"]
    topic_id = made.json()["id"]
    assert Topic.objects.filter(community=world.plc).count() == 1

    client.force_login(world.leader)
    listed = client.get(TOPICS, {"community": world.plc.pk}).json()
    assert [t["id"] for t in listed["results"]] == [topic_id]
    assert topic_id in [t["id"] for t in client.get(TOPICS).json()["results"]]
    one = client.get(f"{TOPICS}{topic_id}/").json()
    assert one["title"] == "Оценивание" and one["moderation"]["hidden"] is False

    replies = f"{TOPICS}{topic_id}/replies/"
    first = _post(client, replies, {"body": "По **критериям**", "token": "r1"})
    assert first.status_code == 201 and "<strong>критериям</strong>" in first.json()["body_html"]
    client.force_login(world.member)
    quoting = _post(client, replies, {"body": "Согласна", "quote": first.json()["id"]})
    assert quoting.status_code == 201 and quoting.json()["quote"] == first.json()["id"]
    listed = client.get(replies).json()["results"]
    assert [r["body"] for r in listed] == ["По **критериям**", "Согласна"]
    assert client.get(f"{TOPICS}{topic_id}/").json()["reply_count"] == 2


def test_outsiders_do_not_find_the_forum(client, world):
    topic = services.open_topic(actor=world.member, community=world.plc, title="A", body="a")
    client.force_login(world.user(TEACHER_A))
    assert client.get(TOPICS, {"community": world.plc.pk}).status_code == 403
    assert topic.pk not in [t["id"] for t in client.get(TOPICS).json()["results"]]
    assert client.get(f"{TOPICS}{topic.pk}/").status_code == 404
    assert client.get(f"{TOPICS}{topic.pk}/replies/").status_code == 404
    assert _post(client, f"{TOPICS}{topic.pk}/replies/", {"body": "x"}).status_code == 404
    refused = _post(client, TOPICS, {"community": world.plc.pk, "title": "B", "body": "b"})
    assert refused.status_code == 403
    client.logout()
    assert client.get(TOPICS).status_code in (401, 403)


def test_a_hidden_reply_reaches_its_author_and_the_moderators_only(client, world):
    topic = services.open_topic(actor=world.member, community=world.plc, title="A", body="a")
    answer = services.reply(actor=world.user(SECRETARY), topic=topic, body="Реклама курсов")
    services.hide(actor=world.leader, item=answer, reason="Реклама")
    url = f"{TOPICS}{topic.pk}/replies/"

    def listed():
        return {r["id"]: r for r in client.get(url).json()["results"]}

    client.force_login(world.member)
    assert answer.pk not in listed()
    client.force_login(world.user(SECRETARY))
    assert listed()[answer.pk]["moderation"]["hidden_reason"] == "Реклама"
    client.force_login(world.leader)
    assert answer.pk in listed()


def test_bad_input_is_a_400_with_the_field(client, world):
    topic = services.open_topic(actor=world.member, community=world.plc, title="A", body="a")
    other = services.open_topic(actor=world.member, community=world.plc, title="B", body="b")
    elsewhere = services.reply(actor=world.member, topic=other, body="x")
    client.force_login(world.member)
    untitled = _post(client, TOPICS, {"community": world.plc.pk, "title": "", "body": "b"})
    assert untitled.status_code == 400 and "title" in untitled.json()
    blank = _post(client, TOPICS, {"community": world.plc.pk, "title": "\x07\u200b", "body": "b"})
    assert blank.status_code == 400 and "title" in blank.json()
    huge = _post(client, f"{TOPICS}{topic.pk}/replies/", {"body": "x" * 6000})
    assert huge.status_code == 400 and "body" in huge.json()
    foreign = _post(client, f"{TOPICS}{topic.pk}/replies/", {"body": "y", "quote": elsewhere.pk})
    assert foreign.status_code == 400 and "quote" in foreign.json()
    assert client.get(f"{TOPICS}abc/").status_code == 404


def test_topics_and_replies_are_reported_through_the_api(client, world):
    topic = services.open_topic(actor=world.member, community=world.plc, title="A", body="a")
    answer = services.reply(actor=world.member, topic=topic, body="x")
    client.force_login(world.leader)
    for url in (f"{TOPICS}{topic.pk}/report/", f"/api/v1/replies/{answer.pk}/report/"):
        assert _post(client, url, {"reason": "off_topic"}).status_code == 201
    assert Report.objects.filter(target__in=["topic", "reply"]).count() == 2
    client.force_login(world.member)  # their own
    assert _post(client, f"{TOPICS}{topic.pk}/report/", {"reason": "spam"}).status_code == 403
