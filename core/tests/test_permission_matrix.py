"""Who may do what: every page and API endpoint against every role, in one readable table.

Each ``Endpoint`` names the roles that are allowed and what success looks like; every other role
gets ``DENIED`` — 403 for a signed-in user, a redirect to the login page (pages) or 401 (API) for
an anonymous visitor — unless ``overrides`` says otherwise (e.g. 404 where the API filters the
object out of the caller's queryset, or ``FORM`` where a create page re-renders with an error).
Every write (and every read that logs) names what it ``changed``: a reading of the rows it should
touch, taken before and after the call. It must differ after a call that succeeds (``effect``, by
default the allowed roles whose outcome is a success) and stay the same otherwise; and after any
call without an effect the whole database must be exactly as it was (``database_snapshot``), so a
refused write that still changes some other row is caught as well. Plan and minutes endpoints run
once per workflow state (draft, discussed, agreed, approved; unsigned, signed), and the second PLC
of school A supplies objects its leader may touch and the first PLC's leader may not.
Each case gets a fresh world (see conftest.py), so writes never leak.

The teacher import endpoints (people/urls_import.py, people/api_import_urls.py) are covered
elsewhere and left out here, except the download of an uploaded list.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable

import pytest
from django.forms.models import model_to_dict

from communities.models import Community, Membership, MembershipRequest
from communities.tests.factories import kind
from core.tests.matrix import (
    ANY_CENTRE_ADMIN,
    CENTRE_ADMINS,
    CREATED,
    DATABANK,
    EVERYONE,
    FORM,
    HIDDEN_ELSEWHERE,
    IN_REGION,
    LOGIN,
    MEMBER_RECORD,
    MEMBER_RECORD_VIEWERS,
    MEMBERS_ONLY_VIEWERS,
    NO_CONTENT,
    NO_DATABANK,
    NOT_FOUND,
    OK,
    OTHER_REGION,
    PLC_ADMINS,
    PLC_MANAGERS,
    PRIVATE_HIDDEN,
    PRIVATE_MEETING_VIEWERS,
    REDIRECT,
    STAFF,
    Endpoint,
    api,
    page,
)
from core.tests.snapshot import database_snapshot, differences
from meetings.models import Attachment, CalendarFeed, Decision, Meeting, Minutes, Participant
from notifications.models import Notification, Preference
from organisations.models import Network, NetworkMembership, Organisation, Territory
from people.models import DatabankAccess, DatabankExport, Person, TeacherProfile
from planning.models import ApprovalStep, Plan

from .conftest import (
    ADMIN_A,
    ADMIN_B,
    ANON,
    CENTRE_OTHER,
    COORDINATOR,
    CURATOR,
    LEADER,
    LEADER_OTHER,
    MEMBER,
    MEMBER_OTHER,
    REMOVED,
    ROLES,
    SECRETARY,
    SIGNED_IN,
    SUPERUSER,
    TEACHER_A,
    TEACHER_C,
    World,
)

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------------------------
# Request bodies and effects
# ---------------------------------------------------------------------------------------------
def _minutes_version(w: World) -> int:
    return Minutes.objects.get(meeting=w.held_meeting).version


def organisation_form(w: World) -> dict:
    return {
        "name": "School A renamed",
        "kind": "school",
        "territory": w.district.pk,
        "is_active": "on",
    }


def finished_databank_export(w: World) -> str:
    """A background databank export of school A that its admin asked for and may fetch."""
    from django.core.files.base import ContentFile

    export = DatabankExport(
        organisation=w.school_a, requested_by=w.user(ADMIN_A), status="done", rows_total=1
    )
    export.file.save("matrix.xlsx", ContentFile(b"PK"), save=True)
    return f"/organisations/{w.school_a.pk}/databank-exports/{export.pk}/"


def new_organisation(w: World) -> dict:
    return {"name": "New school", "kind": "school", "territory": w.district.pk, "is_active": "on"}


def network_form(w: World) -> dict:
    return {"name": "Network renamed", "territory": w.region.pk, "lead_school": w.school_a.pk}


def new_network(w: World) -> dict:
    return {"name": "New network", "territory": w.region.pk, "lead_school": w.school_b.pk}


def community_page_form(code: str, host: str) -> Callable[[World], dict]:
    def build(w: World) -> dict:
        hosts = {
            "school_a": ("organisation", w.school_a.pk),
            "school_b": ("organisation", w.school_b.pk),
            "network": ("network", w.network.pk),
            "region": ("territory", w.region.pk),
        }
        key, pk = hosts[host]
        return {"kind": kind(code).pk, "name": "New community", key: pk, "visibility": "internal"}

    return build


def community_api_body(code: str, host: str) -> Callable[[World], dict]:
    def build(w: World) -> dict:
        body = community_page_form(code, host)(w)
        body["kind"] = code
        return body

    return build


def new_community_exists(w: World) -> bool:
    return Community.objects.filter(name="New community").exists()


def community_edit_form(w: World) -> dict:
    return {"name": "Renamed", "subject_area": "Математика", "visibility": "internal"}


def community_put_body(w: World) -> dict:
    return {
        "name": "Renamed",
        "description": "",
        "subject_area": "Математика",
        "participant_category": "",
        "topic": "",
        "visibility": "internal",
        "online_url": "",
        "end_date": None,
        "creation_order_number": "",
        "creation_order_date": None,
    }


def renamed(community_attr: str) -> Callable[[World], bool]:
    def check(w: World) -> bool:
        return Community.objects.get(pk=getattr(w, community_attr).pk).name == "Renamed"

    return check


def team_led_by_the_other_leader(w: World) -> str:
    """The members-only micro-group of school A, led by the second PLC's leader, who does not
    run the first PLC: the edit page where it is placed under a PLC."""
    leader = w.user(LEADER_OTHER)
    Membership.objects.update_or_create(
        community=w.members_only, person=leader, defaults={"role": Membership.Role.LEADER}
    )
    Community.objects.filter(pk=w.members_only.pk).update(leader=leader)
    return f"/communities/{w.members_only.pk}/edit/"


def under(plc_attr: str) -> Callable[[World], dict]:
    def build(w: World) -> dict:
        return {
            "name": "Members-only group",
            "visibility": "members",
            "parent": getattr(w, plc_attr).pk,
        }

    return build


def placed_under(plc_attr: str) -> Callable[[World], bool]:
    def check(w: World) -> bool:
        team = Community.objects.get(pk=w.members_only.pk)
        return team.parent_id == getattr(w, plc_attr).pk

    return check


def new_team_under(host: str) -> Callable[[World], dict]:
    def build(w: World) -> dict:
        return {**community_page_form("micro_group", host)(w), "parent": w.plc.pk}

    return build


def new_team_under_the_plc(w: World) -> bool:
    return Community.objects.filter(name="New community", parent=w.plc).exists()


def closing_form(w: World) -> dict:
    return {"order_number": "12-о", "order_date": "2025-05-20", "decision_date": "2025-05-19"}


def reorganise_form(w: World) -> dict:
    return {**closing_form(w), "new_name": "Successor", "carry_members": "on"}


def status_is(community_attr: str, status: str) -> Callable[[World], bool]:
    def check(w: World) -> bool:
        return Community.objects.get(pk=getattr(w, community_attr).pk).status == status

    return check


def member_list_token(community, person) -> str:
    """What checking a list naming one person signs (communities.member_lists)."""
    from django.core import signing

    from communities.member_lists import TOKEN_SALT

    return signing.dumps({"c": community.pk, "p": [person.pk]}, salt=TOKEN_SALT)


def is_member(role: str, community_attr: str = "plc") -> Callable[[World], bool]:
    def check(w: World) -> bool:
        return Membership.objects.filter(
            community=getattr(w, community_attr), person=w.user(role)
        ).exists()

    return check


def kind_form(w: World) -> dict:
    data = model_to_dict(
        kind("school_plc"),
        fields=[
            "name",
            "name_en",
            "description",
            "min_members",
            "max_members",
            "meeting_cadence",
            "min_meetings_per_year",
            "report_deadline_month",
            "report_deadline_day",
            "report_receiver",
            "plan_approver",
        ],
    )
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["min_members"] = 4
    for flag in ("single_subject", "minutes_required"):
        data[flag] = "on"
    return data


def person_form(w: World) -> dict:
    data = {
        "person-last_name": w.member.last_name,
        "person-first_name": w.member.first_name,
        "person-middle_name": w.member.middle_name,
        "person-email": w.member.email,
        "person-phone": w.member.phone,
        "profile-education": "Новое образование",
        "profile-experience_total": "12",
        "profile-experience_teaching": "10",
    }
    for prefix in ("qualification", "courses", "awards", "achievements"):
        data |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    return data


# ---------------------------------------------------------------------------------------------
# The matrix
# ---------------------------------------------------------------------------------------------


# -- plans ---------------------------------------------------------------------------------
def plan_at(status: str) -> Callable[[World], int]:
    """Move the world's draft plan to `status` first (the matrix has no setup step)."""

    def moved(w: World) -> int:
        from planning import services as ps

        plan = Plan.objects.get(pk=w.plan.pk)
        if status != "draft" and plan.status == "draft":
            ps.record_discussion(plan=plan, actor=w.user(LEADER))
            plan.refresh_from_db()
        if status in ("agreed", "approved") and plan.status == "discussed":
            ps.agree(plan=plan, actor=w.deputy)
            plan.refresh_from_db()
        if status == "approved" and plan.status == "agreed":
            ps.approve(plan=plan, actor=w.user(ADMIN_A))
        return plan.pk

    return moved


def plan_status(status: str) -> Callable[[World], bool]:
    return lambda w: Plan.objects.get(pk=w.plan.pk).status == status


