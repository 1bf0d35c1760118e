"""Reads for surveys: lists, the results of one survey, and the deficits map — aggregated in SQL,
so a page's number of queries does not grow with the answers."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Avg, Count, Exists, F, OuterRef, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber

from . import blueprints, permissions
from .models import MIN_ANONYMOUS, Answer, Question, Response, Survey

# Text answers shown per question on the results page; all of them go into the export.
TEXTS_SHOWN = 50


def survey_list(user, *, status: str = "", role: str = "") -> QuerySet[Survey]:
    qs = Survey.objects.select_related("community", "organisation", "network", "territory")
    if role == "manage":
        qs = qs.filter(permissions.managed_q(user))
    elif role == "answer":
        qs = qs.filter(permissions.waiting_q(user))
    else:
        qs = qs.filter(permissions.visible_q(user))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def waiting_surveys(user) -> QuerySet[Survey]:
    """Surveys the person is asked to answer and has not (the dashboard)."""
    return Survey.objects.filter(permissions.waiting_q(user)).order_by("closes_at", "-id")


def survey_detail(pk: int) -> Survey:
    return Survey.objects.select_related(
        "community__kind", "community__territory", "organisation__territory",
        "network__territory", "territory", "author",
    ).get(pk=pk)  # fmt: skip


def questions_of(survey: Survey) -> list[Question]:
    return list(survey.questions.prefetch_related("options"))


@dataclass
class Bar:
    label: str
    count: int
    percent: float


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    bars: list[Bar] = field(default_factory=list)
    average: float | None = None
    texts: list[tuple[str, str]] = field(default_factory=list)  # (text, who: "" if anonymous)
    texts_total: int = 0


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def results(
    survey: Survey, *, texts_per_question: int | None = TEXTS_SHOWN
) -> list[QuestionResult]:
    """Counts and percentages per option, the scale's average and distribution, the texts.

    Five queries whatever the number of questions and answers. The texts of an anonymous
    survey never name who wrote them (the response does not know)."""
    questions = questions_of(survey)
    answers = Answer.objects.filter(question__survey=survey)
    answered = dict(
        answers.values("question_id")
        .annotate(n=Count("response_id", distinct=True))
        .values_list("question_id", "n")
    )
    by_option = dict(
        answers.filter(option__isnull=False)
        .values("option_id")
        .annotate(n=Count("id"))
        .values_list("option_id", "n")
    )
    scale = {}
    for row in (
        answers.filter(number__isnull=False)
        .values("question_id", "number")
        .annotate(n=Count("id"))
        .order_by()
    ):
        scale[(row["question_id"], row["number"])] = row["n"]
    averages = dict(
        answers.filter(number__isnull=False)
        .values("question_id")
        .annotate(a=Avg("number"))
        .values_list("question_id", "a")
    )
    texts = (
        answers.exclude(text="")
        .annotate(
            n=Window(RowNumber(), partition_by=[F("question_id")], order_by=F("id").asc()),
            who_first=F("response__respondent__first_name"),
            who_last=F("response__respondent__last_name"),
        )
        .order_by("question_id", "id")
    )
    if texts_per_question:
        texts = texts.filter(n__lte=texts_per_question)
    by_question: dict[int, list[tuple[str, str]]] = {}
    for question_id, text, first, last in texts.values_list(
        "question_id", "text", "who_first", "who_last"
    ):
        who = "" if survey.anonymous else f"{last or ''} {first or ''}".strip()
        by_question.setdefault(question_id, []).append((text, who))
    out = []
    for question in questions:
        n = answered.get(question.pk, 0)
        result = QuestionResult(question, answered=n)
        if question.has_options:
            result.bars = [
                Bar(o.text, by_option.get(o.pk, 0), _percent(by_option.get(o.pk, 0), n))
                for o in question.options.all()
            ]
        elif question.kind == Question.Kind.SCALE:
            result.bars = [
                Bar(
                    str(v),
                    scale.get((question.pk, v), 0),
                    _percent(scale.get((question.pk, v), 0), n),
                )
                for v in question.scale_values
            ]
            average = averages.get(question.pk)
            result.average = round(float(average), 2) if average is not None else None
        else:
            result.texts = by_question.get(question.pk, [])
            result.texts_total = n
        out.append(result)
    return out


# -- the deficits map ----------------------------------------------------------------------------

# The grouping's column of the response, and where its rows' names are read (the subject is its
# own name).
GROUPS = {
    "organisation": ("response__organisation_id", "organisations.Organisation"),
    "subject": ("response__subject", None),
    "network": ("response__network_id", "organisations.Network"),
    "territory": ("response__territory_id", "organisations.Territory"),
}


@dataclass
class Cell:
    respondents: int
    average: float | None  # None: fewer than MIN_ANONYMOUS respondents, suppressed
    high_share: float | None  # share of respondents with need ≥ HIGH_NEED, in %

    @property
    def suppressed(self) -> bool:
        return self.average is None

    @property
    def level(self) -> int:
        """1–5, for the cell's colour (the number is always shown as well)."""
        return max(1, min(5, round(self.average))) if self.average is not None else 0


