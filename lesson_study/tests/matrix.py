"""This app's rows of the permission matrix (core/tests/test_permission_matrix.py).

The cycle and the visit the rows need are found or made in the PLC of school A on first use in
each test (the world's writes are rolled back after every test, so nothing is cached).
The PLC's leader leads the cycle; its member and secretary work on it; the member and the leader
observe the research lesson; the school's admins and the centre read it.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile

from core.tests.conftest import LEADER, MEMBER, SECRETARY, SIGNED_IN, World
from core.tests.matrix import FORM, NOT_FOUND, PLC_ADMINS, REDIRECT, Endpoint, api, page
from lesson_study import services
from lesson_study.models import CasePupil, Cycle, LessonPlan, LessonVisit, ObservationSheet

QUESTION = "Matrix: how do pupils find a mistake?"
WORKERS = [LEADER, MEMBER, SECRETARY]
READERS = [*PLC_ADMINS, *WORKERS]
HIDDEN = {r: NOT_FOUND for r in SIGNED_IN if r not in READERS}


def cycle(w: World) -> Cycle:
    found = Cycle.objects.filter(community=w.plc, research_question=QUESTION).first()
    if found is not None:
        return found
    made = services.create_cycle(community=w.plc, research_question=QUESTION, class_name="6 Б")
    plan = services.add_lesson_plan(cycle=made, text="Plan v1")
    plan.file.save("plan.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    LessonPlan.objects.filter(pk=plan.pk).update(file=plan.file.name, file_name="plan.pdf")
    for code in ("A", "B"):
        services.add_pupil(cycle=made, pseudonym=code)
    services.schedule_lesson(
        cycle=made,
        date=dt.date.today() - dt.timedelta(days=1),
        teacher=w.user(SECRETARY),
        observers=[w.user(MEMBER), w.user(LEADER)],
    )
    return made


def lesson(w: World):
    return cycle(w).lessons.get(round=1)


def pupil(w: World, code: str = "A") -> CasePupil:
    return CasePupil.objects.get(cycle=cycle(w), pseudonym=code)


def member_sheet(w: World) -> ObservationSheet:
    return ObservationSheet.objects.get(lesson=lesson(w), pupil=pupil(w), observer=w.member)


def visit(w: World) -> LessonVisit:
    found = LessonVisit.objects.filter(community=w.plc, class_name="5 Z").first()
    return found or services.log_visit(
        community=w.plc, visitor=w.member, teacher=w.leader, date=dt.date.today(),
        class_name="5 Z", feedback="Хороший урок",
    )  # fmt: skip


def _cycles(w) -> int:
    return Cycle.objects.filter(community=w.plc).count()


def _plc(w) -> str:
    return f"/communities/{w.plc.pk}"


def _c(w) -> str:
    return f"/cycles/{cycle(w).pk}"


ENDPOINTS: list[Endpoint] = [
    page("cycle list", "get", lambda w: f"{_plc(w)}/cycles/", READERS),
    page("cycle create form", "get", lambda w: f"{_plc(w)}/cycles/new/", [LEADER]),
    page(
        "cycle create",
        "post",
        lambda w: f"{_plc(w)}/cycles/new/",
        [LEADER],
        REDIRECT,
        data=lambda w: {"kind": "lesson_study", "research_question": "Новый вопрос"},
        changed=lambda w: Cycle.objects.filter(research_question="Новый вопрос").count(),
    ),
    page("cycle page", "get", lambda w: f"{_c(w)}/", READERS),
    page("cycle edit form", "get", lambda w: f"{_c(w)}/edit/", WORKERS),
    page(
        "cycle edit",
        "post",
        lambda w: f"{_c(w)}/edit/",
        WORKERS,
        REDIRECT,
        data=lambda w: {"research_question": QUESTION, "conclusions": "Вывод"},
        changed=lambda w: Cycle.objects.get(pk=cycle(w).pk).conclusions,
    ),
    page(
        "cycle stage",
        "post",
        lambda w: f"{_c(w)}/stage/",
        [LEADER],
        REDIRECT,
        data=lambda w: {"stage": "research_lesson"},
        changed=lambda w: Cycle.objects.get(pk=cycle(w).pk).stage,
    ),
    page(
        "lesson plan add",
        "post",
        lambda w: f"{_c(w)}/plans/",
        WORKERS,
        REDIRECT,
        data=lambda w: {"text": "Plan v2", "note": "revision"},
        changed=lambda w: LessonPlan.objects.filter(cycle=cycle(w)).count(),
    ),
    page(
        "lesson plan file",
        "get",
        lambda w: f"/lesson-plans/{cycle(w).lesson_plans.first().pk}/file/",
        READERS,
    ),
    page(
        "case pupil add",
        "post",
        lambda w: f"{_c(w)}/pupils/",
        WORKERS,
        REDIRECT,
        data=lambda w: {"pseudonym": "C"},
        changed=lambda w: CasePupil.objects.filter(cycle=cycle(w)).count(),
    ),
    page(
        "case pupil remove",
        "post",
        lambda w: f"/case-pupils/{pupil(w, 'B').pk}/remove/",
        WORKERS,
        REDIRECT,
        changed=lambda w: not CasePupil.objects.filter(cycle=cycle(w), pseudonym="B").exists(),
    ),
    page("lesson schedule form", "get", lambda w: f"{_c(w)}/lessons/?round=2", [LEADER]),
    page(
        "lesson schedule",
        "post",
        lambda w: f"{_c(w)}/lessons/",
        [LEADER],
        REDIRECT,
        data=lambda w: {
            "round": "2",
            "date": "2026-12-01",
            "teacher": w.member.pk,
            "observers": [w.user(SECRETARY).pk],
        },
        changed=lambda w: cycle(w).lessons.count(),
    ),
    page(
        "observation sheet form",
        "get",
        lambda w: f"/research-lessons/{lesson(w).pk}/sheets/{pupil(w).pk}/",
        [LEADER, MEMBER],
    ),
    page(
        "observation sheet fill",
        "post",
        lambda w: f"/research-lessons/{lesson(w).pk}/sheets/{pupil(w).pk}/",
        [LEADER, MEMBER],
        REDIRECT,
        data=lambda w: {"expected": "E", "observed": "Видел", "evidence": "Тетрадь"},
        changed=lambda w: ObservationSheet.objects.filter(observed="Видел").count(),
    ),
    page("cycle report docx", "get", lambda w: f"{_c(w)}/report.docx", READERS),
    page("cycle report pdf", "get", lambda w: f"{_c(w)}/report.pdf", READERS),
    page("lesson visits", "get", lambda w: f"{_plc(w)}/lesson-visits/", READERS),
    page(
        "lesson visit log",
        "post",
        lambda w: f"{_plc(w)}/lesson-visits/",
        WORKERS,
        REDIRECT,
        data=lambda w: {
            "teacher": w.user(SECRETARY).pk,
            "date": "2026-11-20",
            "class_name": "7 А",
            "lesson_kind": "open",
        },
        # The secretary cannot visit their own lesson: the form says so.
        overrides={SECRETARY: FORM},
        effect=[LEADER, MEMBER],
        changed=lambda w: LessonVisit.objects.filter(community=w.plc, class_name="7 А").count(),
    ),
    page("lesson visits xlsx", "get", lambda w: f"{_plc(w)}/lesson-visits.xlsx", READERS),
    page(
        "lesson visit delete",
        "post",
        lambda w: f"/lesson-visits/{visit(w).pk}/delete/",
        [MEMBER],
        REDIRECT,
        changed=lambda w: (
            not LessonVisit.objects.filter(community=w.plc, class_name="5 Z").exists()
        ),
    ),
    api("cycle list", "get", lambda w: "/lesson-study/cycles/", SIGNED_IN),
    api(
        "cycle detail",
        "get",
        lambda w: f"/lesson-study/cycles/{cycle(w).pk}/",
        READERS,
        overrides=HIDDEN,
    ),
    api("observation sheet list", "get", lambda w: "/lesson-study/observation-sheets/", SIGNED_IN),
    api(
        "observation sheet detail",
        "get",
        lambda w: f"/lesson-study/observation-sheets/{member_sheet(w).pk}/",
        READERS,
        overrides=HIDDEN,
    ),
    api(
        "observation sheet update",
        "patch",
        lambda w: f"/lesson-study/observation-sheets/{member_sheet(w).pk}/",
        [MEMBER],
        data=lambda w: {"observed": "Нашёл ошибку"},
        overrides=HIDDEN,
        changed=lambda w: ObservationSheet.objects.get(pk=member_sheet(w).pk).observed,
    ),
]
