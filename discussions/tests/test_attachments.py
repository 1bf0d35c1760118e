"""Files and images of posts: judged by their bytes, shown to those who see the post only, kept
when the post is edited, removed one by one."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from core.tests.conftest import REMOVED, TEACHER_A
from discussions import services
from discussions.models import Post, PostAttachment

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _png(name="photo.png") -> SimpleUploadedFile:
    out = BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def _pdf(name="plan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_post_carries_images_and_files_shown_to_its_readers(client, world):
    client.force_login(world.member)
    form = client.get(f"/communities/{world.plc.pk}/feed/new/").context["form"]
    client.post(
        f"/communities/{world.plc.pk}/feed/new/",
        {"title": "Open lesson", "body": "Photos", "token": form.initial["token"],
         "files": [_png(), _pdf()]},
    )  # fmt: skip
    post = Post.objects.get(community=world.plc, title="Open lesson")
    image, document = post.attachments.order_by("kind")[1], post.attachments.order_by("kind")[0]
    assert (image.kind, image.name, document.kind) == ("png", "photo.png", "pdf")
    page = client.get(f"/communities/{world.plc.pk}/feed/").content.decode()
    assert f'src="/posts/files/{image.pk}/"' in page and "plan.pdf" in page
    shown = client.get(f"/posts/files/{image.pk}/")
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png"
    assert shown["X-Content-Type-Options"] == "nosniff"
    client.force_login(world.user(TEACHER_A))  # a teacher of the school, not of the PLC
    assert client.get(f"/posts/files/{image.pk}/").status_code == 404
    client.logout()
    assert client.get(f"/posts/files/{document.pk}/").status_code == 404


def test_files_whose_bytes_lie_are_refused_and_nothing_is_written(client, world):
    client.force_login(world.member)
    fake = SimpleUploadedFile("photo.png", b"<html><script>alert(1)</script>", "image/png")
    page = client.post(
        f"/communities/{world.plc.pk}/feed/new/",
        {"title": "Bad", "body": "x", "token": "t-bad", "files": [_pdf(), fake]},
    )
    assert page.status_code == 200
    assert "photo.png" in str(page.context["form"].errors["files"])
    assert not Post.objects.filter(title="Bad").exists()
    assert not PostAttachment.objects.exists()


def test_at_most_ten_files(world):
    with pytest.raises(ValidationError) as refused:
        services.create_post(
            actor=world.member, community=world.plc, body="many",
            files=[_pdf(f"p{i}.pdf") for i in range(11)],
        )  # fmt: skip
    assert "files" in refused.value.message_dict


def test_a_full_post_says_how_many_files_it_may_have_and_has(world):
    post = services.create_post(
        actor=world.member, community=world.plc, body="full",
        files=[_pdf(f"p{i}.pdf") for i in range(services.ATTACHMENTS_MAX)],
    )  # fmt: skip
    with translation.override("ru"), pytest.raises(ValidationError) as refused:
        services.update_post(actor=world.member, post=post, body="full", files=[_png()])
    assert refused.value.message_dict["files"] == [
        "К записи можно приложить не более 10 файлов всего; сейчас — 10."
    ]
    assert post.attachments.count() == services.ATTACHMENTS_MAX


def test_editing_keeps_the_files_and_adds_new_ones(client, world):
    post = services.create_post(actor=world.member, community=world.plc, body="v1", files=[_pdf()])
    client.force_login(world.member)
    client.post(f"/posts/{post.pk}/edit/", {"title": "", "body": "v2", "files": [_png()]})
    assert sorted(post.attachments.values_list("kind", flat=True)) == ["pdf", "png"]
    kept = post.attachments.get(kind="pdf")
    client.force_login(world.leader)  # a moderator may take a file off
    client.post(f"/posts/files/{kept.pk}/remove/")
    assert list(post.attachments.values_list("kind", flat=True)) == ["png"]


def test_others_and_removed_members_cannot_remove_files(client, world):
    post = services.create_post(
        actor=world.member, community=world.members_only, body="x", files=[_pdf()]
    )
    item = post.attachments.get()
    client.force_login(world.user(REMOVED))
    assert client.post(f"/posts/files/{item.pk}/remove/").status_code == 404
    assert client.get(f"/posts/files/{item.pk}/").status_code == 404
    assert PostAttachment.objects.filter(pk=item.pk).exists()


def test_the_feed_makes_as_many_queries_for_many_files(
    client, world, django_assert_max_num_queries
):
    services.create_post(actor=world.member, community=world.plc, body="one", files=[_pdf()])
    client.force_login(world.leader)
    url = f"/communities/{world.plc.pk}/feed/"
    with django_assert_max_num_queries(60) as few:
        client.get(url)
    for i in range(5):
        services.create_post(
            actor=world.member, community=world.plc, body=f"p{i}", files=[_pdf(), _png()]
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_api_lists_a_posts_files(client, world):
    post = services.create_post(actor=world.member, community=world.plc, body="x", files=[_png()])
    client.force_login(world.member)
    row = client.get(f"/api/v1/posts/{post.pk}/").json()
    assert row["attachments"][0]["name"] == "photo.png"
    assert row["attachments"][0]["url"] == f"/posts/files/{post.attachments.get().pk}/"
