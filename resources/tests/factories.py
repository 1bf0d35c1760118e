import factory
from django.core.files.base import ContentFile

from communities.tests.factories import CommunityFactory
from resources.models import Resource, ResourceKind, ResourceVersion

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def kind(code: str = "lesson-plan") -> ResourceKind:
    return ResourceKind.objects.get(code=code)


def pdf(name: str = "plan.pdf") -> ContentFile:
    return ContentFile(PDF, name=name)


def png(name: str = "picture.png", size=(64, 48)) -> ContentFile:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="PNG")
    return ContentFile(out.getvalue(), name=name)


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Урок {n}")
    kind = factory.LazyFunction(kind)
    subject = "Математика"
    grade_from = 5
    grade_to = 6
    community = factory.SubFactory(CommunityFactory)
    organisation = factory.LazyAttribute(
        lambda o: o.community.organisation if o.community else None
    )
    territory = factory.LazyAttribute(lambda o: o.community.territory)
    created_by = factory.SubFactory("people.tests.factories.PersonFactory")
    status = Resource.Status.PUBLISHED
    is_public = True

    @factory.post_generation
    def with_file(self, create, extracted, **kwargs):
        if create and extracted:
            ResourceVersion.objects.create(
                resource=self, file=pdf(), original_name="plan.pdf", uploaded_by=self.created_by
            )
