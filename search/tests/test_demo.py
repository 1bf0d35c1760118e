"""The demo's lesson plan (submitted by `teacher`, published after review) is found by a form
of the word its title and text do not contain as such."""

from django.core.management import call_command
from django.urls import reverse

from people.models import Person
from resources.models import Resource


def test_the_demo_lesson_plan_is_found_by_another_form_of_the_word(client, db):
    call_command("load_demo", verbosity=0)
    lesson = Resource.objects.get(title__contains="Закон Архимеда")
    assert lesson.status == Resource.Status.PUBLISHED
    client.force_login(Person.objects.get(username="teacher"))
    response = client.get(reverse("search:search"), {"q": "урокам"})
    assert reverse("resources:detail", args=[lesson.pk]) in response.content.decode()
    data = client.get("/api/v1/search/", {"q": "урокам", "kind": "resource"}).json()
    assert lesson.pk in [row["object_id"] for row in data["results"]]
