"""Kazakh beside Russian and English: chosen per person, defaulting per territory (a centre in
Kazakhstan sets Russian or Kazakh for its territory); Kazakh plurals, dates and numbers."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import formats, translation

from communities import services as community_services
from communities.models import Membership
from communities.tests.factories import CommunityFactory, MembershipFactory
from organisations.models import Territory
from organisations.tests.factories import OrganisationFactory, TerritoryFactory
from people.models import Person
from people.tests.factories import PersonFactory, centre_admin, teacher_at

pytestmark = pytest.mark.django_db


def _lang(page) -> str:
    return re.search(r'<html lang="([^"]+)"', page.content.decode()).group(1)


@pytest.fixture
def kazakh_region():
    region = TerritoryFactory(name="Облыс", country_code="KZ", language="kk")
    return TerritoryFactory(name="Аудан", kind=Territory.Kind.DISTRICT, parent=region)


def test_a_person_who_never_chose_gets_the_territorys_default(client, kazakh_region):
    school = OrganisationFactory(territory=kazakh_region)
    client.force_login(teacher_at(school))
    page = client.get("/")
    assert _lang(page) == "kk"


def test_a_russian_speaking_territory_in_kazakhstan_stays_russian(client):
    region = TerritoryFactory(country_code="KZ", language="ru")
    client.force_login(teacher_at(OrganisationFactory(territory=region)))
    assert _lang(client.get("/")) == "ru"


def test_elsewhere_the_site_default_is_russian(client):
    client.force_login(teacher_at(OrganisationFactory()))
    assert _lang(client.get("/")) == "ru"


def test_the_persons_choice_beats_the_territorys_default(client, kazakh_region):
    person = teacher_at(OrganisationFactory(territory=kazakh_region), language="en")
    client.force_login(person)
    assert _lang(client.get("/")) == "en"


def test_a_person_who_chose_kazakh_gets_the_interface_in_kazakh(client):
    me = PersonFactory()
    client.force_login(me)
    client.post("/i18n/setlang/", {"language": "kk", "next": "/"})
    assert _lang(client.get("/")) == "kk"
    # On another device (no cookie) the account's choice still holds.
    client.cookies.clear()
    client.force_login(Person.objects.get(pk=me.pk))
    assert _lang(client.get("/")) == "kk"


def test_the_switch_lists_kazakh(client):
    client.force_login(PersonFactory())
    assert '<option value="kk"' in client.get("/").content.decode()


def test_the_centre_sets_its_territorys_default_language(client):
    region = TerritoryFactory(country_code="KZ")
    client.force_login(centre_admin(region))
    response = client.post(
        f"/territories/{region.pk}/edit/",
        {"name": region.name, "kind": region.kind, "country_code": "KZ", "language": "kk"},
    )
    assert response.status_code == 302
    region.refresh_from_db()
    assert region.language == "kk"
    assert client.get(f"/api/v1/territories/{region.pk}/").json()["language"] == "kk"


def test_e_mails_follow_the_territorys_default(django_capture_on_commit_callbacks, kazakh_region):
    group = CommunityFactory()
    leader = MembershipFactory(community=group, role=Membership.Role.LEADER).person
    group.leader = leader
    group.save()
    kazakh = teacher_at(OrganisationFactory(territory=kazakh_region), email="kk@example.org")
    russian = teacher_at(OrganisationFactory(), email="ru@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        community_services.invite(community=group, person=kazakh, invited_by=leader)
        community_services.invite(community=group, person=russian, invited_by=leader)
    by_address = {m.to[0]: m for m in mail.outbox}
    assert '<html lang="kk">' in by_address["kk@example.org"].alternatives[0][0]
    assert '<html lang="ru">' in by_address["ru@example.org"].alternatives[0][0]


def test_kazakh_plural_forms_have_two_forms():
    catalogue = translation.trans_real.translation("kk")
    assert [catalogue.plural(n) for n in (0, 1, 2, 5, 11, 21)] == [1, 0, 1, 1, 1, 1]
    singular = "The rule: at least %(n)s innovative or open lesson a year."
    plural = "The rule: at least %(n)s innovative or open lessons a year."
    with translation.override("kk"):
        texts = [translation.ngettext(singular, plural, n) % {"n": n} for n in (1, 3)]
    # From the Kazakh catalogue itself, not the Russian fallback (Russian has three forms).
    assert texts == [
        "Ереже: жылына кемінде 1 инновациялық немесе ашық сабақ.",
        "Ереже: жылына кемінде 3 инновациялық немесе ашық сабақ.",
    ]


def test_dates_and_numbers_are_formatted_the_kazakh_way():
    day = dt.date(2026, 3, 8)
    with translation.override("kk"):
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "08.03.2026"
        assert formats.date_format(day) == "8 Наурыз 2026 ж."
        assert formats.number_format(Decimal("1234.5"), 1, force_grouping=True) == "1\xa0234,5"


def test_the_territory_list_shows_each_territorys_default_language(client):
    region = TerritoryFactory(country_code="KZ", language="kk")
    client.force_login(centre_admin(region))
    page = client.get("/territories/").content.decode()
    assert "Қазақша" in page or "Казахский" in page


def test_documents_are_written_in_the_persons_language(client):
    import io

    from pypdf import PdfReader

    from certificates import services as certificate_services
    from certificates.models import Certificate
    from certificates.tests.factories import held_event

    held = held_event()
    certificate_services.issue_for_event(event=held.event, actor=held.leader)
    certificate = Certificate.objects.get(holder=held.participant)
    held.participant.language = "kk"
    held.participant.save(update_fields=["language"])
    client.force_login(held.participant)
    response = client.get(f"/certificates/{certificate.pk}/certificate.pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Осы сертификат" in text
    assert "Рөлі: Қатысушы" in text
