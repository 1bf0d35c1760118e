"""Lists of consultation requests: the number of queries does not grow with the data."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from consultations import services
from core.tests.conftest import ADMIN_A, ADMIN_B, CENTRE, MEMBER_OTHER

from .matrix import asked, council, topic


def count(client, url) -> int:
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def grow(world, n: int, start: int) -> None:
    board = council(world)
    for i in range(start, start + n):
        request = services.ask(
            actor=world.user(ADMIN_A), addressee="council", community=board,
            topic=topic(), question=f"Вопрос {i}",
        )  # fmt: skip
        if i % 2:
            services.answer(actor=world.user("plc_secretary"), request=request, text="Ответ")
    mentor_request = asked(world, f"Вопрос ментору {start}")
    services.answer(actor=world.user(ADMIN_B), request=mentor_request, text="Ответ")
    services.publish_faq(
        actor=None, source=mentor_request, topic=topic(), question="Вопрос", answer_text="Ответ"
    )


def test_the_board_and_lists_do_not_grow_with_requests(client, world):
    grow(world, 2, 0)
    urls = {
        CENTRE: ["/consultations/board/", "/consultations/board/?status=open"],
        ADMIN_A: ["/consultations/", "/api/v1/consultations/"],
        MEMBER_OTHER: ["/consultations/", "/", "/consultations/faq/"],
    }
    before = {}
    for role, paths in urls.items():
        client.force_login(world.user(role))
        for path in paths:
            before[role, path] = count(client, path)
    grow(world, 20, 2)
    for role, paths in urls.items():
        client.force_login(world.user(role))
        for path in paths:
            assert count(client, path) == before[role, path], (role, path)
