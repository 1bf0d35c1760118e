import pytest

from communities.models import Community
from communities.tests.factories import CommunityFactory, MembershipFactory, kind
from organisations.tests.factories import OrganisationFactory
from people.tests.factories import PersonFactory, school_admin, teacher_at

pytestmark = pytest.mark.django_db


def test_community_page_shows_rules_and_what_is_broken(client):
    group = CommunityFactory(kind=kind("micro_group"), name="Микрогруппа «Физика»")
    MembershipFactory(community=group, role="leader")
    client.force_login(teacher_at(group.organisation))
    page = client.get(f"/communities/{group.pk}/").content.decode()
    assert "Микрогруппа «Физика»" in page
    assert 'id="violations"' in page


def test_school_admin_creates_a_community_and_bad_input_is_explained(client):
    school = OrganisationFactory()
    admin = school_admin(school)
    client.force_login(admin)
    response = client.post(
        "/communities/new/",
        {
            "kind": kind("temporary_group").pk,
            "name": "ВТГ",
            "organisation": school.pk,
            "visibility": "internal",
        },
    )
    assert response.status_code == 200  # form shown again with the reasons
    assert response.context["form"].errors
    assert not Community.objects.exists()
    response = client.post(
        "/communities/new/",
        {
            "kind": kind("school_plc").pk,
            "name": "ПОС словесников",
            "organisation": school.pk,
            "visibility": "internal",
        },
    )
    community = Community.objects.get()
    assert response.status_code == 302 and response.url == f"/communities/{community.pk}/"


