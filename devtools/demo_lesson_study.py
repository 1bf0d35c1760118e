"""The demo region's lesson study (called by devtools.demo.load_demo with its world).

Everything here is invented: teachers are the demo's people, pupils are only A, B and C.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from communities import services as community_services
from lesson_study import services
from lesson_study.models import Cycle, LessonVisit, ResearchLesson

QUESTION = (
    "Как приём «Оценочный лист с критериями» влияет на умение шестиклассников находить ошибку "
    "в решении текстовой задачи на движение?"
)
PLAN_1 = (
    "Тема: «Задачи на движение навстречу».\n"
    "1. Актуализация (5 мин): устный счёт, повторение формулы s = v·t.\n"
    "2. Задача с «ошибкой в решении» (15 мин): работа в парах, поиск и исправление ошибки.\n"
    "3. Критерии оценивания (10 мин): составление оценочного листа вместе с классом.\n"
    "4. Самостоятельная работа (10 мин) и самооценка по критериям (5 мин)."
)
PLAN_2 = (
    "Тема: «Задачи на движение навстречу» (исправленный план).\n"
    "1. Актуализация (5 мин).\n"
    "2. Критерии оценивания даются до задачи, на карточке (5 мин).\n"
    "3. Задача с ошибкой (15 мин): сначала индивидуально, затем в парах.\n"
    "4. Самостоятельная работа (12 мин), взаимооценка по карточке (8 мин)."
)
SHEETS = {
    "A": (
        "Быстро найдёт ошибку и объяснит её соседу.",
        "Нашёл ошибку в единицах измерения за 3 минуты, но не смог объяснить её по критериям.",
        "Записал в тетради «км/ч ≠ м/мин», в оценочном листе отметил только первый критерий.",
    ),
    "B": (
        "Найдёт ошибку с опорой на оценочный лист.",
        "Долго читала условие; после подсказки соседки сверилась с листом и нашла ошибку.",
        "Реплика: «А тут время не то подставили?» — на 22-й минуте урока.",
    ),
    "C": (
        "Попробует найти ошибку, возможно, с помощью учителя.",
        "Не начал работу в паре, пока учитель не подошёл; по листу проверил ответ, но не ход "
        "решения.",
        "Пустая строка «Где ошибка?» в рабочем листе; отметки в оценочном листе поставлены все.",
    ),
}
DISCUSSION = (
    "Наблюдатели отметили: критерии, составленные на уроке, ученики A и B использовали, "
    "ученик C — формально. Время на составление критериев съело самостоятельную работу. "
    "Решили давать критерии заранее на карточке и добавить этап индивидуальной работы перед "
    "работой в парах."
)
REVISED = (
    "Исправленный урок дан в 6 «В» классе: критерии выданы на карточке до задачи. Ученик C "
    "начал работу сам, на 12-й минуте нашёл ошибку в подстановке времени."
)
CONCLUSIONS = (
    "Оценочный лист помогает находить ошибку в решении, если критерии даны до работы и "
    "проговорены. Слабым ученикам нужен этап индивидуальной работы перед парной."
)


def _maths_cycle(team, people) -> None:
    if Cycle.objects.filter(community=team, kind=Cycle.Kind.LESSON_STUDY).exists():
        return
    leader, titova, ilin, fedorova = people
    today = timezone.localdate()
    lesson_day = today - dt.timedelta(days=14)
    cycle = services.create_cycle(
        community=team,
        research_question=QUESTION,
        subject="Математика",
        class_name="6 Б",
        starts_on=today - dt.timedelta(days=40),
    )
    services.add_lesson_plan(cycle=cycle, text=PLAN_1, note="Первая версия", actor=None)
    services.add_lesson_plan(
        cycle=cycle, text=PLAN_2, note="Критерии — до задачи, добавлена работа в одиночку"
    )
    pupils = {
        code: services.add_pupil(cycle=cycle, pseudonym=code, level=level)
        for code, level in (("A", "high"), ("B", "average"), ("C", "low"))
    }
    cycle = services.move_stage(cycle=cycle, stage=Cycle.Stage.RESEARCH_LESSON)
    lesson = services.schedule_lesson(
        cycle=cycle,
        date=lesson_day,
        teacher=ilin,
        observers=[leader, titova, fedorova],
        topic="Задачи на движение навстречу",
    )
    for observer in (leader, titova, fedorova):
        for code, (expected, observed, evidence) in SHEETS.items():
            services.fill_sheet(
                lesson=lesson, pupil=pupils[code], observer=observer,
                expected=expected, observed=observed, evidence=evidence,
            )  # fmt: skip
    cycle = services.move_stage(cycle=cycle, stage=Cycle.Stage.DISCUSSION)
    services.update_cycle(cycle=cycle, discussion=DISCUSSION)
    cycle = services.move_stage(cycle=cycle, stage=Cycle.Stage.REVISED_LESSON)
    services.schedule_lesson(
        cycle=cycle,
        date=today - dt.timedelta(days=5),
        teacher=fedorova,
        observers=[leader, ilin],
        topic="Задачи на движение навстречу (исправленный урок)",
        round=ResearchLesson.Round.REVISED,
    )
    services.update_cycle(cycle=cycle, revised_lesson=REVISED, conclusions=CONCLUSIONS)


def _action_research(team) -> None:
    if Cycle.objects.filter(community=team, kind=Cycle.Kind.ACTION_RESEARCH).exists():
        return
    services.create_cycle(
        community=team,
        kind=Cycle.Kind.ACTION_RESEARCH,
        research_question=(
            "Повысит ли еженедельное исследовательское задание с цифровой лабораторией интерес "
            "семиклассников к физике?"
        ),
        subject="Физика",
        class_name="7 А",
        actions=(
            "Каждую неделю — одно задание с датчиком температуры или освещённости; ученики "
            "выдвигают гипотезу и проверяют её."
        ),
        data="Анкета интереса в сентябре и в декабре; число выполненных заданий.",
    )


def _visits(plc, users, plc_people) -> None:
    if LessonVisit.objects.filter(community=plc).exists():
        return
    today = timezone.localdate()
    leader, teacher = users["leader"], users["teacher"]
    kiseleva, gusev, titova, makarova, ilin, fedorova = [p for p, _s in plc_people]
    visits = [
        (leader, ilin, 3, "6 Б", "Математика", "Работа в парах", "innovative", "Обсудили"),
        (titova, leader, 6, "6 А", "Математика", "Оценочный лист", "open", "Спасибо за идею"),
        (kiseleva, gusev, 8, "8 В", "Биология", "Лабораторная работа", "ordinary", ""),
        (gusev, kiseleva, 9, "9 А", "Химия", "Формирующее оценивание", "innovative", ""),
        (teacher, makarova, 12, "7 Б", "География", "Работа с картой", "ordinary", "Обсудили"),
        (fedorova, ilin, 15, "6 В", "Математика", "Вопросы высокого порядка", "innovative", ""),
    ]
    for visitor, visited, days_ago, klass, subject, focus, kind, feedback in visits:
        services.log_visit(
            community=plc, visitor=visitor, teacher=visited,
            date=today - dt.timedelta(days=days_ago), class_name=klass, subject=subject,
            focus=focus, lesson_kind=kind, feedback_given=bool(feedback), feedback=feedback,
        )  # fmt: skip


def load(world: dict[str, Any]) -> None:
    """Add this app's demo records; safe to run again (load_demo is idempotent)."""
    plc = world["plc"]
    users = world["users"]
    plc_people = world["plc_people"]
    maths, science = world["lesson_study_teams"]
    for team in (maths, science):
        if team.parent_id != plc.pk:
            community_services.set_parent(community=team, parent=plc, actor=None)
    _maths_cycle(maths, [users["leader"], plc_people[2][0], plc_people[4][0], plc_people[5][0]])
    _action_research(science)
    _visits(plc, users, plc_people)
