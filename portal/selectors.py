"""Cross-app reads for the dashboard: what needs this person's attention.

Each kind of item asks its app's policy (in its list form) whom it waits for, so the dashboard
and the notices name the same people; each runs a fixed number of queries, however much data
there is (portal/tests/test_query_counts.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from communities.models import Community, Membership
from communities.permissions import filter_visible
from communities.selectors import administered_communities, may_break_rules_q, rule_violations
from consultations import selectors as consultation_selectors
from core.scopes import scopes_for
from discussions import selectors as discussion_selectors
from events import selectors as event_selectors
from lesson_study import selectors as lesson_study_selectors
from meetings import cadence
from meetings import selectors as meeting_selectors
from mentoring import selectors as mentoring_selectors
from mentoring.models import Report
from people.models import Position
from planning import permissions as planning_permissions
from planning import selectors as planning_selectors
from planning.workflow import Step
from reports import selectors as report_selectors
from resources import selectors as resource_selectors
from surveys import selectors as survey_selectors

ATTENTION_LIMIT = 20


@dataclass
class AttentionItem:
    title: str
    detail: str
    url: str
    kind: str = "rules"  # what waits: plan, meeting, minutes, decision, cadence, rules
    action: str = ""  # what the person is asked to do, in words
    overdue: bool = False  # past its due date: the dashboard marks it


def attention_items(user) -> list[AttentionItem]:
    """Communities the user leads or administers that break their kind's rules now."""
    base = administered_communities(user) | Community.objects.filter(leader=user)
    candidates = (
        filter_visible(user, base.filter(may_break_rules_q()))
        .select_related("kind")
        .prefetch_related(
            # Leaders' pairs are judged by where their sides work (rule_violations reads the
            # people and positions it is given instead of querying per pair).
            Prefetch("memberships", queryset=Membership.objects.select_related("person")),
            Prefetch(
                "memberships__person__positions",
                queryset=Position.objects.select_related("organisation"),
            ),
        )
        .order_by("name", "id")
        .distinct()[: ATTENTION_LIMIT * 2]
    )
    items: list[AttentionItem] = []
    for community in candidates:
        violations = rule_violations(community, list(community.memberships.all()))
        if violations:
            items.append(
                AttentionItem(
                    title=community.name,
                    detail="; ".join(v.message for v in violations),
                    url=reverse("communities:detail", args=[community.pk]),
                )
            )
        if len(items) >= ATTENTION_LIMIT:
            break
    return items


def _day(moment) -> str:
    return f"{timezone.localtime(moment):%d.%m.%Y}"


def _when(moment) -> str:
    return f"{timezone.localtime(moment):%d.%m.%Y %H:%M}"


def _plans(user) -> list[AttentionItem]:
    items = []
    for plan in planning_selectors.plans_waiting_for(user, ATTENTION_LIMIT):
        agree = planning_permissions.may_take(user, plan, Step.AGREE)
        items.append(
            AttentionItem(
                title=plan.community.name,
                detail=_("Plan for %(year)s") % {"year": plan.school_year_label},
                url=reverse("planning:detail", args=[plan.pk]),
                kind="plan",
                action=_("Agree the plan") if agree else _("Approve the plan"),
            )
        )
    return items


def _minutes(user) -> list[AttentionItem]:
    items = []
    for meeting in meeting_selectors.minutes_to_write_for(user, ATTENTION_LIMIT):
        items.append(
            AttentionItem(
                title=meeting.title,
                detail=f"{meeting.community.name} · {_day(meeting.starts_at)}",
                url=reverse("meetings:minutes", args=[meeting.pk]),
                kind="minutes",
                action=_("Write the minutes"),
            )
        )
    for meeting in meeting_selectors.minutes_to_sign_for(user, ATTENTION_LIMIT):
        items.append(
            AttentionItem(
                title=meeting.title,
                detail=f"{meeting.community.name} · {_day(meeting.starts_at)}",
                url=reverse("meetings:detail", args=[meeting.pk]),
                kind="minutes",
                action=_("Sign the minutes"),
            )
        )
    return items


def _times_to_agree(user) -> list[AttentionItem]:
    return [
        AttentionItem(
            title=meeting.title,
            detail=f"{meeting.community.name} · {_when(meeting.starts_at)}",
            url=reverse("meetings:detail", args=[meeting.pk]),
            kind="meeting",
            action=_("Agree the time and place"),
        )
        for meeting in meeting_selectors.times_to_agree_for(user, ATTENTION_LIMIT)
    ]