def plan_edit_form(w: World) -> dict:
    plan = Plan.objects.get(pk=w.plan.pk)
    # The page's rows: each posts its key, then its fields named by that key (new rows: "n…").
    return {
        "version": plan.version,
        "theme": "New theme",
        "target": "n00000001",
        "t-n00000001-indicator": "Quality",
        "t-n00000001-unit": "%",
        "t-n00000001-target": "70",
        "meeting": "n00000002",
        "m-n00000002-month": "10",
        "m-n00000002-title": "Plan",
        "m-n00000002-item": "n00000003",
        "i-n00000003-section": "Planning",
        "i-n00000003-action": "Approve the plan",
        "i-n00000003-leaders": "Leader",
        "i-n00000003-evidence": "protocol",
    }


def revised_plan_changes(w: World) -> str:
    from planning import services as ps

    revision = Plan.objects.filter(previous=w.approved_plan).first() or ps.start_revision(
        plan=w.approved_plan, actor=w.user(LEADER)
    )
    return f"/plans/{revision.pk}/changes/"


def approved_item(w: World) -> int:
    return w.approved_plan.meetings.first().items.first().pk


def approved_target(w: World) -> int:
    return w.approved_plan.targets.first().pk


def target_actual(w: World) -> tuple:
    target = w.approved_plan.targets.first()
    return target.actual, target.actual_by_id


def time_agreement(w: World) -> tuple:
    """Who agreed the upcoming PLC meeting's time and place (004 §3.3), if anyone."""
    meeting = Meeting.objects.get(pk=w.upcoming_meeting.pk)
    return meeting.time_agreed_by_id, meeting.time_agreed_at


def meeting_state(w: World) -> tuple:
    meeting = Meeting.objects.get(pk=w.upcoming_meeting.pk)
    return meeting.status, meeting.starts_at, meeting.place, meeting.sequence


PLAN_MANAGERS = [*CENTRE_ADMINS, ADMIN_A, LEADER]


def calendar_url(w: World) -> str:
    from meetings import services as meeting_services

    return f"/calendar/{meeting_services.calendar_feed(owner=w.user(LEADER)).token}.ics"


PLAN_APPROVERS = [SUPERUSER, ADMIN_A]


def evidence_file(owner: str) -> Callable[[World], str]:
    """Attach a PDF to the world's decision or approved plan item; its protected download URL."""

    def url(w: World) -> str:
        from django.core.files.uploadedfile import SimpleUploadedFile

        from meetings import services as meeting_services

        target = (
            {"decision": w.decision}
            if owner == "decision"
            else {"plan_item": w.approved_plan.meetings.first().items.first()}
        )
        attachment = meeting_services.attach(
            actor=w.leader,
            title="Protocol",
            file=SimpleUploadedFile("protocol.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"),
            **target,
        )
        return f"/evidence/{attachment.pk}/file/"

    return url


def import_file(w: World) -> str:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from people import imports

    record = imports.create_import(
        organisation=w.school_a,
        file=SimpleUploadedFile("list.csv", "ФИО;Должность\n".encode()),
        dry_run=True,
    )
    return f"/organisations/{w.school_a.pk}/imports/{record.pk}/file/"


MINUTES_WRITERS = [*PLAN_MANAGERS, SECRETARY]  # the secretary writes minutes; only the leader signs
INVITED = [LEADER, MEMBER, SECRETARY]  # the PLC's members, invited to its upcoming meeting
OTHER_PLC_MANAGERS = [*PLC_ADMINS, LEADER_OTHER]  # not LEADER: leading one PLC gives nothing else


def replies(w: World) -> list:
    return sorted(
        Participant.objects.filter(meeting=w.upcoming_meeting).values_list("person_id", "reply")
    )


def _unread_notice_for_everyone(w: World) -> None:
    for person in filter(None, w.users.values()):
        Notification.objects.get_or_create(
            recipient=person, key="matrix-unread", defaults={"kind": "meeting_soon", "text": "x"}
        )


def leaders_notice(w: World) -> str:
    """A notice of the leader's own: only they may open it (and are taken to its link)."""
    notice, _created = Notification.objects.get_or_create(
        recipient=w.user(LEADER),
        key="matrix-open",
        defaults={"kind": "meeting_soon", "text": "-", "url": "/"},
    )
    return f"/notifications/{notice.pk}/"


def notified(path: str) -> Callable[[World], str]:
    """Give everyone an unread notification first, so marking one's own read is a change."""

    def url(w: World) -> str:
        for person in w.users.values():
            if person is not None:
                Notification.objects.get_or_create(
                    recipient=person, key="matrix", defaults={"kind": "meeting_soon", "text": "-"}
                )
        return path

    return url


def research_plan_url(w: World) -> str:
    from planning import services as ps

    plan = w.network.researchplan_set.first() or ps.save_research_plan(
        network=w.network, title="Network research", theme="Reading", start_year=2026, end_year=2029
    )
    return f"/networks/{w.network.pk}/research-plans/{plan.pk}/edit/"


