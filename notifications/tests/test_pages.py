"""The notification pages: the list, opening a notice, settings, and the unread counter."""

import re

import pytest
from django.urls import reverse

from notifications.models import Delivery, Notification, Preference
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def notice(person, n=1, url="/decisions/1/"):
    return Notification.objects.create(
        recipient=person, kind="decision_due", key=f"k{n}", text=f"Задача {n}", url=url
    )


def test_opening_a_notice_marks_it_read_and_follows_its_link(client):
    me = PersonFactory()
    mine = notice(me)
    theirs = notice(PersonFactory())
    client.force_login(me)
    page = client.get(reverse("notifications:list")).content.decode()
    assert reverse("notifications:open", args=[mine.pk]) in page
    response = client.get(reverse("notifications:open", args=[mine.pk]))
    assert response.status_code == 302 and response.url == "/decisions/1/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert client.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_notice_never_sends_its_reader_off_the_site(client):
    me = PersonFactory()
    evil = notice(me, url="https://evil.example.com/")
    client.force_login(me)
    response = client.get(reverse("notifications:open", args=[evil.pk]))
    assert response.status_code == 302 and response.url == reverse("notifications:list")


def test_the_counter_names_the_unread_notices_for_screen_readers(client):
    me = PersonFactory()
    notice(me, 1)
    notice(me, 2)
    client.force_login(me)
    page = client.get(reverse("notifications:list")).content.decode()
    # The visible count is part of the link's name, with a word only screen readers read.
    assert re.search(r'id="nav-notifications">[^<]+<span class="badge warn">2<span '
                     r'class="visually-hidden">', page)  # fmt: skip
    client.post(reverse("notifications:read"))
    page = client.get(reverse("notifications:list")).content.decode()
    assert 'class="badge warn">' not in page.split('id="nav-notifications"')[1].split("</a>")[0]


def test_each_person_chooses_the_delivery_per_kind(client):
    me = PersonFactory()
    client.force_login(me)
    url = reverse("notifications:settings")
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"]["plan_waiting"].value() == Delivery.EMAIL  # the default
    data = {kind: Delivery.EMAIL for kind in Notification.Kind.values}
    data |= {"plan_waiting": Delivery.DIGEST, "meeting_soon": Delivery.APP}
    response = client.post(url, data)
    assert response.status_code == 302
    chosen = dict(Preference.objects.filter(person=me).values_list("kind", "delivery"))
    assert chosen["plan_waiting"] == "digest" and chosen["meeting_soon"] == "app"
    assert client.get(url).context["form"]["plan_waiting"].value() == "digest"


def test_a_made_up_delivery_is_refused_and_nothing_is_saved(client):
    me = PersonFactory()
    client.force_login(me)
    data = {kind: Delivery.EMAIL for kind in Notification.Kind.values} | {"plan_waiting": "sms"}
    response = client.post(reverse("notifications:settings"), data)
    assert response.status_code == 200 and response.context["form"].errors
    assert not Preference.objects.filter(person=me).exists()


def test_the_pages_ask_to_sign_in(client):
    for name in ("notifications:list", "notifications:settings"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response.url
