"""Pages of events: the region's calendar, the event, organising, registration, attendance."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.documents import DOCX, ICS, PDF, XLSX, attachment
from core.downloads import serve_upload
from core.forms import apply_errors, flash_errors
from core.views import paginate
from meetings.models import CalendarFeed

from . import attendance, documents, permissions, selectors, services
from .filters import EventFilter
from .forms import (
    AnalysisForm,
    CancelForm,
    EventForm,
    FeedbackForm,
    MaterialForm,
    ProgrammeFormSet,
    ProtocolFormSet,
)
from .models import Event, Material, Registration


def _event(request, pk) -> Event:
    try:
        event = selectors.event_detail(pk)
    except Event.DoesNotExist as exc:
        raise Http404 from exc
    if not permissions.can_view(request.user, event):
        if not request.user.is_authenticated:
            raise Http404
        raise PermissionDenied
    return event


def _managed(request, pk, check) -> Event:
    event = _event(request, pk)
    if not check(request.user, event):
        raise PermissionDenied
    return event


@require_safe
def event_list(request):
    """The region's events calendar: what the person may see, filtered."""
    filterset = EventFilter(
        request.GET or None, queryset=selectors.visible_events(request.user), request=request
    )
    qs = filterset.qs.order_by("starts_at", "id") if filterset.is_bound else filterset.queryset
    if not filterset.is_bound:
        qs = qs.order_by("starts_at", "id")
    template = "events/_event_rows.html" if request.htmx else "events/event_list.html"
    page = paginate(request, qs)
    page.object_list = selectors.with_taken(page.object_list)
    return render(
        request,
        template,
        {
            "page": page,
            "form": filterset.form,
            "can_create": permissions.can_create_any(request.user),
            "query": request.GET.urlencode(),
        },
    )


@require_safe
def event_detail(request, pk):
    event = _event(request, pk)
    user = request.user
    registration = selectors.registration_of(user, event)
    manages = permissions.may_manage(user, event)
    context = {
        "event": event,
        "registration": registration,
        "waiting_place": services.waiting_place(registration) if registration else None,
        "programme": event.programme.select_related("speaker"),
        "materials": event.materials.all(),
        "children": event.children.select_related("kind").order_by("starts_at", "id")
        if event.kind.is_series
        else [],
        "taken": selectors.taken_places(event),
        "manages": manages,
        "can_register": permissions.can_register(user, event),
        "can_cancel_registration": permissions.can_cancel_registration(user, event),
        "can_edit": manages and permissions.can_edit(user, event),
        "can_announce": manages and permissions.can_announce(user, event),
        "can_cancel": manages and permissions.can_cancel(user, event),
        "can_mark": manages and permissions.can_mark_attendance(user, event),
        "can_analyse": manages and permissions.can_analyse(user, event),
        "can_report": manages and permissions.can_download_report(user, event),
        "can_protocol": permissions.can_download_protocol(user, event),
        "can_feedback": permissions.can_leave_feedback(user, event),
        "feedback": selectors.feedback_summary(event) if manages else None,
        "protocol": event.protocol.all() if event.kind.has_protocol else [],
        "in_audience": permissions.in_audience(user, event),
    }
    return render(request, "events/event_detail.html", context)


def _programme_rows(formset) -> list[dict]:
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or not (data.get("title") or "").strip():
            if data and data.get("id"):
                continue  # an emptied kept row is removed
            continue
        row = {
            "time": data.get("time"),
            "title": data["title"],
            "speaker": data.get("speaker"),
            "speaker_name": data.get("speaker_name") or "",
        }
        if data.get("id"):
            row["id"] = data["id"]
        rows.append(row)
    return rows


def _save_event_form(request, form, formset, event: Event | None):
    data = dict(form.cleaned_data)
    organiser = data.pop("organiser", {})
    rows = _programme_rows(formset)
    if event is None:
        event = services.create_event(actor=request.user, **organiser, **data)
    else:
        services.update_event(actor=request.user, event=event, **data)
    services.save_programme(actor=request.user, event=event, rows=rows)
    return event


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_create(request):
    if not permissions.can_create_any(request.user):
        raise PermissionDenied
    return _event_form(request, None)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_edit(request, pk):
    event = _managed(request, pk, permissions.can_edit)
    return _event_form(request, event)