PAGES = [
    # -- dashboard and health ------------------------------------------------------------
    page("dashboard", "get", lambda w: "/", SIGNED_IN),
    page("health", "get", lambda w: "/health/", EVERYONE),
    page("favicon", "get", lambda w: "/favicon.ico", EVERYONE, REDIRECT),
    page(
        "language switch",
        "post",
        lambda w: "/i18n/setlang/",
        EVERYONE,
        REDIRECT,
        data=lambda w: {"language": "en", "next": "/"},
        # A visitor's choice lives in their cookie only; a person's is kept on their account.
        effect=SIGNED_IN,
        changed=lambda w: sorted(Person.objects.values_list("pk", "language")),
    ),
    # -- organisations ---------------------------------------------------------------------
    page("organisation list", "get", lambda w: "/organisations/", SIGNED_IN),
    page("organisation create form", "get", lambda w: "/organisations/new/", ANY_CENTRE_ADMIN),
    page(
        "organisation create",
        "post",
        lambda w: "/organisations/new/",
        CENTRE_ADMINS,
        REDIRECT,
        data=new_organisation,
        overrides={CENTRE_OTHER: FORM},  # may create, but not in a region they don't run
        changed=lambda w: Organisation.objects.filter(name="New school").exists(),
    ),
    page("organisation detail", "get", lambda w: f"/organisations/{w.school_a.pk}/", SIGNED_IN),
    page(
        "organisation edit form",
        "get",
        lambda w: f"/organisations/{w.school_a.pk}/edit/",
        [*CENTRE_ADMINS, ADMIN_A],
    ),
    page(
        "organisation edit",
        "post",
        lambda w: f"/organisations/{w.school_a.pk}/edit/",
        [*CENTRE_ADMINS, ADMIN_A],
        REDIRECT,
        data=organisation_form,
        changed=lambda w: Organisation.objects.get(pk=w.school_a.pk).name == "School A renamed",
    ),
    page(
        "organisation databank export",
        "get",
        lambda w: f"/organisations/{w.school_a.pk}/databank.xlsx",
        PLC_ADMINS,
        changed=lambda w: DatabankAccess.objects.filter(subject=w.member, action="export").exists(),
    ),
    page("databank export progress", "get", finished_databank_export, [ADMIN_A]),
    page(
        "databank export file",
        "get",
        lambda w: finished_databank_export(w) + "databank.xlsx",
        [ADMIN_A],
    ),
    page(
        "organisation access log",
        "get",
        lambda w: f"/organisations/{w.school_a.pk}/access-log/",
        PLC_ADMINS,
    ),
    # -- territories -----------------------------------------------------------------------
    page("territory list", "get", lambda w: "/territories/", SIGNED_IN),
    page("territory create form", "get", lambda w: "/territories/new/", ANY_CENTRE_ADMIN),
    page(
        "territory create",
        "post",
        lambda w: "/territories/new/",
        CENTRE_ADMINS,
        REDIRECT,
        data=lambda w: {
            "name": "New district",
            "kind": "district",
            "parent": w.region.pk,
            "country_code": "RU",
        },
        overrides={CENTRE_OTHER: FORM},
        changed=lambda w: Territory.objects.filter(name="New district").exists(),
    ),
    page(
        "territory edit",
        "post",
        lambda w: f"/territories/{w.district.pk}/edit/",
        CENTRE_ADMINS,
        REDIRECT,
        data=lambda w: {"name": "Renamed district", "kind": "district", "country_code": "RU"},
        changed=lambda w: Territory.objects.filter(name="Renamed district").exists(),
    ),
    # -- networks --------------------------------------------------------------------------
    page("network list", "get", lambda w: "/networks/", SIGNED_IN),
    page("network picker", "get", lambda w: "/networks/pick/?picker=network", SIGNED_IN),
    page("organisation picker", "get", lambda w: "/organisations/pick/?picker=o&o__q=a", SIGNED_IN),
    page("network create form", "get", lambda w: "/networks/new/", ANY_CENTRE_ADMIN),
    page(
        "network create",
        "post",
        lambda w: "/networks/new/",
        CENTRE_ADMINS,
        REDIRECT,
        data=new_network,
        overrides={CENTRE_OTHER: FORM},
        changed=lambda w: Network.objects.filter(name="New network").exists(),
    ),
    page("network detail", "get", lambda w: f"/networks/{w.network.pk}/", SIGNED_IN),
    page(
        "network edit form",
        "get",
        lambda w: f"/networks/{w.network.pk}/edit/",
        [*CENTRE_ADMINS, COORDINATOR],
    ),
    page(
        "network edit",
        "post",
        lambda w: f"/networks/{w.network.pk}/edit/",
        [*CENTRE_ADMINS, COORDINATOR],
        REDIRECT,
        data=network_form,
        changed=lambda w: Network.objects.get(pk=w.network.pk).name == "Network renamed",
    ),
    page(
        "network school add",
        "post",
        lambda w: f"/networks/{w.network.pk}/schools/",
        [*CENTRE_ADMINS, COORDINATOR],
        REDIRECT,
        data=lambda w: {"organisation": w.school_b.pk, "role": "magnet"},
        changed=lambda w: NetworkMembership.objects.filter(
            network=w.network, organisation=w.school_b, role="magnet"
        ).exists(),
    ),
    page(
        "network school remove",
        "post",
        lambda w: f"/networks/{w.network.pk}/schools/{w.school_b.pk}/remove/",
        [*CENTRE_ADMINS, COORDINATOR],
        REDIRECT,
        changed=lambda w: (
            not NetworkMembership.objects.filter(
                network=w.network, organisation=w.school_b
            ).exists()
        ),
    ),
    # -- communities: lists, kinds ---------------------------------------------------------
    page("community list", "get", lambda w: "/communities/", EVERYONE),  # guests see public ones
    page("kind list", "get", lambda w: "/communities/kinds/", SIGNED_IN),
    page(
        "kind rules edit form",
        "get",
        lambda w: "/communities/kinds/RU/school_plc/edit/",
        ANY_CENTRE_ADMIN,  # both regions are in Russia: any centre admin edits Russia's rules
    ),
    page(
        "kind rules edit",
        "post",
        lambda w: "/communities/kinds/RU/school_plc/edit/",
        ANY_CENTRE_ADMIN,
        REDIRECT,
        data=kind_form,
        changed=lambda w: kind("school_plc").min_members == 4,
    ),
    page(
        "kind rules edit form (Kazakhstan's copy)",
        "get",
        lambda w: "/communities/kinds/KZ/school_plc/edit/",
        [SUPERUSER],  # no centre admin of the world is in Kazakhstan
    ),
    page(
        "kind rules edit (Kazakhstan's copy)",
        "post",
        lambda w: "/communities/kinds/KZ/school_plc/edit/",
        [SUPERUSER],
        REDIRECT,
        data=kind_form,
        changed=lambda w: kind("school_plc", "KZ").min_members == 4,
    ),
    # -- communities: create with a host -------------------------------------------------
    page("community create form", "get", lambda w: "/communities/new/", STAFF),
    page(
        "community create school_plc at A",
        "post",
        lambda w: "/communities/new/",
        PLC_ADMINS,
        REDIRECT,
        data=community_page_form("school_plc", "school_a"),
        overrides={r: FORM for r in (CENTRE_OTHER, CURATOR, COORDINATOR, ADMIN_B)},
        changed=new_community_exists,
    ),
    page(
        "community create school_plc at B",
        "post",
        lambda w: "/communities/new/",
        [*CENTRE_ADMINS, ADMIN_B],
        REDIRECT,
        data=community_page_form("school_plc", "school_b"),
        overrides={r: FORM for r in (CENTRE_OTHER, CURATOR, COORDINATOR, ADMIN_A)},
        changed=new_community_exists,
    ),
    page(
        "community create network_group on the region",
        "post",
        lambda w: "/communities/new/",
        [*CENTRE_ADMINS, CURATOR],
        REDIRECT,
        data=community_page_form("network_group", "region"),
        overrides={r: FORM for r in (CENTRE_OTHER, COORDINATOR, ADMIN_A, ADMIN_B)},
        changed=new_community_exists,
    ),
    page(
        "community create leadership_group in the network",
        "post",
        lambda w: "/communities/new/",
        [*CENTRE_ADMINS, COORDINATOR],
        REDIRECT,
        data=community_page_form("leadership_group", "network"),
        overrides={r: FORM for r in (CENTRE_OTHER, CURATOR, ADMIN_A, ADMIN_B)},
        changed=new_community_exists,
    ),
    page(
        "community create coordination_council on the region",
        "post",
        lambda w: "/communities/new/",
        CENTRE_ADMINS,
        REDIRECT,
        data=community_page_form("coordination_council", "region"),
        overrides={r: FORM for r in (CENTRE_OTHER, CURATOR, COORDINATOR, ADMIN_A, ADMIN_B)},
        changed=new_community_exists,
    ),
    # -- communities: a new team placed under a PLC (the creator runs it, same school) -----
    page(
        "community create micro_group at A under its PLC",
        "post",
        lambda w: "/communities/new/",
        PLC_ADMINS,
        REDIRECT,
        data=new_team_under("school_a"),
        overrides={r: FORM for r in (CENTRE_OTHER, CURATOR, COORDINATOR, ADMIN_B)},
        changed=new_team_under_the_plc,
    ),
    page(
        "community create micro_group at B under A's PLC",
        "post",
        lambda w: "/communities/new/",
        [],
        data=new_team_under("school_b"),
        overrides={r: FORM for r in STAFF},
        changed=new_community_exists,
    ),
    page(
        "community parent picker",
        "get",
        lambda w: "/communities/parents/pick/?picker=parent&parent__q=PLC",
        SIGNED_IN,
    ),
    # -- communities: detail by visibility -------------------------------------------------
    page("PLC detail (internal)", "get", lambda w: f"/communities/{w.plc.pk}/", IN_REGION),
    page("PLC team", "get", lambda w: f"/communities/{w.plc.pk}/team/", [LEADER]),
    page(
        "members-only detail",
        "get",
        lambda w: f"/communities/{w.members_only.pk}/",
        MEMBERS_ONLY_VIEWERS,
    ),
    page("public group detail", "get", lambda w: f"/communities/{w.public_group.pk}/", EVERYONE),
    page("leaders pair detail", "get", lambda w: f"/communities/{w.pair.pk}/", IN_REGION),
    # -- communities: edit and close -------------------------------------------------------
    page("PLC edit form", "get", lambda w: f"/communities/{w.plc.pk}/edit/", PLC_MANAGERS),
    page(
        "PLC edit",
        "post",
        lambda w: f"/communities/{w.plc.pk}/edit/",
        PLC_MANAGERS,
        REDIRECT,
        data=community_edit_form,
        changed=renamed("plc"),
    ),
    page(
        "public group edit (curated)",
        "post",
        lambda w: f"/communities/{w.public_group.pk}/edit/",
        [*CENTRE_ADMINS, CURATOR],
        REDIRECT,
        data=lambda w: {"name": "Renamed", "subject_area": "Физика", "visibility": "public"},
        changed=renamed("public_group"),
    ),
    # A team is placed under a PLC by those who run the PLC as well as the team.
    page(
        "micro-group placed under a PLC its leader does not run",
        "post",
        team_led_by_the_other_leader,
        PLC_ADMINS,
        REDIRECT,
        data=under("plc"),
        overrides={LEADER_OTHER: FORM},
        changed=placed_under("plc"),
    ),
    page(
        "micro-group placed under the PLC its leader runs",
        "post",
        team_led_by_the_other_leader,
        [*PLC_ADMINS, LEADER_OTHER],
        REDIRECT,
        data=under("other_plc"),
        changed=placed_under("other_plc"),
    ),
    page("PLC abolish form", "get", lambda w: f"/communities/{w.plc.pk}/abolish/", PLC_ADMINS),
    page(
        "PLC abolish",
        "post",
        lambda w: f"/communities/{w.plc.pk}/abolish/",
        PLC_ADMINS,
        REDIRECT,
        data=closing_form,
        changed=status_is("plc", "abolished"),
    ),
    page(
        "PLC reorganise form", "get", lambda w: f"/communities/{w.plc.pk}/reorganise/", PLC_ADMINS
    ),
    page(
        "PLC reorganise",
        "post",
        lambda w: f"/communities/{w.plc.pk}/reorganise/",
        PLC_ADMINS,
        REDIRECT,
        data=reorganise_form,
        changed=status_is("plc", "reorganised"),
    ),
    page(
        "leaders pair abolish (curated)",
        "post",
        lambda w: f"/communities/{w.pair.pk}/abolish/",
        [*CENTRE_ADMINS, CURATOR],
        REDIRECT,
        data=closing_form,
        changed=status_is("pair", "abolished"),
    ),
    # -- communities: members --------------------------------------------------------------
    page(
        "PLC member add",
        "post",
        lambda w: f"/communities/{w.plc.pk}/members/add/",
        PLC_MANAGERS,
        REDIRECT,
        data=lambda w: {"person": "teacher_a", "role": "member"},
        changed=is_member(TEACHER_A),
    ),
    page(
        "PLC member invite",
        "post",
        lambda w: f"/communities/{w.plc.pk}/members/invite/",
        PLC_MANAGERS,
        REDIRECT,
        data=lambda w: {"person": "teacher_a", "role": "member"},
        changed=lambda w: MembershipRequest.objects.filter(
            community=w.plc, person=w.user(TEACHER_A), direction="invitation"
        ).exists(),
    ),
    page(
        "PLC members from a list form",
        "get",
        lambda w: f"/communities/{w.plc.pk}/members/list/",
        PLC_ADMINS,  # its leader adds members one by one
    ),
    page(
        "PLC members from a list (applying a check)",
        "post",
        lambda w: f"/communities/{w.plc.pk}/members/list/",
        PLC_ADMINS,
        REDIRECT,
        data=lambda w: {"token": member_list_token(w.plc, w.user(TEACHER_A))},
        changed=is_member(TEACHER_A),
    ),
    page("PLC online page form", "get", lambda w: f"/communities/{w.plc.pk}/online/", PLC_MANAGERS),
    page(
        "public group online page (curated)",
        "post",
        lambda w: f"/communities/{w.public_group.pk}/online/",
        [*CENTRE_ADMINS, CURATOR],
        REDIRECT,
        data=lambda w: {
            "online_url": "https://vk.com/club_matrix",
            "admins-TOTAL_FORMS": "1",
            "admins-INITIAL_FORMS": "0",
            "admins-0-person": w.user(CURATOR).pk,
            "admins-0-position": "куратор",
            "admins-0-contact": "curator@example.org",
        },
        changed=lambda w: (
            Community.objects.get(pk=w.public_group.pk).online_url == "https://vk.com/club_matrix"
        ),
    ),
    page("online groups directory", "get", lambda w: "/groups/", EVERYONE),
    page(
        "PLC member remove (the member; themselves for plc_member)",
        "post",
        lambda w: f"/communities/{w.plc.pk}/members/{w.member.pk}/remove/",
        [*PLC_MANAGERS, MEMBER],
        REDIRECT,
        changed=lambda w: not is_member(MEMBER)(w),
    ),
    page(
        "PLC join request",
        "post",
        lambda w: f"/communities/{w.plc.pk}/join/",
        [r for r in IN_REGION if r not in (LEADER, MEMBER, SECRETARY)],  # members may not
        REDIRECT,
        data=lambda w: {"message": "Возьмите меня"},
        changed=lambda w: MembershipRequest.objects.filter(
            community=w.plc, direction="join_request", message="Возьмите меня"
        ).exists(),
    ),
    page(
        "members-only join request",
        "post",
        lambda w: f"/communities/{w.members_only.pk}/join/",
        PLC_ADMINS,  # they can see it and are not members; outsiders can't see it at all
        REDIRECT,
        changed=lambda w: MembershipRequest.objects.filter(
            community=w.members_only, direction="join_request"
        ).exists(),
    ),
    page(
        "decide a join request (accept)",
        "post",
        lambda w: f"/requests/{w.join_request.pk}/decide/",
        PLC_MANAGERS,
        REDIRECT,
        data=lambda w: {"decision": "accept"},
        changed=lambda w: Membership.objects.filter(community=w.plc, person=w.applicant).exists(),
    ),
    page(
        "decide an invitation (accept)",
        "post",
        lambda w: f"/requests/{w.invitation.pk}/decide/",
        [TEACHER_C],  # only the invited person
        REDIRECT,
        data=lambda w: {"decision": "accept"},
        changed=is_member(TEACHER_C, "members_only"),
    ),
    # -- people and the databank -----------------------------------------------------------
    page("people list", "get", lambda w: "/people/", SIGNED_IN),
    page("person picker", "get", lambda w: "/people/pick/?picker=person&person__q=a", SIGNED_IN),
    page("me", "get", lambda w: "/me/", SIGNED_IN, REDIRECT),
    page(
        "member's record page",
        "get",
        lambda w: f"/people/{w.member.pk}/",
        MEMBER_RECORD_VIEWERS,
        DATABANK,
        overrides={r: NO_DATABANK for r in SIGNED_IN if r not in MEMBER_RECORD_VIEWERS},
    ),
    page(
        "member's record edit form",
        "get",
        lambda w: f"/people/{w.member.pk}/edit/",
        MEMBER_RECORD,
    ),
    page(
        "member's record edit",
        "post",
        lambda w: f"/people/{w.member.pk}/edit/",
        MEMBER_RECORD,
        REDIRECT,
        data=person_form,
        changed=lambda w: (
            TeacherProfile.objects.get(person=w.member).education == "Новое образование"
        ),
    ),
    page(
        "member's record export",
        "get",
        lambda w: f"/people/{w.member.pk}/databank.xlsx",
        MEMBER_RECORD,
    ),
    # -- plans ---------------------------------------------------------------------------
    page("plan list", "get", lambda w: f"/communities/{w.plc.pk}/plans/", IN_REGION),
    page("plan create form", "get", lambda w: f"/communities/{w.plc.pk}/plans/new/", PLAN_MANAGERS),
    page(
        "plan create",
        "post",
        lambda w: f"/communities/{w.plc.pk}/plans/new/",
        PLAN_MANAGERS,
        REDIRECT,
        data=lambda w: {"school_year": 2030},
        changed=lambda w: Plan.objects.filter(community=w.plc, school_year=2030).exists(),
    ),
    page("plan detail", "get", lambda w: f"/plans/{w.plan.pk}/", IN_REGION),
    page("plan edit form", "get", lambda w: f"/plans/{w.plan.pk}/edit/", PLAN_MANAGERS),
    page(
        "plan edit form's blank row",
        "get",
        lambda w: f"/plans/{w.plan.pk}/edit/row/?add=meeting",
        PLAN_MANAGERS,
    ),
    page("plan changes", "get", revised_plan_changes, IN_REGION),
    page(
        "plan item done",
        "post",
        lambda w: f"/plan-items/{approved_item(w)}/done/",
        [*PLAN_MANAGERS, SECRETARY],  # the secretary ticks items from the minutes too
        REDIRECT,
        data=lambda w: {"done": "on"},
        changed=lambda w: w.approved_plan.meetings.first().items.first().done,
    ),
    page(
        "plan target actual",
        "post",
        lambda w: f"/plan-targets/{approved_target(w)}/actual/",
        PLAN_MANAGERS,
        REDIRECT,
        data=lambda w: {"actual": "64,5"},
        changed=target_actual,
    ),
    # -- meetings ------------------------------------------------------------------------
    page("meeting list", "get", lambda w: f"/communities/{w.plc.pk}/meetings/", IN_REGION),
    page(
        "meeting schedule form",
        "get",
        lambda w: f"/communities/{w.plc.pk}/meetings/new/",
        PLAN_MANAGERS,
    ),
    page(
        "meeting schedule",
        "post",
        lambda w: f"/communities/{w.plc.pk}/meetings/new/",
        PLAN_MANAGERS,
        REDIRECT,
        data=lambda w: {
            "title": "Scheduled in the matrix",
            "starts_at": "2030-10-01T15:00",
            "place": "Room 2",
            "chair": w.user(LEADER).pk,
        },
        changed=lambda w: Meeting.objects.filter(title="Scheduled in the matrix").exists(),
    ),
    page("meeting detail", "get", lambda w: f"/meetings/{w.held_meeting.pk}/", IN_REGION),
    page(
        "meeting move form",
        "get",
        lambda w: f"/meetings/{w.upcoming_meeting.pk}/move/",
        PLAN_MANAGERS,
    ),
    page(
        "meeting move",
        "post",
        lambda w: f"/meetings/{w.upcoming_meeting.pk}/move/",
        PLAN_MANAGERS,
        REDIRECT,
        data=lambda w: {"starts_at": "2030-10-02T15:00", "place": "Room 9", "reason": "Clash"},
        changed=meeting_state,
    ),
    page(
        "meeting cancel",
        "post",
        lambda w: f"/meetings/{w.upcoming_meeting.pk}/cancel/",
        PLAN_MANAGERS,
        REDIRECT,
        data=lambda w: {"reason": "Quarantine"},
        changed=meeting_state,
    ),
    page(
        "meeting agree time",
        "post",
        lambda w: f"/meetings/{w.upcoming_meeting.pk}/agree-time/",
        PLC_ADMINS,
        REDIRECT,
        changed=time_agreement,
    ),
    page(
        "meeting reply",
        "post",
        lambda w: f"/meetings/{w.upcoming_meeting.pk}/reply/",
        INVITED,
        REDIRECT,
        data=lambda w: {"reply": "yes"},
        changed=replies,
    ),
    page(
        "minutes form", "get", lambda w: f"/meetings/{w.held_meeting.pk}/minutes/", MINUTES_WRITERS
    ),
    page(
        "minutes form's blank row",
        "get",
        lambda w: f"/meetings/{w.held_meeting.pk}/minutes/row/?add=decision",
        MINUTES_WRITERS,
    ),
    page("my decisions", "get", lambda w: "/decisions/", SIGNED_IN),
    page("community decisions", "get", lambda w: f"/communities/{w.plc.pk}/decisions/", IN_REGION),
    page("decision detail", "get", lambda w: f"/decisions/{w.decision.pk}/", IN_REGION),
    page(
        "decision update",
        "post",
        lambda w: f"/decisions/{w.decision.pk}/",
        [*PLAN_MANAGERS, MEMBER],
        REDIRECT,
        data=lambda w: {"status": "in_progress", "evidence": ""},
        changed=lambda w: Decision.objects.get(pk=w.decision.pk).status == "in_progress",
    ),
    # -- documents and calendars ---------------------------------------------------------
    page("plan docx", "get", lambda w: f"/plans/{w.plan.pk}/plan.docx", IN_REGION),
    page("plan pdf", "get", lambda w: f"/plans/{w.plan.pk}/plan.pdf", IN_REGION),
    page("minutes docx", "get", lambda w: f"/meetings/{w.held_meeting.pk}/minutes.docx", IN_REGION),
    page("minutes pdf", "get", lambda w: f"/meetings/{w.held_meeting.pk}/minutes.pdf", IN_REGION),
    page("decisions xlsx", "get", lambda w: f"/communities/{w.plc.pk}/decisions.xlsx", IN_REGION),
    # -- the members-only group's meeting, after a member's removal -----------------------
    page(
        "members-only meeting list",
        "get",
        lambda w: f"/communities/{w.members_only.pk}/meetings/",
        MEMBERS_ONLY_VIEWERS,
    ),
    page(
        "members-only meeting detail",
        "get",
        lambda w: f"/meetings/{w.private_meeting.pk}/",
        PRIVATE_MEETING_VIEWERS,
    ),
    page(
        "members-only minutes pdf",
        "get",
        lambda w: f"/meetings/{w.private_meeting.pk}/minutes.pdf",
        PRIVATE_MEETING_VIEWERS,
    ),
    page(
        "members-only minutes docx",
        "get",
        lambda w: f"/meetings/{w.private_meeting.pk}/minutes.docx",
        PRIVATE_MEETING_VIEWERS,
    ),
    page(
        "members-only decision detail (assigned to the removed member)",
        "get",
        lambda w: f"/decisions/{w.private_decision.pk}/",
        PRIVATE_MEETING_VIEWERS,
    ),
    page(
        "members-only decision update by the removed assignee",
        "post",
        lambda w: f"/decisions/{w.private_decision.pk}/",
        PLC_ADMINS,
        REDIRECT,
        data=lambda w: {"status": "in_progress", "evidence": ""},
        changed=lambda w: Decision.objects.get(pk=w.private_decision.pk).status == "in_progress",
    ),
    page(
        "members-only decisions xlsx",
        "get",
        lambda w: f"/communities/{w.members_only.pk}/decisions.xlsx",
        MEMBERS_ONLY_VIEWERS,
    ),
    page("calendar link", "get", lambda w: "/calendar/", SIGNED_IN),
    page(
        "calendar link renew",
        "post",
        lambda w: "/calendar/",
        SIGNED_IN,
        changed=lambda w: sorted(CalendarFeed.objects.values_list("token", flat=True)),
    ),
    page("calendar feed by its private token", "get", calendar_url, EVERYONE),
    page("communities behind their cadence", "get", lambda w: "/communities/behind/", SIGNED_IN),
    page("notifications", "get", lambda w: "/notifications/", SIGNED_IN),
    page(
        "notifications read",
        "post",
        notified("/notifications/read/"),
        SIGNED_IN,
        REDIRECT,
        changed=lambda w: Notification.objects.filter(read_at__isnull=True).count(),
    ),
    page("notification settings", "get", lambda w: "/notifications/settings/", SIGNED_IN),
    page(
        "notification settings save",
        "post",
        lambda w: "/notifications/settings/",
        SIGNED_IN,
        REDIRECT,
        data=lambda w: dict.fromkeys(Notification.Kind.values, "app"),
        changed=lambda w: Preference.objects.count(),
    ),
    page(
        "notification opened",
        "get",
        leaders_notice,
        [LEADER],
        REDIRECT,
        overrides={r: NOT_FOUND for r in SIGNED_IN if r != LEADER},
    ),
    page(
        "plan item evidence",
        "get",
        lambda w: f"/plan-items/{approved_item(w)}/evidence/",
        IN_REGION,
    ),
    page(
        "plan item evidence attach",
        "post",
        lambda w: f"/plan-items/{approved_item(w)}/evidence/",
        PLAN_MANAGERS,
        REDIRECT,
        data=lambda w: {"title": "Protocol", "url": "https://example.org/protocol"},
        changed=lambda w: Attachment.objects.filter(title="Protocol").count(),
    ),
    # Files are as private as what they belong to: the decision, the plan, the import.
    page("decision evidence file", "get", evidence_file("decision"), IN_REGION),
    page("plan item evidence file", "get", evidence_file("plan item"), IN_REGION),
    page("teacher import file", "get", import_file, CENTRE_ADMINS + [ADMIN_A]),
    page("research plans", "get", lambda w: f"/networks/{w.network.pk}/research-plans/", SIGNED_IN),
    page(
        "research plan create",
        "post",
        lambda w: f"/networks/{w.network.pk}/research-plans/new/",
        [*CENTRE_ADMINS, COORDINATOR],
        REDIRECT,
        data=lambda w: {
            "title": "Network research",
            "theme": "Functional literacy",
            "start_year": 2026,
            "end_year": 2029,
        },
        changed=lambda w: w.network.researchplan_set.filter(title="Network research").exists(),
    ),
    page("research plan edit form", "get", research_plan_url, [*CENTRE_ADMINS, COORDINATOR]),
    page(
        "research plan edit",
        "post",
        research_plan_url,
        [*CENTRE_ADMINS, COORDINATOR],
        REDIRECT,
        data=lambda w: {
            "title": "Renamed research",
            "theme": "Functional literacy",
            "start_year": 2026,
            "end_year": 2028,
        },
        changed=lambda w: w.network.researchplan_set.filter(title="Renamed research").exists(),
    ),
]


