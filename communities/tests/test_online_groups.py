"""Moving a group in from a social network (issue 10 part 8): its page and administrators, its
members from a list, and the public list of online groups."""

from __future__ import annotations

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import override

from communities import member_lists, services
from communities.member_lists import Outcome, check_member_list
from communities.models import Community, GroupAdministrator, Membership
from communities.tests.factories import CommunityFactory, kind
from organisations.tests.factories import OrganisationFactory, TerritoryFactory
from people.imports.report import ImportFileError
from people.tests.factories import PersonFactory, centre_admin, curator, teacher_at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The messages are asserted in English (the pages' Russian is tested by the catalogue); a
    request in between activates the page's language again."""
    with override("en"):
        yield


@pytest.fixture
def region(db):
    return TerritoryFactory(name="Область")


@pytest.fixture
def city(region):
    return TerritoryFactory(name="Город", kind="city", parent=region)


@pytest.fixture
def group(city):
    return Community.objects.create(
        kind=kind("network_group"),
        name="Вжурнале / физико-математический цикл",
        territory=city,
        participant_category="Учителя математики, физики, информатики",
        visibility=Community.Visibility.PUBLIC,
    )


@pytest.fixture
def the_curator(region):
    return curator(region, username="kurator", last_name="Смирнова", first_name="Анна")


@pytest.fixture
def school(city):
    return OrganisationFactory(territory=city, name="Средняя школа № 5")


@pytest.fixture
def other_school(city):
    return OrganisationFactory(territory=city, name="Гимназия № 2")


def _csv(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


# --- checking a list ----------------------------------------------------------------------


def test_rows_are_matched_by_email_login_and_name_in_the_region(group, school, other_school):
    by_mail = teacher_at(school, username="ivanova", email="Ivanova@School5.example")
    by_login = teacher_at(school, username="petrov_ps", email="")
    by_name = teacher_at(
        other_school, last_name="Кузнецова", first_name="Ольга", middle_name="Ивановна"
    )
    elsewhere = teacher_at(OrganisationFactory(), last_name="Орлов", first_name="Пётр")
    data = _csv(
        "Список участников группы\n"
        "№;ФИО;Электронная почта;Логин;Школа\n"
        "1;Иванова Мария;ivanova@school5.example;;\n"
        "2;Петров П. С.;;PETROV_PS;\n"
        "3;Кузнецова Ольга;;;Гимназия № 2\n"
        "4;Орлов Пётр;;;\n"
        "\n",
        "cp1251",
    )
    check = check_member_list(community=group, file=data)
    outcomes = {row.number: (row.outcome, row.person) for row in check.rows}
    assert outcomes[3] == (Outcome.ADD, by_mail)
    assert outcomes[4] == (Outcome.ADD, by_login)
    assert outcomes[5] == (Outcome.ADD, by_name)  # the list has no patronymic
    assert outcomes[6] == (Outcome.NOT_FOUND, None)  # a namesake outside the region is not them
    assert elsewhere not in check.to_add
    assert "e-mail, login or name" in check.rows[-1].message
    assert not Membership.objects.filter(community=group).exists()  # checking writes nothing


def test_namesakes_are_told_apart_by_school_or_named(group, school, other_school):
    first = teacher_at(school, last_name="Соколова", first_name="Елена", middle_name="Павловна")
    teacher_at(other_school, last_name="Соколова", first_name="Елена", middle_name="Павловна")
    data = _csv("ФИО;Школа\nСоколова Елена Павловна;Средняя школа № 5\nСоколова Елена Павловна;\n")
    check = check_member_list(community=group, file=data)
    assert [(r.outcome, r.person) for r in check.rows] == [
        (Outcome.ADD, first),
        (Outcome.AMBIGUOUS, None),
    ]
    assert "2 people" in check.rows[1].message


def test_members_and_repeated_rows_are_left_unchanged(group, school):
    member = teacher_at(school, email="m@example.org")
    Membership.objects.create(community=group, person=member)
    newcomer = teacher_at(school, email="n@example.org")
    data = _csv("e-mail\nm@example.org\nn@example.org\nN@EXAMPLE.ORG\n")
    check = check_member_list(community=group, file=data)
    assert [r.outcome for r in check.rows] == [Outcome.MEMBER, Outcome.ADD, Outcome.MEMBER]
    assert check.to_add == [newcomer]


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (_csv("Должность;Стаж\nучитель;5\n"), "header row"),
        (_csv("ФИО\n"), "no rows"),
    ],
)
def test_a_list_that_cannot_be_read_says_why(group, data, message):
    with pytest.raises(ImportFileError) as raised:
        check_member_list(community=group, file=data)
    assert message in str(raised.value)


