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
