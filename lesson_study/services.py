"""Writes for lesson study and lesson visits: each one whole change in one transaction, asking
the policy for the person acting (`actor=None` is a trusted caller: the demo, a test's setup)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from communities.models import Community, Membership
from core.actions import announce, require
from core.uploads import check_upload

from . import permissions, signals
from .models import (
    CasePupil,
    Cycle,
    LessonPlan,
    LessonVisit,
    ObservationSheet,
    ResearchLesson,
)

CYCLE_FIELDS = (
    "research_question",
    "subject",
    "class_name",
    "starts_on",
    "ends_on",
    "discussion",
    "revised_lesson",
    "actions",
    "data",
    "conclusions",
)


def _member_ids(community: Community) -> set[int]:
    return set(Membership.objects.filter(community=community).values_list("person_id", flat=True))


def _check_dates(cycle: Cycle) -> None:
    if cycle.starts_on and cycle.ends_on and cycle.ends_on < cycle.starts_on:
        raise ValidationError({"ends_on": _("The end cannot be before the start.")})


@transaction.atomic
def create_cycle(
    *, community: Community, research_question: str, kind: str = Cycle.Kind.LESSON_STUDY,
    actor=None, **fields,
) -> Cycle:  # fmt: skip
    require(actor, lambda: permissions.can_create_cycle(actor, community))
    if not community.is_active:
        raise ValidationError(_("A closed community starts no cycles."))
    unknown = set(fields) - set(CYCLE_FIELDS)
    if unknown:
        raise ValueError(f"{unknown} are not cycle fields")
    cycle = Cycle(
        community=community,
        kind=kind,
        research_question=research_question.strip(),
        created_by=actor,
        **fields,
    )
    _check_dates(cycle)
    cycle.full_clean()
    cycle.save()
    return cycle


@transaction.atomic
def update_cycle(*, cycle: Cycle, actor=None, **changes) -> Cycle:
    require(actor, lambda: permissions.can_work_on(actor, cycle))
    for field, value in changes.items():
        if field not in CYCLE_FIELDS:
            raise ValueError(f"{field} is not editable")
        setattr(cycle, field, value)
    _check_dates(cycle)
    cycle.full_clean()
    # Only the fields given: a page opened before the stage moved cannot move it back.
    cycle.save(update_fields=[*changes, "updated_at"])
    return cycle


@transaction.atomic
def move_stage(*, cycle: Cycle, stage: str, actor=None) -> Cycle:
    """The leader moves the cycle one stage on (or back one, to mend something)."""
    require(actor, lambda: permissions.can_manage(actor, cycle))
    cycle = Cycle.objects.select_for_update().select_related("community").get(pk=cycle.pk)
    stages = cycle.stages
    if stage not in stages:
        raise ValidationError({"stage": _("This cycle has no such stage.")})
    if stage == cycle.stage:
        return cycle  # a second click of the same button
    if abs(stages.index(stage) - cycle.stage_index) != 1:
        raise ValidationError({"stage": _("A cycle moves one stage at a time.")})
    if stage == Cycle.Stage.RESEARCH_LESSON and stages.index(stage) > cycle.stage_index:
        if not cycle.lesson_plans.exists() or not cycle.pupils.exists():
            raise ValidationError(
                {"stage": _("Write the lesson plan and choose the case pupils first.")}
            )
    if stage == Cycle.Stage.DISCUSSION and stages.index(stage) > cycle.stage_index:
        if not cycle.lessons.filter(round=ResearchLesson.Round.RESEARCH).exists():
            raise ValidationError({"stage": _("Schedule the research lesson first.")})
    cycle.stage = stage
    cycle.save(update_fields=["stage", "updated_at"])
    announce(signals.cycle_step, Cycle, cycle=cycle, actor=actor)
    return cycle


@transaction.atomic
def add_lesson_plan(
    *, cycle: Cycle, text: str = "", file=None, note: str = "", actor=None
) -> LessonPlan:
    """A new version of the lesson plan; earlier versions are kept as they were."""
    require(actor, lambda: permissions.can_work_on(actor, cycle))
    if not text.strip() and not file:
        raise ValidationError({"text": _("Write the plan or attach its file.")})
    file_name = ""
    if file:
        check_upload(file)
        file_name = (getattr(file, "name", "") or "")[-200:]
    Cycle.objects.select_for_update().filter(pk=cycle.pk).first()  # one number at a time
    number = (cycle.lesson_plans.aggregate(n=Max("number"))["n"] or 0) + 1
    plan = LessonPlan(cycle=cycle, number=number, text=text, note=note, author=actor)
    if file:
        plan.file = file
        plan.file_name = file_name
    plan.full_clean(exclude=["file"])
    plan.save()
    return plan


@transaction.atomic
def add_pupil(*, cycle: Cycle, pseudonym: str, level: str = "", actor=None) -> CasePupil:
    require(actor, lambda: permissions.can_work_on(actor, cycle))
    pupil = CasePupil(cycle=cycle, pseudonym=pseudonym.strip().upper(), level=level)
    pupil.full_clean(exclude=["cycle"])
    existing = CasePupil.objects.filter(cycle=cycle, pseudonym=pupil.pseudonym).first()
    if existing is not None:  # a double submit adds one pupil
        return existing
    pupil.save()
    for lesson in cycle.lessons.all():  # observers of a scheduled lesson watch the new pupil too
        _ensure_sheets(lesson)
    return pupil


@transaction.atomic
def remove_pupil(*, pupil: CasePupil, actor=None) -> None:
    require(actor, lambda: permissions.can_work_on(actor, pupil.cycle))
    if pupil.sheets.exclude(observed="").exists():
        raise ValidationError(_("Observers have already written about this pupil."))
    pupil.delete()


@transaction.atomic
def schedule_lesson(
    *, cycle: Cycle, date: dt.date, teacher, observers, topic: str = "",
    round: int = ResearchLesson.Round.RESEARCH, actor=None,
) -> ResearchLesson:  # fmt: skip
    """Schedule (or move) the research or revised lesson; the observers are team members, not
    the teacher, and each gets a sheet for every case pupil."""
    require(actor, lambda: permissions.can_manage(actor, cycle))
    members = _member_ids(cycle.community)
    observer_ids = {o.pk for o in observers}
    if teacher.pk not in members:
        raise ValidationError({"teacher": _("The teacher must be a member of the team.")})
    if not observer_ids:
        raise ValidationError({"observers": _("Choose at least one observer.")})
    if observer_ids - members:
        raise ValidationError({"observers": _("Observers must be members of the team.")})
    if teacher.pk in observer_ids:
        raise ValidationError({"observers": _("The teacher does not observe their own lesson.")})
    lesson, created = ResearchLesson.objects.select_for_update().get_or_create(
        cycle=cycle, round=round, defaults={"date": date, "teacher": teacher, "topic": topic}
    )
    before = set() if created else set(lesson.observers.values_list("pk", flat=True))
    if not created:
        lesson.date, lesson.teacher, lesson.topic = date, teacher, topic
        lesson.save()
    lesson.observers.set(list(observers))
    # Sheets of observers no longer observing go unless they were written.
    lesson.sheets.exclude(observer_id__in=observer_ids).filter(observed="").delete()
    _ensure_sheets(lesson)
    new = observer_ids - before
    if new:
        announce(signals.lesson_scheduled, ResearchLesson, lesson=lesson, actor=actor,
                 observer_ids=sorted(new))  # fmt: skip
    return lesson


def _ensure_sheets(lesson: ResearchLesson) -> None:
    have = set(lesson.sheets.values_list("observer_id", "pupil_id"))
    pupils = list(lesson.cycle.pupils.values_list("pk", flat=True))
    ObservationSheet.objects.bulk_create(
        [
            ObservationSheet(lesson=lesson, pupil_id=p, observer=o)
            for o in lesson.observers.all()
            for p in pupils
            if (o.pk, p) not in have
        ],
        ignore_conflicts=True,
    )


@transaction.atomic
def fill_sheet(
    *, lesson: ResearchLesson, pupil: CasePupil, observer, expected: str = "",
    observed: str = "", evidence: str = "", actor=None,
) -> ObservationSheet:  # fmt: skip
    """An observer writes their own sheet for a case pupil; saving again updates it."""
    require(actor, lambda: actor.pk == observer.pk and permissions.can_fill_sheet(actor, lesson))
    if pupil.cycle_id != lesson.cycle_id:
        raise ValidationError(_("This pupil is not a case pupil of the cycle."))
    if lesson.cycle.stage == Cycle.Stage.REPORT:
        raise ValidationError(_("The cycle's report is done; its sheets are closed."))
    sheet, _created = ObservationSheet.objects.select_for_update().get_or_create(
        lesson=lesson, pupil=pupil, observer=observer
    )
    sheet.expected, sheet.observed, sheet.evidence = expected, observed, evidence
    sheet.full_clean(exclude=["lesson", "pupil", "observer"])
    sheet.save()
    return sheet


# Lesson visits ----------------------------------------------------------------------------
@transaction.atomic
def log_visit(
    *, community: Community, visitor, teacher, date: dt.date, class_name: str,
    subject: str = "", focus: str = "", lesson_kind: str = LessonVisit.LessonKind.ORDINARY,
    feedback_given: bool = False, feedback: str = "", actor=None,
) -> LessonVisit:  # fmt: skip
    """A member logs a visit they made (the visitor is the person acting)."""
    require(actor, lambda: actor.pk == visitor.pk and permissions.can_log_visit(actor, community))
    if teacher.pk == visitor.pk:
        raise ValidationError({"teacher": _("A visit is to a colleague's lesson.")})
    members = _member_ids(community)
    if teacher.pk not in members:
        raise ValidationError({"teacher": _("The teacher visited must be a member.")})
    if feedback.strip():
        feedback_given = True
    visit = LessonVisit(
        community=community, visitor=visitor, teacher=teacher, date=date,
        class_name=class_name.strip(), subject=subject, focus=focus, lesson_kind=lesson_kind,
        feedback_given=feedback_given, feedback=feedback,
    )  # fmt: skip
    visit.full_clean(exclude=["community", "visitor", "teacher"], validate_constraints=False)
    same = LessonVisit.objects.filter(
        community=community, visitor=visitor, teacher=teacher, date=date,
        class_name=visit.class_name,
    ).first()  # fmt: skip
    if same is not None:  # a double submit logs one visit
        return same
    try:
        with transaction.atomic():
            visit.save()
    except IntegrityError:
        return LessonVisit.objects.get(
            community=community, visitor=visitor, teacher=teacher, date=date,
            class_name=visit.class_name,
        )  # fmt: skip
    return visit


@transaction.atomic
def delete_visit(*, visit: LessonVisit, actor=None) -> None:
    require(actor, lambda: permissions.can_delete_visit(actor, visit))
    visit.delete()
