"""The plan knows its year: meetings held from the plan, moved, cancelled; minutes from the start.

Pages and API are driven as people use them; the rules are checked with an allowed and a denied
case each. Wording is not asserted (it changes with the translations): data, codes, ids, URLs.
"""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from communities.models import Community, Membership
from meetings import permissions, services, signals
from meetings.models import Meeting, MeetingChange, Minutes, Participant
from people.models import Person
from planning import services as planning_services
from planning.models import Plan
from planning.selectors import MeetingState

pytestmark = pytest.mark.django_db


@pytest.fixture
def plc(shared_demo):  # loaded once for the module (the root conftest); writes roll back
    Meeting.objects.all().delete()
    return Community.objects.get(kind__code="school_plc")


@pytest.fixture
def plan(plc):
    """The demo PLC's plan, discussed, agreed and approved."""
    plan = Plan.objects.get(community=plc)
    planning_services.record_discussion(plan=plan, actor=person("leader"))
    planning_services.agree(plan=plan, actor=person("deputy"))
    planning_services.approve(plan=plan, actor=person("director"))
    return Plan.objects.get(pk=plan.pk)


def person(username) -> Person:
    return Person.objects.get(username=username)


def login(client, username):
    client.force_login(person(username))


def local(year, month, day, hour=15):
    return timezone.make_aware(dt.datetime(year, month, day, hour, 0))


