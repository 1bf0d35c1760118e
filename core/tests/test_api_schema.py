"""The API against its own OpenAPI schema: generated requests never get a 5xx, and every answer
matches what the schema promises (status codes, bodies, content types, headers).

schemathesis' pytest plugin does not run on our pytest, so each operation is one test that drives
a bounded, derandomised hypothesis run by hand.
"""

import datetime as dt

import pytest
import schemathesis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.wsgi import get_wsgi_application
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from communities import services as community_services
from communities.models import Membership
from communities.tests.factories import kind
from meetings import services as meeting_services
from organisations.tests.factories import NetworkFactory, OrganisationFactory
from people import imports
from people.tests.factories import (
    QualificationCategoryFactory,
    TeacherProfileFactory,
    school_admin,
    teacher_at,
)
from planning import services as planning_services
from surveys import services as survey_services

SCHEMA = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]

# Not `positive_data_acceptance`: a valid-looking filter or id that names no object may be refused.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Schemathesis calls the WSGI app directly, so its request signals would close the database
    connection that holds the test's transaction (PostgreSQL); Django's test client does the same.
    """
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once for the module's 150 operations inside a transaction that is rolled
    back afterwards; each test's own db transaction is a savepoint inside it, so every operation
    still starts from the world as built (what its examples write is rolled back)."""
    media = tmp_path_factory.mktemp("api-world-media")
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(MEDIA_ROOT=media):
                built = build_world()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield built, media
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def world(_module_world, db, monkeypatch, settings):
    monkeypatch.setattr(
        SimpleRateThrottle,
        "THROTTLE_RATES",
        {"anon": "100000/minute", "user": "100000/minute", "import": "100000/minute"},
    )
    built, settings.MEDIA_ROOT = _module_world  # the world's imported file is kept there
    return built


def build_world():
    """A school's director who leads its PLC: there are plans, minutes, decisions and databank
    records to see, a leaderless community beside it, and the API's answers fully filled in."""
    school = OrganisationFactory()
    leader = school_admin(school)
    teacher = teacher_at(school)
    category = QualificationCategoryFactory(territory=school.territory)
    # The leader's own databank record (people/me) has no category: the null side is checked too.
    TeacherProfileFactory(person=leader, qualification_category=None)
    TeacherProfileFactory(person=teacher, qualification_category=category)
    plc = community_services.create_community(
        kind=kind("school_plc"), name="ПОС учителей математики", organisation=school, leader=leader
    )
    community_services.add_member(community=plc, person=teacher, role=Membership.Role.MEMBER)
    community_services.create_community(
        kind=kind("school_plc"), name="ПОС без руководителя", organisation=school
    )
    plan = planning_services.create_plan(community=plc, school_year=2025, actor=leader)
    meeting = meeting_services.schedule_meeting(
        confirmed=True,
        community=plc,
        actor=leader,
        title="Заседание",
        chair=leader,
        place="Каб. 5",
        starts_at=timezone.now() - dt.timedelta(days=1),
        questions=["План"],
    )
    meeting_services.write_minutes(
        meeting=meeting,
        version=None,
        attended=[leader.pk, teacher.pk],
        questions=[{"title": "План", "speakers": "", "summary": "Обсудили"}],
        decisions=[{"text": "Отчёт", "assignee": teacher, "due_on": None, "question": 0}],
    )
    meeting_services.schedule_meeting(  # no minutes yet: `minutes` is null in the lists
        confirmed=True,
        community=plc,
        actor=leader,
        title="Следующее заседание",
        starts_at=timezone.now() + dt.timedelta(days=7),
        chair=leader,
        online_url="https://meet.example.org/plc",
    )
    teacher_list = imports.create_import(
        organisation=school,
        file=SimpleUploadedFile("teachers.csv", "ФИО;Должность\nВеткина Лада;Учитель\n".encode()),
        dry_run=True,
        actor=leader,
    )
    imports.run_import(teacher_list.pk)
    membership = Membership.objects.get(community=plc, person=teacher)
    from events import services as event_services
    from events.models import EventKind

    event = event_services.create_event(
        actor=leader, kind=EventKind.objects.get(code="seminar"), title="Семинар",
        starts_at=timezone.now() + dt.timedelta(days=3), organiser_community=plc,
    )  # fmt: skip
    from certificates import services as certificate_services
    from events.models import Event

    Event.objects.filter(pk=event.pk).update(status=Event.Status.HELD)
    certificate, _made = certificate_services.issue(
        event=Event.objects.get(pk=event.pk), person=leader, role="organiser", actor=None
    )

    survey = survey_services.create_from_template(actor=leader, code="needs", community=plc)
    survey_services.open_survey(survey=survey, actor=leader)
    # Ids of real objects, by the path segment or field that names them.
    ids = {
        "certificates": certificate.pk,
        "communities": plc.pk,
        "community": plc.pk,
        "decisions": meeting.decisions.get().pk,
        "events": event.pk,
        "imports": teacher_list.pk,
        "meetings": meeting.pk,
        "memberships": membership.pk,
        "organisations": school.pk,
        "organisation": school.pk,
        "lead_school": school.pk,
        "networks": NetworkFactory(territory=school.territory, lead_school=school).pk,
        "people": teacher.pk,
        "person": teacher.pk,
        "assignee": teacher.pk,
        "chair": leader.pk,
        "plans": plan.pk,
        "surveys": survey.pk,
        "territories": school.territory_id,
        "territory": school.territory_id,
    }
    ids |= _mentoring_ids(plc, leader, teacher)
    from core.schoolyear import school_year_of
    from rating import services as rating_services

    rating_services.save_scheme(  # the rating's rows and scheme answer in full
        organisation=school,
        school_year=school_year_of(timezone.localdate()),
        rows=[{"measure": "courses_completed", "weight": "2", "cap": "3"}],
        actor=leader,
    )
    return Token.objects.create(user=leader).key, ids