def _event_form(request, event: Event | None):
    from django.db import transaction

    initial = {}
    programme_initial = []
    if event is not None:
        initial = {
            name: getattr(event, name)
            for name in (
                "kind", "title", "description", "subject", "audience", "starts_at", "ends_at",
                "place", "online_url", "capacity", "parent", "agenda_item",
            )
        }  # fmt: skip
        programme_initial = [
            {
                "id": p.pk,
                "time": p.time,
                "title": p.title,
                "speaker": p.speaker_id,
                "speaker_name": p.speaker_name,
            }
            for p in event.programme.all()
        ]
    elif request.GET.get("parent", "").isdigit():
        initial["parent"] = int(request.GET["parent"])
    form = EventForm(request.POST or None, user=request.user, event=event, initial=initial)
    formset = ProgrammeFormSet(
        request.POST or None, prefix="programme", initial=programme_initial or None
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            with transaction.atomic():
                saved = _save_event_form(request, form, formset, event)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The event is saved."))
            return redirect("events:detail", saved.pk)
    return render(
        request, "events/event_form.html", {"form": form, "formset": formset, "event": event}
    )


@login_required
@require_POST
def event_announce(request, pk):
    event = _managed(request, pk, permissions.can_announce)
    services.announce_event(actor=request.user, event=event)
    messages.success(request, _("The event is announced to its audience."))
    return redirect("events:detail", event.pk)


@login_required
@require_POST
def event_cancel(request, pk):
    event = _managed(request, pk, permissions.can_cancel)
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    services.cancel_event(actor=request.user, event=event, reason=reason)
    messages.success(request, _("The event is cancelled; those registered are told."))
    return redirect("events:detail", event.pk)


@login_required
@require_POST
def register(request, pk):
    event = _event(request, pk)
    existing = selectors.registration_of(request.user, event)
    if not (existing and existing.status in permissions.ACTIVE):
        if not permissions.can_register(request.user, event):
            raise PermissionDenied
    registration = services.register(actor=request.user, event=event)
    if registration.status == Registration.Status.WAITLISTED:
        messages.info(
            request,
            _("All places are taken: you are number %(n)s on the waiting list.")
            % {"n": services.waiting_place(registration)},
        )
    else:
        messages.success(request, _("You are registered."))
    return redirect("events:detail", event.pk)


@login_required
@require_POST
def unregister(request, pk):
    event = _managed(request, pk, permissions.can_cancel_registration)
    services.cancel_registration(actor=request.user, event=event)
    messages.success(request, _("Your registration is cancelled."))
    return redirect("events:detail", event.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def attendance_page(request, pk):
    """The organiser's tick list of the registered, the rotating QR code, arrivals live."""
    event = _managed(request, pk, permissions.can_mark_attendance)
    if request.method == "POST":
        present = [v for v in request.POST.getlist("present") if v.isdigit()]
        count = services.mark_attendance(actor=request.user, event=event, present=present)
        messages.success(request, _("Attendance saved: %(n)s present.") % {"n": count})
        return redirect("events:attendance", event.pk)
    return render(
        request,
        "events/attendance.html",
        {
            "event": event,
            "page": paginate(request, selectors.registrations(event), per_page=200),
            "can_close": permissions.can_close_attendance(request.user, event),
            **_qr_context(request, event),
        },
    )


def _qr_context(request, event: Event) -> dict:
    url = request.build_absolute_uri(
        reverse("events:check_in", args=[event.pk]) + f"?code={attendance.current_code(event)}"
    )
    qr = segno.make(url, error="m")
    return {
        "qr_svg": qr.svg_inline(scale=6, title=_("Attendance code")),
        "qr_url": url,
        "seconds_left": attendance.seconds_left(),
        "arrivals": selectors.arrivals(event)[:50],
        "present_count": selectors.arrivals(event).count(),
    }


@login_required
@require_safe
def attendance_live(request, pk):
    """The QR code of the current window and the arrivals so far (the organiser's page polls)."""
    event = _managed(request, pk, permissions.can_mark_attendance)
    return render(
        request, "events/_attendance_live.html", {"event": event, **_qr_context(request, event)}
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def check_in(request, pk):
    """The participant scanned the organiser's code: marked present while the code is current.
    Only the signed-in person marks themselves, so opening the link is the action."""
    event = _event(request, pk)
    error = None
    registration = None
    try:
        registration = services.check_in(
            actor=request.user, event=event, code=request.GET.get("code", "")[:100]
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    status = 200 if error is None else 400
    return render(
        request,
        "events/check_in.html",
        {"event": event, "error": error, "registration": registration},
        status=status,
    )


@login_required
@require_POST
def close_attendance(request, pk):
    event = _managed(request, pk, permissions.can_close_attendance)
    services.close_attendance(actor=request.user, event=event)
    messages.success(request, _("The event is marked held; participants are asked for feedback."))
    return redirect("events:detail", event.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def feedback(request, pk):
    event = _managed(request, pk, permissions.can_leave_feedback)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.leave_feedback(actor=request.user, event=event, **form.cleaned_data)
        messages.success(request, _("Thank you for your feedback."))
        return redirect("events:detail", event.pk)
    return render(request, "events/feedback.html", {"event": event, "form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def analysis(request, pk):
    """The organiser's analysis (or a decade's final report), photos and materials."""
    event = _managed(request, pk, permissions.can_analyse)
    form = AnalysisForm(request.POST or None, initial={"analysis": event.analysis})
    if request.method == "POST" and form.is_valid():
        services.save_analysis(actor=request.user, event=event, **form.cleaned_data)
        messages.success(request, _("The analysis is saved."))
        return redirect("events:detail", event.pk)
    return render(
        request,
        "events/analysis.html",
        {
            "event": event,
            "form": form,
            "material_form": MaterialForm(),
            "materials": event.materials.all(),
            "feedback": selectors.feedback_summary(event),
            "comments": event.feedback.exclude(comment="").order_by("-created_at")[:100],
        },
    )


@login_required
@require_POST
def material_add(request, pk):
    event = _managed(request, pk, permissions.can_analyse)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_material(actor=request.user, event=event, **form.cleaned_data)
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("The material is added."))
    else:
        flash_errors(request, form)
    return redirect("events:analysis", event.pk)


@login_required
@require_POST
def material_remove(request, pk):
    material = get_object_or_404(Material.objects.select_related("event"), pk=pk)
    event = _managed(request, material.event_id, permissions.can_analyse)
    services.remove_material(actor=request.user, material=material)
    messages.success(request, _("The material is removed."))
    return redirect("events:analysis", event.pk)


@require_safe
def material_file(request, pk):
    material = get_object_or_404(Material, pk=pk)
    event = _event(request, material.event_id)
    del event
    return serve_upload(material.file)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def protocol(request, pk):
    event = _managed(request, pk, permissions.can_analyse)
    if not event.kind.has_protocol:
        raise Http404
    initial = [
        {
            "id": r.pk,
            "first_name": r.first_name,
            "initial": r.initial,
            "school_class": r.school_class,
            "score": r.score,
            "place": r.place,
        }
        for r in event.protocol.all()
    ]
    formset = ProtocolFormSet(request.POST or None, prefix="protocol", initial=initial or None)
    errors: list[str] = []
    if request.method == "POST" and formset.is_valid():
        rows = []
        for form in formset.forms:
            data = form.cleaned_data
            if not data or not any(data.get(k) not in (None, "") for k in data if k != "id"):
                continue
            row = {k: v for k, v in data.items() if k != "id"}
            if data.get("id"):
                row["id"] = data["id"]
            rows.append(row)
        try:
            services.save_protocol(actor=request.user, event=event, rows=rows)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("The protocol is saved."))
            return redirect("events:detail", event.pk)
    return render(
        request, "events/protocol.html", {"event": event, "formset": formset, "errors": errors}
    )


# The protocol's files: the table (XLSX) and the paper to edit or print and sign (DOCX, PDF).
PROTOCOL_FORMATS = {
    "xlsx": (documents.protocol_xlsx, XLSX),
    "docx": (documents.protocol_docx, DOCX),
    "pdf": (documents.protocol_pdf, PDF),
}


@require_safe
def protocol_download(request, pk, fmt):
    event = _event(request, pk)
    if not event.kind.has_protocol:
        raise Http404
    if not permissions.can_download_protocol(request.user, event):
        raise PermissionDenied
    build, content_type = PROTOCOL_FORMATS[fmt]
    return attachment(build(event), content_type, f"protocol-{event.pk}.{fmt}")


@login_required
@require_safe
def report_docx(request, pk):
    """The organiser's analysis (a decade's final report) with its figures, as DOCX."""
    event = _managed(request, pk, permissions.can_download_report)
    report = selectors.event_report(event)
    return attachment(documents.report_docx(report), DOCX, f"event-report-{event.pk}.docx")


@login_required
@require_safe
def report_pdf(request, pk):
    event = _managed(request, pk, permissions.can_download_report)
    report = selectors.event_report(event)
    return attachment(documents.report_pdf(report), PDF, f"event-report-{event.pk}.pdf")


@require_safe
def region_feed(request):
    """The calendar as iCalendar, with the page's filters; a calendar app is anonymous, so it
    gets the open events only."""
    filterset = EventFilter(
        request.GET or None, queryset=selectors.visible_events(request.user), request=request
    )
    events = filterset.qs.order_by("starts_at", "id")[:500]
    content = documents.calendar_ics(
        events, _("Collegium — events"), request.build_absolute_uri("/")[:-1]
    )
    response = HttpResponse(content, content_type=ICS)
    response["Content-Disposition"] = 'inline; filename="events.ics"'
    return response


@require_safe
def person_feed(request, token):
    """A person's registered events, by the private token of their calendar link."""
    feed = (
        CalendarFeed.objects.select_related("owner")
        .filter(token=token, community__isnull=True)
        .first()
    )
    if feed is None or not feed.owner.is_active:
        raise Http404
    events = selectors.person_events(feed.owner).order_by("starts_at", "id")[:500]
    content = documents.calendar_ics(
        events, f"Collegium — {feed.owner.full_name}", request.build_absolute_uri("/")[:-1]
    )
    response = HttpResponse(content, content_type=ICS)
    response["Content-Disposition"] = 'inline; filename="my-events.ics"'
    return response


@login_required
@require_safe
def my_events(request):
    """The person's registrations, with their private calendar link."""
    from meetings import services as meeting_services

    feed = meeting_services.calendar_feed(owner=request.user)
    return render(
        request,
        "events/my_events.html",
        {
            "page": paginate(
                request,
                Registration.objects.filter(person=request.user)
                .exclude(status=Registration.Status.CANCELLED)
                .select_related("event", "event__kind")
                .order_by("-event__starts_at", "-id"),
            ),
            "feed_url": request.build_absolute_uri(
                reverse("events:person_feed", args=[feed.token])
            ),
        },
    )