# --- applying it on the page --------------------------------------------------------------


def _upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("members.csv", text.encode(), content_type="text/csv")


def test_the_curator_checks_a_list_then_adds_the_matched_people_once(
    client, group, school, the_curator
):
    teacher = teacher_at(school, email="t1@example.org")
    client.force_login(the_curator)
    url = f"/communities/{group.pk}/members/list/"
    page = client.post(url, {"file": _upload("ФИО;e-mail\nКто-то;t1@example.org\nНикто Нигде;\n")})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Никто Нигде" in text and teacher.full_name in text
    token = page.context["token"]
    assert not Membership.objects.filter(community=group).exists()
    done = client.post(url, {"token": token})
    assert done.status_code == 302
    assert list(group.memberships.values_list("person_id", flat=True)) == [teacher.pk]
    client.post(url, {"token": token})  # the second tab, or a double click
    group.refresh_from_db()
    assert group.memberships.count() == 1 == group.member_count


def test_a_forged_or_foreign_check_adds_nobody(client, group, school, the_curator, city):
    teacher = teacher_at(school)
    client.force_login(the_curator)
    other = CommunityFactory(territory=city, organisation=school)
    foreign = signing.dumps({"c": other.pk, "p": [teacher.pk]}, salt=member_lists.TOKEN_SALT)
    for token in (
        foreign,
        "forged:token",
        signing.dumps({"c": group.pk, "p": ["1; DROP"]}, salt=member_lists.TOKEN_SALT),
    ):
        response = client.post(
            f"/communities/{group.pk}/members/list/", {"token": token}, follow=True
        )
        assert response.status_code == 200
        assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not group.memberships.exists()


def test_a_teacher_may_not_add_members_from_a_list(client, group, school):
    teacher = teacher_at(school)
    client.force_login(teacher)
    assert client.get(f"/communities/{group.pk}/members/list/").status_code == 403


# --- the page and its administrators ------------------------------------------------------


def test_the_curator_registers_the_page_and_its_administrators(client, group, region, the_curator):
    colleague = curator(region, username="kurator2", last_name="Белова")
    client.force_login(the_curator)
    url = f"/communities/{group.pk}/online/"
    assert client.get(url).status_code == 200
    form = {
        "online_url": "vk.com/club_fizmat_demo",
        "admins-TOTAL_FORMS": "2",
        "admins-INITIAL_FORMS": "0",
        "admins-0-person": the_curator.pk,
        "admins-0-position": "главный специалист",
        "admins-0-contact": "8 (000) 000-00-01",
        "admins-1-person": colleague.pk,
        "admins-1-position": "специалист",
        "admins-1-contact": "",
    }
    assert client.post(url, form).status_code == 302
    group.refresh_from_db()
    assert group.online_url == "https://vk.com/club_fizmat_demo"
    first = GroupAdministrator.objects.get(community=group, person=the_curator)
    # Saved again without the colleague: the curator's row is kept, the colleague's goes.
    form.update({"admins-1-person": "", "admins-0-contact": "kurator@example.org"})
    assert client.post(url, form).status_code == 302
    kept = GroupAdministrator.objects.get(community=group)
    assert kept.pk == first.pk and kept.contact == "kurator@example.org"
    detail = client.get(f"/communities/{group.pk}/").content.decode()
    assert "kurator@example.org" in detail and "главный специалист" in detail


