"""What mentoring adds to a teacher's portfolio (people.signals.portfolio_sections): the pairs
the teacher was a mentor or a mentee in, on the page and in the PDF, in a number of queries that
does not grow with the pairs."""

from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext
from pypdf import PdfReader

from communities.models import Membership
from communities.tests.factories import CommunityFactory, MembershipFactory, kind
from core.schoolyear import school_year_of
from mentoring import services
from people.tests.factories import OrganisationFactory, teacher_at

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(BytesIO(content)).pages).split())


@pytest.fixture
def plc():
    school = OrganisationFactory(name="Школа № 5")
    return CommunityFactory(kind=kind("school_plc"), organisation=school, name="ПОС физиков")


def pair(plc, mentor, mentee, focus, year=None):
    for person in (mentor, mentee):
        Membership.objects.get_or_create(community=plc, person=person)
    return services.form_pair(
        community=plc, actor=None, mentor=mentor, mentee=mentee, focus=focus,
        school_year=year or school_year_of(timezone.localdate()),
    )  # fmt: skip


def test_pairs_as_mentor_and_mentee_are_in_the_portfolio_page_and_pdf(client, plc):
    school = plc.organisation
    teacher = teacher_at(school, last_name="Наставникова")
    senior = teacher_at(school, last_name="Старшова")
    young = teacher_at(school, last_name="Молодцова")
    pair(plc, senior, teacher, "Оценивание на уроке", year=school_year_of(timezone.localdate()) - 1)
    pair(plc, teacher, young, "Первые уроки")
    pair(plc, senior, teacher_at(school, last_name="Посторонняя"), "Чужая пара")

    client.force_login(teacher)
    page = client.get(f"/people/{teacher.pk}/portfolio/").content.decode()
    response = client.get(f"/people/{teacher.pk}/portfolio.pdf")
    assert response.status_code == 200
    text = pdf_text(response.content)
    for body in (page, text):
        for expected in (
            gettext("Mentoring"),
            "Старшова",
            "Оценивание на уроке",
            "Молодцова",
            "Первые уроки",
            gettext("Mentor"),
            gettext("Mentee"),
        ):
            assert expected in body, expected
        assert "Чужая пара" not in body and "Посторонняя" not in body


def test_the_portfolio_reads_the_pairs_in_a_fixed_number_of_queries(
    client, plc, django_assert_max_num_queries
):
    school = plc.organisation
    teacher = teacher_at(school, last_name="Наставникова")
    MembershipFactory(community=plc, person=teacher)
    pair(plc, teacher, teacher_at(school), "Пара 0")
    client.force_login(teacher)
    url = f"/people/{teacher.pk}/portfolio/"
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in range(1, 7):
        mentee = teacher_at(school)
        MembershipFactory(community=plc, person=mentee)
        services.form_pair(
            community=plc, actor=None, mentor=teacher, mentee=mentee, focus=f"Пара {n}"
        )
    with django_assert_max_num_queries(len(one)):
        page = client.get(url).content.decode()
    assert "Пара 6" in page