def _overdue(user) -> list[AttentionItem]:
    return [
        AttentionItem(
            title=decision.text[:100],
            detail=" · ".join(
                part
                for part in (
                    decision.community.name,
                    decision.assignee.full_name if decision.assignee else "",
                    f"{decision.due_on:%d.%m.%Y}",
                )
                if part
            ),
            url=reverse("meetings:decision", args=[decision.pk]),
            kind="decision",
            action=_("Overdue"),
        )
        for decision in meeting_selectors.overdue_decisions_led_by(user, ATTENTION_LIMIT)
    ]


# Whether a community is behind its cadence changes only when a meeting is held or a period
# ends, while deciding it for a centre's whole region costs a count over every community's
# meetings: the answer is kept this long, per person and per set of roles (a role taken away
# changes the key, so nobody sees communities outside their scope after losing it).
BEHIND_CACHE_SECONDS = 10 * 60


def _behind(user) -> list[AttentionItem]:
    scopes = hashlib.sha256(repr(scopes_for(user)).encode()).hexdigest()[:16]
    key = f"portal:behind:{user.pk}:{scopes}:{timezone.localdate():%Y%m%d}"
    ids = cache.get(key)
    if ids is None:
        ids = list(
            cadence.behind_in_sql(administered_communities(user))
            .order_by("name", "id")
            .values_list("pk", flat=True)[:ATTENTION_LIMIT]
        )
        cache.set(key, ids, BEHIND_CACHE_SECONDS)
    communities = (
        Community.objects.filter(pk__in=ids, status=Community.Status.ACTIVE)
        .select_related("kind")
        .order_by("name", "id")
    )
    return [
        AttentionItem(
            title=community.name,
            detail=str(community.kind),
            url=reverse("communities:detail", args=[community.pk]),
            kind="cadence",
            action=_("Behind its meeting cadence"),
        )
        for community in communities
    ]


def _mentoring(user) -> list[AttentionItem]:
    """Mentoring plans to approve and the reports the person owes as a side of a pair."""
    items = [
        AttentionItem(
            title=f"{plan.pair.mentor.full_name} — {plan.pair.mentee.full_name}",
            detail=plan.pair.community.name,
            url=reverse("mentoring:pair", args=[plan.pair_id]) + "#plan",
            kind="plan",
            action=_("Approve the mentoring plan"),
        )
        for plan in mentoring_selectors.plans_to_approve_for(user, ATTENTION_LIMIT)
    ]
    items += [
        AttentionItem(
            title=owed.pair.community.name,
            detail=_("Due %(date)s") % {"date": f"{owed.due:%d.%m.%Y}"},
            url=reverse("mentoring:report_edit", args=[owed.pair.pk, owed.period]),
            kind="report",
            action=_("Write the mentoring report (%(period)s)")
            % {"period": Report.Period(owed.period).label},
        )
        for owed in mentoring_selectors.reports_owed_by(user, ATTENTION_LIMIT)
    ]
    return items


def waiting_items(user) -> list[AttentionItem]:
    """Everything waiting for this person to act: plans to agree or approve, meetings' times and
    places to agree, minutes to write or sign, late decisions of the communities they lead,
    communities behind their cadence in their scope. (Invitations, join requests and broken
    rules are listed by their own reads.)"""
    items = _plans(user) + _times_to_agree(user) + _minutes(user)
    items += _overdue(user) + _behind(user) + _event_feedback(user) + _surveys(user)
    items += _sheets_owed(user) + _mentoring(user) + _year_reports(user)
    items += _consultations(user) + _resources_to_review(user) + _reports_to_moderate(user)
    return items + _publications_to_write(user)


def _consultations(user) -> list[AttentionItem]:
    """Consultation questions waiting for this responder (consultations.permissions.waiting_q),
    and answers the person received and has not rated."""
    items = [
        AttentionItem(
            title=str(c.topic),
            detail=f"{c.question[:80]} · {_('due')} {c.due_by:%d.%m.%Y}",
            url=reverse("consultations:detail", args=[c.pk]),
            kind="consultation",
            action=_("Urgent: answer the consultation question")
            if c.urgency == c.Urgency.URGENT
            else _("Answer the consultation question"),
            overdue=c.is_overdue,
        )
        for c in consultation_selectors.waiting_for(user)[:ATTENTION_LIMIT]
    ]
    items += [
        AttentionItem(
            title=str(c.topic),
            detail=c.question[:80],
            url=reverse("consultations:detail", args=[c.pk]) + "#rate",
            kind="consultation",
            action=_("Answer received, please rate it"),
        )
        for c in consultation_selectors.to_rate(user)[:ATTENTION_LIMIT]
    ]
    return items