def future(days=10, hour=15):
    """A time in school hours some days ahead."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return local(day.year, day.month, day.day, hour)


def schedule(plc, *, starts_at, planned=None, **kwargs) -> Meeting:
    leader = person("leader")
    return services.schedule_meeting(
        community=plc, actor=leader, chair=leader, title="Заседание", place="Каб. 21",
        starts_at=starts_at, planned=planned, confirmed=True, **kwargs,
    )  # fmt: skip


def write(meeting, **kwargs) -> Minutes:
    minutes = Minutes.objects.filter(meeting=meeting).first()
    return services.write_minutes(
        meeting=meeting, version=minutes.version if minutes else None, attended=[],
        questions=[{"title": "Вопрос", "speakers": "", "summary": ""}], decisions=[], **kwargs,
    )  # fmt: skip


# -- the plan shows what became of its meetings --------------------------------------------------
def test_the_plan_shows_a_meeting_held_from_it_with_its_minutes_and_a_missed_month(client, plan):
    october, january = plan.meetings.order_by("order")[:2]
    assert (october.month, january.month) == (10, 1)
    held = schedule(plan.community, starts_at=local(plan.school_year, 10, 20), planned=october)
    login(client, "leader")

    def rows():
        response = client.get(f"/plans/{plan.pk}/")
        assert response.status_code == 200
        return response, {r.planned.pk: r for r in response.context["meeting_rows"]}

    # Today lies after October: a scheduled meeting not yet held does not save the month.
    today = timezone.localdate()
    assert today > dt.date(plan.school_year, 10, 31)
    _response, by_id = rows()
    assert by_id[october.pk].state == MeetingState.MISSED
    write(held)
    response, by_id = rows()
    assert by_id[october.pk].state == MeetingState.MINUTES  # held, not yet signed
    services.sign_minutes(minutes=held.minutes, actor=person("leader"))
    response, by_id = rows()
    row = by_id[october.pk]
    assert row.state == MeetingState.HELD
    assert [(m.minutes_number, m.url) for m in row.meetings] == [(1, f"/meetings/{held.pk}/")]
    page = response.content.decode()
    assert f'href="/meetings/{held.pk}/"' in page and f'id="planned-{october.pk}"' in page
    assert by_id[january.pk].state == MeetingState.PLANNED
    progress = response.context["progress"]
    assert (progress.meetings_held, progress.meetings_total) == (1, plan.meetings.count())
    assert progress.meetings_missed == 0

    # A cancelled meeting holds nothing: the month it was planned for is missed.
    Minutes.objects.all().delete()
    Meeting.objects.filter(pk=held.pk).update(status=Meeting.Status.CANCELLED)
    response, by_id = rows()
    assert by_id[october.pk].state == MeetingState.MISSED and by_id[october.pk].meetings == []
    assert response.context["progress"].meetings_missed == 1


def test_a_month_still_to_come_is_not_missed(client, plan):
    Plan.objects.filter(pk=plan.pk).update(school_year=timezone.localdate().year + 1)
    login(client, "leader")
    rows = client.get(f"/plans/{plan.pk}/").context["meeting_rows"]
    assert {r.state for r in rows} == {MeetingState.PLANNED}


# -- plan items ticked from the minutes -------------------------------------------------------
def _covered_form(meeting, covered) -> dict:
    minutes = Minutes.objects.filter(meeting=meeting).first()
    return {
        "version": minutes.version if minutes else 0,
        "question": ["n00000001"], "q-n00000001-title": "Вопрос",
        "covered": [str(pk) for pk in covered],
    }  # fmt: skip


def test_the_minutes_tick_the_plan_items_they_cover_and_progress_counts_them(client, plan):
    october = plan.meetings.order_by("order").first()
    first, second, *_rest = list(october.items.all())
    meeting = schedule(plan.community, starts_at=timezone.now() - dt.timedelta(hours=2),
                       planned=october)  # fmt: skip
    login(client, "leader")
    page = client.get(f"/meetings/{meeting.pk}/minutes/")
    assert [i.pk for i in page.context["plan_items"]][:2] == [first.pk, second.pk]
    assert 'id="covered-items"' in page.content.decode()
    response = client.post(f"/meetings/{meeting.pk}/minutes/", _covered_form(meeting, [first.pk]))
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.done and not second.done
    minutes = Minutes.objects.get(meeting=meeting)
    assert list(minutes.covered_items.values_list("pk", flat=True)) == [first.pk]
    progress = client.get(f"/plans/{plan.pk}/").context["progress"]
    assert progress.done == 1

    # Covered by the next save instead: the first is unticked, the second ticked.
    client.post(f"/meetings/{meeting.pk}/minutes/", _covered_form(meeting, [second.pk]))
    first.refresh_from_db()
    second.refresh_from_db()
    assert not first.done and second.done
    assert client.get(f"/plans/{plan.pk}/").context["progress"].done == 1


def test_only_items_of_the_meetings_own_plan_row_can_be_covered(plan):
    october, january = plan.meetings.order_by("order")[:2]
    meeting = schedule(plan.community, starts_at=timezone.now() - dt.timedelta(hours=2),
                       planned=october)  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        write(meeting, actor=person("leader"), covered_items=[january.items.first().pk])
    assert "covered_items" in refused.value.message_dict
    assert not Minutes.objects.filter(meeting=meeting).exists()  # nothing half-written


def test_a_member_without_a_role_cannot_tick_items_and_a_secretary_can(plan):
    item = plan.meetings.first().items.first()
    with pytest.raises(PermissionDenied):
        planning_services.set_item_done(item=item, actor=person("teacher"), done=True)
    item.refresh_from_db()
    assert not item.done
    Membership.objects.filter(community=plan.community, person=person("teacher")).update(
        role=Membership.Role.SECRETARY
    )
    planning_services.set_item_done(item=item, actor=person("teacher"), done=True)
    item.refresh_from_db()
    assert item.done


# -- minutes from the start ----------------------------------------------------------------
def test_minutes_open_at_the_start_and_the_page_says_when_before(client, plc):
    meeting = schedule(plc, starts_at=future())
    login(client, "leader")
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert 'id="minutes-from"' in page and f"/meetings/{meeting.pk}/minutes/" not in page
    response = client.get(f"/meetings/{meeting.pk}/minutes/")
    assert response.status_code == 200 and response.context["opens"]
    assert 'id="minutes-opens"' in response.content.decode()
    response = client.post(f"/meetings/{meeting.pk}/minutes/", _covered_form(meeting, []))
    assert response.status_code == 200 and not Minutes.objects.exists()
    with pytest.raises(ValidationError) as refused:
        write(meeting)
    assert refused.value.code == "not_started"

    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now())
    assert permissions.minutes_open(Meeting.objects.get(pk=meeting.pk))
    write(meeting)
    assert Minutes.objects.filter(meeting=meeting).exists()


def test_no_reply_yet_is_not_shown_once_the_meeting_has_started(client, plc):
    pending = str(Participant.Reply.PENDING.label)
    upcoming = schedule(plc, starts_at=future())
    started = schedule(plc, starts_at=timezone.now() - dt.timedelta(minutes=5))
    login(client, "leader")
    assert pending in client.get(f"/meetings/{upcoming.pk}/").content.decode()
    assert pending not in client.get(f"/meetings/{started.pk}/").content.decode()
    # Nor is "will you come?" asked any more.
    login(client, "teacher")
    assert client.post(f"/meetings/{started.pk}/reply/", {"reply": "yes"}).status_code == 403
    assert client.post(f"/meetings/{upcoming.pk}/reply/", {"reply": "yes"}).status_code == 302


# -- times that ask for confirmation -------------------------------------------------------
@pytest.mark.parametrize(
    "when, asks",
    [
        (lambda: future(hour=15), False),
        (lambda: future(hour=services.SCHOOL_DAY_STARTS.hour - 1), True),
        (lambda: future(hour=services.SCHOOL_DAY_ENDS.hour + 1), True),
        (lambda: timezone.now() - dt.timedelta(hours=1), True),
    ],
)
def test_a_past_time_or_one_outside_school_hours_needs_confirmation(plc, when, asks):
    leader = person("leader")
    kwargs = dict(community=plc, actor=leader, chair=leader, title="З", place="К", starts_at=when())
    if asks:
        with pytest.raises(ValidationError) as refused:
            services.schedule_meeting(**kwargs)
        codes = [e.code for e in refused.value.error_dict["starts_at"]]
        assert codes == [services.CONFIRM]
        assert not Meeting.objects.exists()
        services.schedule_meeting(**kwargs, confirmed=True)
    else:
        services.schedule_meeting(**kwargs)
    assert Meeting.objects.count() == 1


def test_the_schedule_page_shows_a_confirm_checkbox_for_a_past_time(client, plc):
    login(client, "leader")
    data = {"title": "З", "starts_at": "2020-10-01T15:00", "place": "К",
            "chair": person("leader").pk}  # fmt: skip
    response = client.post(f"/communities/{plc.pk}/meetings/new/", data)
    assert response.status_code == 200 and "starts_at" in response.context["form"].errors
    assert 'type="checkbox" name="confirm"' in response.content.decode()
    assert not Meeting.objects.exists()
    response = client.post(f"/communities/{plc.pk}/meetings/new/", data | {"confirm": "on"})
    assert response.status_code == 302 and Meeting.objects.count() == 1


def test_the_api_schedules_a_past_time_only_with_confirm(client, plc):
    login(client, "leader")
    body = {"community": plc.pk, "title": "З", "starts_at": "2020-10-01T12:00:00Z",
            "place": "К", "chair": person("leader").pk}  # fmt: skip
    response = client.post("/api/v1/meetings/", body, content_type="application/json")
    assert response.status_code == 400 and "starts_at" in response.json()
    body["confirm"] = True
    response = client.post("/api/v1/meetings/", body, content_type="application/json")
    assert response.status_code == 201


# -- moving and cancelling -----------------------------------------------------------------
def test_the_leader_moves_a_meeting_with_a_reason_and_people_are_told_once(
    client, plc, django_capture_on_commit_callbacks
):
    meeting = schedule(plc, starts_at=future())
    Participant.objects.filter(meeting=meeting).update(reply=Participant.Reply.YES)
    sent = []
    signals.meeting_moved.connect(lambda **kw: sent.append(kw), weak=False, dispatch_uid="t")
    try:
        login(client, "leader")
        assert client.get(f"/meetings/{meeting.pk}/move/").status_code == 200
        new_time = future(days=12)
        data = {"starts_at": timezone.localtime(new_time).strftime("%Y-%m-%dT%H:%M"),
                "place": "Актовый зал"}  # fmt: skip
        response = client.post(f"/meetings/{meeting.pk}/move/", data)  # no reason
        assert response.status_code == 200 and "reason" in response.context["form"].errors
        assert Meeting.objects.get(pk=meeting.pk).sequence == 0
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/meetings/{meeting.pk}/move/", data | {"reason": "Олимпиада"})
        assert response.status_code == 302
    finally:
        signals.meeting_moved.disconnect(dispatch_uid="t")
    moved = Meeting.objects.get(pk=meeting.pk)
    assert (moved.starts_at, moved.place, moved.sequence) == (new_time, "Актовый зал", 1)
    change = MeetingChange.objects.get(meeting=meeting)
    assert (change.kind, change.reason, change.previous_starts_at, change.previous_place) == (
        "moved",
        "Олимпиада",
        meeting.starts_at,
        "Каб. 21",
    )
    assert change.actor == person("leader")
    assert len(sent) == 1 and sent[0]["reason"] == "Олимпиада"
    assert sent[0]["previous_starts_at"] == meeting.starts_at
    assert sent[0]["previous_place"] == "Каб. 21" and sent[0]["actor"] == person("leader")
    # The time changed: everyone is asked again.
    assert set(moved.participants.values_list("reply", flat=True)) == {"pending"}
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert 'id="meeting-changes"' in page and "Олимпиада" in page


def test_moving_to_a_past_time_asks_for_confirmation(client, plc):
    meeting = schedule(plc, starts_at=future())
    login(client, "leader")
    data = {"starts_at": "2020-10-01T15:00", "place": "К", "reason": "Перенос"}
    response = client.post(f"/meetings/{meeting.pk}/move/", data)
    assert response.status_code == 200 and 'name="confirm"' in response.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).sequence == 0
    assert client.post(f"/meetings/{meeting.pk}/move/", data | {"confirm": "on"}).status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).sequence == 1


def test_a_member_cannot_move_or_cancel_and_a_held_meeting_cannot_be_moved(client, plc):
    meeting = schedule(plc, starts_at=future())
    login(client, "teacher")
    assert client.get(f"/meetings/{meeting.pk}/move/").status_code == 403
    assert client.post(f"/meetings/{meeting.pk}/cancel/", {"reason": "x"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.cancel_meeting(meeting=meeting, actor=person("teacher"), reason="x")
    assert Meeting.objects.get(pk=meeting.pk).status == "scheduled"

    held = schedule(plc, starts_at=timezone.now() - dt.timedelta(hours=1))
    write(held)
    login(client, "leader")
    assert not permissions.can_move(person("leader"), Meeting.objects.get(pk=held.pk))
    assert client.get(f"/meetings/{held.pk}/move/").status_code == 403
    with pytest.raises(ValidationError) as refused:
        services.move_meeting(meeting=held, actor=person("leader"), starts_at=future(),
                              place="К", reason="x")  # fmt: skip
    assert refused.value.code == "held"
    assert not MeetingChange.objects.exists()


def test_the_leader_cancels_a_meeting_which_then_gets_no_minutes(
    client, plc, django_capture_on_commit_callbacks
):
    meeting = schedule(plc, starts_at=timezone.now() - dt.timedelta(hours=1))
    sent = []
    signals.meeting_cancelled.connect(lambda **kw: sent.append(kw), weak=False, dispatch_uid="t")
    try:
        login(client, "leader")
        client.post(f"/meetings/{meeting.pk}/cancel/", {"reason": ""})
        assert Meeting.objects.get(pk=meeting.pk).status == "scheduled" and not sent
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/meetings/{meeting.pk}/cancel/", {"reason": "Карантин"})
        assert response.status_code == 302
    finally:
        signals.meeting_cancelled.disconnect(dispatch_uid="t")
    cancelled = Meeting.objects.get(pk=meeting.pk)
    assert (cancelled.status, cancelled.sequence) == ("cancelled", 1)
    assert [(s["reason"], s["meeting"].pk) for s in sent] == [("Карантин", meeting.pk)]
    assert MeetingChange.objects.get(meeting=meeting).kind == "cancelled"
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert 'id="meeting-cancelled"' in page and f"/meetings/{meeting.pk}/minutes/" not in page
    assert client.get(f"/meetings/{meeting.pk}/minutes/").status_code == 302
    with pytest.raises(ValidationError) as refused:
        write(cancelled)
    assert refused.value.code == "cancelled"
    with pytest.raises(ValidationError):
        services.cancel_meeting(meeting=cancelled, actor=person("leader"), reason="again")
    assert not Minutes.objects.exists()


def test_moving_and_cancelling_through_the_api(client, plc):
    meeting = schedule(plc, starts_at=future())
    login(client, "teacher")
    url = f"/api/v1/meetings/{meeting.pk}"
    body = {"starts_at": "2020-10-01T12:00:00Z", "place": "Зал", "reason": "Перенос"}
    assert client.post(f"{url}/move/", body, content_type="application/json").status_code == 403
    login(client, "leader")
    response = client.post(f"{url}/move/", body, content_type="application/json")
    assert response.status_code == 400 and "starts_at" in response.json()
    response = client.post(f"{url}/move/", body | {"confirm": True},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["sequence"] == 1 and data["place"] == "Зал"
    assert [c["kind"] for c in data["changes"]] == ["moved"]
    response = client.post(f"{url}/cancel/", {}, content_type="application/json")
    assert response.status_code == 400  # a reason is required
    response = client.post(f"{url}/cancel/", {"reason": "Карантин"},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert response.json()["sequence"] == 2
    # Cancelled: no longer moved, and no minutes.
    response = client.post(f"{url}/move/", body | {"confirm": True},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 403


def test_the_api_ticks_plan_items_covered_by_the_minutes(client, plan):
    october = plan.meetings.order_by("order").first()
    item = october.items.first()
    meeting = schedule(plan.community, starts_at=timezone.now() - dt.timedelta(hours=2),
                       planned=october)  # fmt: skip
    login(client, "leader")
    body = {"questions": [{"title": "Вопрос"}], "covered_items": [item.pk]}
    response = client.put(f"/api/v1/meetings/{meeting.pk}/minutes/", body,
                          content_type="application/json")  # fmt: skip
    assert response.status_code == 200, response.content
    assert response.json()["minutes"]["covered_items"] == [item.pk]
    item.refresh_from_db()
    assert item.done


def test_a_meeting_held_from_an_earlier_revision_counts_on_the_new_one(client, plan):
    october = plan.meetings.order_by("order").first()
    held = schedule(plan.community, starts_at=local(plan.school_year, 10, 20), planned=october)
    services.sign_minutes(minutes=write(held), actor=person("leader"))
    revision = planning_services.start_revision(plan=plan, actor=person("leader"))
    Plan.objects.filter(pk=revision.pk).update(status=Plan.Status.APPROVED)
    login(client, "leader")
    rows = client.get(f"/plans/{revision.pk}/").context["meeting_rows"]
    copy = next(r for r in rows if r.planned.month == 10)
    assert copy.planned.pk != october.pk
    assert copy.state == MeetingState.HELD and copy.meetings[0].url == f"/meetings/{held.pk}/"
