import pytest
from django.core.management import call_command

from certificates.models import Certificate
from people.models import Person

pytestmark = pytest.mark.django_db


def test_the_demo_teacher_has_the_master_class_certificate_in_the_databank(client):
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)  # idempotent: no second certificate
    teacher = Person.objects.get(username="teacher")
    leader = Person.objects.get(username="leader")
    [certificate] = Certificate.objects.filter(holder=teacher)
    assert certificate.role == "participant"
    assert set(Certificate.objects.filter(holder=leader).values_list("role", flat=True)) >= {
        "organiser",
        "speaker",
    }
    client.force_login(teacher)
    assert certificate.number in client.get("/certificates/").content.decode()
    page = client.get(f"/people/{teacher.pk}/").content.decode()
    assert f"Сертификат участника: {certificate.event_title}" in page
    assert client.get(f"/certificates/{certificate.pk}/certificate.pdf").status_code == 200
