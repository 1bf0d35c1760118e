"""The demo region's surveys (called by devtools.demo.load_demo with its world).

The centre's needs survey (diagnostics of professional deficits, 001 §2.4) is answered by the
invented teachers of the PLC and of other schools, so the deficits map shows data; the demo's
`teacher` has not answered it, so it waits on their dashboard. School 14 asked for feedback on
its seminar.
"""

from __future__ import annotations

from typing import Any

NEEDS_TITLE = "Диагностика профессиональных дефицитов педагогов, 2026"
FEEDBACK_TITLE = "Обратная связь: семинар «Формирующее оценивание на уроке»"
# The needs template's subjects in order (surveys.blueprints.SUBJECTS), by the demo's names.
SUBJECT_INDEX = {
    "Математика": 1,
    "Информатика": 2,
    "Физика": 3,
    "Химия": 4,
    "Биология": 5,
    "География": 6,
}


def _needs_answers(survey, subject: str, seed: int) -> dict:
    answers = {}
    for question in survey.questions.prefetch_related("options"):
        options = list(question.options.all())
        if question.code == "subject":
            answers[question.pk] = options[SUBJECT_INDEX.get(subject, len(options) - 1)].pk
        elif question.kind == "scale":
            # Invented, but not uniform: some areas weigh more (functional literacy, digital
            # tools, low achievers), so the map has something to show.
            base = {"functional_literacy": 4, "digital_tools": 4, "low_achievers": 4}.get(
                question.code, 2
            )
            answers[question.pk] = max(1, min(5, base + (seed + question.order) % 3 - 1))
        elif question.code == "support":
            answers[question.pk] = [options[seed % len(options)].pk, options[2].pk]
    return answers


def _feedback_answers(survey, seed: int) -> dict:
    answers = {}
    texts = [
        "Понравились примеры критериев оценивания.",
        "Хотелось бы больше практики в группах.",
        "Полезно, применю на уроках в 7 классе.",
    ]
    for question in survey.questions.prefetch_related("options"):
        if question.kind == "scale":
            answers[question.pk] = 4 + seed % 2
        elif question.kind == "single":
            answers[question.pk] = question.options.all()[seed % 2].pk
        elif question.code == "best":
            answers[question.pk] = texts[seed % len(texts)]
    return answers


def load(world: dict[str, Any]) -> None:
    """Add this app's demo records; safe to run again (load_demo is idempotent)."""
    from surveys import services
    from surveys.models import Survey

    plc_people = list(world["plc_people"])
    others = list(world["others"].values())
    if not Survey.objects.filter(title=NEEDS_TITLE).exists():
        survey = services.create_from_template(
            actor=None, code="needs", title=NEEDS_TITLE, territory=world["region"]
        )
        survey = services.open_survey(survey=survey, actor=None)
        respondents = plc_people + [(person, "") for person in others]
        for seed, (person, subject) in enumerate(respondents):
            services.submit_response(
                survey=survey, actor=person, answers=_needs_answers(survey, subject, seed)
            )
    if not Survey.objects.filter(title=FEEDBACK_TITLE).exists():
        survey = services.create_from_template(
            actor=None, code="event_feedback", title=FEEDBACK_TITLE,
            organisation=world["orgs"]["school14"],
        )  # fmt: skip
        survey = services.open_survey(survey=survey, actor=None)
        for seed, (person, _subject) in enumerate(plc_people):
            services.submit_response(
                survey=survey, actor=person, answers=_feedback_answers(survey, seed)
            )
