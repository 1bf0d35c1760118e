"""Choosing a school, network or person by typing its name (core/pickers.py): the search page
answers matches as radio buttons, and a name typed without choosing is looked up on submit."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.models import Community, Membership
from communities.tests.factories import CommunityFactory, MembershipFactory, kind
from organisations.tests.factories import NetworkFactory, OrganisationFactory
from people.tests.factories import PersonFactory, PositionFactory, school_admin

pytestmark = pytest.mark.django_db


def _radios(html: str) -> list[str]:
    return re.findall(r'type="radio" name="[^"]+" value="(\d+)"', html)


def test_organisation_search_finds_schools_by_any_word_of_the_name_in_any_case(client):
    lyceum = OrganisationFactory(name="Лицей «Ёлочка» № 7")
    OrganisationFactory(name="Гимназия № 2")
    client.force_login(PersonFactory())
    page = client.get("/organisations/pick/", {"picker": "host", "host__q": "ЕЛОЧКА лиц"})
    assert page.status_code == 200
    assert _radios(page.content.decode()) == [str(lyceum.pk)]
    assert lyceum.territory.name in page.content.decode()


def test_the_search_keeps_the_chosen_one_first_and_checked(client):
    chosen = OrganisationFactory(name="Школа «Радуга»")
    other = OrganisationFactory(name="Школа «Рассвет»")
    client.force_login(PersonFactory())
    html = client.get(
        "/organisations/pick/", {"picker": "host", "host": chosen.pk, "host__q": "рассвет"}
    ).content.decode()
    assert _radios(html) == [str(chosen.pk), str(other.pk)]
    assert re.search(rf'value="{chosen.pk}" checked', html)


def test_the_search_needs_a_login_and_a_plain_field_name(client):
    assert client.get("/people/pick/", {"picker": "p", "p__q": "ив"}).status_code == 302
    client.force_login(PersonFactory())
    assert client.get("/people/pick/", {"picker": "<script>", "x": "1"}).status_code == 400


def test_person_search_names_where_they_work_in_constant_queries(client):
    client.force_login(PersonFactory())
    for n in range(3):
        PositionFactory(person=PersonFactory(last_name=f"Иванова{n}"))
    with CaptureQueriesContext(connection) as few:
        client.get("/people/pick/", {"picker": "person", "person__q": "иванова"})
    for n in range(3, 12):
        PositionFactory(person=PersonFactory(last_name=f"Иванова{n}"))
    with CaptureQueriesContext(connection) as many:
        html = client.get(
            "/people/pick/", {"picker": "person", "person__q": "иванова"}
        ).content.decode()
    assert len(_radios(html)) == 12
    assert len(many) == len(few)


def test_inactive_people_and_schools_are_not_offered(client):
    PersonFactory(last_name="Уволенная", is_active=False)
    OrganisationFactory(name="Закрытая школа", is_active=False)
    client.force_login(PersonFactory())
    assert not _radios(
        client.get("/people/pick/", {"picker": "p", "p__q": "уволенная"}).content.decode()
    )
    assert not _radios(
        client.get("/organisations/pick/", {"picker": "o", "o__q": "закрытая"}).content.decode()
    )


def _create(client, school_value, **extra):
    return client.post(
        "/communities/new/",
        {
            "kind": kind("school_plc").pk,
            "name": "ПОС словесников",
            "visibility": "internal",
            **school_value,
            **extra,
        },
    )


def test_a_school_typed_by_name_without_choosing_is_found_when_it_is_the_only_match(client):
    school = OrganisationFactory(name="Школа «Полярная звезда»")
    client.force_login(school_admin(school))
    response = _create(client, {"organisation__q": "полярная"})
    assert response.status_code == 302
    assert Community.objects.get().organisation == school


def test_several_matches_are_offered_to_choose_from_and_nothing_is_created(client):
    first = OrganisationFactory(name="Школа «Север» № 1")
    second = OrganisationFactory(name="Школа «Север» № 2", territory=first.territory)
    client.force_login(school_admin(first))
    response = _create(client, {"organisation__q": "север"})
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert set(_radios(response.content.decode())) >= {str(first.pk), str(second.pk)}
    assert not Community.objects.exists()
    response = _create(client, {"organisation": first.pk})
    assert response.status_code == 302


def test_nothing_matching_is_an_error_on_the_field(client):
    school = OrganisationFactory()
    client.force_login(school_admin(school))
    response = _create(client, {"organisation__q": "нет такой"})
    assert "organisation" in response.context["form"].errors
    assert not Community.objects.exists()


def test_the_form_shows_a_search_box_labelled_by_the_field_and_no_number_input(client):
    school = OrganisationFactory()
    client.force_login(school_admin(school))
    html = client.get("/communities/new/").content.decode()
    assert 'for="id_organisation__q"' in html and 'id="id_organisation__q"' in html
    assert 'type="number" name="organisation"' not in html


def test_a_member_is_added_by_choosing_or_by_login(client):
    group = CommunityFactory()
    leader = MembershipFactory(community=group, role="leader").person
    group.leader = leader
    group.save()
    chosen, by_login = PersonFactory(), PersonFactory(username="by-login")
    client.force_login(leader)
    client.post(f"/communities/{group.pk}/members/add/", {"person": chosen.pk, "role": "member"})
    client.post(f"/communities/{group.pk}/members/add/", {"person": "by-login", "role": "member"})
    assert set(Membership.objects.filter(community=group).values_list("person", flat=True)) >= {
        chosen.pk,
        by_login.pk,
    }


def test_a_network_school_is_chosen_by_name(client):
    from people.tests.factories import centre_admin

    network = NetworkFactory()
    school = OrganisationFactory(name="Школа «Маяк»", territory=network.territory)
    client.force_login(centre_admin(network.territory))
    client.post(f"/networks/{network.pk}/schools/", {"organisation__q": "маяк", "role": "partner"})
    assert network.memberships.filter(organisation=school).exists()


def _schedule_page(client):
    group = CommunityFactory()
    leader = MembershipFactory(community=group, role="leader").person
    group.leader = leader
    group.save()
    client.force_login(leader)
    return group, leader


def _schedule(client, group, leader, **guests):
    import datetime as dt

    from django.utils import timezone

    when = timezone.localtime() + dt.timedelta(days=3)
    return client.post(
        f"/communities/{group.pk}/meetings/new/",
        {
            "title": "Заседание",
            "starts_at": when.strftime("%Y-%m-%dT%H:%M"),
            "place": "Каб. 1",
            "chair": leader.pk,
            "confirm": "on",
            **guests,
        },
    )


def test_guests_are_ticked_from_the_matches_or_typed_by_login(client):
    from meetings.models import Meeting

    group, leader = _schedule_page(client)
    ticked = PersonFactory(last_name="Гостева")
    by_login = PersonFactory(username="guest-login")
    response = _schedule(
        client, group, leader, guests=[str(ticked.pk)], guests__q="гостева, guest-login"
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    guests = set(meeting.participants.filter(is_guest=True).values_list("person", flat=True))
    assert guests == {ticked.pk, by_login.pk}


def test_an_ambiguous_guest_name_offers_the_matches_as_checkboxes(client):
    from meetings.models import Meeting

    group, leader = _schedule_page(client)
    first, second = PersonFactory(last_name="Петрова"), PersonFactory(last_name="Петровская")
    response = _schedule(client, group, leader, guests__q="петров")
    assert response.status_code == 200 and "guests" in response.context["form"].errors
    html = response.content.decode()
    for person in (first, second):
        assert f'type="checkbox" name="guests" value="{person.pk}"' in html
    assert not Meeting.objects.exists()


def test_the_guest_search_keeps_those_ticked(client):
    ticked = PersonFactory(last_name="Отмеченная")
    client.force_login(PersonFactory())
    html = client.get(
        "/people/pick/",
        {"picker": "guests", "multiple": "1", "guests": [ticked.pk], "guests__q": "нет"},
    ).content.decode()
    assert f'type="checkbox" name="guests" value="{ticked.pk}" checked' in html
