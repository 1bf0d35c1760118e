"""The demo's discussions as its people see them."""

import pytest
from django.core.management import call_command

from discussions.models import Comment, Post
from notifications.models import Notification
from people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", verbosity=0)


def test_the_demo_feeds_load_twice_alike_and_show_to_their_people(demo, client):
    counts = (Post.objects.count(), Comment.objects.count())
    call_command("load_demo", verbosity=0)
    assert (Post.objects.count(), Comment.objects.count()) == counts
    pinned = Post.objects.filter(title="Вебинар для сетевых групп", pinned=True)
    assert pinned.count() == 12
    plc_post = Post.objects.get(title="Запись урока с формирующим оцениванием")
    client.force_login(Person.objects.get(username="leader"))
    page = client.get(f"/communities/{plc_post.community_id}/feed/").content.decode()
    assert "video-card" in page and "Открытые уроки в ноябре" in page
    teacher = Person.objects.get(username="teacher")
    assert Notification.objects.filter(
        recipient=teacher, kind=Notification.Kind.POST_MENTION
    ).exists()
    client.force_login(Person.objects.get(username="curator"))
    assert client.get("/posts/announce/").status_code == 200

    # The PLC's publication schedule: one line written from it, one due soon for `teacher`.
    client.force_login(teacher)
    schedule = client.get(f"/communities/{plc_post.community_id}/schedule/")
    rows = schedule.context["rows"]
    assert [r["planned"].is_published for r in rows] == [True, False] and rows[1]["may_write"]
    assert rows[1]["planned"].title == "Итоги недели естественных наук"
    assert (
        Notification.objects.filter(
            recipient=teacher, kind=Notification.Kind.PUBLICATION_PLANNED
        ).count()
        == 2
    )


def test_the_curator_asks_a_network_group_in_a_poll(demo, client):
    from discussions.models import Poll

    call_command("load_demo", verbosity=0)  # loading again adds no second poll
    poll = Poll.objects.get(question__startswith="Когда провести очное заседание")
    assert poll.post.author.username == "curator"
    assert poll.post.community.kind.code == "network_group"
    assert poll.voter_count == 1
    client.force_login(Person.objects.get(username="teacher"))
    page = client.get(f"/communities/{poll.post.community_id}/feed/").content.decode()
    assert f'id="poll-{poll.post_id}-results"' in page


def test_the_demo_moderation_walk_through(demo, client, django_capture_on_commit_callbacks):
    """`teacher` comments in a network group and reports someone else's off-topic comment; the
    curator finds it in /moderation/ and hides it with a reason; its author sees the reason."""
    teacher = Person.objects.get(username="teacher")
    curator = Person.objects.get(username="curator")
    post = Post.objects.get(title="Задачи с практическим содержанием")
    off_topic = Comment.objects.get(post=post, body__startswith="Продаю")
    author = off_topic.author
    client.force_login(teacher)
    response = client.post(
        f"/posts/{post.pk}/comments/", {"body": "Добавлю задачу про рычаги.", "token": "demo-c"}
    )
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/moderation/comment/{off_topic.pk}/report/",
            {"reason": "off_topic", "text": "Реклама"},
        )
    assert response.status_code == 302
    assert Notification.objects.filter(
        recipient=curator, kind=Notification.Kind.MODERATION_REPORT
    ).exists()

    client.force_login(curator)
    queue = client.get("/moderation/").content.decode()
    assert "Продаю репетиторские курсы" in queue
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/moderation/comment/{off_topic.pk}/hide/",
            {"reason": "Реклама не по теме группы", "next": "/moderation/"},
        )
    assert response.status_code == 302
    assert "Продаю репетиторские курсы" not in client.get("/moderation/").content.decode()

    client.force_login(author)
    page = client.get(f"/posts/{post.pk}/").content.decode()
    assert "Реклама не по теме группы" in page
    assert Notification.objects.filter(recipient=author, kind=Notification.Kind.MODERATED).exists()
    client.force_login(teacher)
    page = client.get(f"/posts/{post.pk}/").content.decode()
    assert "Продаю репетиторские курсы" not in page and "Реклама не по теме группы" not in page
