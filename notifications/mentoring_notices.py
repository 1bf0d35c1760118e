"""Notices of the mentoring app's signals (connected in NotificationsConfig.ready).

Who is told asks the mentoring policy: the two sides of a pair, and for a sent report or a
plan to approve, those who oversee or approve the pair (never the actor)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from communities.selectors import host_administrators
from mentoring import permissions as mentoring_permissions
from mentoring import signals as mentoring_signals
from mentoring.models import MentoringPlan, Pair, Report, Session
from people.models import Person
from people.roles import holders_over

from .delivery import Notice, deliver
from .models import Notification

Kind = Notification.Kind


def _pair(pk: int) -> Pair:
    return Pair.objects.select_related(
        "mentor", "mentee", "community__territory", "community__kind", "community__leader"
    ).get(pk=pk)


def _overseers(pair: Pair) -> list:
    """Who watches the pair's reports: a PLC pair's leader and school administrators, a leaders'
    pair's curators and centre administrators (the policy decides among the role holders)."""
    community = pair.community
    if pair.kind == Pair.Kind.SCHOOL:
        people = list(host_administrators(community))
        if community.leader_id and community.leader.is_active:
            people.append(community.leader)
    else:
        people = list(holders_over(territory_path=community.territory.path))
    return [
        p for p in {p.pk: p for p in people}.values() if mentoring_permissions.oversees(p, pair)
    ]


def on_pair_formed(sender, *, pair: Pair, actor=None, **kwargs):
    pair = _pair(pair.pk)
    notice = Notice(
        Kind.MENTORING_PAIRED,
        f"mentoring-pair-{pair.pk}",
        lambda: (
            _("You are in a mentoring pair: %(mentor)s (mentor) and %(mentee)s (mentee)")
            % {"mentor": pair.mentor.full_name, "mentee": pair.mentee.full_name}
        ),
        reverse("mentoring:pair", args=[pair.pk]),
    )
    deliver([pair.mentor, pair.mentee], notice, actor=actor)


def on_session_logged(sender, *, session: Session, actor=None, **kwargs):
    pair = _pair(session.pair_id)
    notice = Notice(
        Kind.MENTORING_SESSION,
        f"mentoring-session-{session.pk}",
        lambda: (
            _("A session «%(topic)s» of %(date)s is in your pair's log")
            % {"topic": session.topic[:150], "date": f"{session.held_on:%d.%m.%Y}"}
        ),
        reverse("mentoring:pair", args=[pair.pk]) + "#log",
    )
    deliver([pair.mentor, pair.mentee], notice, actor=actor)


def on_report_submitted(sender, *, report: Report, actor=None, **kwargs):
    pair = _pair(report.pair_id)
    notice = Notice(
        Kind.MENTORING_REPORT,
        f"mentoring-report-{report.pk}-sent",
        lambda: (
            _("%(name)s sent a mentoring report (%(period)s)")
            % {
                "name": (
                    pair.mentor if report.side == Report.Side.MENTOR else pair.mentee
                ).full_name,
                "period": Report.Period(report.period).label,
            }
        ),
        reverse("mentoring:report", args=[report.pk]),
    )
    deliver(_overseers(pair), notice, actor=actor)


def on_plan_submitted(sender, *, plan: MentoringPlan, actor=None, **kwargs):
    plan = MentoringPlan.objects.get(pk=plan.pk)
    pair = _pair(plan.pair_id)
    plan.pair = pair
    notice = Notice(
        Kind.MENTORING_PAIRED,
        f"mentoring-plan-{plan.pk}-v{plan.version}",
        lambda: (
            _("The mentoring plan of %(mentor)s and %(mentee)s waits for your approval")
            % {"mentor": pair.mentor.full_name, "mentee": pair.mentee.full_name}
        ),
        reverse("mentoring:pair", args=[pair.pk]) + "#plan",
    )
    people = [p for p in _overseers(pair) if mentoring_permissions.can_approve_plan(p, plan)]
    deliver(people, notice, actor=actor)


def report_due_notice(owed) -> Notice:
    """The reminder of a report a side owes: one per pair, side and period."""
    pair = owed.pair
    return Notice(
        Kind.MENTORING_REPORT,
        f"mentoring-report-due-{pair.pk}-{owed.side}-{owed.period}",
        lambda: (
            _("Your mentoring report (%(period)s) is due %(date)s")
            % {"period": Report.Period(owed.period).label, "date": f"{owed.due:%d.%m.%Y}"}
        ),
        reverse("mentoring:report_edit", args=[pair.pk, owed.period]),
    )


def remind_reports(today=None) -> int:
    """Tell each side of an active pair of the reports it owes (once per report)."""
    from django.utils import timezone

    from mentoring import selectors as mentoring_selectors

    today = today or timezone.localdate()
    sides = Person.objects.filter(
        pk__in=Pair.objects.filter(status=Pair.Status.ACTIVE).values("mentor_id")
    ) | Person.objects.filter(
        pk__in=Pair.objects.filter(status=Pair.Status.ACTIVE).values("mentee_id")
    )
    sent = 0
    for person in sides.filter(is_active=True).distinct():
        for owed in mentoring_selectors.reports_owed_by(person, 50, today):
            sent += len(deliver([person], report_due_notice(owed)))
    return sent


def connect() -> None:
    """Connect this module's receivers to the mentoring app's signals."""
    connections = [
        (mentoring_signals.pair_formed, on_pair_formed),
        (mentoring_signals.session_logged, on_session_logged),
        (mentoring_signals.report_submitted, on_report_submitted),
        (mentoring_signals.plan_submitted, on_plan_submitted),
    ]
    for signal, receiver in connections:
        signal.connect(receiver, dispatch_uid=f"notifications.{receiver.__name__}")
