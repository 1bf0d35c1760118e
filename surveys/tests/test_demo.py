"""The demo shows the surveys: the centre's deficits map has data, the teacher has a survey to
answer, and loading twice adds nothing."""

import pytest
from django.core.management import call_command

from people.models import Person
from portal.selectors import waiting_items
from surveys.models import Response, Survey

pytestmark = pytest.mark.django_db


def test_the_demo_surveys(client):
    call_command("load_demo", verbosity=0)
    responses = Response.objects.count()
    call_command("load_demo", verbosity=0)
    assert Response.objects.count() == responses
    needs = Survey.objects.get(template_code="needs")
    assert needs.response_count >= 6
    teacher = Person.objects.get(username="teacher")
    assert any(i.kind == "survey" for i in waiting_items(teacher))
    client.force_login(Person.objects.get(username="centre"))
    page = client.get("/surveys/needs-map/")
    assert page.status_code == 200
    assert any(not c.suppressed for row in page.context["map"].rows for c in row.cells)