def _membership_pk(community_attr: str) -> Callable[[World], str]:
    def url(w: World) -> str:
        return f"/memberships/{w.membership(getattr(w, community_attr), w.member).pk}/"

    return url


API = [
    # -- territories -----------------------------------------------------------------------
    api("territory list", "get", lambda w: "/territories/", SIGNED_IN),
    api("territory retrieve", "get", lambda w: f"/territories/{w.region.pk}/", SIGNED_IN),
    # -- organisations ---------------------------------------------------------------------
    api("organisation list", "get", lambda w: "/organisations/", SIGNED_IN),
    api("organisation retrieve", "get", lambda w: f"/organisations/{w.school_a.pk}/", SIGNED_IN),
    api(
        "organisation create",
        "post",
        lambda w: "/organisations/",
        CENTRE_ADMINS,
        CREATED,
        data=new_organisation,
        changed=lambda w: Organisation.objects.filter(name="New school").exists(),
    ),
    api(
        "organisation partial_update",
        "patch",
        lambda w: f"/organisations/{w.school_a.pk}/",
        [*CENTRE_ADMINS, ADMIN_A],
        data=lambda w: {"phone": "+7 111"},
        changed=lambda w: Organisation.objects.get(pk=w.school_a.pk).phone == "+7 111",
    ),
    api(
        "organisation update",
        "put",
        lambda w: f"/organisations/{w.school_a.pk}/",
        [*CENTRE_ADMINS, ADMIN_A],
        data=lambda w: {**organisation_form(w), "is_active": True},
        changed=lambda w: Organisation.objects.get(pk=w.school_a.pk).name == "School A renamed",
    ),
    # -- networks --------------------------------------------------------------------------
    api("network list", "get", lambda w: "/networks/", SIGNED_IN),
    api("network retrieve", "get", lambda w: f"/networks/{w.network.pk}/", SIGNED_IN),
    api(
        "network create",
        "post",
        lambda w: "/networks/",
        CENTRE_ADMINS,
        CREATED,
        data=new_network,
        changed=lambda w: Network.objects.filter(name="New network").exists(),
    ),
    api(
        "network partial_update",
        "patch",
        lambda w: f"/networks/{w.network.pk}/",
        [*CENTRE_ADMINS, COORDINATOR],
        data=lambda w: {"name": "Network renamed"},
        changed=lambda w: Network.objects.get(pk=w.network.pk).name == "Network renamed",
    ),
    api(
        "network update",
        "put",
        lambda w: f"/networks/{w.network.pk}/",
        [*CENTRE_ADMINS, COORDINATOR],
        data=network_form,
        changed=lambda w: Network.objects.get(pk=w.network.pk).name == "Network renamed",
    ),
    api(
        "network partial_update moving it to another region",
        "patch",
        lambda w: f"/networks/{w.network.pk}/",
        [SUPERUSER],
        data=lambda w: {"territory": w.other_region.pk},
        changed=lambda w: Network.objects.get(pk=w.network.pk).territory_id == w.other_region.pk,
    ),
    # -- communities -----------------------------------------------------------------------
    api("community list", "get", lambda w: "/communities/", EVERYONE),
    api(
        "PLC retrieve (internal)",
        "get",
        lambda w: f"/communities/{w.plc.pk}/",
        IN_REGION,
        overrides={**HIDDEN_ELSEWHERE, ANON: NOT_FOUND},  # filtered out of the anonymous queryset
    ),
    api(
        "members-only retrieve",
        "get",
        lambda w: f"/communities/{w.members_only.pk}/",
        MEMBERS_ONLY_VIEWERS,
        overrides={r: NOT_FOUND for r in ROLES if r not in MEMBERS_ONLY_VIEWERS},
    ),
    api("public group retrieve", "get", lambda w: f"/communities/{w.public_group.pk}/", EVERYONE),
    api(
        "community create school_plc at A",
        "post",
        lambda w: "/communities/",
        PLC_ADMINS,
        CREATED,
        data=community_api_body("school_plc", "school_a"),
        changed=new_community_exists,
    ),
    api(
        "community create school_plc at B",
        "post",
        lambda w: "/communities/",
        [*CENTRE_ADMINS, ADMIN_B],
        CREATED,
        data=community_api_body("school_plc", "school_b"),
        changed=new_community_exists,
    ),
    api(
        "community create network_group on the region",
        "post",
        lambda w: "/communities/",
        [*CENTRE_ADMINS, CURATOR],
        CREATED,
        data=community_api_body("network_group", "region"),
        changed=new_community_exists,
    ),
    api(
        "community create leadership_group in the network",
        "post",
        lambda w: "/communities/",
        [*CENTRE_ADMINS, COORDINATOR],
        CREATED,
        data=community_api_body("leadership_group", "network"),
        changed=new_community_exists,
    ),
    api(
        "community create coordination_council on the region",
        "post",
        lambda w: "/communities/",
        CENTRE_ADMINS,
        CREATED,
        data=community_api_body("coordination_council", "region"),
        changed=new_community_exists,
    ),
    api(
        "PLC partial_update",
        "patch",
        lambda w: f"/communities/{w.plc.pk}/",
        PLC_MANAGERS,
        data=lambda w: {"name": "Renamed"},
        changed=renamed("plc"),
        overrides=HIDDEN_ELSEWHERE,
    ),
    api(
        "PLC update",
        "put",
        lambda w: f"/communities/{w.plc.pk}/",
        PLC_MANAGERS,
        data=community_put_body,
        changed=renamed("plc"),
        overrides=HIDDEN_ELSEWHERE,
    ),
    api(
        "members-only partial_update",
        "patch",
        lambda w: f"/communities/{w.members_only.pk}/",
        PLC_ADMINS,
        data=lambda w: {"name": "Renamed"},
        # Anonymous callers are told to log in before anything is looked up.
        overrides={r: NOT_FOUND for r in ROLES if r not in [*MEMBERS_ONLY_VIEWERS, ANON]},
        changed=renamed("members_only"),
    ),
    api(
        "PLC abolish",
        "post",
        lambda w: f"/communities/{w.plc.pk}/abolish/",
        PLC_ADMINS,
        data=closing_form,
        changed=status_is("plc", "abolished"),
        overrides=HIDDEN_ELSEWHERE,
    ),
    api(
        "PLC reorganise",
        "post",
        lambda w: f"/communities/{w.plc.pk}/reorganise/",
        PLC_ADMINS,
        CREATED,
        data=lambda w: {**closing_form(w), "new_name": "Successor"},
        changed=status_is("plc", "reorganised"),
        overrides=HIDDEN_ELSEWHERE,
    ),
    api(
        "leaders pair abolish (curated)",
        "post",
        lambda w: f"/communities/{w.pair.pk}/abolish/",
        [*CENTRE_ADMINS, CURATOR],
        data=closing_form,
        changed=status_is("pair", "abolished"),
        overrides=HIDDEN_ELSEWHERE,
    ),
    api(
        "PLC violations",
        "get",
        lambda w: f"/communities/{w.plc.pk}/violations/",
        IN_REGION,
        overrides={**HIDDEN_ELSEWHERE, ANON: NOT_FOUND},
    ),
    api(
        "members-only violations",
        "get",
        lambda w: f"/communities/{w.members_only.pk}/violations/",
        MEMBERS_ONLY_VIEWERS,
        overrides={r: NOT_FOUND for r in ROLES if r not in MEMBERS_ONLY_VIEWERS},
    ),
    api(
        "public group violations",
        "get",
        lambda w: f"/communities/{w.public_group.pk}/violations/",
        EVERYONE,
    ),
    api(
        "PLC team",
        "get",
        lambda w: f"/communities/{w.plc.pk}/team/",
        [LEADER],
        overrides=HIDDEN_ELSEWHERE,
    ),
    # The world's pair has no mentor and mentee: nobody sees contacts through it.
    api(
        "pair contacts",
        "get",
        lambda w: f"/communities/{w.pair.pk}/pair-contacts/",
        [],
        overrides=HIDDEN_ELSEWHERE,
    ),
    # -- memberships -----------------------------------------------------------------------
    api("membership list", "get", lambda w: "/memberships/", SIGNED_IN),
    api(
        "PLC membership retrieve",
        "get",
        _membership_pk("plc"),
        IN_REGION,
        overrides=HIDDEN_ELSEWHERE,
    ),
    api(
        "members-only membership retrieve",
        "get",
        _membership_pk("members_only"),
        MEMBERS_ONLY_VIEWERS,
        overrides={r: NOT_FOUND for r in SIGNED_IN if r not in MEMBERS_ONLY_VIEWERS},
    ),
    api(
        "membership create in the PLC",
        "post",
        lambda w: "/memberships/",
        PLC_MANAGERS,
        CREATED,
        data=lambda w: {"community": w.plc.pk, "person": w.user(TEACHER_A).pk, "role": "member"},
        changed=is_member(TEACHER_A),
    ),
    api(
        "membership destroy (the member; themselves for plc_member)",
        "delete",
        _membership_pk("plc"),
        [*PLC_MANAGERS, MEMBER],
        NO_CONTENT,
        changed=lambda w: not is_member(MEMBER)(w),
        overrides=HIDDEN_ELSEWHERE,
    ),
    # -- people ----------------------------------------------------------------------------
    api("people list", "get", lambda w: "/people/", SIGNED_IN),
    api(
        "member's record retrieve",
        "get",
        lambda w: f"/people/{w.member.pk}/",
        MEMBER_RECORD_VIEWERS,
        DATABANK,
        overrides={r: NO_DATABANK for r in SIGNED_IN if r not in MEMBER_RECORD_VIEWERS},
    ),
    api("people me", "get", lambda w: "/people/me/", SIGNED_IN),
    # -- plans ---------------------------------------------------------------------------
    api("plan list", "get", lambda w: "/plans/", SIGNED_IN),
    api(
        "plan retrieve",
        "get",
        lambda w: f"/plans/{w.plan.pk}/",
        IN_REGION,
        overrides=HIDDEN_ELSEWHERE,
    ),
    api(
        "plan target values",
        "get",
        lambda w: f"/plans/{w.plan.pk}/target-values/",
        IN_REGION,
        overrides=HIDDEN_ELSEWHERE,
    ),
    api(
        "plan target actual",
        "post",
        lambda w: f"/plans/{w.approved_plan.pk}/actual/",
        PLAN_MANAGERS,
        data=lambda w: {"target": approved_target(w), "actual": "64.5"},
        changed=target_actual,
        overrides=HIDDEN_ELSEWHERE,
    ),
    api(
        "plan create",
        "post",
        lambda w: "/plans/",
        PLAN_MANAGERS,
        CREATED,
        data=lambda w: {"community": w.plc.pk, "school_year": 2030},
        changed=lambda w: Plan.objects.filter(community=w.plc, school_year=2030).exists(),
    ),
    # -- meetings ------------------------------------------------------------------------
    api("meeting list", "get", lambda w: "/meetings/", SIGNED_IN),
    api(
        "meeting retrieve",
        "get",
        lambda w: f"/meetings/{w.held_meeting.pk}/",
        IN_REGION,
        overrides=HIDDEN_ELSEWHERE,
    ),
    api(
        "meeting schedule",
        "post",
        lambda w: "/meetings/",
        PLAN_MANAGERS,
        CREATED,
        data=lambda w: {
            "community": w.plc.pk,
            "title": "Scheduled in the matrix",
            "starts_at": "2030-10-01T15:00:00Z",
            "place": "Room 2",
            "chair": w.user(LEADER).pk,
        },
        changed=lambda w: Meeting.objects.filter(title="Scheduled in the matrix").exists(),
    ),
    api(
        "meeting move",
        "post",
        lambda w: f"/meetings/{w.upcoming_meeting.pk}/move/",
        PLAN_MANAGERS,
        data=lambda w: {
            "starts_at": "2030-10-02T12:00:00Z",
            "place": "Room 9",
            "reason": "Clash",
        },
        changed=meeting_state,
        overrides=HIDDEN_ELSEWHERE,
    ),
    api(
        "meeting cancel",
        "post",
        lambda w: f"/meetings/{w.upcoming_meeting.pk}/cancel/",
        PLAN_MANAGERS,
        data=lambda w: {"reason": "Quarantine"},
        changed=meeting_state,
        overrides=HIDDEN_ELSEWHERE,
    ),
    api(
        "meeting agree time",
        "post",
        lambda w: f"/meetings/{w.upcoming_meeting.pk}/agree-time/",
        PLC_ADMINS,
        changed=time_agreement,
        overrides=HIDDEN_ELSEWHERE,
    ),
    api(
        "meeting reply",
        "post",
        lambda w: f"/meetings/{w.upcoming_meeting.pk}/reply/",
        INVITED,
        data=lambda w: {"reply": "no"},
        overrides=HIDDEN_ELSEWHERE,
        changed=replies,
    ),
    api("decision list", "get", lambda w: "/decisions/", SIGNED_IN),
    # -- one's own notices -----------------------------------------------------------------
    api("notification list", "get", lambda w: "/notifications/", SIGNED_IN),
    api(
        "notifications read",
        "post",
        lambda w: _unread_notice_for_everyone(w) or "/notifications/read/",
        SIGNED_IN,
        changed=lambda w: Notification.objects.filter(read_at__isnull=False).count(),
    ),
    api("notification preferences", "get", lambda w: "/notifications/preferences/", SIGNED_IN),
    api(
        "notification preferences set",
        "put",
        lambda w: "/notifications/preferences/",
        SIGNED_IN,
        data=lambda w: {"meeting_soon": "app"},
        changed=lambda w: sorted(Preference.objects.values_list("person_id", "kind", "delivery")),
    ),
    api(
        "decision retrieve",
        "get",
        lambda w: f"/decisions/{w.decision.pk}/",
        IN_REGION,
        overrides=HIDDEN_ELSEWHERE,
    ),
    api(
        "decision update",
        "patch",
        lambda w: f"/decisions/{w.decision.pk}/",
        [*PLAN_MANAGERS, MEMBER],
        data=lambda w: {"status": "in_progress"},
        changed=lambda w: Decision.objects.get(pk=w.decision.pk).status == "in_progress",
        overrides=HIDDEN_ELSEWHERE,
    ),
    # -- documents and calendars ---------------------------------------------------------
    api(
        "plan docx",
        "get",
        lambda w: f"/plans/{w.plan.pk}/docx/",
        IN_REGION,
        overrides=HIDDEN_ELSEWHERE,
    ),
    api(
        "plan pdf",
        "get",
        lambda w: f"/plans/{w.plan.pk}/pdf/",
        IN_REGION,
        overrides=HIDDEN_ELSEWHERE,
    ),
    api(
        "minutes docx",
        "get",
        lambda w: f"/meetings/{w.held_meeting.pk}/minutes/docx/",
        IN_REGION,
        overrides=HIDDEN_ELSEWHERE,
    ),
    api(
        "minutes pdf",
        "get",
        lambda w: f"/meetings/{w.held_meeting.pk}/minutes/pdf/",
        IN_REGION,
        overrides=HIDDEN_ELSEWHERE,
    ),
    api("my calendar", "get", lambda w: "/meetings/calendar/", SIGNED_IN),
    api("decisions xlsx", "get", lambda w: f"/decisions/xlsx/?community={w.plc.pk}", IN_REGION),
    # -- the members-only group's meeting, after a member's removal -----------------------
    api(
        "members-only meeting retrieve",
        "get",
        lambda w: f"/meetings/{w.private_meeting.pk}/",
        PRIVATE_MEETING_VIEWERS,
        overrides=PRIVATE_HIDDEN,
    ),
    api(
        "members-only minutes pdf",
        "get",
        lambda w: f"/meetings/{w.private_meeting.pk}/minutes/pdf/",
        PRIVATE_MEETING_VIEWERS,
        overrides=PRIVATE_HIDDEN,
    ),
    api(
        "members-only decision retrieve",
        "get",
        lambda w: f"/decisions/{w.private_decision.pk}/",
        PRIVATE_MEETING_VIEWERS,
        overrides=PRIVATE_HIDDEN,
    ),
    api(
        "members-only decision update by the removed assignee",
        "patch",
        lambda w: f"/decisions/{w.private_decision.pk}/",
        PLC_ADMINS,
        data=lambda w: {"status": "in_progress"},
        overrides=PRIVATE_HIDDEN,
        changed=lambda w: Decision.objects.get(pk=w.private_decision.pk).status == "in_progress",
    ),
    api(
        "members-only decisions xlsx",
        "get",
        lambda w: f"/decisions/xlsx/?community={w.members_only.pk}",
        MEMBERS_ONLY_VIEWERS,
    ),
]


