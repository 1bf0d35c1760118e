"""Search through its public surface: the page, the API, the services and the command."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from core.tests.conftest import TEACHER_A, TEACHER_C
from discussions import services as discussion_services
from discussions.models import Post, Status
from events.models import Event
from events.tests.factories import EventFactory
from resources import services as resource_services
from resources.models import Resource
from resources.tests.factories import ResourceFactory
from search import selectors
from search.models import Entry

URL = reverse("search:search")
API = "/api/v1/search/"


def found(user, q: str, **filters) -> set[tuple[str, int]]:
    qs = selectors.search(user, q, selectors.Filters(**filters))
    return {(e.kind, e.object_id) for e in qs}


def test_russian_forms_of_a_word_find_each_other(world):
    plan = ResourceFactory(
        title="План урока по дробям", community=world.public_group, created_by=world.member
    )
    lessons = ResourceFactory(
        title="Открытые уроки года", community=world.public_group, created_by=world.member
    )
    other = ResourceFactory(title="Сборник задач", community=world.public_group)
    hits = found(world.member, "урокам")
    assert ("resource", plan.pk) in hits
    assert ("resource", lessons.pk) in hits
    assert ("resource", other.pk) not in hits
    assert ("resource", plan.pk) in found(None, "Уроков")


def test_every_kind_is_found(world):
    post = discussion_services.create_post(
        actor=world.member, community=world.plc, title="Проект недели", body="Итоги недели"
    )
    topic = discussion_services.open_topic(
        actor=world.member, community=world.plc, title="Вопрос о проектах", body="Как оценивать?"
    )
    event = EventFactory(title="Семинар о проекте", organiser_community=world.plc)
    hits = found(world.member, "проекты")
    assert {("post", post.pk), ("topic", topic.pk), ("event", event.pk)} <= hits
    assert ("community", world.plc.pk) in found(world.member, world.plc.name)
    assert ("person", world.leader.pk) in found(world.member, world.leader.last_name)


def test_a_members_only_communitys_post_is_not_found_by_an_outsider(world):
    post = discussion_services.create_post(
        actor=world.member, community=world.members_only, body="Секретная методика оценивания"
    )
    assert ("post", post.pk) in found(world.member, "методики")
    assert ("post", post.pk) not in found(world.user(TEACHER_A), "методики")
    assert ("post", post.pk) not in found(world.user(TEACHER_C), "методики")
    assert ("post", post.pk) not in found(None, "методики")


def test_a_kind_filter_asks_that_kinds_policy(world):
    post = discussion_services.create_post(
        actor=world.member, community=world.members_only, body="Секретная методика оценивания"
    )
    assert found(world.member, "методики", kind="post") == {("post", post.pk)}
    assert found(world.user(TEACHER_C), "методики", kind="post") == set()
    surname = world.leader.last_name
    assert ("person", world.leader.pk) in found(world.member, surname, kind="person")
    assert found(None, surname, kind="person") == set()
    assert found(world.member, "методики", kind="nonsense") == set()


def test_anonymous_visitors_find_only_public_things(world):
    public = ResourceFactory(title="Открытый конспект", community=None, territory=world.region)
    signed_in_only = ResourceFactory(
        title="Закрытый конспект", community=None, territory=world.region, is_public=False
    )
    internal_event = EventFactory(
        title="Конспект встречи", organiser_community=world.plc, audience=Event.Audience.TERRITORY
    )
    anonymous = found(None, "конспекты")
    assert ("resource", public.pk) in anonymous
    assert ("resource", signed_in_only.pk) not in anonymous
    assert ("event", internal_event.pk) not in anonymous
    assert ("person", world.member.pk) not in found(None, world.member.last_name)
    assert ("resource", signed_in_only.pk) in found(world.member, "конспекты")


def test_drafts_deleted_and_hidden_posts_are_not_found(world):
    draft = discussion_services.create_post(
        actor=world.member, community=world.plc, body="Черновик про олимпиаду", draft=True
    )
    post = discussion_services.create_post(
        actor=world.member, community=world.plc, body="Олимпиада по физике"
    )
    assert found(world.member, "олимпиада") == {("post", post.pk)}
    discussion_services.update_post(
        actor=world.member, post=draft, body="Черновик про олимпиаду", publish=True
    )
    assert ("post", draft.pk) in found(world.member, "олимпиада")
    discussion_services.delete_post(actor=world.member, post=post)
    assert ("post", post.pk) not in found(world.member, "олимпиада")
    draft.refresh_from_db()
    draft.status = Status.HIDDEN
    draft.save()
    assert found(world.member, "олимпиада") == set()


def test_the_index_follows_edits_and_deletes(world):
    post = discussion_services.create_post(
        actor=world.member, community=world.plc, body="Про геометрию"
    )
    discussion_services.update_post(actor=world.member, post=post, body="Про алгебру")
    assert found(world.member, "геометрия") == set()
    assert ("post", post.pk) in found(world.member, "алгебры")
    Post.objects.get(pk=post.pk).delete()
    assert not Entry.objects.filter(kind="post", object_id=post.pk).exists()
    assert found(world.member, "алгебры") == set()


def test_a_submitted_resource_is_found_once_published(world):
    resource = ResourceFactory(
        title="Конспект урока химии",
        community=world.plc,
        created_by=world.member,
        status=Resource.Status.SUBMITTED,
    )
    assert found(world.leader, "урокам") == set()
    resource_services.review(actor=None, resource=resource, decision="publish")
    assert ("resource", resource.pk) in found(world.leader, "урокам")


def test_filters(world):
    old = ResourceFactory(title="Урок истории", community=world.plc, subject="История")
    Resource.objects.filter(pk=old.pk).update(published_at=timezone.now() - dt.timedelta(days=400))
    call_command("reindex_search", "--kind", "resource")
    new = ResourceFactory(title="Урок физики", community=world.public_group, subject="Физика")
    event = EventFactory(title="Открытый урок", organiser_community=world.plc)
    user = world.member
    assert found(user, "урок", kind="event") == {("event", event.pk)}
    assert found(user, "урок", subject="Физика") == {("resource", new.pk)}
    assert ("resource", new.pk) not in found(user, "урок", community=world.plc.pk)
    assert ("resource", old.pk) in found(user, "урок", community=world.plc.pk)
    since = timezone.localdate() - dt.timedelta(days=30)
    recent = found(user, "урок", date_from=since)
    assert ("resource", new.pk) in recent and ("resource", old.pk) not in recent
    assert ("resource", old.pk) in found(user, "урок", date_to=since)


def test_the_best_match_comes_first(world):
    in_title = ResourceFactory(title="Урок геометрии", community=world.public_group)
    in_text = ResourceFactory(
        title="Сборник", description="Пригодится к уроку", community=world.public_group
    )
    Resource.objects.filter(pk=in_title.pk).update(
        published_at=timezone.now() - dt.timedelta(days=300)
    )
    call_command("reindex_search", "--kind", "resource")
    ranked = [e.object_id for e in selectors.search(world.member, "урок", selectors.Filters())]
    assert ranked.index(in_title.pk) < ranked.index(in_text.pk)


def test_a_common_word_ranks_and_counts_only_the_newest_matches(client, world, monkeypatch):
    monkeypatch.setattr(selectors, "RANKED", 3)
    now = timezone.now()
    made = ResourceFactory.create_batch(5, title="Урок", community=world.public_group)
    for age, resource in enumerate(made):
        Resource.objects.filter(pk=resource.pk).update(published_at=now - dt.timedelta(days=age))
    call_command("reindex_search", "--kind", "resource")
    newest = {("resource", r.pk) for r in made[:3]}
    assert found(world.member, "урок", kind="resource") == newest
    client.force_login(world.member)
    page = client.get(URL, {"q": "урок", "kind": "resource"}).content.decode()
    assert "3 самых новых совпадения" in page
    assert client.get(API, {"q": "урок", "kind": "resource"}).json()["count"] == 3
    few = client.get(URL, {"q": "урок", "kind": "resource", "subject": "нет такого"})
    assert "самых новых" not in few.content.decode()


def test_the_page_shows_highlighted_escaped_snippets(client, world):
    ResourceFactory(
        title="Урок <script>alert(1)</script>",
        description="Текст урока <b>жирный</b> и ещё уроки",
        community=world.public_group,
    )
    client.force_login(world.member)
    response = client.get(URL, {"q": "урок"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert "<b>жирный</b>" not in html
    assert "<mark>урока</mark>" in html or "<mark>Урок</mark>" in html


@pytest.mark.parametrize(
    "params",
    [
        {"q": "у"},
        {"q": "урок", "community": "abc"},
        {"q": "урок", "community": "9" * 30},
        {"q": "урок", "community": "²"},
        {"q": "урок", "from": "2026-13-45"},
        {"q": "урок", "to": "99999-01-01"},
        {"q": "урок", "from": "2026-05-01", "to": "2026-01-01"},
        {"q": "урок", "kind": "secret"},
        {"q": "у" * 500},
    ],
)
def test_bad_input_gets_a_message_not_a_500(client, world, params):
    client.force_login(world.member)
    response = client.get(URL, params)
    assert response.status_code == 200
    assert 'class="errors"' in response.content.decode()
    assert client.get(API, params).status_code == 400


def test_odd_queries_do_not_break_the_search(client, world):
    client.force_login(world.member)
    for q in ['"урок', "урок OR", "--", "NEAR(a b)", "**", "урок AND NOT", "'); DROP", "ё" * 3]:
        assert client.get(URL, {"q": q}).status_code == 200
        assert client.get(API, {"q": q}).status_code == 200
    assert client.get(URL).status_code == 200
    assert client.get(URL, {"q": ""}).status_code == 200


def test_page_queries_do_not_grow_with_results(client, world, django_assert_max_num_queries):
    client.force_login(world.member)
    ResourceFactory.create_batch(3, title="Урок 1", community=world.public_group)
    with django_assert_max_num_queries(12) as few:
        client.get(URL, {"q": "урок"})
    ResourceFactory.create_batch(25, title="Урок 2", community=world.public_group)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL, {"q": "урок"})
    assert response.status_code == 200


def test_the_api_lists_results_with_filters(client, world):
    resource = ResourceFactory(title="План урока", community=world.public_group)
    EventFactory(title="Урок-концерт", organiser_community=world.plc)
    client.force_login(world.member)
    data = client.get(API, {"q": "урокам", "kind": "resource"}).json()
    assert [r["object_id"] for r in data["results"]] == [resource.pk]
    row = data["results"][0]
    assert row["url"] == reverse("resources:detail", args=[resource.pk])
    assert "<mark>" in row["title_html"]
    assert client.get(API, {"q": "урок"}).json()["count"] >= 2


def test_anonymous_api_calls_need_a_login(client):
    assert client.get(API, {"q": "урок"}).status_code in (401, 403)


def test_anonymous_page_search(client, world):
    ResourceFactory(title="Публичный урок", community=world.public_group)
    response = client.get(URL, {"q": "уроки"})
    assert response.status_code == 200
    assert "Публичный" in response.content.decode()


def test_reindex_rebuilds_the_index(world):
    resource = ResourceFactory(title="Урок музыки", community=world.public_group)
    Entry.objects.all().delete()
    assert found(world.member, "музыка") == set()
    call_command("reindex_search")
    assert ("resource", resource.pk) in found(world.member, "музыка")
    assert Entry.objects.filter(kind="person").exists()
    assert Entry.objects.filter(kind="community").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_postgresql_does_not_compile_queries_just_in_time(db):
    # Compiling the permission subqueries of a search took seconds at L (docs/performance.md).
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
