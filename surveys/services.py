"""Writes for surveys: build, open, close, answer, and make one from a ready template."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actions import announce, require
from core.rows import match_rows
from core.text import clean_text, document_text

from . import blueprints, permissions, signals
from .models import Answer, Option, Participation, Question, Response, Survey

SURVEY_FIELDS = ("title", "intro", "anonymous", "audience", "opens_at", "closes_at")
QUESTION_FIELDS = (
    "kind", "text", "help_text", "required", "scale_min", "scale_max", "min_label", "max_label",
)  # fmt: skip
MAX_QUESTIONS = 100
MAX_OPTIONS = 50
MAX_TEXT_ANSWER = 10000


class AlreadyAnswered(Exception):
    """The person has answered this survey already (a double submit, a second tab)."""


def _check_dates(survey: Survey) -> None:
    for name in ("opens_at", "closes_at"):
        moment = getattr(survey, name)
        if moment is not None and not 2000 <= moment.year <= 2100:
            raise ValidationError({name: _("Give a date between the years 2000 and 2100.")})
    if survey.opens_at and survey.closes_at and survey.closes_at <= survey.opens_at:
        raise ValidationError({"closes_at": _("The survey must close after it opens.")})


@transaction.atomic
def create_survey(
    *,
    actor,
    title: str,
    intro: str = "",
    community=None,
    organisation=None,
    network=None,
    territory=None,
    anonymous: bool = True,
    audience: str = Survey.Audience.SCOPE,
    opens_at=None,
    closes_at=None,
    template_code: str = "",
    respondents: Iterable | None = None,
) -> Survey:
    """`respondents` are the named people asked when the audience is PEOPLE (set by apps, such
    as a mentoring pair's two sides); they must be the owner's people."""
    scope = {
        "community": community,
        "organisation": organisation,
        "network": network,
        "territory": territory,
    }
    if sum(v is not None for v in scope.values()) != 1:
        raise ValidationError(_("Choose who runs the survey."))
    require(actor, lambda: permissions.can_create_in(actor, **scope))
    survey = Survey(
        title=clean_text(title), intro=clean_text(intro), author=actor, anonymous=anonymous,
        audience=audience,
        opens_at=opens_at, closes_at=closes_at, template_code=template_code, **scope,
    )  # fmt: skip
    survey.full_clean()
    _check_dates(survey)
    survey.save()
    if audience == Survey.Audience.PEOPLE:
        _name_respondents(survey, list(respondents or ()))
    return survey


def _name_respondents(survey: Survey, people: list) -> None:
    if not people:
        raise ValidationError({"audience": _("Name the people who are asked.")})
    owners_people = permissions.owner_people(survey).filter(pk__in=[p.pk for p in people])
    if owners_people.count() != len({p.pk for p in people}):
        raise ValidationError(
            {"audience": _("Only the people of the survey's owner can be asked.")}
        )
    survey.respondents.set(people)


def _lock(survey: Survey) -> Survey:
    return Survey.objects.select_for_update().get(pk=survey.pk)


def _save_options(question: Question, texts: list[str], answered: set[int]) -> None:
    """Options are matched by position: the n-th line updates the n-th option (its answers
    stay with it); extra lines are new options; an answered option cannot be dropped."""
    texts = [clean_text(t).strip() for t in texts if t and clean_text(t).strip()][:MAX_OPTIONS]
    existing = list(question.options.all()) if question.pk else []
    for n, text in enumerate(texts):
        if n < len(existing):
            option = existing[n]
            if option.text != text or option.order != n:
                option.text, option.order = text[:500], n
                option.save(update_fields=["text", "order"])
        else:
            Option.objects.create(question=question, order=n, text=text[:500])
    dropped = existing[len(texts) :]
    if any(o.pk in answered for o in dropped):
        raise ValidationError(
            {"questions": _("«%(q)s»: an option people chose cannot be removed.") % {"q": question}}
        )
    Option.objects.filter(pk__in=[o.pk for o in dropped]).delete()


def _save_questions(survey: Survey, rows: Iterable[dict]) -> None:
    rows = list(rows)
    if len(rows) > MAX_QUESTIONS:
        raise ValidationError(
            {"questions": _("A survey holds at most %(n)s questions.") % {"n": MAX_QUESTIONS}}
        )
    existing = list(survey.questions.all())
    pairs, removed = match_rows(existing, rows, field="questions")
    answered_questions = set(
        Answer.objects.filter(question__survey=survey).values_list("question_id", flat=True)
    )
    answered_options = set(
        Answer.objects.filter(question__survey=survey, option__isnull=False).values_list(
            "option_id", flat=True
        )
    )
    for question in removed:
        if question.pk in answered_questions:
            raise ValidationError(
                {
                    "questions": _(
                        "«%(q)s» has answers and cannot be removed; close the survey instead."
                    )
                    % {"q": question.text}
                }
            )
    Question.objects.filter(pk__in=[q.pk for q in removed]).delete()
    for n, (question, row) in enumerate(pairs):
        row = dict(row)
        options = row.pop("options", None)
        if question is not None and question.pk in answered_questions:
            if row.get("kind", question.kind) != question.kind:
                raise ValidationError(
                    {
                        "questions": _("«%(q)s» has answers: its kind cannot change.")
                        % {"q": question}
                    }
                )
        question = question or Question(survey=survey)
        for name, value in row.items():
            if name not in QUESTION_FIELDS:
                raise ValueError(f"{name} cannot be set here")
            if isinstance(value, str):
                value = clean_text(value)
            setattr(question, name, value)
        question.order = n
        question.full_clean(exclude=["survey"])
        if question.kind == Question.Kind.SCALE and not (
            question.scale_min < question.scale_max <= question.scale_min + 10
        ):
            raise ValidationError(
                {
                    "questions": _(
                        "«%(q)s»: a scale runs from a lower to a higher number, at most 11 steps."
                    )
                    % {"q": question.text}
                }
            )
        question.save()
        if question.has_options:
            _save_options(question, options or [], answered_options)
            if not question.options.exists():
                raise ValidationError(
                    {"questions": _("«%(q)s» needs at least one option.") % {"q": question.text}}
                )
        elif options is not None:
            _save_options(question, [], answered_options)


@transaction.atomic
def update_survey(
    *, survey: Survey, actor, fields: dict | None = None, questions: Iterable[dict] | None = None
) -> Survey:
    """Save the survey's settings and, when given, its questions as a whole list.

    A question row is a dict of QUESTION_FIELDS with an optional "id" and, for a choice,
    "options" (a list of texts). Rows keep their ids, so answers stay attached; an answered
    question cannot be removed or change its kind once people answered it.
    """
    fresh = _lock(survey)
    require(actor, lambda: permissions.can_edit(actor, fresh))
    for name, value in (fields or {}).items():
        if name not in SURVEY_FIELDS:
            raise ValueError(f"{name} cannot be set here")
        if name == "anonymous" and fresh.response_count and value != fresh.anonymous:
            raise ValidationError(
                {"anonymous": _("People have answered already: anonymity cannot change.")}
            )
        if name in ("title", "intro"):
            value = clean_text(value)
        if name == "audience" and Survey.Audience.PEOPLE in (value, fresh.audience):
            if value != fresh.audience:
                raise ValidationError(
                    {"audience": _("A survey of named people keeps its audience.")}
                )
        setattr(fresh, name, value)
    fresh.full_clean()
    _check_dates(fresh)
    fresh.save()
    if questions is not None:
        _save_questions(fresh, questions)
    return fresh


@transaction.atomic
def open_survey(*, survey: Survey, actor) -> Survey:
    fresh = _lock(survey)
    require(actor, lambda: permissions.can_open(actor, fresh))
    if fresh.status != Survey.Status.DRAFT:
        return fresh
    if not fresh.questions.exists():
        raise ValidationError(_("Add at least one question before opening the survey."))
    fresh.status = Survey.Status.OPEN
    fresh.save(update_fields=["status"])
    announce(signals.survey_opened, Survey, survey=fresh, actor=actor)
    return fresh


@transaction.atomic
def close_survey(*, survey: Survey, actor) -> Survey:
    fresh = _lock(survey)
    require(actor, lambda: permissions.can_close(actor, fresh))
    if fresh.status == Survey.Status.OPEN:
        fresh.status = Survey.Status.CLOSED
        fresh.save(update_fields=["status"])
    return fresh


@transaction.atomic
def delete_survey(*, survey: Survey, actor) -> None:
    fresh = _lock(survey)
    require(actor, lambda: permissions.can_delete(actor, fresh))
    fresh.delete()


# -- answering ----------------------------------------------------------------------------------


def _respondent_place(person) -> dict:
    """Where the respondent works now: their main school, its network and territory."""
    from organisations.models import Network, NetworkMembership
    from people.models import Position

    position = (
        Position.objects.filter(person=person)
        .select_related("organisation")
        .order_by("-is_main", "pk")
        .first()
    )
    if position is None:
        return {}
    org = position.organisation
    network_id = (
        Network.objects.filter(lead_school=org).values_list("pk", flat=True).first()
        or NetworkMembership.objects.filter(organisation=org)
        .values_list("network_id", flat=True)
        .first()
    )
    return {"organisation": org, "network_id": network_id, "territory_id": org.territory_id}


def _profile_subject(person) -> str:
    from people.models import TeacherProfile

    subjects = (
        TeacherProfile.objects.filter(person=person).values_list("subjects", flat=True).first()
    )
    return (subjects or "").split(",")[0].strip()[:200]


def clean_answers(survey: Survey, data: dict) -> list[Answer]:
    """The answers as unsaved rows, or a ValidationError naming each question ("q<id>").

    `data` maps a question's id to: an option id (single), a list of option ids (multiple), a
    number (scale) or a text (short, long); a question left out is unanswered.
    """
    errors: dict[str, list[str]] = {}
    answers: list[Answer] = []
    questions = list(survey.questions.prefetch_related("options"))
    for question in questions:
        raw = data.get(question.pk, data.get(str(question.pk)))
        key = f"q{question.pk}"
        empty = raw is None or raw == "" or raw == []
        if empty:
            if question.required:
                errors[key] = [_("Please answer this question.")]
            continue
        if question.has_options:
            ids = raw if isinstance(raw, list | tuple) else [raw]
            valid = {o.pk: o for o in question.options.all()}
            try:
                chosen = [valid[int(i)] for i in ids]
            except (KeyError, TypeError, ValueError):
                errors[key] = [_("Choose one of the options given.")]
                continue
            if question.kind == Question.Kind.SINGLE and len(chosen) != 1:
                errors[key] = [_("Choose one option.")]
                continue
            answers += [Answer(question=question, option=o) for o in dict.fromkeys(chosen)]
        elif question.kind == Question.Kind.SCALE:
            try:
                number = int(raw)
            except (TypeError, ValueError):
                number = None
            if number is None or not question.scale_min <= number <= question.scale_max:
                errors[key] = [
                    _("Choose a value from %(min)s to %(max)s.")
                    % {"min": question.scale_min, "max": question.scale_max}
                ]
                continue
            answers.append(Answer(question=question, number=number))
        else:
            text = document_text(str(raw)).strip()
            limit = 500 if question.kind == Question.Kind.SHORT else MAX_TEXT_ANSWER
            if len(text) > limit:
                errors[key] = [
                    _("The answer is too long: at most %(n)s characters.") % {"n": limit}
                ]
                continue
            if not text:
                if question.required:
                    errors[key] = [_("Please answer this question.")]
                continue
            answers.append(Answer(question=question, text=text))
    if errors:
        raise ValidationError(errors)
    return answers


@transaction.atomic
def submit_response(*, survey: Survey, actor, answers: dict) -> Response:
    """Record one person's answers once. An anonymous survey stores that they answered apart
    from the answers, with nothing to join the two by."""
    fresh = _lock(survey)  # one submission of a survey at a time: a double submit waits here
    if actor is None or not actor.is_authenticated:
        raise ValidationError(_("Sign in to answer."))
    if permissions.has_answered(actor, fresh):
        raise AlreadyAnswered
    require(actor, lambda: permissions.can_answer(actor, fresh))
    rows = clean_answers(fresh, answers)
    try:
        with transaction.atomic():
            Participation.objects.create(survey=fresh, person=actor)
    except IntegrityError as exc:
        raise AlreadyAnswered from exc
    place = _respondent_place(actor)
    subject = next(
        (a.option.text for a in rows if a.question.code == "subject" and a.option), ""
    ) or _profile_subject(actor)
    response = Response.objects.create(
        survey=fresh,
        respondent=None if fresh.anonymous else actor,
        submitted_at=None if fresh.anonymous else timezone.now(),
        subject=subject[:200],
        **place,
    )
    for answer in rows:
        answer.response = response
    Answer.objects.bulk_create(rows)
    Survey.objects.filter(pk=fresh.pk).update(response_count=F("response_count") + 1)
    announce(signals.response_submitted, Survey, survey=fresh, actor=actor)
    return response


# -- ready templates ---------------------------------------------------------------------------


def _text(value) -> str:
    return str(value() if callable(value) else value)


@transaction.atomic
def create_from_template(
    *,
    actor,
    code: str,
    title: str | None = None,
    community=None,
    organisation=None,
    network=None,
    territory=None,
    anonymous: bool | None = None,
    audience: str = Survey.Audience.SCOPE,
    respondents: Iterable | None = None,
) -> Survey:
    """A draft survey with the questions of the ready template `code` (blueprints.BLUEPRINTS):
    `needs`, `event_feedback` or `mentoring_relationship`. Anonymity defaults to the template's."""
    blueprint = blueprints.BLUEPRINTS.get(code)
    if blueprint is None:
        raise ValidationError(_("There is no such survey template."))
    survey = create_survey(
        actor=actor,
        title=title or _text(blueprint.title),
        intro=_text(blueprint.intro),
        community=community,
        organisation=organisation,
        network=network,
        territory=territory,
        anonymous=blueprint.anonymous if anonymous is None else anonymous,
        audience=audience,
        template_code=code,
        respondents=respondents,
    )
    for n, spec in enumerate(blueprint.questions):
        question = Question.objects.create(
            survey=survey, order=n, kind=spec.kind, text=_text(spec.text),
            help_text=_text(spec.help_text), required=spec.required, code=spec.code,
            min_label=_text(spec.min_label), max_label=_text(spec.max_label),
        )  # fmt: skip
        Option.objects.bulk_create(
            Option(question=question, order=k, text=_text(text))
            for k, text in enumerate(spec.options)
        )
    return survey
