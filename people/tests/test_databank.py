import re
from io import BytesIO

import pytest
from django.utils.text import capfirst
from openpyxl import load_workbook

from people.models import Achievement, Award, Course, DatabankAccess, QualificationRecord
from people.tests.factories import (
    OrganisationFactory,
    TeacherProfileFactory,
    centre_admin,
    school_admin,
    teacher_at,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    return OrganisationFactory(name="МБОУ СШ № 40")


@pytest.fixture
def teacher(school):
    person = teacher_at(school, last_name="Ветрова", first_name="Алла", email="vetrova@example.org")
    TeacherProfileFactory(person=person, self_education_topic="Смысловое чтение")
    return person


def test_a_person_sees_and_exports_their_own_record_without_a_log_entry(client, teacher):
    client.force_login(teacher)
    page = client.get(f"/people/{teacher.pk}/").content.decode()
    assert "Смысловое чтение" in page and "vetrova@example.org" in page
    response = client.get(f"/people/{teacher.pk}/databank.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert any(v and "Ветрова" in str(v) for v in values)
    assert "Смысловое чтение" in values
    assert not DatabankAccess.objects.exists()


def test_school_admin_views_and_exports_and_each_is_logged(client, school, teacher):
    admin = school_admin(school)
    client.force_login(admin)
    page = client.get(f"/people/{teacher.pk}/").content.decode()
    assert "Смысловое чтение" in page
    response = client.get(f"/organisations/{school.pk}/databank.xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][0]  # header row
    assert any("Ветрова" in str(r[0]) for r in rows[2:])
    log = DatabankAccess.objects.filter(viewer=admin, subject=teacher)
    assert set(log.values_list("action", flat=True)) == {"view", "export"}
    page = client.get(f"/organisations/{school.pk}/access-log/").content.decode()
    assert "Ветрова Алла" in page


def test_centre_admin_of_the_territory_sees_the_record(client, school, teacher):
    client.force_login(centre_admin(school.territory))
    assert "Смысловое чтение" in client.get(f"/people/{teacher.pk}/").content.decode()


def test_other_teachers_and_other_schools_are_refused(client, school, teacher):
    colleague = teacher_at(school)
    stranger_admin = school_admin(OrganisationFactory())
    for viewer in (colleague, stranger_admin):
        client.force_login(viewer)
        page = client.get(f"/people/{teacher.pk}/").content.decode()
        assert "Смысловое чтение" not in page and "vetrova@example.org" not in page
        assert client.get(f"/people/{teacher.pk}/databank.xlsx").status_code == 403
        assert client.get(f"/people/{teacher.pk}/edit/").status_code == 403
        assert client.get(f"/organisations/{school.pk}/access-log/").status_code == 403
        assert client.get(f"/organisations/{school.pk}/databank.xlsx").status_code == 403
    assert not DatabankAccess.objects.exists()


def test_editing_the_record_validates_and_saves_everything_or_nothing(client, teacher):
    client.force_login(teacher)
    form = {
        "person-last_name": "Ветрова",
        "person-first_name": "Алла",
        "person-middle_name": "",
        "person-email": "vetrova@example.org",
        "person-phone": "",
        "profile-experience_total": "5",
        "profile-experience_teaching": "9",
        "profile-self_education_topic": "Новая тема",
    }
    for prefix in ("qualification", "courses", "awards", "achievements"):
        form |= {f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-INITIAL_FORMS": "0"}
    form |= {"courses-0-title": "Курс по ФГОС", "courses-0-kind": "updated_content"}
    response = client.post(f"/people/{teacher.pk}/edit/", form)
    assert response.status_code == 200
    assert "experience_teaching" in str(response.context["profile_form"].errors) or (
        response.context["profile_form"].errors
    )
    teacher.teacher_profile.refresh_from_db()
    assert teacher.teacher_profile.self_education_topic == "Смысловое чтение"
    assert not teacher.teacher_profile.courses.exists()
    form["profile-experience_teaching"] = "4"
    response = client.post(f"/people/{teacher.pk}/edit/", form)
    assert response.status_code == 302
    teacher.teacher_profile.refresh_from_db()
    assert teacher.teacher_profile.self_education_topic == "Новая тема"
    assert teacher.teacher_profile.courses.get().title == "Курс по ФГОС"


def test_people_search_by_surname_prefix(client, school, teacher):
    teacher_at(school, last_name="Ветров", first_name="Олег")
    teacher_at(school, last_name="Зимина")
    client.force_login(teacher)
    page = client.get("/people/?q=ветр").content.decode()
    assert "Ветрова" in page and "Ветров Олег" in page and "Зимина" not in page
    page = client.get("/people/?q=ветрова алла").content.decode()
    assert "Ветрова" in page and "Ветров Олег" not in page


@pytest.mark.regression("the lists' headings printed an empty instance: blank or «None: »")
def test_the_record_form_heads_each_list_with_its_plural_name(client, teacher):
    client.force_login(teacher)
    page = client.get(f"/people/{teacher.pk}/edit/").content.decode()
    headings = [h.strip() for h in re.findall(r"<h2>(.*?)</h2>", page)]
    lists = [QualificationRecord, Course, Award, Achievement]
    assert headings[2:] == [capfirst(str(m._meta.verbose_name_plural)) for m in lists]
    assert all(h and "None" not in h for h in headings)


def test_the_access_log_names_the_channel_in_words(client, school, teacher):
    admin = school_admin(school)
    for channel in ("page", "api", "admin"):
        DatabankAccess.objects.create(viewer=admin, subject=teacher, action="view", channel=channel)
    client.force_login(admin)
    page = client.get(f"/organisations/{school.pk}/access-log/").content.decode()
    cells = re.findall(r'<td class="hide-sm">(.*?)</td>', page)
    assert sorted(cells) == sorted(str(c.label) for c in DatabankAccess.Channel)
    assert not {"page", "api", "admin"} & set(cells)


def test_saving_a_databank_record_asks_the_policy_itself():
    """The action refuses one the policy does not let edit the record, whoever calls it."""
    from django.core.exceptions import PermissionDenied

    from people import services
    from people.tests.factories import OrganisationFactory, school_admin, teacher_at

    school = OrganisationFactory()
    teacher, colleague = teacher_at(school), teacher_at(school)
    fields = {"person_fields": {"phone": "+7 900 000-00-00"}, "profile_fields": {}}
    with pytest.raises(PermissionDenied):
        services.save_databank(person=teacher, actor=colleague, **fields)
    teacher.refresh_from_db()
    assert teacher.phone != "+7 900 000-00-00"
    services.save_databank(person=teacher, actor=school_admin(school), **fields)
    teacher.refresh_from_db()
    assert teacher.phone == "+7 900 000-00-00"
