"""Reads of the year's reports: what a report covers, its sections' data, the receiver's board."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Community, CommunityKind
from core.schoolyear import school_year_of
from organisations.models import Network, Organisation

from . import permissions, rules
from .models import Owner, Report, ReportFile, Submission
from .sections import Scope, sections_for


def scope_of(report: Report) -> Scope:
    owner = report.owner
    year = report.school_year
    if report.owner_type == Owner.COMMUNITY:
        return Scope(report.owner_type, owner, Community.objects.filter(pk=owner.pk), year)
    if report.owner_type == Owner.SCHOOL:
        return Scope(
            report.owner_type,
            owner,
            Community.objects.filter(organisation=owner),
            year,
            organisation_ids=[owner.pk],
        )
    if report.owner_type == Owner.NETWORK:
        schools = list(
            Organisation.objects.filter(
                Q(network_memberships__network=owner) | Q(pk=owner.lead_school_id)
            ).values_list("pk", flat=True)
        )
        return Scope(
            report.owner_type,
            owner,
            Community.objects.filter(Q(network=owner) | Q(organisation_id__in=schools)),
            year,
            organisation_ids=schools,
            network_ids=[owner.pk],
        )
    return Scope(
        report.owner_type,
        owner,
        Community.objects.filter(
            territory__path__startswith=owner.path, organisation__isnull=True, network__isnull=True
        ),
        year,
        territory_path=owner.path,
    )


def collect(report: Report, progress=None) -> dict:
    """Every registered section's data for this report, in order: JSON, frozen on submission."""
    scope = scope_of(report)
    sections = sections_for(report.owner_type)
    out = []
    for n, section in enumerate(sections):
        # Through JSON and back: a section's lazy text (a label translated on use) becomes the
        # text of the language it is collected in, as the frozen version must keep it.
        data = json.loads(json.dumps(section.collect(scope), cls=DjangoJSONEncoder))
        out.append({"code": section.code, "title": str(section.title), **data})
        if progress:
            progress(int(100 * (n + 1) / len(sections)))
    return {"sections": out}


def prefill(data: dict) -> dict[str, str]:
    """The narrative's first draft from the sections' own summary and problem lines."""
    summary = [line for s in data["sections"] for line in s.get("summary", [])]
    problems = [line for s in data["sections"] for line in s.get("problems", [])]
    return {
        "analysis": " ".join(summary),
        "problems": "\n".join(problems),
        "tasks": "\n".join(
            _("Address: %(problem)s") % {"problem": p.rstrip(".").lower()} for p in problems
        ),
    }


def owner_title(report: Report) -> str:
    owner = report.owner
    return owner.name if hasattr(owner, "name") else str(owner)


def organisation_header(report: Report) -> str:
    """The organisation whose header the documents carry."""
    owner = report.owner
    if report.owner_type == Owner.COMMUNITY:
        return str(owner.host)
    return owner.name if hasattr(owner, "name") else str(owner)


def report_detail(pk: int) -> Report:
    return Report.objects.select_related(
        "community__kind",
        "community__territory",
        "community__organisation",
        "community__network",
        "community__leader",
        "organisation__territory",
        "network__territory",
        "territory",
    ).get(pk=pk)


def latest_submission(report: Report) -> Submission | None:
    return report.submissions.select_related("submitted_by", "decided_by").first()


def submissions_of(report: Report) -> QuerySet[Submission]:
    return report.submissions.select_related("submitted_by", "decided_by").prefetch_related("files")


def visible_reports(user) -> QuerySet[Report]:
    return (
        Report.objects.filter(permissions.visible_q(user))
        .select_related("community", "organisation", "network", "territory")
        .order_by("-school_year", "-updated_at", "-pk")
    )


def find_report(owner_type: str, owner, school_year: int) -> Report | None:
    field = {
        Owner.COMMUNITY: "community",
        Owner.SCHOOL: "organisation",
        Owner.NETWORK: "network",
        Owner.CENTRE: "territory",
    }[owner_type]
    return Report.objects.filter(
        owner_type=owner_type, school_year=school_year, **{field: owner}
    ).first()


def last_school_year(today: dt.date | None = None) -> int:
    """The year whose report is written now: the past one until the new one's reports season."""
    today = today or timezone.localdate()
    year = school_year_of(today)
    return year if today.month >= rules.REPORTING_STARTS_MONTH and today.month < 8 else year - 1


def file_job(pk: int) -> ReportFile:
    return ReportFile.objects.select_related("report").get(pk=pk)


# -- the receiver's board -----------------------------------------------------------------------

