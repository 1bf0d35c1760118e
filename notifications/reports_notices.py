"""Notices of the reports app's signals (connected in NotificationsConfig.ready), and the
reminders of year's reports due.

Who is told asks the reports policy: a submitted version goes to those who may accept or return
it (``permissions.can_decide``), a decision to those who write the report; never the actor."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Community
from people.roles import holders_over
from reports import permissions as report_permissions
from reports import rules as report_rules
from reports import selectors as report_selectors
from reports import signals as report_signals
from reports.models import Owner, Report, Submission

from .delivery import Notice, deliver
from .models import Notification

Kind = Notification.Kind
REMIND_DAYS = 14  # the first reminder this many days before the deadline


def _candidates(report: Report) -> list:
    """Everyone holding a role where the report is written or received (the policy chooses)."""
    owner = report.owner
    if report.owner_type == Owner.COMMUNITY:
        people = list(
            holders_over(
                organisation_id=owner.organisation_id,
                network_id=owner.network_id,
                territory_path=owner.territory.path,
            )
        )
        if owner.leader_id and owner.leader.is_active:
            people.append(owner.leader)
        return people
    if report.owner_type == Owner.SCHOOL:
        return list(holders_over(organisation_id=owner.pk, territory_path=owner.territory.path))
    if report.owner_type == Owner.NETWORK:
        return list(holders_over(network_id=owner.pk, territory_path=owner.territory.path))
    return list(holders_over(territory_path=owner.path))


def receivers_of(report: Report, submission: Submission) -> list:
    return [
        p
        for p in {p.pk: p for p in _candidates(report)}.values()
        if report_permissions.can_decide(p, report, submission.submitted_by_id)
    ]


def writers_of(report: Report) -> list:
    return [
        p
        for p in {p.pk: p for p in _candidates(report)}.values()
        if report_permissions.can_write(p, report)
    ]


def on_report_submitted(sender, *, report: Report, submission: Submission, actor=None, **kw):
    report = report_selectors.report_detail(report.pk)
    name = report_selectors.owner_title(report)
    notice = Notice(
        Kind.REPORT_TO_REVIEW,
        f"year-report-{report.pk}-v{submission.number}-sent",
        lambda: (
            _("The report of %(owner)s for %(year)s waits for your review")
            % {"owner": name, "year": report.school_year_label}
        ),
        reverse("reports:detail", args=[report.pk]),
    )
    deliver(receivers_of(report, submission), notice, actor=actor)


def on_report_decided(sender, *, report: Report, submission: Submission, actor=None, **kw):
    report = report_selectors.report_detail(report.pk)
    name = report_selectors.owner_title(report)
    accepted = submission.decision == Submission.Decision.ACCEPTED
    notice = Notice(
        Kind.REPORT_DECIDED,
        f"year-report-{report.pk}-v{submission.number}-{submission.decision}",
        lambda: (
            (
                _("The report of %(owner)s for %(year)s is accepted")
                if accepted
                else _("The report of %(owner)s for %(year)s is returned: %(comment)s")
            )
            % {"owner": name, "year": report.school_year_label, "comment": submission.comment[:200]}
        ),
        reverse("reports:detail", args=[report.pk]),
    )
    deliver(writers_of(report), notice, actor=actor)


def due_notice(community: Community, year: int, due: dt.date, today: dt.date) -> Notice:
    stage = "overdue" if due < today else "soon"
    return Notice(
        Kind.REPORT_DUE,
        f"year-report-due-{community.pk}-{year}-{stage}",
        lambda: (
            (
                _("The year's report of %(name)s was due %(date)s")
                if stage == "overdue"
                else _("The year's report of %(name)s is due %(date)s")
            )
            % {"name": community.name, "date": f"{due:%d.%m.%Y}"}
        ),
        reverse("reports:list"),
    )


def reminders(today: dt.date | None = None) -> int:
    """Tell each community's leader of the year's report due within REMIND_DAYS, and once more
    when the deadline passed without it; each reminder once (its key)."""
    today = today or timezone.localdate()
    year = report_selectors.last_school_year(today)
    sent = 0
    communities = (
        Community.objects.filter(status=Community.Status.ACTIVE, leader__is_active=True)
        .exclude(kind__report_receiver="")
        .filter(kind__report_deadline_month__isnull=False, kind__report_deadline_day__isnull=False)
        .exclude(
            pk__in=Report.objects.filter(
                owner_type=Owner.COMMUNITY,
                school_year=year,
                status__in=[Report.Status.SUBMITTED, Report.Status.ACCEPTED],
            ).values("community_id")
        )
        .select_related("kind", "leader")
    )
    for community in communities:
        kind = community.kind
        due = report_rules.due_date(year, kind.report_deadline_month, kind.report_deadline_day)
        if not _remind_now(due, today):
            continue
        sent += len(deliver([community.leader], due_notice(community, year, due, today)))
    return sent + _centre_reminders(year, today)


def _remind_now(due: dt.date | None, today: dt.date) -> bool:
    return due is not None and -60 <= (due - today).days <= REMIND_DAYS


def _centre_reminders(year: int, today: dt.date) -> int:
    """The centre's own report (003 order §2.2, by 25 December): its administrators of each
    territory where someone holds that role, until it is submitted."""
    from organisations.models import Territory
    from people.models import RoleAssignment

    _receiver, month, day = report_rules.rule_for(Owner.CENTRE, None)
    due = report_rules.due_date(year, month, day)
    if not _remind_now(due, today):
        return 0
    done = Report.objects.filter(
        owner_type=Owner.CENTRE,
        school_year=year,
        status__in=[Report.Status.SUBMITTED, Report.Status.ACCEPTED],
    ).values("territory_id")
    holders = (
        RoleAssignment.objects.filter(
            role=RoleAssignment.Role.CENTRE_ADMIN, territory__isnull=False, person__is_active=True
        )
        .exclude(territory_id__in=done)
        .select_related("person", "territory")
    )
    stage = "overdue" if due < today else "soon"
    sent = 0
    for holder in holders:
        territory: Territory = holder.territory
        notice = Notice(
            Kind.REPORT_DUE,
            f"year-report-due-centre-{territory.pk}-{year}-{stage}",
            lambda territory=territory: (
                (
                    _("The year's report of %(name)s was due %(date)s")
                    if stage == "overdue"
                    else _("The year's report of %(name)s is due %(date)s")
                )
                % {"name": territory.name, "date": f"{due:%d.%m.%Y}"}
            ),
            reverse("reports:list"),
        )
        sent += len(deliver([holder.person], notice))
    return sent


def connect() -> None:
    connections = [
        (report_signals.report_submitted, on_report_submitted),
        (report_signals.report_decided, on_report_decided),
    ]
    for signal, receiver in connections:
        signal.connect(receiver, dispatch_uid=f"notifications.reports.{receiver.__name__}")
