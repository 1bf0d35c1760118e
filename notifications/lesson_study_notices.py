"""Notices of the lesson_study app's signals (connected in NotificationsConfig.ready)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from communities.models import Membership
from lesson_study import signals
from lesson_study.models import Cycle, ResearchLesson
from people.models import Person

from .delivery import Notice, deliver
from .models import Notification

Kind = Notification.Kind


def on_lesson_scheduled(sender, *, lesson: ResearchLesson, actor=None, observer_ids=(), **kw):
    """Observers newly asked to watch the lesson are told (the one who scheduled it is not)."""
    lesson = ResearchLesson.objects.select_related("cycle__community", "teacher").get(pk=lesson.pk)
    community = lesson.cycle.community
    # Only those still in the team: the policy lets members observe.
    observers = Person.objects.filter(pk__in=list(observer_ids), memberships__community=community)
    notice = Notice(
        Kind.OBSERVATION_ASKED,
        f"observation-{lesson.pk}-{lesson.date:%Y%m%d}",
        lambda: (
            _("Observe the %(lesson)s of %(teacher)s on %(date)s (%(team)s)")
            % {
                "lesson": lesson.get_round_display().lower(),
                "teacher": lesson.teacher.full_name,
                "date": f"{lesson.date:%d.%m.%Y}",
                "team": community.name,
            }
        ),
        reverse("lesson_study:cycle", args=[lesson.cycle_id]),
    )
    deliver(list(observers), notice, actor=actor)


def on_cycle_step(sender, *, cycle: Cycle, actor=None, **kwargs):
    """The team is told when its cycle moves to another stage."""
    cycle = Cycle.objects.select_related("community").get(pk=cycle.pk)
    members = Person.objects.filter(
        pk__in=Membership.objects.filter(community=cycle.community).values("person_id")
    )
    notice = Notice(
        Kind.CYCLE_STEP,
        f"cycle-{cycle.pk}-{cycle.stage}",
        lambda: (
            _("The cycle «%(question)s» of %(team)s moved on: %(stage)s")
            % {
                "question": cycle.research_question[:80],
                "team": cycle.community.name,
                "stage": cycle.get_stage_display(),
            }
        ),
        reverse("lesson_study:cycle", args=[cycle.pk]),
    )
    deliver(list(members), notice, actor=actor)


def connect() -> None:
    """Connect this module's receivers to the lesson_study app's signals."""
    signals.lesson_scheduled.connect(on_lesson_scheduled, dispatch_uid="lesson_study.scheduled")
    signals.cycle_step.connect(on_cycle_step, dispatch_uid="lesson_study.cycle_step")