BOARD_STATES = ("submitted", "late", "missing", "returned", "accepted", "owed")


def state_label(state: str) -> str:
    return {
        "submitted": _("Submitted"),
        "late": _("Submitted late"),
        "missing": _("Missing"),
        "returned": _("Returned"),
        "accepted": _("Accepted"),
        "owed": _("Not yet due"),
    }[state]


@dataclass
class BoardRow:
    community: Community
    report_id: int | None
    status: str
    due: dt.date | None
    submitted_at: dt.datetime | None
    state: str

    @property
    def state_label(self) -> str:
        return state_label(self.state)


def board_communities(user, school_year: int) -> QuerySet[Community]:
    """Communities whose report the user receives, with their report's status (one query)."""
    reports = Report.objects.filter(
        owner_type=Owner.COMMUNITY, community=OuterRef("pk"), school_year=school_year
    )
    last = Submission.objects.filter(report=OuterRef("report_id")).order_by("-number")
    return (
        Community.objects.filter(permissions.receives_q(user), status=Community.Status.ACTIVE)
        .select_related("kind", "organisation", "network", "territory")
        .annotate(
            report_id=Subquery(reports.values("pk")[:1]),
            report_status=Subquery(reports.values("status")[:1]),
        )
        .annotate(
            submitted_at=Subquery(last.values("submitted_at")[:1]),
            submitted_late=Subquery(last.values("late")[:1]),
        )
        .order_by("name", "pk")
    )


def board_state(community: Community, school_year: int, today: dt.date) -> BoardRow:
    kind = community.kind
    due = rules.due_date(school_year, kind.report_deadline_month, kind.report_deadline_day)
    status = community.report_status or ""
    if status == Report.Status.ACCEPTED:
        state = "accepted"
    elif status == Report.Status.RETURNED:
        state = "returned"
    elif status == Report.Status.SUBMITTED:
        state = "late" if community.submitted_late else "submitted"
    else:
        state = "missing" if due and due < today else "owed"
    return BoardRow(community, community.report_id, status, due, community.submitted_at, state)


def state_q(state: str, school_year: int, today: dt.date) -> Q:
    """The board's filter by state, in SQL (on the annotated queryset); the kinds whose deadline
    has passed are read first (a handful of rows)."""
    if state == "accepted":
        return Q(report_status=Report.Status.ACCEPTED)
    if state == "returned":
        return Q(report_status=Report.Status.RETURNED)
    if state in ("submitted", "late"):
        return Q(report_status=Report.Status.SUBMITTED, submitted_late=state == "late")
    unsent = Q(report_status__isnull=True) | Q(report_status=Report.Status.DRAFT)
    passed = [
        pk
        for pk, month, day in CommunityKind.objects.values_list(
            "pk", "report_deadline_month", "report_deadline_day"
        )
        if (due := rules.due_date(school_year, month, day)) and due < today
    ]
    return unsent & (Q(kind_id__in=passed) if state == "missing" else ~Q(kind_id__in=passed))


# Schools, networks and centres on the board: one rule per owner type (OwnerRule), so one due
# date for all of a type's rows.
BOARD_OWNERS = (Owner.COMMUNITY, Owner.SCHOOL, Owner.NETWORK, Owner.CENTRE)
_OWNER_FIELD = {Owner.SCHOOL: "organisation", Owner.NETWORK: "network", Owner.CENTRE: "territory"}
NOT_SCHOOLS = (Organisation.Kind.METHODOLOGICAL_CENTRE, Organisation.Kind.EDUCATION_DEPARTMENT)


@dataclass
class OwnerRow:
    owner: object
    report_id: int | None
    due: dt.date | None
    submitted_at: dt.datetime | None
    state: str

    @property
    def state_label(self) -> str:
        return state_label(self.state)


def board_owners(user, owner_type: str, school_year: int) -> QuerySet:
    """Schools, networks or territories whose report the user receives, each with its report's
    status (one query)."""
    from organisations.models import Territory

    field = _OWNER_FIELD[owner_type]
    model = {Owner.SCHOOL: Organisation, Owner.NETWORK: Network, Owner.CENTRE: Territory}[
        owner_type
    ]
    owners = model.objects.filter(permissions.receives_owners_q(user, owner_type))
    if owner_type == Owner.SCHOOL:
        owners = owners.exclude(kind__in=NOT_SCHOOLS)
    reports = Report.objects.filter(
        owner_type=owner_type, school_year=school_year, **{field: OuterRef("pk")}
    )
    last = Submission.objects.filter(report=OuterRef("report_id")).order_by("-number")
    return (
        owners.annotate(
            report_id=Subquery(reports.values("pk")[:1]),
            report_status=Subquery(reports.values("status")[:1]),
        )
        .annotate(
            submitted_at=Subquery(last.values("submitted_at")[:1]),
            submitted_late=Subquery(last.values("late")[:1]),
        )
        .order_by("name", "pk")
    )


