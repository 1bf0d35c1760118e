from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import CheckboxInput
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from communities.models import Community
from communities.permissions import can_view_members
from communities.selectors import administered_communities
from communities.shortcuts import community_with_members_or_403
from core.documents import DOCX, ICS, PDF, XLSX, attachment
from core.downloads import serve_upload
from core.forms import apply_errors, flash_errors
from core.text import parse_id
from core.views import paginate
from people.models import Person
from planning import permissions as planning_permissions
from planning.models import AgendaItem, PlannedMeeting
from planning.shortcuts import plan_or_403

from . import cadence, documents, permissions, selectors, services
from .forms import (
    ROW_KINDS,
    AddendumForm,
    AttachmentForm,
    CancelForm,
    DecisionUpdateForm,
    MeetingForm,
    MinutesEditor,
    MoveForm,
    ReplyForm,
    RowChoices,
    SecretaryForm,
    blank_row,
)
from .models import Attachment, CalendarFeed, Decision, Meeting


def _community(request, pk) -> Community:
    return community_with_members_or_403(request.user, pk)


def _meeting(request, pk) -> Meeting:
    try:
        meeting = selectors.meeting_detail(pk)
    except Meeting.DoesNotExist as exc:
        raise Http404 from exc
    if not permissions.can_view(request.user, meeting):
        raise PermissionDenied
    return meeting


def _members(community):
    return Person.objects.filter(memberships__community=community).order_by(
        "last_name", "first_name"
    )


def _ask_to_confirm(form, exc: ValidationError) -> None:
    """The service refused an unconfirmed time (e.g. it passed meanwhile): offer the checkbox."""
    codes = [e.code for errors in getattr(exc, "error_dict", {}).values() for e in errors]
    if services.CONFIRM in codes:
        form.fields["confirm"].widget = CheckboxInput()


@login_required
@require_safe
def meeting_list(request, community_pk):
    community = _community(request, community_pk)
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "community": community,
            "page": paginate(request, selectors.meetings_of(community)),
            "can_schedule": permissions.can_schedule(request.user, community),
        },
    )


@login_required
def meeting_create(request, community_pk):
    community = _community(request, community_pk)
    if not permissions.can_schedule(request.user, community):
        raise PermissionDenied
    planned = PlannedMeeting.objects.filter(
        plan__community=community, plan__status="approved"
    ).select_related("plan")
    initial = {"chair": community.leader_id}
    planned_pk = request.GET.get("planned", "")
    if parse_id(planned_pk) is not None:
        chosen = planned.filter(pk=parse_id(planned_pk)).first()
        if chosen:
            initial |= {"planned": chosen.pk, "title": chosen.title}
    form = MeetingForm(
        request.POST or None, initial=initial, members=_members(community), planned=planned
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        confirmed = data.pop("confirm", False)
        try:
            meeting = services.schedule_meeting(
                community=community, actor=request.user, confirmed=confirmed, **data
            )
        except ValidationError as exc:
            _ask_to_confirm(form, exc)
            apply_errors(form, exc)
        except services.AlreadyScheduled as repeat:
            messages.info(request, _("This form was already sent; the meeting is scheduled once."))
            return redirect("meetings:detail", repeat.meeting.pk)
        else:
            messages.success(request, _("The meeting is scheduled; members are invited."))
            return redirect("meetings:detail", meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form, "community": community})


@login_required
@require_safe
def meeting_detail(request, pk):
    meeting = _meeting(request, pk)
    user = request.user
    minutes = getattr(meeting, "minutes", None)
    participants = list(meeting.participants.all())
    mine = next((p for p in participants if p.person_id == user.pk), None)
    can_write = permissions.can_write_minutes(user, meeting)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "community": meeting.community,
            "minutes": minutes,
            "participants": participants,
            "my_participation": mine,
            "can_reply": permissions.can_reply(user, meeting),
            "can_write": can_write
            and meeting.status != Meeting.Status.CANCELLED
            and not (minutes and minutes.is_signed),
            "can_sign": minutes is not None and not minutes.is_signed and can_write,
            "can_add_addendum": minutes is not None and minutes.is_signed and can_write,
            "can_move": permissions.can_move(user, meeting),
            "can_cancel": permissions.can_cancel(user, meeting),
            "can_agree_time": permissions.can_agree_time(user, meeting),
            "reply_form": ReplyForm(initial={"reply": mine.reply if mine else None}),
            "addendum_form": AddendumForm(),
            "cancel_form": CancelForm(),
            "started": meeting.starts_at <= timezone.now(),
        },
    )