def _mentoring_ids(plc, mentor, mentee) -> dict:
    """A PLC pair of the leader and the teacher, with a session and a sent report."""
    from mentoring import services as mentoring_services

    pair = mentoring_services.form_pair(community=plc, actor=None, mentor=mentor, mentee=mentee)
    session = mentoring_services.log_session(
        pair=pair, actor=None, held_on=timezone.localdate(), form="mentoring", topic="Старт"
    )
    report = mentoring_services.save_report(
        pair=pair, actor=None, side="mentee", period="half", submit=True, done="Уроки"
    )
    return {
        "mentoring/pairs": pair.pk,
        "mentoring/sessions": session.pk,
        "mentoring/reports": report.pk,
        "pair": pair.pk,
    }


def aim_at_world(case, ids: dict) -> None:
    """Random ids almost never name an object; most examples name real ones instead, so that
    full answers (200s, 409s, files) are checked against the schema too."""
    if "id" in (case.path_parameters or {}):
        resource = case.path.removeprefix("/api/v1/").split("/{id}")[0]
        if resource not in ids:  # e.g. "certificates/{id}/revoke/" names its first segment
            resource = resource.split("/")[0]
        # A resource the world has no object of keeps its random id (a 404 is checked too).
        case.path_parameters["id"] = ids.get(resource, case.path_parameters["id"])
    for values in (case.query, case.body):
        if isinstance(values, dict):
            for name in values.keys() & ids.keys():
                values[name] = ids[name]


@pytest.mark.parametrize("operation", OPERATIONS, ids=[op.label for op in OPERATIONS])
def test_api_keeps_to_its_schema(operation, world):
    token, ids = world

    @given(case=operation.as_strategy(), aim=st.integers(min_value=0, max_value=3))
    @hypothesis_settings(
        max_examples=10,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def check(case, aim):
        if aim:
            aim_at_world(case, ids)
        # Set on the case itself, so the schema's security schemes generate no other credentials.
        case.headers = {**(case.headers or {}), "Authorization": f"Token {token}"}
        case.call_and_validate(checks=CHECKS)

    check()
