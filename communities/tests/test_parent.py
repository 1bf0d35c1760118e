"""A lesson-study team or micro-group placed under a PLC (`Community.parent`) on the creation
and edit forms and in the API: only under a PLC the person runs, of the same school."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from communities import services
from communities.models import Community
from communities.tests.factories import CommunityFactory, MembershipFactory, kind
from organisations.tests.factories import OrganisationFactory
from people.tests.factories import centre_admin, school_admin, teacher_at

pytestmark = pytest.mark.django_db

NOT_RUN = "You can place a team only under a PLC that you lead or administer."


class School:
    def __init__(self):
        self.school = OrganisationFactory(name="Гимназия № 2")
        self.admin = school_admin(self.school)
        self.plc_leader = teacher_at(self.school, last_name="Плсова")
        self.plc = CommunityFactory(
            kind=kind("school_plc"), organisation=self.school, name="ПОС естественников",
            leader=self.plc_leader,
        )  # fmt: skip
        MembershipFactory(community=self.plc, person=self.plc_leader, role="leader")
        self.team_leader = teacher_at(self.school, last_name="Командирова")
        self.team = CommunityFactory(
            kind=kind("micro_group"), organisation=self.school, name="Микрогруппа химиков",
            leader=self.team_leader,
        )  # fmt: skip
        MembershipFactory(community=self.team, person=self.team_leader, role="leader")


@pytest.fixture
def s():
    return School()


def new_team(organisation, parent, name="Группа LS биологов") -> dict:
    return {
        "kind": kind("lesson_study_team").pk,
        "name": name,
        "organisation": organisation.pk,
        "visibility": "internal",
        "parent": parent.pk,
    }


def test_the_school_admin_creates_a_team_under_the_plc(client, s):
    client.force_login(s.admin)
    response = client.post("/communities/new/", new_team(s.school, s.plc))
    assert response.status_code == 302
    team = Community.objects.get(name="Группа LS биологов")
    assert team.parent == s.plc
    assert "Группа LS биологов" in client.get(f"/communities/{s.plc.pk}/").content.decode()


def test_a_team_under_another_schools_plc_is_refused_with_the_reason_on_the_field(client, s):
    centre = centre_admin(s.school.territory)
    other_school = OrganisationFactory(territory=s.school.territory)
    client.force_login(centre)
    response = client.post("/communities/new/", new_team(other_school, s.plc))
    assert response.status_code == 200
    # In Russian, on the field.
    assert response.context["form"].errors["parent"] == [
        "ПОС должно работать в той же организации, что и группа."
    ]
    assert not Community.objects.filter(name="Группа LS биологов").exists()


def test_a_plc_the_creator_does_not_run_is_not_offered_nor_taken(client, s):
    other = OrganisationFactory()
    admin_b = school_admin(other)
    client.force_login(admin_b)
    picked = client.get(
        "/communities/parents/pick/", {"picker": "parent", "parent__q": "ПОС"}
    ).content.decode()
    assert "ПОС естественников" not in picked
    response = client.post("/communities/new/", new_team(other, s.plc))
    assert response.context["form"].errors["parent"] == [gettext(NOT_RUN)]
    assert not Community.objects.filter(name="Группа LS биологов").exists()
    client.force_login(s.admin)
    picked = client.get(
        "/communities/parents/pick/", {"picker": "parent", "parent__q": "естеств"}
    ).content.decode()
    assert "ПОС естественников" in picked


def test_a_team_leader_cannot_place_the_team_under_a_plc_they_do_not_run(client, s):
    client.force_login(s.team_leader)
    form = client.get(f"/communities/{s.team.pk}/edit/").context["form"]
    assert list(form.fields["parent"].queryset) == []
    response = client.post(
        f"/communities/{s.team.pk}/edit/",
        {"name": s.team.name, "visibility": "internal", "parent": s.plc.pk},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["parent"] == [gettext(NOT_RUN)]
    assert Community.objects.get(pk=s.team.pk).parent_id is None
    with pytest.raises(ValidationError) as error:
        services.set_parent(community=s.team, parent=s.plc, actor=s.team_leader)
    assert error.value.message_dict["parent"] == [gettext(NOT_RUN)]


def test_a_leader_of_both_places_the_team_and_its_leader_still_edits_it(client, s):
    # The PLC's leader co-leads the team too: they place it.
    MembershipFactory(community=s.team, person=s.plc_leader, role="leader")
    services.set_parent(community=s.team, parent=s.plc, actor=s.plc_leader)
    s.team.refresh_from_db()
    assert s.team.parent == s.plc
    # The team's own leader, who does not run the PLC, still saves the team's other fields.
    client.force_login(s.team_leader)
    response = client.post(
        f"/communities/{s.team.pk}/edit/",
        {"name": "Микрогруппа химиков и биологов", "visibility": "internal", "parent": s.plc.pk},
    )
    assert response.status_code == 302
    team = Community.objects.get(pk=s.team.pk)
    assert team.name == "Микрогруппа химиков и биологов" and team.parent == s.plc
    # And may take the team out of the PLC.
    services.set_parent(community=team, parent=None, actor=s.team_leader)
    assert Community.objects.get(pk=s.team.pk).parent_id is None


def test_the_api_creates_a_team_under_the_plc_and_refuses_another_schools(client, s):
    client.force_login(s.admin)
    body = {
        "kind": "lesson_study_team",
        "name": "Группа LS через API",
        "organisation": s.school.pk,
        "visibility": "internal",
        "parent": s.plc.pk,
    }
    response = client.post(
        "/api/v1/communities/", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["parent"] == s.plc.pk
    foreign = CommunityFactory(kind=kind("school_plc"), name="Чужой ПОС")
    body = {**body, "name": "Вторая группа", "parent": foreign.pk}
    response = client.post(
        "/api/v1/communities/", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 400 and "parent" in response.json()
    assert not Community.objects.filter(name="Вторая группа").exists()