def plan_trail(w: World) -> tuple:
    """The plan's status and version, its approval steps and revisions: what a step changes."""
    plan = Plan.objects.get(pk=w.plan.pk)
    return (
        plan.status,
        plan.version,
        plan.theme,
        ApprovalStep.objects.filter(plan=plan).count(),
        Plan.objects.filter(previous=plan).count(),
    )


def minutes_trail(meeting_attr: str) -> Callable[[World], tuple]:
    def read(w: World) -> tuple:
        meeting = getattr(w, meeting_attr)
        minutes = Minutes.objects.get(meeting=meeting)
        return (
            minutes.version,
            minutes.signed_by_id,
            sorted(meeting.questions.values_list("title", flat=True)),
            minutes.addenda.count(),
        )

    return read


def signed(state: str, meeting_attr: str = "held_meeting") -> Callable[[World], int]:
    """Have the leader sign the world's minutes first when the case is about signed minutes."""

    def moved(w: World) -> int:
        from meetings import services as meeting_services

        meeting = getattr(w, meeting_attr)
        minutes = Minutes.objects.get(meeting=meeting)
        if state == "signed" and not minutes.is_signed:
            meeting_services.sign_minutes(minutes=minutes, actor=meeting.community.leader)
        return meeting.pk

    return moved


