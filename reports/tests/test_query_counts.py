"""A report's page, the board and the list run the same number of queries with 2 communities'
records or 12 (each section reads its records in a fixed number of queries)."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.tests.factories import CommunityFactory, kind
from core.tests.conftest import ADMIN_A
from events.models import Event, EventKind, Material, Registration
from lesson_study.models import Cycle
from meetings.models import Decision, Meeting
from people.tests.factories import teacher_at
from planning.models import AgendaItem, Plan, PlannedMeeting, Target
from reports import services
from reports.models import Owner

YEAR = 2025
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def grow(world, n: int, start: int) -> None:
    """n more PLCs of school A, each with a year of records."""
    when = timezone.make_aware(dt.datetime(YEAR, 11, 10, 15))
    event_kind = EventKind.objects.first()
    for i in range(start, start + n):
        leader = teacher_at(world.school_a)
        community = CommunityFactory(
            kind=kind("school_plc"), name=f"ПОС {i}", organisation=world.school_a, leader=leader
        )
        plan = Plan.objects.create(community=community, school_year=YEAR, status="approved")
        Target.objects.create(plan=plan, indicator=f"Показатель {i}", target=70, actual=75)
        planned = PlannedMeeting.objects.create(plan=plan, month=11, title="Заседание")
        AgendaItem.objects.create(meeting=planned, action="Пункт", done=True)
        AgendaItem.objects.create(meeting=planned, action="Пункт 2")
        meeting = Meeting.objects.create(
            community=community, title=f"Заседание {i}", starts_at=when, status="held", chair=leader
        )
        Decision.objects.create(
            meeting=meeting, community=community, text="Решение", due_on=dt.date(YEAR, 12, 1)
        )
        event = Event.objects.create(
            kind=event_kind, title=f"Семинар {i}", organiser_community=community,
            territory=world.district, starts_at=when, status=Event.Status.HELD,
        )  # fmt: skip
        Registration.objects.create(event=event, person=leader, attended=True)
        photo = Material(event=event, kind=Material.Kind.FILE, title="Фото", is_photo=True)
        photo.file.save("photo.png", ContentFile(PNG), save=True)
        Cycle.objects.create(community=community, research_question="Как?", starts_on=when.date())


def count(client, url) -> int:
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.django_db
def test_pages_do_not_grow_with_the_records(client, world):
    admin = world.user(ADMIN_A)
    report = services.start_report(
        actor=None, owner_type=Owner.SCHOOL, owner=world.school_a, school_year=YEAR
    )
    client.force_login(admin)
    grow(world, 2, 0)
    urls = [
        f"/reports/{report.pk}/",
        "/reports/",
        f"/reports/board/?year={YEAR}",
        f"/reports/board/?year={YEAR}&state=missing",
        f"/reports/{report.pk}/report.docx",
        f"/reports/{report.pk}/report.pdf",
    ]
    small = {url: count(client, url) for url in urls}
    grow(world, 10, 2)
    for url in urls:
        assert count(client, url) <= small[url], url
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert "ПОС 11" in page and "Семинар 11" in page


@pytest.mark.django_db
def test_the_docx_carries_charts_and_photos_and_the_pdf_is_a4(client, world):
    import io
    import zipfile

    grow(world, 3, 0)
    report = services.start_report(
        actor=None, owner_type=Owner.SCHOOL, owner=world.school_a, school_year=YEAR
    )
    client.force_login(world.user(ADMIN_A))
    docx = client.get(f"/reports/{report.pk}/report.docx").content
    media = [n for n in zipfile.ZipFile(io.BytesIO(docx)).namelist() if n.startswith("word/media")]
    assert len(media) >= 4  # charts (plan, targets, meetings, events) and the photos
    document = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
    assert "ПОС 2" in document and "School A" in document
    pdf = client.get(f"/reports/{report.pk}/report.pdf").content
    assert pdf.startswith(b"%PDF") and b"/MediaBox [ 0 0 595.2756 841.8898 ]" in pdf


@pytest.mark.django_db
@pytest.mark.parametrize("owner_type", ["school", "community"])
def test_each_section_runs_the_same_queries_at_two_sizes(world, owner_type):
    from reports import selectors
    from reports.sections import sections_for

    grow(world, 2, 0)
    if owner_type == "school":
        owner = world.school_a
    else:
        owner = world.plc
    report = services.start_report(actor=None, owner_type=owner_type, owner=owner, school_year=YEAR)
    scope = selectors.scope_of(report)

    def per_section() -> dict[str, int]:
        counts = {}
        for section in sections_for(owner_type):
            with CaptureQueriesContext(connection) as queries:
                section.collect(scope)
            counts[section.code] = len(queries)
        return counts

    small = per_section()
    grow(world, 10, 2)
    grow_records(world, world.plc, 10)
    assert per_section() == small


def grow_records(world, community, n: int) -> None:
    """n more records of each kind for one community: its own report's sections grow."""
    when = timezone.make_aware(dt.datetime(YEAR, 12, 10, 15))
    plan = Plan.objects.filter(community=community, school_year=YEAR).first()
    if plan is None:
        plan = Plan.objects.create(community=community, school_year=YEAR, status="approved")
    event_kind = EventKind.objects.first()
    for i in range(n):
        Target.objects.create(plan=plan, indicator=f"Ещё показатель {i}", target=50)
        planned = PlannedMeeting.objects.create(plan=plan, month=12, title=f"Ещё {i}")
        AgendaItem.objects.create(meeting=planned, action="Пункт")
        meeting = Meeting.objects.create(
            community=community, title=f"Ещё заседание {i}", starts_at=when, status="held",
            chair=world.leader,
        )  # fmt: skip
        Decision.objects.create(meeting=meeting, community=community, text="Решение")
        event = Event.objects.create(
            kind=event_kind, title=f"Ещё семинар {i}", organiser_community=community,
            territory=world.district, starts_at=when, status=Event.Status.HELD,
        )  # fmt: skip
        Registration.objects.create(event=event, person=world.member, attended=True)
        Cycle.objects.create(
            community=community, research_question="Почему?", starts_on=when.date()
        )
