"""The batched `can_edit_person` (the teacher import asks it) agrees with it for every role."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from people.models import Person
from people.permissions import can_edit_person, editable_person_ids

from .conftest import ADMIN_A, ANON, CENTRE, CENTRE_OTHER, ROLES, SUPERUSER, TEACHER_A

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_editable_person_ids_agrees_with_can_edit_person(world, role):
    user = world.user(role)
    people = list(Person.objects.all())
    expected = {p.pk for p in people if can_edit_person(user, p)}
    assert editable_person_ids(user, [p.pk for p in people]) == expected


def test_allowed_and_refused_cases(world):
    a_teacher = world.leader  # works at school A, in the region
    ids = {a_teacher.pk}
    assert editable_person_ids(world.user(ADMIN_A), ids) == ids
    assert editable_person_ids(world.user(CENTRE), ids) == ids
    assert editable_person_ids(world.user(SUPERUSER), ids) == ids
    assert editable_person_ids(world.user(CENTRE_OTHER), ids) == set()
    assert editable_person_ids(world.user(TEACHER_A), ids) == set()
    assert editable_person_ids(world.user(ANON), ids) == set()


def test_one_query_however_many_people(world):
    user = world.user(CENTRE)
    ids = list(Person.objects.values_list("pk", flat=True))
    editable_person_ids(user, ids[:1])  # the user's roles are loaded once and kept
    with CaptureQueriesContext(connection) as few:
        editable_person_ids(user, ids[:2])
    with CaptureQueriesContext(connection) as many:
        editable_person_ids(user, ids)
    assert len(many) == len(few) == 1