def minutes_page_form(meeting_attr: str) -> Callable[[World], dict]:
    def build(w: World) -> dict:
        return {
            "version": Minutes.objects.get(meeting=getattr(w, meeting_attr)).version,
            "question": "n00000001",  # a new row's key, as the page's "add" makes it
            "q-n00000001-title": "Rewritten question",
        }

    return build


def minutes_api_body(meeting_attr: str) -> Callable[[World], dict]:
    def build(w: World) -> dict:
        minutes = Minutes.objects.get(meeting=getattr(w, meeting_attr))
        return {"version": minutes.version, "questions": [{"title": "Rewritten question"}]}

    return build


PLAN_STATES = ["draft", "discussed", "agreed", "approved"]
# step -> (its comment field, the states it applies to, who may take it there)
PLAN_STEPS = {
    "discuss": ({"comment": "Minutes 1"}, {"draft": PLAN_MANAGERS}),
    "agree": ({}, {"discussed": PLAN_APPROVERS}),
    "approve": ({}, {"agreed": PLAN_APPROVERS}),  # a school's plan is agreed before approval
    "send-back": (
        {"comment": "Fix the targets"},
        {"discussed": PLAN_APPROVERS, "agreed": PLAN_APPROVERS},
    ),
    "revise": ({}, {"approved": PLAN_MANAGERS}),
}


