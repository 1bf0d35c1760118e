"""Leaders' pairs (003 app. 3): the mentee leads a low-results school and the mentor a school
that is not; the two sides see each other's contacts on the pair's page and nobody else does."""

import pytest
from django.core.exceptions import ValidationError

from communities import selectors, services
from communities.models import Community, Membership
from communities.tests.factories import kind
from organisations.tests.factories import OrganisationFactory, TerritoryFactory
from people.tests.factories import PersonFactory, centre_admin, teacher_at

pytestmark = pytest.mark.django_db

MENTOR, MENTEE = Membership.Role.MENTOR, Membership.Role.MENTEE


@pytest.fixture
def city():
    return TerritoryFactory()


@pytest.fixture
def schools(city):
    low = OrganisationFactory(name="СШ № 9", territory=city, low_results=True)
    strong = OrganisationFactory(name="Гимназия № 5", territory=city, high_results=True)
    return low, strong


def _pair(city, **kwargs):
    return services.create_community(
        kind=kind("leaders_pair"), name="Пара", territory=city, **kwargs
    )


def _codes(community):
    return {v.code for v in selectors.rule_violations(community)}


def test_the_mentee_must_lead_a_low_results_school_and_nothing_is_written_otherwise(city, schools):
    low, strong = schools
    pair = _pair(city)
    with pytest.raises(ValidationError) as error:
        services.add_member(community=pair, person=teacher_at(strong), role=MENTEE)
    assert "Гимназия № 5" in error.value.messages[0]
    with pytest.raises(ValidationError):
        services.add_member(community=pair, person=PersonFactory(), role=MENTEE)  # works nowhere
    assert not pair.memberships.exists()
    services.add_member(community=pair, person=teacher_at(low), role=MENTEE)
    assert pair.memberships.filter(role=MENTEE).count() == 1


def test_the_mentor_must_work_at_a_school_outside_the_programme(city, schools):
    low, strong = schools
    pair = _pair(city)
    with pytest.raises(ValidationError) as error:
        services.add_member(community=pair, person=teacher_at(low), role=MENTOR)
    assert "СШ № 9" in error.value.messages[0]
    with pytest.raises(ValidationError):
        services.add_member(community=pair, person=PersonFactory(), role=MENTOR)
    # Working also at a low-results school is still working there.
    both = teacher_at(strong)
    both.positions.create(organisation=low, title="Консультант")
    with pytest.raises(ValidationError):
        services.add_member(community=pair, person=both, role=MENTOR)
    services.add_member(community=pair, person=teacher_at(strong), role=MENTOR)
    assert pair.memberships.filter(role=MENTOR).count() == 1


def test_changing_a_members_role_is_checked_too(city, schools):
    low, strong = schools
    pair = _pair(city)
    mentor = teacher_at(strong)
    services.add_member(community=pair, person=mentor, role=MENTOR)
    with pytest.raises(ValidationError):
        services.add_member(community=pair, person=mentor, role=MENTEE)
    assert pair.memberships.get(person=mentor).role == MENTOR


def test_other_kinds_take_mentors_from_anywhere(schools):
    low, _strong = schools
    plc = services.create_community(kind=kind("school_plc"), name="ПОС", organisation=low)
    services.add_member(community=plc, person=teacher_at(low), role=MENTOR)
    assert "mentor_school" not in _codes(plc)


def test_a_pair_that_became_wrong_shows_it_in_its_rules_and_in_the_breaking_list(
    client, city, schools
):
    low, strong = schools
    pair = _pair(city)
    mentee = teacher_at(low)
    services.add_member(community=pair, person=teacher_at(strong), role=MENTOR)
    services.add_member(community=pair, person=mentee, role=MENTEE)
    assert _codes(pair) == set()

    def breaking():
        return set(Community.objects.filter(selectors.may_break_rules_q()))

    assert pair not in breaking()
    low.low_results = False  # the school left the programme
    low.save()
    assert _codes(pair) == {"mentee_school"}
    assert pair in breaking()
    low.low_results = True
    low.save()
    strong.low_results = True  # the mentor's school entered it
    strong.save()
    assert _codes(pair) == {"mentor_school"} and pair in breaking()
    strong.low_results = False
    strong.save()
    low.low_results = False
    low.save()
    client.force_login(centre_admin(city))
    page = client.get(f"/communities/{pair.pk}/")
    assert {v.code for v in page.context["violations"]} == {"mentee_school"}
    api = client.get(f"/api/v1/communities/{pair.pk}/violations/").json()
    assert [v["code"] for v in api] == ["mentee_school"]