@login_required
@require_POST
def meeting_reply(request, pk):
    meeting = _meeting(request, pk)
    if not permissions.can_reply(request.user, meeting):
        raise PermissionDenied
    form = ReplyForm(request.POST)
    if form.is_valid():
        services.reply(meeting=meeting, person=request.user, answer=form.cleaned_data["reply"])
        messages.success(request, _("Your reply has been saved."))
    else:
        flash_errors(request, form)
    return redirect("meetings:detail", meeting.pk)


@login_required
def meeting_move(request, pk):
    """Another time or place for a scheduled meeting, with the reason the invited are told."""
    meeting = _meeting(request, pk)
    if not permissions.can_move(request.user, meeting):
        raise PermissionDenied
    initial = {
        "starts_at": timezone.localtime(meeting.starts_at),
        "ends_at": timezone.localtime(meeting.ends_at) if meeting.ends_at else None,
        "place": meeting.place,
        "online_url": meeting.online_url,
    }
    form = MoveForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        confirmed = data.pop("confirm", False)
        try:
            services.move_meeting(meeting=meeting, actor=request.user, confirmed=confirmed, **data)
        except ValidationError as exc:
            _ask_to_confirm(form, exc)
            apply_errors(form, exc)
        else:
            messages.success(request, _("The meeting has been moved; the invited are told."))
            return redirect("meetings:detail", meeting.pk)
    return render(request, "meetings/meeting_move.html", {"form": form, "meeting": meeting})


@login_required
@require_POST
def meeting_agree_time(request, pk):
    """The deputy director agrees the time and place the leader set (004 §3.3)."""
    meeting = _meeting(request, pk)
    try:
        services.agree_meeting_time(meeting=meeting, actor=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("The time and place of the meeting are agreed."))
    return redirect("meetings:detail", meeting.pk)


@login_required
@require_POST
def meeting_cancel(request, pk):
    meeting = _meeting(request, pk)
    if not permissions.can_cancel(request.user, meeting):
        raise PermissionDenied
    form = CancelForm(request.POST)
    if not form.is_valid():
        flash_errors(request, form)
        return redirect("meetings:detail", meeting.pk)
    try:
        services.cancel_meeting(
            meeting=meeting, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("The meeting has been cancelled; the invited are told."))
    return redirect("meetings:detail", meeting.pk)


def _minutes_closed(request, meeting: Meeting) -> str | None:
    """Why the minutes of the meeting cannot be edited (signed, cancelled), or None; 403 for
    someone who may not write them."""
    if not permissions.can_write_minutes(request.user, meeting):
        raise PermissionDenied
    minutes = getattr(meeting, "minutes", None)
    if minutes is not None and minutes.is_signed:
        return _("These minutes are signed; corrections go in as addenda.")
    if meeting.status == Meeting.Status.CANCELLED:
        return _("This meeting is cancelled; it has no minutes.")
    return None


def _invited(meeting: Meeting):
    return Person.objects.filter(meeting_invitations__meeting=meeting).order_by(
        "last_name", "first_name"
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def minutes_edit(request, pk):
    meeting = _meeting(request, pk)
    minutes = getattr(meeting, "minutes", None)
    closed = _minutes_closed(request, meeting)
    if closed:
        messages.error(request, closed)
        return redirect("meetings:detail", meeting.pk)
    if not permissions.minutes_open(meeting):
        # Before the start the page says from when; nothing is written.
        return render(request, "meetings/minutes_form.html", {"meeting": meeting, "opens": True})
    # The plan's items this meeting holds, to tick from the minutes where the plan allows.
    plan_items = []
    if meeting.planned_id:
        plan = meeting.planned.plan
        plan.community = meeting.community  # the same community (schedule_meeting checks it)
        if planning_permissions.may_mark_done(request.user, plan):
            plan_items = list(meeting.planned.items.all())
    posted = request.method == "POST"
    data = request.POST if posted else None
    people = list(_invited(meeting))
    editor = MinutesEditor(meeting, people, data)
    chosen = minutes.secretary_id if minutes else selectors.usual_secretary(meeting)
    secretary = SecretaryForm(data, people=_invited(meeting), initial={"secretary": chosen})
    secretary.fields["secretary"].choices = editor.choices.people
    participants = list(meeting.participants.all())
    errors: list[tuple[str, str, str]] = []
    # 0 stands for "no minutes yet", so a first save also notices minutes written meanwhile;
    # a refused save keeps the version it was read at, or a second click would overwrite.
    version = minutes.version if minutes is not None else 0
    if posted:
        version = parse_id(request.POST.get("version", ""))
    add = request.POST.get("add", "") if posted else ""
    if add:  # a row added without JavaScript: the page again, unsaved
        editor.add(add)
        secretary = SecretaryForm(
            people=_invited(meeting), initial={"secretary": request.POST.get("secretary")}
        )
        secretary.fields["secretary"].choices = editor.choices.people
    elif posted and all([editor.is_valid(), secretary.is_valid()]):
        attended = [parse_id(v) for v in request.POST.getlist("attended") if parse_id(v)]
        covered = None
        if plan_items:
            covered = [parse_id(v) for v in request.POST.getlist("covered") if parse_id(v)]
        try:
            services.write_minutes(
                meeting=meeting,
                version=version,
                attended=attended,
                questions=editor.question_rows(),
                decisions=editor.decision_rows(),
                actor=request.user,
                covered_items=covered,
                secretary=secretary.cleaned_data["secretary"],
            )
        except ValidationError as exc:
            errors = [("", message, "") for message in exc.messages]
        else:
            messages.success(request, _("The minutes have been saved."))
            return redirect("meetings:detail", meeting.pk)
    if posted and not add:
        errors = editor.errors() + errors
    if posted:
        covered_ids = {parse_id(v) for v in request.POST.getlist("covered")}
        attended_ids = {parse_id(v) for v in request.POST.getlist("attended")}
    else:
        covered_ids = {i.pk for i in minutes.covered_items.all()} if minutes else set()
        attended_ids = {p.person_id for p in participants if p.attended}
    return render(
        request,
        "meetings/minutes_form.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "participants": participants,
            "attended_ids": attended_ids,
            "editor": editor,
            "secretary": secretary,
            "errors": errors,
            "version": "" if version is None else version,
            "plan_items": plan_items,
            "covered_ids": covered_ids,
        },
    )