def _plan_workflow() -> tuple[list[Endpoint], list[Endpoint]]:
    """Every step and the edit against the plan in every state: out of order, nobody may."""
    pages, apis = [], []
    for state in PLAN_STATES:
        at = plan_at(state)
        for step, (body, allowed_in) in PLAN_STEPS.items():
            allow = allowed_in.get(state, [])
            pages.append(
                page(
                    f"plan {step} on a {state} plan",
                    "post",
                    lambda w, at=at, step=step: f"/plans/{at(w)}/{step}/",
                    allow,
                    REDIRECT,
                    data=lambda w, body=body: dict(body),
                    changed=plan_trail,
                )
            )
            apis.append(
                api(
                    f"plan {step} on a {state} plan",
                    "post",
                    lambda w, at=at, step=step: f"/plans/{at(w)}/{step}/",
                    allow,
                    data=lambda w, body=body: dict(body),
                    changed=plan_trail,
                    overrides=HIDDEN_ELSEWHERE,
                )
            )
        editors = PLAN_MANAGERS if state == "draft" else []  # a frozen plan is revised instead
        pages.append(
            page(
                f"plan edit on a {state} plan",
                "post",
                lambda w, at=at: f"/plans/{at(w)}/edit/",
                editors,
                REDIRECT,
                data=plan_edit_form,
                changed=plan_trail,
            )
        )
        apis.append(
            api(
                f"plan partial_update on a {state} plan",
                "patch",
                lambda w, at=at: f"/plans/{at(w)}/",
                editors,
                data=lambda w: {
                    "theme": "API theme",
                    "version": Plan.objects.get(pk=w.plan.pk).version,
                },
                changed=plan_trail,
                overrides=HIDDEN_ELSEWHERE,
            )
        )
    return pages, apis


def _minutes_workflow() -> tuple[list[Endpoint], list[Endpoint]]:
    """Writing, signing and amending the PLC's minutes, before and after the leader signs."""
    pages, apis = [], []
    trail = minutes_trail("held_meeting")
    for state in ("unsigned", "signed"):
        at = signed(state)
        frozen = state == "signed"
        pages += [
            page(
                f"minutes save ({state})",
                "post",
                lambda w, at=at: f"/meetings/{at(w)}/minutes/",
                MINUTES_WRITERS,
                REDIRECT,  # signed minutes send the writer back to the meeting with a message
                data=minutes_page_form("held_meeting"),
                changed=trail,
                effect=[] if frozen else None,
            ),
            page(
                f"minutes sign ({state})",
                "post",
                lambda w, at=at: f"/meetings/{at(w)}/minutes/sign/",
                MINUTES_WRITERS,
                REDIRECT,
                changed=trail,
                effect=[] if frozen else [LEADER],  # only the leader signs, and only once
            ),
            page(
                f"minutes addendum ({state})",
                "post",
                lambda w, at=at: f"/meetings/{at(w)}/minutes/addenda/",
                MINUTES_WRITERS,
                REDIRECT,
                data=lambda w: {"text": "Correction"},
                changed=trail,
                effect=None if frozen else [],  # unsigned minutes are corrected directly
            ),
        ]
        apis += [
            api(
                f"minutes write ({state})",
                "put",
                lambda w, at=at: f"/meetings/{at(w)}/minutes/",
                MINUTES_WRITERS,
                400 if frozen else OK,
                data=minutes_api_body("held_meeting"),
                changed=trail,
                overrides=HIDDEN_ELSEWHERE,
            ),
            api(
                f"minutes sign ({state})",
                "post",
                lambda w, at=at: f"/meetings/{at(w)}/sign/",
                MINUTES_WRITERS,
                400,
                changed=trail,
                overrides={**HIDDEN_ELSEWHERE, **({} if frozen else {LEADER: OK})},
            ),
            api(
                f"minutes addendum ({state})",
                "post",
                lambda w, at=at: f"/meetings/{at(w)}/addenda/",
                MINUTES_WRITERS,
                OK if frozen else 400,
                data=lambda w: {"text": "Correction"},
                changed=trail,
                overrides=HIDDEN_ELSEWHERE,
            ),
        ]
    return pages, apis


def other_plan_status(w: World) -> str:
    return Plan.objects.get(pk=w.other_plan.pk).status


# The second PLC of school A: its leader and the school's administrators act on it; the first
# PLC's leader (and its secretary) may see it, being of the same school, but may not touch it.
OTHER_PLC = [
    page(
        "second PLC edit",
        "post",
        lambda w: f"/communities/{w.other_plc.pk}/edit/",
        OTHER_PLC_MANAGERS,
        REDIRECT,
        data=community_edit_form,
        changed=renamed("other_plc"),
    ),
    page(
        "second PLC member add",
        "post",
        lambda w: f"/communities/{w.other_plc.pk}/members/add/",
        OTHER_PLC_MANAGERS,
        REDIRECT,
        data=lambda w: {"person": "teacher_a", "role": "member"},
        changed=is_member(TEACHER_A, "other_plc"),
    ),
    page(
        "second PLC meeting schedule",
        "post",
        lambda w: f"/communities/{w.other_plc.pk}/meetings/new/",
        OTHER_PLC_MANAGERS,
        REDIRECT,
        data=lambda w: {
            "title": "Scheduled in the matrix",
            "starts_at": "2030-10-01T15:00",
            "place": "Room 2",
            "chair": w.user(LEADER_OTHER).pk,
        },
        changed=lambda w: Meeting.objects.filter(title="Scheduled in the matrix").exists(),
    ),
    page(
        "second PLC plan discuss",
        "post",
        lambda w: f"/plans/{w.other_plan.pk}/discuss/",
        OTHER_PLC_MANAGERS,
        REDIRECT,
        changed=other_plan_status,
    ),
    api(
        "second PLC plan discuss",
        "post",
        lambda w: f"/plans/{w.other_plan.pk}/discuss/",
        OTHER_PLC_MANAGERS,
        changed=other_plan_status,
        overrides=HIDDEN_ELSEWHERE,
    ),
    page(
        "second PLC minutes save",
        "post",
        lambda w: f"/meetings/{w.other_meeting.pk}/minutes/",
        OTHER_PLC_MANAGERS,
        REDIRECT,
        data=minutes_page_form("other_meeting"),
        changed=minutes_trail("other_meeting"),
    ),
    api(
        "second PLC minutes write",
        "put",
        lambda w: f"/meetings/{w.other_meeting.pk}/minutes/",
        OTHER_PLC_MANAGERS,
        data=minutes_api_body("other_meeting"),
        changed=minutes_trail("other_meeting"),
        overrides=HIDDEN_ELSEWHERE,
    ),
    api(
        "second PLC minutes sign",
        "post",
        lambda w: f"/meetings/{w.other_meeting.pk}/sign/",
        OTHER_PLC_MANAGERS,
        400,
        changed=minutes_trail("other_meeting"),
        overrides={**HIDDEN_ELSEWHERE, LEADER_OTHER: OK},
    ),
    page(
        "second PLC decision update",
        "post",
        lambda w: f"/decisions/{w.other_decision.pk}/",
        [*OTHER_PLC_MANAGERS, MEMBER_OTHER],
        REDIRECT,
        data=lambda w: {"status": "in_progress", "evidence": ""},
        changed=lambda w: Decision.objects.get(pk=w.other_decision.pk).status,
    ),
    api(
        "second PLC decision update",
        "patch",
        lambda w: f"/decisions/{w.other_decision.pk}/",
        [*OTHER_PLC_MANAGERS, MEMBER_OTHER],
        data=lambda w: {"status": "in_progress"},
        changed=lambda w: Decision.objects.get(pk=w.other_decision.pk).status,
        overrides=HIDDEN_ELSEWHERE,
    ),
]

