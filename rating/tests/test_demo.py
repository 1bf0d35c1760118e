"""The demo: the director sees СШ № 14's rating, the teacher their own."""

import pytest
from django.core.management import call_command

from organisations.models import Organisation
from people.models import Person
from rating.models import RatingScheme

pytestmark = pytest.mark.django_db


def test_demo_rating(client):
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)
    scheme = RatingScheme.objects.get()
    assert 5 <= scheme.criteria.count() <= 7
    school = Organisation.objects.get(pk=scheme.organisation_id)
    client.force_login(Person.objects.get(username="director"))
    response = client.get(f"/rating/schools/{school.pk}/")
    assert response.status_code == 200 and len(response.context["page"]) > 1
    teacher = Person.objects.get(username="teacher")
    client.force_login(teacher)
    response = client.get("/rating/me/")
    assert response.status_code == 200
    assert response.context["row"].person == teacher
    assert response.context["row"].total > 0
