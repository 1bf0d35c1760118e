"""The REST API of posts and comments: ids round-trip, the policy decides."""

from core.tests.conftest import TEACHER_A
from discussions import services
from discussions.models import Post


def test_create_read_update_and_comment_round_trip(client, world):
    client.force_login(world.member)
    created = client.post(
        "/api/v1/posts/",
        {"community": world.plc.pk, "title": "API", "body": "**Hi** @leader", "token": "a1"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["community"] == world.plc.pk and "<strong>Hi</strong>" in data["body_html"]
    again = client.post(
        "/api/v1/posts/",
        {"community": world.plc.pk, "title": "API", "body": "**Hi** @leader", "token": "a1"},
        content_type="application/json",
    )
    assert again.json()["id"] == data["id"]
    pk = data["id"]
    assert client.get(f"/api/v1/posts/{pk}/").json()["title"] == "API"
    changed = client.patch(
        f"/api/v1/posts/{pk}/", {"body": "Edited"}, content_type="application/json"
    )
    assert changed.status_code == 200 and changed.json()["body"] == "Edited"
    listed = client.get(f"/api/v1/posts/?community={world.plc.pk}").json()
    assert [p["id"] for p in listed["results"]] == [pk]
    comment = client.post(
        f"/api/v1/posts/{pk}/comments/", {"body": "Me too"}, content_type="application/json"
    )
    assert comment.status_code == 201
    comments = client.get(f"/api/v1/posts/{pk}/comments/").json()
    assert [c["id"] for c in comments["results"]] == [comment.json()["id"]]


def test_bad_input_is_a_400_with_the_field(client, world):
    client.force_login(world.member)
    response = client.post(
        "/api/v1/posts/",
        {"community": world.plc.pk, "body": "\x07"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "body" in response.json()
    response = client.post(
        "/api/v1/posts/",
        {"community": world.plc.pk, "body": "x", "kind": "announcement"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Post.objects.filter(community=world.plc).exists()


def test_an_outsider_does_not_find_a_members_post(client, world):
    post = services.create_post(actor=world.member, community=world.plc, body="Inside")
    client.force_login(world.user(TEACHER_A))
    assert client.get(f"/api/v1/posts/{post.pk}/").status_code == 404
    assert client.get(f"/api/v1/posts/?community={world.plc.pk}").json()["results"] == []
    assert client.get(f"/api/v1/posts/{post.pk}/comments/").status_code == 404
