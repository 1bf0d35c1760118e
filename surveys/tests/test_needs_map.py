"""The deficits map's numbers against a count made by hand from the answers: averages, the share
with a high need, the ≥5 rule per cell, the region's row summed from the grouped rows, and the
respondents counted once however many areas they answered."""

import itertools

import pytest

from surveys import blueprints, selectors
from surveys.models import MIN_ANONYMOUS, Answer, Question, Response, Survey

from .test_services import _needs

_needs_values = itertools.cycle([5, 4, 2, 3, 5, 1, 4])


def _respond(survey, scales, *, organisation, subject, skip=()):
    response = Response.objects.create(
        survey=survey,
        organisation=organisation,
        territory=organisation.territory if organisation else None,
        subject=subject,
    )
    for question in scales:
        if question.code not in skip:
            Answer.objects.create(response=response, question=question, number=next(_needs_values))
    return response


def _by_hand(surveys, key) -> tuple[dict, dict, int]:
    """{row: {area: (n, average, high share)}}, {area: …} for all rows, respondents."""
    answers = list(
        Answer.objects.filter(
            question__survey__in=surveys, question__kind=Question.Kind.SCALE, number__isnull=False
        ).select_related("response", "question")
    )

    def cell(found):
        n = len({a.response_id for a in found})
        if n < MIN_ANONYMOUS:
            return (n, None, None)
        average = round(sum(a.number for a in found) / len(found), 2)
        high = sum(1 for a in found if a.number >= blueprints.HIGH_NEED)
        return (n, average, round(100 * high / n, 1))

    rows: dict = {}
    for answer in answers:
        rows.setdefault(key(answer.response), []).append(answer)
    table = {
        row: {c: cell([a for a in found if a.question.code == c]) for c in blueprints.AREAS}
        for row, found in rows.items()
    }
    total = {c: cell([a for a in answers if a.question.code == c]) for c in blueprints.AREAS}
    return table, total, len({a.response_id for a in answers})


def _as_table(deficits) -> tuple[dict, dict, int]:
    codes = [code for code, _name in deficits.areas]

    def cells(cs):
        return {
            c: (cell.respondents, cell.average, cell.high_share)
            for c, cell in zip(codes, cs, strict=True)
        }

    return (
        {row.name: cells(row.cells) for row in deficits.rows},
        cells(deficits.total),
        deficits.respondents,
    )


@pytest.mark.django_db
def test_the_map_counts_as_one_would_by_hand(world):
    survey = _needs(world)
    scales = list(survey.questions.filter(kind=Question.Kind.SCALE, code__in=blueprints.AREAS))
    first, second = scales[0].code, scales[1].code
    for k in range(6):  # School A: six, one of whom skipped the second area (five left there)
        skip = (second,) if k == 0 else ()
        _respond(survey, scales, organisation=world.school_a, subject="Математика", skip=skip)
    for k in range(5):  # School B: five, two of whom skipped the first area (suppressed there)
        skip = (first,) if k < 2 else ()
        _respond(survey, scales, organisation=world.school_b, subject="Физика", skip=skip)
    for _k in range(2):  # nowhere known, no subject: a row of its own, always suppressed
        _respond(survey, scales, organisation=None, subject="")
    _respond(survey, scales, organisation=world.school_b, subject="", skip=blueprints.AREAS)
    surveys = Survey.objects.filter(pk=survey.pk)

    by_school = selectors.deficits_map(surveys, by="organisation")
    table, total, respondents = _by_hand(
        surveys, lambda r: r.organisation.name if r.organisation_id else ""
    )
    assert _as_table(by_school) == (table, total, respondents)
    assert respondents == 13  # the one who answered no area is not a respondent of the map
    school_b = next(row for row in by_school.rows if row.name == world.school_b.name)
    assert school_b.cells[0].suppressed and not school_b.cells[1].suppressed
    assert by_school.rows[-1].name == ""  # the unknown school comes last

    by_subject = selectors.deficits_map(surveys, by="subject")
    assert _as_table(by_subject) == _by_hand(surveys, lambda r: r.subject)

    maths = selectors.deficits_map(surveys, by="network", subject="Математика")
    assert maths.respondents == 6
    assert [c.respondents for c in maths.total][:2] == [6, 5]

    empty = selectors.deficits_map(surveys, by="territory", subject="Химия")
    assert (empty.rows, empty.respondents) == ([], 0)
    assert all(cell.suppressed and cell.respondents == 0 for cell in empty.total)
