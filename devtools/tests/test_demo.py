import pytest
from django.core.management import call_command

from communities.models import Community, Membership
from organisations.models import Network, Organisation
from people.models import DatabankAccess, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(shared_demo):
    """Loaded once for the module (the root conftest); each test's writes are rolled back."""


def _counts():
    return (
        Organisation.objects.count(),
        Person.objects.count(),
        Community.objects.count(),
        Membership.objects.count(),
        Network.objects.count(),
    )


def test_loading_twice_changes_nothing(demo):
    before = _counts()
    call_command("load_demo", verbosity=0)
    assert _counts() == before


def test_demo_logins_work_with_the_demo_password(demo, client):
    for login in [
        "admin",
        "centre",
        "curator",
        "coordinator",
        "director",
        "leader",
        "teacher",
        "mentor",
        "mentee",
        "mugalim",
    ]:
        assert Person.objects.get(username=login).check_password("collegium-demo"), login


def test_leader_sees_the_plc_with_members_and_rules(demo, client):
    client.force_login(Person.objects.get(username="leader"))
    plc = Community.objects.get(kind__code="school_plc")
    page = client.get(f"/communities/{plc.pk}/").content.decode()
    assert plc.name in page
    assert "Соколова Елена Игоревна" in page  # the leader
    assert "Лебедев Павел Олегович" in page  # a member
    assert "Правила этого вида" in page
    assert "Не реже одного раза в четверть." in page or "четверть" in page


def test_centre_sees_the_twelve_network_groups_and_the_network(demo, client):
    client.force_login(Person.objects.get(username="centre"))
    response = client.get("/api/v1/communities/?kind=network_group")
    assert response.json()["count"] == 12
    page = client.get("/communities/?kind=network_group").content.decode()
    assert page.count("Сетевая профессиональная группа «") == 12
    network = Network.objects.get()
    page = client.get(f"/networks/{network.pk}/").content.decode()
    assert "Партнёрские школы (2)" in page
    assert "Магнитные школы (3)" in page
    assert "Координационный совет сети «Компас»" in page


def test_teacher_is_refused_another_teachers_databank(demo, client):
    teacher = Person.objects.get(username="teacher")
    other = Person.objects.get(username="leader")
    client.force_login(teacher)
    page = client.get(f"/people/{other.pk}/").content.decode()
    assert 'id="databank"' not in page
    assert client.get(f"/people/{other.pk}/databank.xlsx").status_code == 403
    assert client.get(f"/api/v1/people/{other.pk}/").json()["databank"] is None
    assert not DatabankAccess.objects.filter(viewer=teacher).exists()


def test_demo_has_no_rule_breaks_except_the_deliberate_micro_group(demo):
    from communities.selectors import rule_violations

    broken = [c.name for c in Community.objects.all() if rule_violations(c)]
    assert broken == ["Творческая микрогруппа «Цифровая лаборатория»"]


def test_the_demos_draft_minutes_keep_a_done_decision_when_corrected_through_the_api(demo, client):
    """The demo shows the case a leader tries first: fix the draft minutes, the done stays done."""
    import json

    from meetings.models import Decision, Minutes

    minutes = Minutes.objects.get(community__leader__username="leader", signed_at__isnull=True)
    done = minutes.meeting.decisions.get(status=Decision.Status.DONE)
    assert done.evidence
    client.force_login(Person.objects.get(username="leader"))
    meeting = client.get(f"/api/v1/meetings/{minutes.meeting_id}/").json()
    body = {
        "version": meeting["minutes"]["version"],
        "attended": [p["person"] for p in meeting["participants"] if p.get("attended")],
        "questions": [
            {**q, "summary": q["summary"] + " (исправлено)"} for q in meeting["questions"]
        ],
        "decisions": meeting["decisions"],
    }
    response = client.put(
        f"/api/v1/meetings/{minutes.meeting_id}/minutes/",
        json.dumps(body),
        content_type="application/json",
    )
    assert response.status_code == 200
    kept = Decision.objects.get(pk=done.pk)
    assert (kept.status, kept.evidence, kept.done_at) == (done.status, done.evidence, done.done_at)


def test_the_kazakh_speaking_districts_teacher_sees_collegium_in_kazakh(demo, client):
    client.force_login(Person.objects.get(username="mugalim"))
    assert '<html lang="kk">' in client.get("/").content.decode()
    client.force_login(Person.objects.get(username="teacher"))
    assert '<html lang="ru">' in client.get("/").content.decode()


def test_the_resource_bank_shows_the_demo_to_its_people(demo, client):
    from resources.models import Resource

    assert Resource.objects.filter(status="published").count() >= 3
    client.logout()
    page = client.get("/resources/").content.decode()
    assert "Закон Архимеда" in page and "Lesson Study" not in page  # the latter is not public
    client.force_login(Person.objects.get(username="curator"))
    assert "олимпиаде по физике" in client.get("/resources/review/").content.decode()
    client.force_login(Person.objects.get(username="leader"))
    plc = Resource.objects.filter(title__contains="Закон Архимеда").get().community
    assert "Положение" in client.get(f"/communities/{plc.pk}/documents/").content.decode()
    collections = client.get("/resources/collections/").content.decode()
    assert "Лучшие практики сети «Компас» 2026" in collections