@dataclass
class MapRow:
    key: object
    name: str
    cells: list[Cell]


@dataclass
class DeficitsMap:
    areas: list[tuple[str, str]]  # (code, name)
    rows: list[MapRow]
    total: list[Cell]
    respondents: int


def needs_surveys(user) -> QuerySet[Survey]:
    """The needs surveys whose results the person may read (their builders), not drafts."""
    return (
        Survey.objects.filter(permissions.managed_q(user), template_code=blueprints.NEEDS)
        .exclude(status=Survey.Status.DRAFT)
        .select_related("community", "organisation", "network", "territory")
        .order_by("-created_at", "-id")
    )


def _cell(n: int, average, high: int) -> Cell:
    if n < MIN_ANONYMOUS:
        return Cell(n, None, None)
    return Cell(n, round(float(average), 2), _percent(high, n))


MEASURES = ("n", "answers", "total", "high")


def deficits_map(
    surveys: QuerySet[Survey], *, by: str = "organisation", subject: str = "", territory=None
) -> DeficitsMap:
    """Average need per area and the share of teachers with a high need, per school (subject,
    network, territory); a cell of fewer than MIN_ANONYMOUS respondents is suppressed, so no one
    is identifiable. Four queries whatever the data: the surveys' ids, the answers grouped by the
    row's id and the area, the rows' names, and the number of respondents.

    The region's row (all rows together) is summed from the grouped rows: each response has one
    school, subject, network and territory, so the rows split the respondents without overlap
    and an area's respondents are the sum of its rows' (the same suppression applies to it)."""
    from django.apps import apps

    group_key, names_model = GROUPS.get(by, GROUPS["organisation"])
    # The ids first: the scope's permission subquery inside the grouped query slows its plan.
    survey_ids = list(surveys.values_list("pk", flat=True))
    answers = Answer.objects.filter(
        question__survey__in=survey_ids,
        question__kind=Question.Kind.SCALE,
        question__code__in=list(blueprints.AREAS),
        number__isnull=False,
    )
    if subject:
        answers = answers.filter(response__subject=subject)
    if territory is not None:
        answers = answers.filter(response__territory__path__startswith=territory.path)
    grouped: dict[object, dict[str, dict]] = {}
    totals: dict[str, dict] = {}
    for row in (
        answers.values(group_key, "question__code")
        .annotate(
            n=Count("response_id", distinct=True),
            answers=Count("id"),
            total=Sum("number"),
            high=Count("id", filter=Q(number__gte=blueprints.HIGH_NEED)),
        )
        .order_by()
    ):
        grouped.setdefault(row[group_key], {})[row["question__code"]] = row
        area = totals.setdefault(row["question__code"], dict.fromkeys(MEASURES, 0))
        for measure in MEASURES:
            area[measure] += row[measure]
    if names_model is None:
        names = {key: key or "" for key in grouped}
    else:
        names = dict(
            apps.get_model(names_model)
            .objects.filter(pk__in=[key for key in grouped if key is not None])
            .values_list("pk", "name")
        )
    respondents = (
        Response.objects.filter(survey__in=survey_ids)
        .filter(Exists(answers.filter(response=OuterRef("pk"))))
        .count()
        if grouped
        else 0
    )
    areas = [(code, str(name)) for code, name in blueprints.AREAS.items()]

    def cells(found: dict) -> list[Cell]:
        return [
            _cell(found[c]["n"], found[c]["total"] / found[c]["answers"], found[c]["high"])
            if c in found
            else Cell(0, None, None)
            for c, _ in areas
        ]

    rows = [MapRow(key, names.get(key, ""), cells(found)) for key, found in grouped.items()]
    rows.sort(key=lambda r: (r.name == "", r.name, str(r.key)))
    return DeficitsMap(areas, rows, cells(totals), respondents)


def subjects_answered(surveys: QuerySet[Survey]) -> list[str]:
    return list(
        Response.objects.filter(survey__in=surveys.values("pk"))
        .exclude(subject="")
        .values_list("subject", flat=True)
        .distinct()
        .order_by("subject")
    )