def test_leader_adds_a_member_in_place_with_htmx(client):
    group = CommunityFactory()
    leader = MembershipFactory(community=group, role="leader").person
    group.leader = leader
    group.save()
    newcomer = PersonFactory(username="newcomer")
    client.force_login(leader)
    response = client.post(
        f"/communities/{group.pk}/members/add/",
        {"person": "newcomer", "role": "member", "subject": "Физика"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "members-panel" in response.content.decode()
    assert group.memberships.filter(person=newcomer).exists()
    response = client.post(
        f"/communities/{group.pk}/members/add/",
        {"person": "nobody-such", "role": "member"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200


def test_user_written_text_is_escaped(client):
    group = CommunityFactory(name="<script>alert(1)</script>")
    client.force_login(teacher_at(group.organisation))
    page = client.get(f"/communities/{group.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_abolish_page_requires_the_order(client):
    group = CommunityFactory()
    client.force_login(school_admin(group.organisation))
    response = client.post(
        f"/communities/{group.pk}/abolish/", {"order_number": "", "order_date": "2026-13-40"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    closing = {"order_number": "7-о", "order_date": "2026-05-20"}
    response = client.post(f"/communities/{group.pk}/abolish/", closing)
    assert response.status_code == 200  # the teaching staff's decision is missing
    assert set(response.context["form"].errors) == {"decision_date"}
    group.refresh_from_db()
    assert group.status == "active"
    decision = {"decision_date": "2026-05-18", "decision_reference": "протокол педсовета № 5"}
    response = client.post(f"/communities/{group.pk}/abolish/", closing | decision)
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.status == "abolished"
    page = client.get(f"/communities/{group.pk}/").content.decode()
    assert 'id="staff-decision"' in page
    assert "18.05.2026" in page and "протокол педсовета № 5" in page and "7-о" in page
    data = client.get(f"/api/v1/communities/{group.pk}/").json()
    assert data["closing_decision_date"] == "2026-05-18"
    assert data["closing_decision_reference"] == "протокол педсовета № 5"


def test_the_api_abolishes_a_schools_community_with_the_staffs_decision(client):
    group = CommunityFactory()
    client.force_login(school_admin(group.organisation))
    url = f"/api/v1/communities/{group.pk}/abolish/"
    closing = {"order_number": "7-о", "order_date": "2026-05-20"}
    response = client.post(url, closing, content_type="application/json")
    assert response.status_code == 400 and "decision_date" in response.json()
    late = closing | {"decision_date": "2026-05-21"}
    assert client.post(url, late, content_type="application/json").status_code == 400
    group.refresh_from_db()
    assert group.status == "active"
    good = closing | {"decision_date": "2026-05-19", "decision_reference": "протокол № 5"}
    response = client.post(url, good, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["closing_decision_date"] == "2026-05-19"


def test_filters_by_kind_and_search(client):
    school = OrganisationFactory()
    CommunityFactory(kind=kind("micro_group"), name="Микрогруппа А", organisation=school)
    CommunityFactory(name="ПОС Б", organisation=school)
    client.force_login(teacher_at(school))
    page = client.get("/communities/?kind=micro_group").content.decode()
    assert "Микрогруппа А" in page and "ПОС Б" not in page
    page = client.get("/communities/?q=ПОС").content.decode()
    assert "ПОС Б" in page and "Микрогруппа А" not in page


def test_breaking_filter_lists_only_communities_that_break_rules(client):
    school = OrganisationFactory()
    ok = CommunityFactory(name="ПОС в порядке", organisation=school)
    for role in ("leader", "member", "member"):
        MembershipFactory(community=ok, role=role)
    ok.leader = ok.memberships.get(role="leader").person
    ok.member_count = 3
    ok.save()
    CommunityFactory(name="ПОС без руководителя", organisation=school)
    client.force_login(teacher_at(school))
    page = client.get("/communities/?breaking=on").content.decode()
    assert "ПОС без руководителя" in page and "ПОС в порядке" not in page


def test_ask_to_join_is_offered_to_signed_in_outsiders_only(client):
    """An anonymous visitor of a public group gets no action on it, nor its member list."""
    group = CommunityFactory(kind=kind("micro_group"), visibility=Community.Visibility.PUBLIC)
    MembershipFactory(community=group, person=PersonFactory(last_name="Видимова"))
    url = f"/communities/{group.pk}/"
    join = f'action="/communities/{group.pk}/join/"'
    assert client.get(url).status_code == 200  # a public group is seen without signing in
    page = client.get(url).content.decode()
    assert join not in page  # but asking to join needs an account, and running it a role
    assert f"/communities/{group.pk}/edit/" not in page
    assert f"/communities/{group.pk}/reorganise/" not in page
    assert "Видимова" not in page
    outsider = teacher_at(OrganisationFactory())
    client.force_login(outsider)
    page = client.get(url).content.decode()
    assert join in page and "Видимова" in page
    MembershipFactory(community=group, person=outsider)
    assert join not in client.get(url).content.decode()


def test_a_closed_community_is_kept_as_it_was(client):
    """After abolition nobody edits the community, its members or its meetings any more."""
    import datetime as dt

    from communities import services

    group = CommunityFactory(kind=kind("micro_group"))
    leader = teacher_at(group.organisation)
    MembershipFactory(community=group, person=leader, role="leader")
    director = school_admin(group.organisation)
    services.abolish(
        community=group,
        order_number="12-п",
        order_date=dt.date(2026, 1, 10),
        decision_date=dt.date(2026, 1, 9),
    )
    newcomer = teacher_at(group.organisation)
    for person in (leader, director):
        client.force_login(person)
        for url in ("edit/", "meetings/new/"):
            assert client.get(f"/communities/{group.pk}/{url}").status_code == 403, url
        add = {"person": newcomer.pk, "role": "member"}
        assert client.post(f"/communities/{group.pk}/members/add/", add).status_code == 403
    assert not group.memberships.filter(person=newcomer).exists()


def test_a_curator_lists_the_members_only_curated_communities_of_their_territory(client):
    """The list matches the detail page: curators administer curated kinds on their territory."""
    from organisations.tests.factories import TerritoryFactory
    from people.tests.factories import curator

    region = TerritoryFactory()
    members = Community.Visibility.MEMBERS
    pair = CommunityFactory(
        kind=kind("leaders_pair"), organisation=None, territory=region, visibility=members
    )
    school_group = CommunityFactory(
        kind=kind("micro_group"), organisation=OrganisationFactory(territory=region),
        visibility=members,
    )  # fmt: skip
    client.force_login(curator(region))
    listed = {row["id"] for row in client.get("/api/v1/communities/").json()["results"]}
    assert pair.pk in listed and school_group.pk not in listed
    assert client.get(f"/communities/{pair.pk}/").status_code == 200
    client.force_login(curator(TerritoryFactory()))
    assert client.get("/api/v1/communities/").json()["results"] == []


def test_a_network_community_is_run_by_the_networks_coordinator(client):
    from organisations.tests.factories import NetworkFactory
    from people.tests.factories import coordinator

    network = NetworkFactory()
    group = CommunityFactory(
        kind=kind("temporary_group"), organisation=None, network=network,
        territory=network.territory, visibility=Community.Visibility.PUBLIC,
    )  # fmt: skip
    edit = f"/communities/{group.pk}/edit/"
    client.force_login(coordinator(network))
    assert client.get(edit).status_code == 200
    for outsider in (coordinator(NetworkFactory()), teacher_at(network.lead_school)):
        client.force_login(outsider)
        assert client.get(edit).status_code == 403
