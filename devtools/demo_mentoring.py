"""The demo region's mentoring (called by devtools.demo.load_demo with its world).

The leaders' pair of `mentor` and `mentee` has an approved plan, five sessions in the four forms
and both first-half-year reports sent; a pair inside the school's PLC (an experienced maths
teacher and a young one) has a plan waiting for the director; the second leaders' pair has a
few sessions and no report. Invented content only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from core.schoolyear import school_year_of
from mentoring import services
from mentoring.models import MentoringPlan, Pair, Report, Session


def _pair(community, **kwargs) -> Pair:
    existing = Pair.objects.filter(community=community, **kwargs.get("match", {})).first()
    if existing is not None:
        return existing
    kwargs.pop("match", None)
    return services.form_pair(community=community, actor=None, **kwargs)


def _plan(pair: Pair, goals: list[tuple[str, str]], meetings: list[tuple[dt.date, str, str]]):
    plan = pair.plan
    if plan.goals.exists():
        return plan
    return services.save_plan(
        plan=plan,
        actor=None,
        version=None,
        goals=[{"text": t, "measure": m} for t, m in goals],
        meetings=[{"planned_on": d, "form": f, "topic": t} for d, f, t in meetings],
    )


def _sessions(pair: Pair, entries, by) -> None:
    today = timezone.localdate()
    for held_on, form, topic, notes, next_steps, remote in entries:
        if held_on > today:
            continue  # the demo loaded early in the school year: not held yet
        if Session.objects.filter(pair=pair, held_on=held_on, form=form, topic=topic).exists():
            continue
        session = services.log_session(
            pair=pair, actor=None, held_on=held_on, form=form, topic=topic, notes=notes,
            next_steps=next_steps, remote=remote,
        )  # fmt: skip
        Session.objects.filter(pk=session.pk).update(logged_by=by)


def _report(pair: Pair, side: str, author, period: str, **texts) -> None:
    if Report.objects.filter(pair=pair, side=side, period=period, status="submitted").exists():
        return
    report = services.save_report(
        pair=pair, actor=None, side=side, period=period, submit=True, **texts
    )
    Report.objects.filter(pk=report.pk).update(author=author)


def load(world: dict[str, Any]) -> None:
    """Add this app's demo records; safe to run again (load_demo is idempotent)."""
    users, plc = world["users"], world["plc"]
    pair1_community, pair2_community = world["pairs"]
    year = school_year_of(timezone.localdate())
    start = dt.date(year, 9, 15)
    F = Session.Form

    focus = "Управление качеством образования в школе с низкими результатами"
    pair1 = _pair(pair1_community, school_year=year, started_on=start, focus=focus)
    _plan(
        pair1,
        [
            ("Выстроить внутришкольную систему оценки качества", "Положение о ВСОКО принято"),
            ("Наладить методическое сопровождение учителей", "План методических дней на год"),
            ("Повысить долю уроков с обратной связью ученикам", "Не менее 60% посещённых уроков"),
        ],
        [
            (dt.date(year, 9, 20), F.MENTORING, "Анализ результатов школы за прошлый год"),
            (dt.date(year, 10, 18), F.CONSULTATION, "Положение о ВСОКО"),
            (dt.date(year, 11, 15), F.LESSON_VISIT, "Посещение уроков в гимназии"),
            (dt.date(year, 12, 13), F.BRAINSTORMING, "Идеи для методических дней"),
            (dt.date(year + 1, 2, 14), F.MENTORING, "Итоги первого полугодия"),
        ],
    )
    if pair1.plan.status != "approved":
        services.submit_plan(plan=pair1.plan, actor=None)
        services.approve_plan(plan=pair1.plan, actor=None)
        MentoringPlan.objects.filter(pk=pair1.plan.pk).update(approved_by=users["curator"])
    _sessions(
        pair1,
        [
            (dt.date(year, 9, 20), F.MENTORING, "Анализ результатов школы за прошлый год",
             "Разобрали результаты диагностических работ и ВПР.",
             "Составить список западающих тем по параллелям.", False),
            (dt.date(year, 10, 4), F.CONSULTATION, "Как организовать методический день",
             "Обсудили формат и расписание методического дня.",
             "Провести первый методический день в ноябре.", True),
            (dt.date(year, 10, 18), F.CONSULTATION, "Положение о ВСОКО",
             "Прошлись по структуре положения, взяли за образец положение гимназии.",
             "Подготовить проект положения к педсовету.", True),
            (dt.date(year, 11, 8), F.BRAINSTORMING, "Как вовлечь родителей",
             "Собрали идеи: открытые уроки, родительские конференции, опрос.",
             "Выбрать две идеи и запустить до конца четверти.", False),
            (dt.date(year, 11, 15), F.LESSON_VISIT, "Посещение уроков в гимназии",
             "Руководитель и завуч посетили три урока математики и русского языка.",
             "Обсудить увиденное на совещании при директоре.", False),
        ],
        users["mentor"],
    )  # fmt: skip
    _report(
        pair1, Report.Side.MENTOR, users["mentor"], Report.Period.HALF,
        done="Пять встреч: наставничество, консультации, мозговой штурм, посещение уроков.",
        results="Подготовлен проект положения о ВСОКО, проведён первый методический день.",
        difficulties="Не всегда удаётся совместить графики встреч.",
        plans="Во втором полугодии — сопровождение внедрения положения о ВСОКО.",
    )  # fmt: skip
    _report(
        pair1, Report.Side.MENTEE, users["mentee"], Report.Period.HALF,
        done="Участвовала во всех встречах, посетила уроки в гимназии.",
        results="Проект положения о ВСОКО внесён на педсовет.",
        difficulties="Нехватка времени у учителей на методическую работу.",
        plans="Провести ещё два методических дня и опрос родителей.",
    )  # fmt: skip

    # A young maths teacher and her senior mentor inside the school's PLC (004 doc. 10–11).
    people = dict((p.username, p) for p, _subject in world["plc_people"])
    mentor, mentee = people.get("demo.ilin"), people.get("demo.fedorova")
    if mentor and mentee:
        pair3 = _pair(plc, match={"mentee": mentee}, mentor=mentor, mentee=mentee,
                      school_year=year, started_on=dt.date(year, 9, 5),
                      focus="Первый год работы: планирование уроков и оценивание")  # fmt: skip
        _plan(
            pair3,
            [
                ("Научиться планировать урок по целям обучения", "Технологические карты уроков"),
                ("Освоить критериальное оценивание", "Рубрики к двум контрольным работам"),
            ],
            [
                (dt.date(year, 9, 12), F.LESSON_VISIT, "Посещение урока наставника"),
                (dt.date(year, 10, 10), F.LESSON_VISIT, "Посещение урока молодого учителя"),
                (dt.date(year, 12, 5), F.CONSULTATION, "Критерии оценивания"),
            ],
        )
        if pair3.plan.status == "draft":
            services.submit_plan(plan=pair3.plan, actor=None)
        _sessions(
            pair3,
            [
                (dt.date(year, 9, 12), F.LESSON_VISIT, "Посещение урока наставника",
                 "Урок алгебры в 8 классе: этапы урока, приёмы обратной связи.",
                 "Составить технологическую карту своего урока.", False),
                (dt.date(year, 10, 10), F.LESSON_VISIT, "Посещение урока молодого учителя",
                 "Урок геометрии в 7 классе: хорошая мотивация, мало времени на рефлексию.",
                 "Оставлять пять минут на рефлексию.", False),
            ],
            mentor,
        )  # fmt: skip

    # The second leaders' pair: a few sessions, no report yet.
    pair2 = _pair(pair2_community, school_year=year, started_on=dt.date(year, 10, 1),
                  focus="Внутришкольная система оценки качества образования")  # fmt: skip
    others = world["others"]
    _sessions(
        pair2,
        [
            (dt.date(year, 10, 6), F.MENTORING, "Знакомство и запрос школы",
             "Обсудили проблемы школы и ожидания от работы в паре.",
             "Прислать результаты диагностики.", True),
            (dt.date(year, 11, 2), F.CONSULTATION, "Мониторинг качества знаний",
             "Разобрали инструменты мониторинга по четвертям.", "", True),
        ],
        others.get("demo.mikhailov"),
    )  # fmt: skip