def test_a_member_added_from_the_page_with_a_wrong_school_gets_the_reason(client, city, schools):
    low, strong = schools
    pair = _pair(city)
    client.force_login(centre_admin(city))
    wrong = teacher_at(strong, username="wrongmentee")
    response = client.post(
        f"/communities/{pair.pk}/members/add/",
        {"person": "wrongmentee", "role": "mentee"},
        follow=True,
    )
    assert response.status_code == 200
    assert any("Гимназия № 5" in str(m) for m in response.context["messages"])
    assert not pair.memberships.filter(person=wrong).exists()
    response = client.post(
        "/api/v1/memberships/",
        {"community": pair.pk, "person": wrong.pk, "role": "mentee"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "Гимназия № 5" in str(response.json())
    assert not pair.memberships.filter(person=wrong).exists()


@pytest.fixture
def pair_with_sides(city, schools):
    low, strong = schools
    pair = _pair(city, visibility=Community.Visibility.INTERNAL)
    mentor = teacher_at(strong, username="mentor1", email="mentor@example.org")
    mentor.phone = "+7 900 111-22-33"
    mentor.save()
    mentee = teacher_at(low, username="mentee1", email="mentee@example.org")
    mentee.phone = "+7 900 444-55-66"
    mentee.save()
    services.add_member(community=pair, person=mentor, role=MENTOR)
    services.add_member(community=pair, person=mentee, role=MENTEE)
    return pair, mentor, mentee


def test_each_side_of_the_pair_sees_the_others_contacts(client, pair_with_sides):
    pair, mentor, mentee = pair_with_sides
    client.force_login(mentee)
    page = client.get(f"/communities/{pair.pk}/").content.decode()
    assert 'id="pair-contacts"' in page
    assert "mentor@example.org" in page and "+7 900 111-22-33" in page
    api = client.get(f"/api/v1/communities/{pair.pk}/pair-contacts/").json()
    assert api == [
        {
            "person": mentor.pk,
            "person_name": mentor.full_name,
            "role": "mentor",
            "email": "mentor@example.org",
            "phone": "+7 900 111-22-33",
        }
    ]
    client.force_login(mentor)
    page = client.get(f"/communities/{pair.pk}/").content.decode()
    assert "mentee@example.org" in page and "+7 900 444-55-66" in page
    assert [
        p["person"] for p in client.get(f"/api/v1/communities/{pair.pk}/pair-contacts/").json()
    ] == [mentee.pk]


def test_others_do_not_see_the_pairs_contacts(client, city, pair_with_sides):
    pair, _mentor, _mentee = pair_with_sides
    outsider = teacher_at(OrganisationFactory(territory=city))  # sees the internal pair's page
    for person in (outsider, centre_admin(city)):
        client.force_login(person)
        response = client.get(f"/communities/{pair.pk}/")
        assert response.status_code == 200
        page = response.content.decode()
        assert 'id="pair-contacts"' not in page and "+7 900 111-22-33" not in page
        assert client.get(f"/api/v1/communities/{pair.pk}/pair-contacts/").status_code == 403
    client.logout()
    assert client.get(f"/api/v1/communities/{pair.pk}/pair-contacts/").status_code in (401, 403)


def test_a_side_that_left_the_pair_no_longer_sees_the_contacts(client, pair_with_sides):
    pair, mentor, mentee = pair_with_sides
    services.remove_member(community=pair, person=mentee)
    client.force_login(mentee)
    assert client.get(f"/api/v1/communities/{pair.pk}/pair-contacts/").status_code == 403
    assert "+7 900 111-22-33" not in client.get(f"/communities/{pair.pk}/").content.decode()
