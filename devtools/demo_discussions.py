"""The demo region's posts and discussions (called by devtools.demo.load_demo with its world).

The school's PLC has a few posts with comments, reactions and a mention of `teacher`, and a
forum topic with a quoting reply, and a publication schedule of two posts by `teacher` (one
written from it, one due in ten days); the
curator has pinned one announcement in every network group of the city; the physics-and-maths
group has its own discussion, with one off-topic comment to report (nothing is hidden
beforehand). Invented content only; built through the real services.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from discussions import services
from discussions.models import Announcement, PlannedPublication, Poll, Post, Topic


def _post(community, author, title: str, body: str, **kwargs) -> Post:
    existing = Post.objects.filter(community=community, title=title).first()
    if existing is not None:
        return existing
    return services.create_post(actor=author, community=community, title=title, body=body, **kwargs)


def load(world: dict[str, Any]) -> None:
    users, plc = world["users"], world["plc"]
    leader, teacher, curator = users["leader"], users["teacher"], users["curator"]

    plan_post = _post(
        plc, leader, "Открытые уроки в ноябре",
        "Коллеги, до пятницы запишитесь на **открытые уроки** недели естественных наук:\n\n"
        "- 7 «А», физика — кабинет 214\n- 8 «Б», алгебра — кабинет 305\n\n"
        "@teacher, возьмёте ли вы урок в 9 «В»?",
        kind=Post.Kind.ANNOUNCEMENT, pinned=True,
    )  # fmt: skip
    video_post = _post(
        plc, teacher, "Запись урока с формирующим оцениванием",
        "Делюсь записью своего урока по теме «Давление». Обратите внимание на «светофор» в "
        "конце урока.\n\nhttps://rutube.ru/video/0123456789abcdef/\n\n"
        "> Ошибка — это информация, а не приговор.",
    )  # fmt: skip
    if not video_post.comments.exists():
        services.add_comment(
            actor=leader, post=video_post,
            body="Спасибо! Разберём этот приём на следующем заседании. @teacher, подготовите "
            "пять минут рассказа?",
        )  # fmt: skip
        services.add_comment(actor=teacher, post=video_post, body="Да, подготовлю.")
        services.toggle_reaction(actor=leader, post=video_post, kind="idea")
    if not plan_post.comments.exists():
        services.add_comment(actor=teacher, post=plan_post, body="Беру 9 «В», физика.")
        services.toggle_reaction(actor=teacher, post=plan_post, kind="like")
    # A draft only its author sees (in "My drafts").
    _post(plc, teacher, "Черновик: идеи для декады", "Квест по физике для 7-х классов…", draft=True)

    # The PLC's publication schedule (004: «график публикаций»): the leader planned two posts
    # by `teacher`; the first is written from the schedule, the second is due in ten days (not
    # yet reminded of: the demo starts with nothing due).
    if not PlannedPublication.objects.filter(community=plc).exists():
        today = timezone.localdate()
        written = services.plan_publication(
            actor=leader, community=plc, title="Копилка приёмов формирующего оценивания",
            responsible=teacher, due_on=today,
        )  # fmt: skip
        services.create_post(
            actor=teacher, community=plc, title=written.title, planned=written,
            body="Пять приёмов, которые мы опробовали в этой четверти: «светофор», «две звезды "
            "и пожелание», лист самооценки, «билет на выход», взаимопроверка по рубрике.",
        )  # fmt: skip
        services.plan_publication(
            actor=leader, community=plc, title="Итоги недели естественных наук",
            responsible=teacher, due_on=today + dt.timedelta(days=10),
        )  # fmt: skip

    # A forum topic of the PLC, with a reply that quotes an earlier one.
    if not Topic.objects.filter(community=plc, title="Как оценивать проектные работы?").exists():
        topic = services.open_topic(
            actor=teacher, community=plc, title="Как оценивать проектные работы?",
            body="Предлагаю договориться о единых критериях оценивания проектов в 8–9 классах.",
        )  # fmt: skip
        first = services.reply(
            actor=leader, topic=topic, body="Возьмём за основу критериальную рубрику из четырёх "
            "уровней: проблема, план, продукт, защита.",
        )  # fmt: skip
        services.reply(
            actor=teacher, topic=topic, quote=first,
            body="Согласен; для защиты добавим самооценку ученика.",
        )  # fmt: skip

    groups = [g for g in world["network_groups"] if g.is_active]
    if groups and not Announcement.objects.filter(title="Вебинар для сетевых групп").exists():
        services.announce(
            actor=curator, communities=groups, title="Вебинар для сетевых групп",
            body="В четверг в 15:00 — вебинар «Функциональная грамотность на уроке». "
            "Ссылка на подключение появится здесь за час до начала.",
            pinned=True,
        )  # fmt: skip
    physmath = next((g for g in groups if "физико-математического" in g.name), None)
    if physmath is not None:
        task = _post(
            physmath, teacher, "Задачи с практическим содержанием",
            "Собираю банк задач по физике с практическим содержанием для 7–9 классов. "
            "Присылайте свои в комментариях.",
        )  # fmt: skip
        if not task.comments.exists():
            services.add_comment(
                actor=leader, post=task, body="Добавлю задачи по теме «Проценты» для 9 класса."
            )
        # The curator's poll (issue 10: "curator posts ... a poll in one of them").
        question = "Когда провести очное заседание группы во втором полугодии?"
        if not Poll.objects.filter(post__community=physmath, question=question).exists():
            poll = services.create_poll(
                actor=curator, community=physmath, question=question,
                options=["В январе, на каникулах", "В феврале", "В марте, после олимпиад"],
                results=Poll.Results.AFTER_VOTING,
            )  # fmt: skip
            services.vote(actor=teacher, post=poll, option_ids=[poll.poll.options.first().pk])
        # An off-topic comment for the moderation walk-through: `teacher` reports it, the
        # curator (who moderates the city's network groups) hides it with a reason.
        andreev = world.get("others", {}).get("demo.andreev")
        if andreev is not None and not task.comments.filter(author=andreev).exists():
            services.add_comment(
                actor=andreev, post=task,
                body="Продаю репетиторские курсы по физике со скидкой, пишите в личные сообщения!",
            )  # fmt: skip
