"""The relationship survey of a pair's two sides (003 app. 3 §4.2.1, §5.3), made with the surveys
app's ready template `mentoring_relationship`.

A leaders' pair is its own community of two, so a survey owned by that community asks exactly its
mentor and mentee. A pair inside a school PLC has no community of its own: its survey is owned by
the PLC and asks only the two named sides (the surveys app's audience of named people). Each
survey is linked to its pair (`PairSurvey`).

The survey stays the surveys app's object (its pages answer it and show its results); this
module reads its answers back as figures for the pair's page and the year-end analysis.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Count, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from surveys import permissions as survey_permissions
from surveys import services as survey_services
from surveys.blueprints import MENTORING
from surveys.models import Answer, Survey

from . import permissions
from .models import Pair, PairSurvey

# The template's scale questions, by their code, in the order the analysis shows them.
SCALES = ("trust", "regularity", "usefulness")


def _scale_labels() -> dict[str, str]:
    return {
        "trust": _("Trust between the sides"),
        "regularity": _("Regularity of the meetings"),
        "usefulness": _("Usefulness of the work"),
    }


def _surveys_of(pairs: QuerySet[Pair]) -> QuerySet[Survey]:
    return Survey.objects.filter(
        template_code=MENTORING, mentoring_pair_link__pair__in=pairs.values("pk")
    )


def can_launch_for_pair(user, pair: Pair) -> bool:
    return (
        pair.is_active
        and permissions.oversees(user, pair)
        and survey_permissions.can_create_in(user, community=pair.community)
    )


def can_launch(user, *, territory=None, community=None) -> bool:
    """All pairs at once: the curators of a territory for its leaders' pairs."""
    return territory is not None and permissions.can_analyse_territory(user, territory)


def launch(*, actor, pairs: QuerySet[Pair]) -> int:
    """Open a relationship survey for each active pair that has none open (the same request
    twice opens nothing new). Returns how many were opened."""
    eligible = list(
        pairs.filter(status=Pair.Status.ACTIVE).select_related(
            "community__territory", "community__kind", "mentor", "mentee"
        )
    )
    if not eligible:
        raise ValidationError(_("There is no active pair to ask."))
    opened = 0
    with transaction.atomic():
        # Locked, so that two curators launching at once open one survey per pair.
        list(
            Pair.objects.select_for_update()
            .filter(pk__in=[p.pk for p in eligible])
            .values_list("pk")
        )
        busy = set(
            PairSurvey.objects.filter(
                pair__in=[p.pk for p in eligible],
                survey__status__in=(Survey.Status.DRAFT, Survey.Status.OPEN),
            ).values_list("pair_id", flat=True)
        )
        for pair in eligible:
            if pair.pk in busy:
                continue
            if actor is not None and not can_launch_for_pair(actor, pair):
                continue
            if pair.kind == Pair.Kind.LEADERS:
                name, asked = pair.community.name, {}
            else:
                name = f"{pair.mentor} — {pair.mentee}"
                asked = {
                    "audience": Survey.Audience.PEOPLE,
                    "respondents": [pair.mentor, pair.mentee],
                }
            survey = survey_services.create_from_template(
                actor=actor,
                code=MENTORING,
                title=_("Relationship survey of the pair: %(name)s") % {"name": name},
                community=pair.community,
                **asked,
            )
            PairSurvey.objects.create(pair=pair, survey=survey)
            survey_services.open_survey(survey=survey, actor=actor)
            opened += 1
    return opened


def _averages(surveys: QuerySet[Survey]) -> tuple[dict[str, float], int]:
    rows = (
        Answer.objects.filter(question__survey__in=surveys, question__code__in=SCALES)
        .values("question__code")
        .annotate(a=Avg("number"))
        .order_by()
    )
    averages = {row["question__code"]: round(float(row["a"]), 1) for row in rows if row["a"]}
    answers = sum(s.response_count for s in surveys)
    return averages, answers


def pair_survey(pair: Pair, user) -> dict | None:
    """The pair's latest relationship survey as the pair's page shows it, or None."""
    surveys = Survey.objects.filter(template_code=MENTORING, mentoring_pair_link__pair=pair)
    latest = surveys.order_by("-created_at", "-pk").first()
    may_launch = can_launch_for_pair(user, pair) and (
        latest is None or latest.status == Survey.Status.CLOSED
    )
    if latest is None and not may_launch:
        return None
    averages, answers = _averages(surveys) if latest else ({}, 0)
    labels = _scale_labels()
    return {
        "survey": latest,
        "answers": answers,
        "scales": [(labels[c], averages[c]) for c in SCALES if c in averages],
        "answer_url": reverse("surveys:answer", args=[latest.pk])
        if latest and survey_permissions.can_answer(user, latest)
        else "",
        "results_url": reverse("surveys:results", args=[latest.pk])
        if latest and survey_permissions.can_view_results(user, latest)
        else "",
        "can_launch": may_launch,
    }


def aggregate(pairs: QuerySet[Pair]) -> dict | None:
    """The relationship surveys of these pairs in figures, for the analysis (None: no survey)."""
    surveys = list(_surveys_of(pairs))
    if not surveys:
        return None
    ids = Survey.objects.filter(pk__in=[s.pk for s in surveys])
    averages, answers = _averages(ids)
    by_question = dict(
        Answer.objects.filter(question__survey__in=ids, question__code__in=SCALES)
        .values("question__code")
        .annotate(n=Count("response_id", distinct=True))
        .values_list("question__code", "n")
    )
    labels = _scale_labels()
    return {
        "surveys": len(surveys),
        "answers": answers,
        "questions": [
            {
                "text": labels[code],
                "answers": by_question.get(code, 0),
                "summary": _("average %(value)s of 5") % {"value": averages[code]},
            }
            for code in SCALES
            if code in averages
        ],
    }