@login_required
@require_safe
def minutes_row(request, pk):
    """One blank row of the minutes page (a question or a decision), for its "add" buttons to
    insert in place."""
    meeting = _meeting(request, pk)
    if _minutes_closed(request, meeting) or not permissions.minutes_open(meeting):
        raise PermissionDenied  # signed, cancelled or not begun: no rows to add
    kind = request.GET.get("add", "")
    if kind not in ROW_KINDS:
        return HttpResponseBadRequest()
    titles = [q.title for q in meeting.questions.all()]
    choices = RowChoices.build(_invited(meeting), titles)
    return render(
        request, f"meetings/_{kind}_row.html", {"meeting": meeting, "row": blank_row(kind, choices)}
    )


@login_required
@require_POST
def minutes_sign(request, pk):
    meeting = _meeting(request, pk)
    minutes = getattr(meeting, "minutes", None)
    if minutes is None or not permissions.can_write_minutes(request.user, meeting):
        raise PermissionDenied
    try:
        services.sign_minutes(minutes=minutes, actor=request.user)
        messages.success(request, _("The minutes are signed."))
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect("meetings:detail", meeting.pk)


@login_required
@require_POST
def minutes_addendum(request, pk):
    meeting = _meeting(request, pk)
    minutes = getattr(meeting, "minutes", None)
    if minutes is None or not permissions.can_write_minutes(request.user, meeting):
        raise PermissionDenied
    form = AddendumForm(request.POST)
    if form.is_valid():
        try:
            services.add_addendum(minutes=minutes, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The addendum has been added."))
        except ValidationError as exc:
            flash_errors(request, exc)
    else:
        flash_errors(request, form)
    return redirect("meetings:detail", meeting.pk)


@login_required
def decision_detail(request, pk):
    decision = get_object_or_404(
        Decision.objects.select_related("community__kind", "community__territory", "meeting"),
        pk=pk,
    )
    if not permissions.can_view_decision(request.user, decision):
        raise PermissionDenied
    can_update = permissions.can_update_decision(request.user, decision)
    form = DecisionUpdateForm(
        request.POST or None, initial={"status": decision.status, "evidence": decision.evidence}
    )
    attachment_form = AttachmentForm()
    if request.method == "POST":
        if not can_update:
            raise PermissionDenied
        if "attach" in request.POST:
            attachment_form = AttachmentForm(request.POST, request.FILES)
            if attachment_form.is_valid():
                try:
                    services.attach(
                        actor=request.user, decision=decision, **attachment_form.cleaned_data
                    )
                except ValidationError as exc:
                    apply_errors(attachment_form, exc)
                else:
                    messages.success(request, _("The evidence has been attached."))
                    return redirect("meetings:decision", decision.pk)
        elif form.is_valid():
            try:
                services.update_decision(decision=decision, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("meetings:decision", decision.pk)
    return render(
        request,
        "meetings/decision_detail.html",
        {
            "decision": decision,
            "form": form,
            "attachment_form": attachment_form,
            "can_update": can_update,
            "attachments": decision.attachments.all(),
        },
    )


@login_required
@require_safe
def my_decisions(request):
    return render(
        request,
        "meetings/decision_list.html",
        {"page": paginate(request, selectors.decisions_for(request.user)), "mine": True},
    )


@login_required
@require_safe
def community_decisions(request, community_pk):
    community = _community(request, community_pk)
    show_all = request.GET.get("all") == "1"
    qs = selectors.decisions_of(community) if show_all else selectors.open_decisions_of(community)
    return render(
        request,
        "meetings/decision_list.html",
        {"page": paginate(request, qs), "community": community, "show_all": show_all},
    )


@login_required
@require_safe
def minutes_export(request, pk, fmt):
    meeting = _meeting(request, pk)
    if getattr(meeting, "minutes", None) is None:
        raise Http404
    name = f"minutes-{meeting.community_id}-{meeting.minutes.school_year}-{meeting.minutes.number}"
    if fmt == "docx":
        return attachment(documents.minutes_docx(meeting), DOCX, f"{name}.docx")
    return attachment(documents.minutes_pdf(meeting), PDF, f"{name}.pdf")


@login_required
@require_safe
def decisions_export(request, community_pk):
    community = _community(request, community_pk)
    title = _("Decisions of «%(community)s», %(date)s") % {
        "community": community.name,
        "date": timezone.localdate().strftime("%d.%m.%Y"),
    }
    content = documents.decisions_xlsx(selectors.decisions_of(community), title)
    return attachment(content, XLSX, f"decisions-{community.pk}.xlsx")


@login_required
def calendar_links(request):
    """The person's private calendar link and those of their communities, with renewal."""
    community = None
    community_pk = request.POST.get("community") or request.GET.get("community")
    if parse_id(community_pk) is not None:
        community = _community(request, parse_id(community_pk))
    if request.method == "POST":
        services.calendar_feed(owner=request.user, community=community, renew=True)
        messages.success(request, _("A new link is made; the old one no longer works."))
    feed = services.calendar_feed(owner=request.user, community=community)
    url = request.build_absolute_uri(f"/calendar/{feed.token}.ics")
    return render(
        request, "meetings/calendar.html", {"feed": feed, "url": url, "community": community}
    )


@require_safe
def calendar_feed(request, token):
    """The feed itself: no login, the unguessable token is the key (calendar apps can't log in)."""
    feed = CalendarFeed.objects.select_related("community", "owner").filter(token=token).first()
    if feed is None or not feed.owner.is_active:
        raise Http404
    if feed.community and not can_view_members(feed.owner, feed.community):
        raise Http404  # the owner has lost access since the link was made
    name = feed.community.name if feed.community else feed.owner.full_name
    content = documents.calendar_ics(
        selectors.feed_meetings(feed), f"Collegium — {name}", request.build_absolute_uri("/")[:-1]
    )
    response = HttpResponse(content, content_type=ICS)
    response["Content-Disposition"] = 'inline; filename="collegium.ics"'
    return response


@login_required
@require_safe
def behind(request):
    """Every community the user administers that is behind its kind's meeting cadence."""
    qs = cadence.behind_in_sql(administered_communities(request.user))
    qs = qs.select_related("kind", "organisation", "network", "territory").order_by("name", "id")
    return render(request, "meetings/behind.html", {"page": paginate(request, qs)})


@login_required
@require_safe
def attachment_file(request, pk):
    """A file of evidence, to those who may see the decision or plan it belongs to."""
    attachment = get_object_or_404(
        Attachment.objects.select_related(
            "decision__community__kind",
            "decision__community__territory",
            "plan_item__meeting__plan__community__kind",
            "plan_item__meeting__plan__community__territory",
        ),
        pk=pk,
    )
    if not permissions.can_view_attachment(request.user, attachment):
        raise PermissionDenied
    return serve_upload(attachment.file, filename=attachment.original_name)


@login_required
def plan_item_evidence(request, item_pk):
    """Evidence of one plan item: the protocol, presentation, certificates it promised.

    Evidence is a meeting attachment, so the page is served here; it keeps its route in the
    planning namespace (planning:item_evidence, wired in collegium/urls.py).
    """
    item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=item_pk)
    plan = plan_or_403(request.user, item.meeting.plan_id)
    can_attach = planning_permissions.can_create(request.user, plan.community)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_attach:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.attach(actor=request.user, plan_item=item, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The evidence has been attached."))
                return redirect("planning:item_evidence", item.pk)
    return render(
        request,
        "meetings/plan_item_evidence.html",
        {
            "plan": plan,
            "item": item,
            "attachments": item.attachments.all(),
            "form": form,
            "can_attach": can_attach,
        },
    )
