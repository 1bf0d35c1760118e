"""The demo: `curator` sees the network group's filled chart, `leader` the PLC's; a second load
adds nothing."""

import pytest
from django.core.management import call_command

from activity.models import CommunityPeriod, Hit, PeriodKind
from communities.models import Community
from people.models import Person

pytestmark = pytest.mark.django_db


def test_demo_activity(client):
    call_command("load_demo", verbosity=0)
    months = CommunityPeriod.objects.filter(kind=PeriodKind.MONTH).count()
    call_command("load_demo", verbosity=0)
    assert CommunityPeriod.objects.filter(kind=PeriodKind.MONTH).count() == months
    assert not Hit.objects.exists()
    physmath = Community.objects.get(name__contains="физико-математического цикла")
    plc = Community.objects.get(kind__code="school_plc", leader__username="leader")
    for login, community in (("curator", physmath), ("leader", plc)):
        client.force_login(Person.objects.get(username=login))
        assert "/statistics/" in client.get(f"/communities/{community.pk}/").content.decode()
        page = client.get(f"/communities/{community.pk}/statistics/")
        assert page.status_code == 200
        rows = [row for _label, row in page.context["rows"]]
        assert len(rows) == 6 and all(row.views > 0 and row.visitors > 0 for row in rows[:-1])
        assert all(row.visitors <= row.views + row.actions + row.feedback for row in rows)