def test_an_administrator_must_be_someone_who_runs_the_group(client, group, school, the_curator):
    outsider = teacher_at(school)
    client.force_login(the_curator)
    response = client.post(
        f"/communities/{group.pk}/online/",
        {
            "online_url": "https://vk.com/x",
            "admins-TOTAL_FORMS": "1",
            "admins-INITIAL_FORMS": "0",
            "admins-0-person": outsider.pk,
        },
    )
    assert response.status_code == 200  # the choice is not among those offered
    assert not GroupAdministrator.objects.exists()
    with override("en"), pytest.raises(ValidationError) as refused:  # the request spoke Russian
        services.register_online_page(
            community=group,
            actor=the_curator,
            online_url="https://vk.com/x",
            administrators=[services.PageAdministratorEntry(person=outsider)],
        )
    assert "cannot administer this page" in str(refused.value)
    group.refresh_from_db()
    assert group.online_url == ""


def test_a_teacher_may_not_register_the_page(client, group, school):
    client.force_login(teacher_at(school))
    assert client.get(f"/communities/{group.pk}/online/").status_code == 403


# --- the public list ----------------------------------------------------------------------


def _administered_group(n: int, city, admin) -> Community:
    g = Community.objects.create(
        kind=kind("network_group"),
        name=f"Группа {n}",
        territory=city,
        online_url=f"https://vk.com/club_demo_{n}",
        visibility=Community.Visibility.INTERNAL,
    )
    GroupAdministrator.objects.create(community=g, person=admin, contact=f"тел. {n}")
    return g


def test_everyone_sees_the_list_of_groups_with_pages_and_administrators(
    client, group, city, region, the_curator
):
    _administered_group(1, city, the_curator)
    Community.objects.create(
        kind=kind("network_group"),
        name="Закрытая группа",
        territory=city,
        visibility=Community.Visibility.MEMBERS,
    )
    page = client.get("/groups/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Группа 1" in text and "ВКонтакте" in text and "тел. 1" in text
    assert group.name in text and "Закрытая группа" not in text
    # An internal group is named, but its own page opens only to signed-in people of the region.
    assert f'href="/communities/{group.pk}/"' in text
    assert "/communities/" + str(Community.objects.get(name="Группа 1").pk) + "/" not in text
    assert client.get(f"/groups/?territory={region.pk}").status_code == 200
    assert client.get("/groups/?territory=99999999999999999999").status_code == 200


def test_the_list_of_groups_reads_the_same_queries_for_more_groups(
    client, city, region, the_curator
):
    client.force_login(centre_admin(region))
    _administered_group(1, city, the_curator)
    with CaptureQueriesContext(connection) as few:
        client.get("/groups/")
    for n in range(2, 12):
        _administered_group(n, city, PersonFactory())
    with CaptureQueriesContext(connection) as many:
        assert "Группа 11" in client.get("/groups/").content.decode()
    assert len(many) == len(few)


def test_the_platform_is_named_from_the_address():
    from communities.selectors import online_platform

    assert online_platform("https://vk.com/club1") == "ВКонтакте"
    assert online_platform("https://m.vk.com/club1") == "ВКонтакте"
    assert online_platform("https://t.me/group") == "Telegram"
    assert online_platform("https://example.org/group") == "example.org"


def test_a_list_never_names_people_outside_the_groups_region(group, school):
    """An e-mail or login of someone elsewhere in the country matches nobody: a list cannot
    be used to learn who has an account."""
    teacher_at(OrganisationFactory(), email="far@example.org", username="far_away")
    check = check_member_list(
        community=group, file=_csv("e-mail;логин\nfar@example.org;\n;far_away\n")
    )
    assert [(r.outcome, r.person) for r in check.rows] == [(Outcome.NOT_FOUND, None)] * 2


def test_the_groups_leader_adds_members_one_by_one_not_from_a_list(client, group, school):
    leader = teacher_at(school)
    Membership.objects.create(community=group, person=leader, role=Membership.Role.LEADER)
    group.leader = leader
    group.save()
    client.force_login(leader)
    assert client.get(f"/communities/{group.pk}/members/list/").status_code == 403
    assert "member-list-link" not in client.get(f"/communities/{group.pk}/").content.decode()