_PLAN_PAGES, _PLAN_API = _plan_workflow()
_MINUTES_PAGES, _MINUTES_API = _minutes_workflow()
ENDPOINTS = PAGES + API + _PLAN_PAGES + _PLAN_API + _MINUTES_PAGES + _MINUTES_API + OTHER_PLC
# The apps above meetings keep their rows beside their code (core/tests/matrix.py says how).
APP_MATRICES = (
    "people",
    "events",
    "certificates",
    "surveys",
    "lesson_study",
    "mentoring",
    "results",
    "discussions",
    "resources",
    "reports",
    "rating",
    "consultations",
    "activity",
    "search",
)
for _app in APP_MATRICES:
    ENDPOINTS = ENDPOINTS + importlib.import_module(f"{_app}.tests.matrix").ENDPOINTS


def _cases():
    for endpoint in ENDPOINTS:
        for role in ROLES:
            marks = []
            if role in endpoint.bugs:
                marks.append(pytest.mark.xfail(strict=True, reason=endpoint.bugs[role]))
            yield pytest.param(endpoint, role, id=f"{endpoint.name} | {role}", marks=marks)


CASES = list(_cases())


def _send(client, endpoint: Endpoint, url: str, data: dict):
    send = getattr(client, endpoint.method)
    if endpoint.api and endpoint.method in ("post", "put", "patch"):
        return send(url, data=json.dumps(data), content_type="application/json")
    if endpoint.method == "get":
        return send(url)
    return send(url, data)


def _assert_outcome(response, expected, endpoint: Endpoint, role: str, w: World):
    status = response.status_code
    where = f"{endpoint.method.upper()} {response.request['PATH_INFO']} as {role}"
    if expected == LOGIN:
        assert status == 302, where
        assert response.url.startswith("/accounts/login/"), where
    elif expected == REDIRECT:
        assert status == 302, f"{where}: {status}"
        assert not response.url.startswith("/accounts/login/"), where
    elif expected == FORM:
        assert status == 200, f"{where}: {status}"
        form = response.context["form"]
        assert form.errors, where
    elif expected in (DATABANK, NO_DATABANK):
        assert status == 200, f"{where}: {status}"
        viewer = w.user(role)
        shown = expected == DATABANK
        if endpoint.api:
            body = response.json()
            assert (body["databank"] is not None) is shown, where
            assert body["email"] == (w.member.email if shown else None), where
            assert body["phone"] == (w.member.phone if shown else None), where
        else:
            page_text = response.content.decode()
            assert ('id="databank"' in page_text) is shown, where
            assert ("Смысловое чтение" in page_text) is shown, where
            assert (w.member.email in page_text) is shown, where
        logged = DatabankAccess.objects.filter(viewer=viewer, subject=w.member, action="view")
        assert logged.exists() is (shown and viewer.pk != w.member.pk), where
    else:
        assert status == expected, f"{where}: expected {expected}, got {status}"


@pytest.mark.parametrize(("endpoint", "role"), CASES)
def test_permission_matrix(client, world, endpoint: Endpoint, role: str):
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    expected = endpoint.expected(role)
    url = endpoint.url(world)  # may first move the world into the state the case is about
    data = endpoint.data(world) if endpoint.data else {}
    watched = endpoint.changed is not None
    if watched:
        reading = endpoint.changed(world)
        before = database_snapshot()

    response = _send(client, endpoint, url, data)

    _assert_outcome(response, expected, endpoint, role, world)
    if watched:
        changes = endpoint.changes(role)
        after = endpoint.changed(world)
        what = f"{endpoint.name} as {role}: the change {'did not' if changes else 'did'} happen"
        assert (after != reading) is changes, what
        if isinstance(after, bool):
            assert after is changes, what
        if not changes:
            assert not differences(before, database_snapshot()), f"{what}: {endpoint.name}"


def test_every_write_has_its_effect_checked():
    """A write without ``changed`` could succeed for a refused role and nobody would notice."""
    unchecked = [e.name for e in ENDPOINTS if e.writes and e.changed is None]
    assert not unchecked, unchecked


def test_the_matrix_covers_every_role_for_every_endpoint():
    names = [e.name for e in ENDPOINTS]
    assert len(names) == len(set(names))
    assert len(CASES) == len(ENDPOINTS) * len(ROLES)
    for endpoint in ENDPOINTS:
        assert set(endpoint.allow) <= set(ROLES), endpoint.name
        assert set(endpoint.overrides) <= set(ROLES), endpoint.name


# ---------------------------------------------------------------------------------------------
# Checks that do not fit a status-code table
# ---------------------------------------------------------------------------------------------
def test_api_community_list_leaves_out_what_the_caller_may_not_see(client, world):
    def names(role):
        client.logout()
        if world.user(role) is not None:
            client.force_login(world.user(role))
        return {
            c["name"] for c in client.get("/api/v1/communities/?page_size=100").json()["results"]
        }

    assert names(ANON) == {world.public_group.name}
    everything = {
        world.plc.name,
        world.other_plc.name,
        world.members_only.name,
        world.public_group.name,
        world.pair.name,
    }
    for role in MEMBERS_ONLY_VIEWERS:
        assert names(role) == everything, role
    outside_the_group = (TEACHER_A, REMOVED, LEADER, ADMIN_B, CURATOR, COORDINATOR)
    for role in (*outside_the_group, SECRETARY, LEADER_OTHER, MEMBER_OTHER):
        assert names(role) == everything - {world.members_only.name}, role
    for role in OTHER_REGION:  # the internal PLCs and pair belong to another region
        assert names(role) == {world.public_group.name}, role


def test_a_school_admin_viewing_a_teacher_record_is_logged_once_per_view(client, world):
    client.force_login(world.user(ADMIN_A))
    client.get(f"/people/{world.member.pk}/")
    client.get(f"/api/v1/people/{world.member.pk}/")
    log = DatabankAccess.objects.filter(viewer=world.user(ADMIN_A), subject=world.member)
    assert sorted(log.values_list("channel", flat=True)) == ["api", "page"]


def test_deciding_a_request_never_redirects_off_site(client, world):
    client.force_login(world.leader)
    response = client.post(
        f"/requests/{world.join_request.pk}/decide/",
        {"decision": "accept", "next": "https://evil.example/phish"},
    )
    assert response.status_code == 302
    assert not response.url.startswith("https://evil.example"), response.url


def test_a_kind_can_only_be_created_on_its_kind_of_host(client, world):
    client.force_login(world.user(ADMIN_A))
    response = client.post(
        "/api/v1/communities/",
        data=json.dumps(community_api_body("leaders_pair", "school_a")(world)),
        content_type="application/json",
    )
    assert response.status_code in (400, 403), response.status_code
    assert not new_community_exists(world)


OURS = (
    "organisations.", "communities.", "people.views", "people.api", "core.views", "portal.",
    "planning.", "meetings.", "notifications.", *(f"{app}." for app in APP_MATRICES),
)  # fmt: skip
# Routes the matrix leaves to other tests: the teacher import has its own (people/tests), and the
# health probe answers everyone alike (core/tests/test_health.py). The results upload by API takes
# multipart only (results/tests/test_import_pages.py); the matrix reads its detail and pages.
NOT_IN_THE_MATRIX = (
    "health/",
    "organisations/<int:org_pk>/import",
    "api/v1/imports/",
    "api/v1/results/imports/",
    "api/v1/results/exam-imports/",  # multipart only too (results/tests/test_exams.py)
)


def _our_routes() -> list[tuple[str, object]]:
    """Every URL pattern of ours as its full route, with its view; format-suffix twins left out."""
    from django.urls import URLResolver, get_resolver

    def walk(resolver, prefix: str):
        for pattern in resolver.url_patterns:
            route = URLResolver._join_route(prefix, str(pattern.pattern))
            if isinstance(pattern, URLResolver):
                yield from walk(pattern, route)
            else:
                yield route, pattern.callback

    return [
        (route, callback)
        for route, callback in walk(get_resolver(), "")
        if callback.__module__.startswith(OURS)
        and "(?P<format>" not in route
        and not route.startswith(NOT_IN_THE_MATRIX)
    ]


def _visited(world) -> set[tuple[str, str]]:
    from django.urls import resolve

    return {(resolve(e.url(world).split("?")[0]).route, e.method) for e in ENDPOINTS}


def test_every_route_of_ours_is_in_the_matrix(world):
    """A new URL joins the matrix, even one that points at a view already tested elsewhere."""
    visited = {route for route, _ in _visited(world)}
    missing = sorted(route for route, _ in _our_routes() if route not in visited)
    assert not missing, missing


def test_every_api_action_of_ours_is_in_the_matrix_with_each_method(world):
    """A new viewset action, or a method a viewset starts to accept (PUT, DELETE), joins too."""
    visited = _visited(world)
    missing = sorted(
        (route, method)
        for route, callback in _our_routes()
        for method in getattr(callback, "actions", {})
        # DRF adds HEAD to a viewset's actions once it has served a GET: HEAD is GET's twin.
        if method != "head"
        and method in callback.cls.http_method_names
        and (route, method) not in visited
    )
    assert not missing, missing


def test_the_route_checks_see_what_they_should(world):
    """The two checks above would pass vacuously if the walk found nothing or resolved wrongly."""
    routes = dict(_our_routes())
    assert "research-plans/<int:pk>/edit/" in " ".join(routes)
    actions = routes["api/v1/plans/(?P<pk>[^/.]+)/$"].actions
    assert {m: a for m, a in actions.items() if m != "head"} == {
        "get": "retrieve",
        "patch": "partial_update",
    }
    assert ("api/v1/plans/(?P<pk>[^/.]+)/discuss/$", "post") in _visited(world)