def owner_due(owner_type: str, school_year: int) -> dt.date | None:
    _receiver, month, day = rules.rule_for(owner_type, None)
    return rules.due_date(school_year, month, day)


def owner_state(owner, due: dt.date | None, today: dt.date) -> OwnerRow:
    status = owner.report_status or ""
    if status == Report.Status.ACCEPTED:
        state = "accepted"
    elif status == Report.Status.RETURNED:
        state = "returned"
    elif status == Report.Status.SUBMITTED:
        state = "late" if owner.submitted_late else "submitted"
    else:
        state = "missing" if due and due < today else "owed"
    return OwnerRow(owner, owner.report_id, due, owner.submitted_at, state)


def owner_state_q(state: str, due: dt.date | None, today: dt.date) -> Q:
    """The board's filter by state over board_owners, in SQL."""
    if state in ("accepted", "returned", "submitted", "late"):
        return state_q(state, 0, today)
    unsent = Q(report_status__isnull=True) | Q(report_status=Report.Status.DRAFT)
    passed = bool(due and due < today)
    if state == "missing":
        return unsent if passed else Q(pk__in=[])
    return Q(pk__in=[]) if passed else unsent


def reviews_waiting_for(user, limit: int) -> list[Report]:
    """Submitted reports the user may accept or return (the dashboard's list)."""
    return list(
        Report.objects.filter(permissions.received_reports_q(user), status=Report.Status.SUBMITTED)
        .select_related("community__kind", "community__territory", "organisation__territory",
                        "network__territory", "territory")
        .order_by("updated_at", "pk")[:limit]
    )  # fmt: skip


OWED_AHEAD_DAYS = 30


@dataclass
class Owed:
    owner_type: str
    owner: object
    school_year: int
    due: dt.date | None
    report: Report | None


def reports_owed_by(user, limit: int, today: dt.date | None = None) -> list[Owed]:
    """Reports of last year the user writes and has not submitted (drafts and returned ones, and
    the communities they lead with a rule and no report yet) — a fixed number of queries."""
    if not (user and user.is_authenticated):
        return []
    year = last_school_year(today)
    communities = list(
        Community.objects.filter(leader=user, status=Community.Status.ACTIVE)
        .exclude(kind__report_receiver="")
        .select_related("kind")
        .order_by("name", "pk")[:limit]
    )
    reports = {
        r.community_id: r
        for r in Report.objects.filter(
            owner_type=Owner.COMMUNITY, community__in=communities, school_year=year
        )
    }
    today = today or timezone.localdate()
    owed = []
    for community in communities:
        report = reports.get(community.pk)
        if report is not None and not report.is_editable:
            continue
        kind = community.kind
        due = rules.due_date(year, kind.report_deadline_month, kind.report_deadline_day)
        # A report not started shows once its deadline is near; a draft or a returned one always.
        if report is None and not (due and (due - today).days <= OWED_AHEAD_DAYS):
            continue
        owed.append(Owed(Owner.COMMUNITY, community, year, due, report))
    others = (
        Report.objects.filter(permissions.written_reports_q(user), school_year=year)
        .exclude(owner_type=Owner.COMMUNITY)
        .filter(status__in=[Report.Status.DRAFT, Report.Status.RETURNED])
        .select_related("organisation", "network", "territory")[:limit]
    )
    for report in others:
        owed.append(Owed(report.owner_type, report.owner, year, rules.due_of(report), report))
    return owed[:limit]


def owners_for(user) -> dict[str, list]:
    """Communities, schools, networks and territories whose report the user may start."""
    from core.scopes import scopes_for
    from organisations.models import Territory

    scopes = scopes_for(user)
    return {
        "communities": list(
            Community.objects.filter(leader_id=user.pk, status=Community.Status.ACTIVE)
            .exclude(kind__report_receiver="")
            .order_by("name", "pk")
        )
        if scopes.is_authenticated
        else [],
        "schools": list(Organisation.objects.filter(pk__in=scopes.school_admin_orgs)),
        "networks": list(Network.objects.filter(pk__in=scopes.coordinator_networks)),
        "territories": list(Territory.objects.filter(path__in=scopes.centre_paths)),
    }
