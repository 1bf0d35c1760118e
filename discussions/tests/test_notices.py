"""Who is told of what: announcements tell members once, mentions tell readers, posts nobody."""

from communities.models import Membership
from communities.tests.factories import MembershipFactory
from core.tests.conftest import CURATOR, MEMBER_OTHER, SECRETARY, TEACHER_A
from discussions import services
from discussions.models import Post
from notifications.models import Notification

ANNOUNCED = Notification.Kind.POST_ANNOUNCED
MENTION = Notification.Kind.POST_MENTION


def told(kind) -> list[str]:
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True)
    )


def test_a_plain_post_tells_nobody(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.create_post(actor=world.member, community=world.plc, body="Hello")
    assert not Notification.objects.filter(kind__in=[ANNOUNCED, MENTION]).exists()


def test_an_announcement_tells_the_members_but_not_its_author(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.create_post(
            actor=world.leader, community=world.plc, body="Meeting", kind=Post.Kind.ANNOUNCEMENT
        )
    assert told(ANNOUNCED) == sorted(["member", "secretary"])


def test_an_announcement_to_several_communities_tells_each_person_once(
    world, django_capture_on_commit_callbacks
):
    other = world.user(MEMBER_OTHER)
    for community in (world.public_group, world.pair):
        MembershipFactory(community=community, person=other, role=Membership.Role.MEMBER)
    MembershipFactory(community=world.pair, person=world.member, role=Membership.Role.MEMBER)
    with django_capture_on_commit_callbacks(execute=True):
        services.announce(
            actor=world.user(CURATOR), communities=[world.public_group, world.pair],
            title="Webinar", body="Friday",
        )  # fmt: skip
    assert told(ANNOUNCED) == ["member", "member_other"]


def test_a_mention_tells_a_reader_but_not_an_outsider(world, django_capture_on_commit_callbacks):
    outsider = world.user(TEACHER_A).username
    with django_capture_on_commit_callbacks(execute=True):
        post = services.create_post(
            actor=world.member, community=world.plc, body=f"Thanks @leader and @{outsider}!"
        )
    assert told(MENTION) == ["leader"]
    # An edit that adds a mention tells only the new person; the leader is not told again.
    with django_capture_on_commit_callbacks(execute=True):
        services.update_post(actor=world.member, post=post, body="Thanks @leader and @secretary!")
    assert told(MENTION) == ["leader", "secretary"]


def test_a_mention_in_a_comment(world, django_capture_on_commit_callbacks):
    post = services.create_post(actor=world.leader, community=world.plc, body="Plan")
    with django_capture_on_commit_callbacks(execute=True):
        services.add_comment(actor=world.member, post=post, body="@secretary please look")
    assert told(MENTION) == [world.user(SECRETARY).username]
