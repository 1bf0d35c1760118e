"""The leader's team page (004 doc. 2, 6; §4.3): composition, self-education topics and the
members' databank records, every view logged; nobody else sees it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities import services
from communities.tests.factories import CommunityFactory, MembershipFactory
from people.models import DatabankAccess
from people.tests.factories import (
    PersonFactory,
    QualificationCategoryFactory,
    TeacherProfileFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    plc = CommunityFactory(name="ПОС математиков")
    leader = PersonFactory(username="leader", last_name="Лидерова")
    services.add_member(community=plc, person=leader, role="leader")
    highest = QualificationCategoryFactory(territory=plc.territory, name="высшая")
    first = QualificationCategoryFactory(territory=plc.territory, name="первая")
    members = []
    for n, (category, years, topic) in enumerate(
        [
            (highest, 25, "Смысловое чтение на уроках математики"),
            (highest, 12, "Формирующее оценивание"),
            (first, 3, "Проектная деятельность"),
        ]
    ):
        person = PersonFactory(username=f"member{n}", last_name=f"Участникова{n}")
        TeacherProfileFactory(
            person=person,
            qualification_category=category,
            experience_total=years,
            experience_teaching=years,
            self_education_topic=topic,
        )
        services.add_member(community=plc, person=person)
        members.append(person)
    no_record = PersonFactory(username="norecord")
    services.add_member(community=plc, person=no_record)
    members.append(no_record)
    return plc, leader, members


def test_leader_sees_the_composition_and_topics_and_each_record_shown_is_logged(client, team):
    plc, leader, members = team
    client.force_login(leader)
    detail = client.get(f"/communities/{plc.pk}/").content.decode()
    assert f'href="/communities/{plc.pk}/team/"' in detail
    response = client.get(f"/communities/{plc.pk}/team/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Смысловое чтение на уроках математики" in page and "Проектная деятельность" in page
    for person in members:
        assert f'href="/people/{person.pk}/#databank"' in page
    composition = response.context["team"]
    assert dict(composition.by_category) == {"высшая": 2, "первая": 1, _no_category(): 2}
    assert [n for _label, n in composition.by_experience] == [1, 1, 1, 2]  # <5, 10–20, 20+, none
    assert sum(n for _label, n in composition.by_education) == 5
    logged = DatabankAccess.objects.filter(viewer=leader, action="view", channel="page")
    assert sorted(logged.values_list("subject_id", flat=True)) == sorted(m.pk for m in members)


def _no_category() -> str:
    from django.utils.translation import gettext

    return gettext("no category")


def test_leader_opens_a_members_databank_record_and_it_is_logged(client, team):
    plc, leader, members = team
    client.force_login(leader)
    page = client.get(f"/people/{members[0].pk}/").content.decode()
    assert 'id="databank"' in page and "Смысловое чтение на уроках математики" in page
    assert members[0].email in page
    assert DatabankAccess.objects.filter(viewer=leader, subject=members[0], action="view").exists()
    # Seeing is not editing nor taking a file away.
    assert client.get(f"/people/{members[0].pk}/edit/").status_code == 403
    assert client.get(f"/people/{members[0].pk}/databank.xlsx").status_code == 403
    response = client.get(f"/api/v1/people/{members[0].pk}/")
    assert response.json()["databank"]["self_education_topic"].startswith("Смысловое")
    assert DatabankAccess.objects.filter(viewer=leader, subject=members[0], channel="api").exists()


def test_an_ordinary_member_sees_neither_the_team_nor_a_colleagues_record(client, team):
    plc, _leader, members = team
    client.force_login(members[1])
    assert (
        f"/communities/{plc.pk}/team/" not in client.get(f"/communities/{plc.pk}/").content.decode()
    )
    assert client.get(f"/communities/{plc.pk}/team/").status_code == 403
    assert client.get(f"/api/v1/communities/{plc.pk}/team/").status_code == 403
    page = client.get(f"/people/{members[0].pk}/").content.decode()
    assert 'id="databank"' not in page and "Смысловое чтение" not in page
    assert client.get(f"/api/v1/people/{members[0].pk}/").json()["databank"] is None
    assert not DatabankAccess.objects.exists()


def test_the_leader_of_another_community_sees_nothing_of_this_team(client, team):
    plc, _leader, members = team
    other = CommunityFactory(organisation=plc.organisation)
    other_leader = PersonFactory(username="otherleader")
    services.add_member(community=other, person=other_leader, role="leader")
    client.force_login(other_leader)
    assert client.get(f"/communities/{plc.pk}/team/").status_code == 403
    page = client.get(f"/people/{members[0].pk}/").content.decode()
    assert 'id="databank"' not in page
    assert not DatabankAccess.objects.exists()


def test_a_removed_member_drops_out_at_once_and_a_replaced_leader_loses_the_team(client, team):
    plc, leader, members = team
    client.force_login(leader)
    services.remove_member(community=plc, person=members[0])
    page = client.get(f"/communities/{plc.pk}/team/").content.decode()
    assert f"/people/{members[0].pk}/" not in page and "Смысловое чтение" not in page
    assert 'id="databank"' not in client.get(f"/people/{members[0].pk}/").content.decode()
    assert not DatabankAccess.objects.filter(subject=members[0]).exists()
    # Another member becomes leader: the former one keeps membership, loses the team.
    services.add_member(community=plc, person=members[1], role="leader")
    assert client.get(f"/communities/{plc.pk}/team/").status_code == 403
    assert 'id="databank"' not in client.get(f"/people/{members[2].pk}/").content.decode()


def test_an_abolished_community_gives_its_leader_no_access(client, team):
    import datetime as dt

    plc, leader, members = team
    services.abolish(
        community=plc,
        order_number="12",
        order_date=dt.date(2026, 5, 30),
        decision_date=dt.date(2026, 5, 29),
    )
    client.force_login(leader)
    assert client.get(f"/communities/{plc.pk}/team/").status_code == 403
    assert 'id="databank"' not in client.get(f"/people/{members[1].pk}/").content.decode()


def test_team_api_answers_the_leader_with_counts_and_logs_each_record(client, team):
    plc, leader, members = team
    client.force_login(leader)
    response = client.get(f"/api/v1/communities/{plc.pk}/team/")
    assert response.status_code == 200
    data = response.json()
    assert {m["person"] for m in data["members"]} == {leader.pk, *(m.pk for m in members)}
    row = next(m for m in data["members"] if m["person"] == members[0].pk)
    assert row["qualification_category"] == "высшая" and row["experience_teaching"] == 25
    assert next(m for m in data["members"] if m["person"] == members[3].pk)["education"] is None
    assert sum(c["count"] for c in data["by_category"]) == 5
    assert DatabankAccess.objects.filter(viewer=leader, channel="api").count() == len(members)


def test_the_team_page_costs_the_same_queries_for_few_and_many_members(client, team):
    plc, leader, _members = team
    client.force_login(leader)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/communities/{plc.pk}/team/").status_code == 200
        return len(queries)

    few = count()
    for n in range(20):
        person = PersonFactory(username=f"more{n}")
        TeacherProfileFactory(person=person)
        MembershipFactory(community=plc, person=person)
    assert count() == few