def _event_feedback(user) -> list[AttentionItem]:
    """Events the person attended whose feedback is asked (events.selectors)."""
    return [
        AttentionItem(
            title=event.title,
            detail=f"{event.kind.name} · {_when(event.starts_at)}",
            url=reverse("events:feedback", args=[event.pk]),
            kind="event",
            action=_("Leave feedback"),
        )
        for event in event_selectors.feedback_waiting_for(user, ATTENTION_LIMIT)
    ]


def _surveys(user) -> list[AttentionItem]:
    """Surveys the person is asked to answer and has not yet (surveys.permissions.waiting_q)."""
    waiting = survey_selectors.waiting_surveys(user).select_related(
        "community", "organisation", "network", "territory"
    )[:ATTENTION_LIMIT]
    return [
        AttentionItem(
            title=survey.title,
            detail=str(survey.owner)
            + (f" · {_('until')} {_when(survey.closes_at)}" if survey.closes_at else ""),
            url=reverse("surveys:answer", args=[survey.pk]),
            kind="survey",
            action=_("Answer the survey"),
        )
        for survey in waiting
    ]


def _sheets_owed(user) -> list[AttentionItem]:
    """Observation sheets of lessons already taught that the person still owes (lesson study)."""
    return [
        AttentionItem(
            title=_("Observation sheet: pupil %(p)s") % {"p": sheet.pupil.pseudonym},
            detail=f"{sheet.lesson.cycle.community.name} · {sheet.lesson.date:%d.%m.%Y}",
            url=reverse("lesson_study:sheet_edit", args=[sheet.lesson_id, sheet.pupil_id]),
            kind="sheet",
            action=_("Fill in the observation sheet"),
        )
        for sheet in lesson_study_selectors.sheets_owed(user)[:ATTENTION_LIMIT]
    ]


def _year_reports(user) -> list[AttentionItem]:
    """The year's reports the person writes and has not sent, and those waiting for their
    review (reports.permissions, as the notices ask)."""
    items = []
    for owed in report_selectors.reports_owed_by(user, ATTENTION_LIMIT):
        url = (
            reverse("reports:detail", args=[owed.report.pk])
            if owed.report
            else reverse("reports:list")
        )
        due = f" · {_('due')} {owed.due:%d.%m.%Y}" if owed.due else ""
        items.append(
            AttentionItem(
                title=str(owed.owner),
                detail=f"{owed.school_year}/{owed.school_year + 1}{due}",
                url=url,
                kind="report",
                action=_("Write and submit the year's report"),
            )
        )
    for report in report_selectors.reviews_waiting_for(user, ATTENTION_LIMIT):
        items.append(
            AttentionItem(
                title=report_selectors.owner_title(report),
                detail=report.school_year_label,
                url=reverse("reports:detail", args=[report.pk]),
                kind="report",
                action=_("Review the year's report"),
            )
        )
    return items


def _resources_to_review(user) -> list[AttentionItem]:
    """Resources sent for review to this moderator (resources.permissions, as the notices ask)."""
    return [
        AttentionItem(
            title=resource.title,
            detail=f"{resource.kind.name}"
            + (f" · {resource.community.name}" if resource.community_id else ""),
            url=reverse("resources:detail", args=[resource.pk]),
            kind="resource",
            action=_("Review the resource"),
        )
        for resource in resource_selectors.waiting_reviews_for(user, ATTENTION_LIMIT)
    ]


def _reports_to_moderate(user) -> list[AttentionItem]:
    """Open reports of posts and comments in the communities the person moderates (one count:
    discussions.selectors.moderation_queue, the queue the notices point to)."""
    n = discussion_selectors.open_report_count(user)
    if not n:
        return []
    return [
        AttentionItem(
            title=_("Moderation"),
            detail=ngettext("%(n)d open report", "%(n)d open reports", n) % {"n": n},
            url=reverse("discussions:moderation"),
            kind="moderation",
            action=_("Review the reports"),
        )
    ]


def _publications_to_write(user) -> list[AttentionItem]:
    """Publications planned for this member that are not written yet and are due within a few
    days or late (discussions.selectors.publications_due_for, as the reminders ask)."""
    today = timezone.localdate()
    return [
        AttentionItem(
            title=planned.title,
            detail=f"{planned.community.name} · {planned.due_on:%d.%m.%Y}",
            url=reverse("discussions:create", args=[planned.community_id])
            + f"?planned={planned.pk}",
            kind="publication",
            action=_("Write the planned post"),
            overdue=planned.due_on < today,
        )
        for planned in discussion_selectors.publications_due_for(user, today, ATTENTION_LIMIT)
    ]
