import factory

from organisations.tests.factories import NetworkFactory, OrganisationFactory, TerritoryFactory
from people.models import Person, Position, QualificationCategory, RoleAssignment, TeacherProfile


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    last_name = factory.Sequence(lambda n: f"Тестов{n}")
    first_name = "Иван"
    middle_name = "Петрович"
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "collegium-test")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    title = "Учитель"


class TeacherProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeacherProfile

    person = factory.SubFactory(PersonFactory)
    education = "Высшее педагогическое"
    subjects = "Математика"
    experience_total = 12
    experience_teaching = 10
    self_education_topic = "Формирующее оценивание на уроках математики"


class QualificationCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QualificationCategory

    territory = factory.SubFactory(TerritoryFactory)
    name = factory.Sequence(lambda n: f"Категория {n}")


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    person = factory.SubFactory(PersonFactory)
    role = RoleAssignment.Role.SCHOOL_ADMIN


def school_admin(organisation, **kwargs):
    person = PersonFactory(**kwargs)
    RoleAssignment.objects.create(person=person, role="school_admin", organisation=organisation)
    return person


def centre_admin(territory, **kwargs):
    person = PersonFactory(**kwargs)
    RoleAssignment.objects.create(person=person, role="centre_admin", territory=territory)
    return person


def curator(territory, **kwargs):
    person = PersonFactory(**kwargs)
    RoleAssignment.objects.create(person=person, role="curator", territory=territory)
    return person


def coordinator(network, **kwargs):
    person = PersonFactory(**kwargs)
    RoleAssignment.objects.create(person=person, role="coordinator", network=network)
    return person


def teacher_at(organisation, **kwargs):
    person = PersonFactory(**kwargs)
    Position.objects.create(person=person, organisation=organisation, title="Учитель")
    return person


__all__ = [
    "NetworkFactory",
    "OrganisationFactory",
    "PersonFactory",
    "PositionFactory",
    "QualificationCategoryFactory",
    "RoleAssignmentFactory",
    "TeacherProfileFactory",
    "TerritoryFactory",
    "centre_admin",
    "coordinator",
    "curator",
    "school_admin",
    "teacher_at",
]
