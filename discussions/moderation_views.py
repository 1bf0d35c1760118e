"""Moderation pages of the discussions (003 app. 2 §4.2.7): reports, the moderators' queue and
log, hiding and restoring, closing for comments, muting, the code of conduct. The policy is in
discussions.permissions, the writes in discussions.services."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from communities.models import Community
from core.forms import apply_errors, flash_errors
from core.text import parse_id
from core.views import in_page_action, paginate
from people.models import Person

from . import permissions, selectors, services
from .forms import ConductForm, MuteForm, ReasonForm, ReportForm
from .models import Mute, Report, Target, community_of
from .views import community_or_404


def item_url(item) -> str:
    """Where a post, comment, topic, reply or chat line is shown."""
    target = services._target_of(item)
    if target == Target.POST:
        return reverse("discussions:detail", args=[item.pk])
    if target == Target.COMMENT:
        return reverse("discussions:detail", args=[item.post_id]) + f"#comment-{item.pk}"
    if target == Target.TOPIC:
        return reverse("discussions:topic", args=[item.pk])
    if target == Target.CHAT:
        return selectors.chat_line_url(item.community_id, item.pk)
    return reverse("discussions:topic", args=[item.topic_id]) + f"#reply-{item.pk}"


def _item(target: str, pk: int):
    if target not in Target.values:
        raise Http404
    try:
        return selectors.moderation_item(target, pk)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def _back(request, fallback: str):
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


def _community_filter(request) -> int | None:
    return parse_id(request.GET.get("community"))


@login_required
@require_http_methods(["GET", "POST"])
def report(request, target, pk):
    item = _item(target, pk)
    community = community_of(item)
    if not permissions.can_report(request.user, item, community):
        raise PermissionDenied
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report(
                actor=request.user, item=item, reason=form.cleaned_data["reason"],
                text=form.cleaned_data["text"],
            )  # fmt: skip
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Thank you: the moderators will look at your report."))
            return redirect(item_url(item))
    return render(
        request,
        "discussions/report_form.html",
        {"form": form, "item": item, "community": community, "back": item_url(item)},
    )


def _with_reason(request, item, may, act, success: str):
    """A moderator's step on an item, refused unless the policy allows it, with its reason."""
    if not may(request.user, item, community_of(item)):
        raise PermissionDenied
    return in_page_action(
        request,
        ReasonForm(request.POST),
        lambda data: act(actor=request.user, item=item, reason=data["reason"]),
        success=success,
        back=_back(request, item_url(item)),
    )


@login_required
@require_POST
def hide(request, target, pk):
    return _with_reason(
        request,
        _item(target, pk),
        permissions.can_hide,
        services.hide,
        _("Hidden; the author is told why."),
    )


@login_required
@require_POST
def restore(request, target, pk):
    return _with_reason(
        request,
        _item(target, pk),
        permissions.can_restore,
        services.restore,
        _("Restored; the author is told."),
    )


@login_required
@require_POST
def lock(request, target, pk):
    """Close a post or topic for new comments, or open it again: the button flips the state."""
    if target not in (Target.POST, Target.TOPIC):
        raise Http404
    item = _item(target, pk)
    locked = not item.locked
    return _with_reason(
        request,
        item,
        permissions.can_lock,
        partial(services.set_locked, locked=locked),
        _("Closed for new comments.") if locked else _("Open for new comments again."),
    )


@login_required
@require_safe
def queue(request):
    user = request.user
    if not permissions.can_open_queue(user):
        raise PermissionDenied
    community_id = _community_filter(request)
    page = paginate(request, selectors.moderation_queue(user, community_id))
    rows = [{"report": r, "item": r.item, "url": item_url(r.item)} for r in page]
    return render(
        request,
        "discussions/moderation_queue.html",
        {
            "page": page,
            "rows": rows,
            "community": Community.objects.filter(pk=community_id).first()
            if community_id
            else None,
            "reason_form": ReasonForm(),
        },
    )


@login_required
@require_POST
def dismiss(request, pk):
    report = get_object_or_404(
        Report.objects.select_related("community__kind", "community__territory"), pk=pk
    )
    if not permissions.can_dismiss(request.user, report):
        raise PermissionDenied
    try:
        services.dismiss_report(
            actor=request.user, report=report, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("The report is dismissed."))
    return _back(request, reverse("discussions:moderation"))


@login_required
@require_safe
def log(request):
    community_id = _community_filter(request)
    return render(
        request,
        "discussions/moderation_log.html",
        {"page": paginate(request, selectors.moderation_log(request.user, community_id))},
    )


@require_safe
def conduct(request, pk):
    community = community_or_404(pk)
    if not permissions.can_open_feed(request.user, community):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    html, default = selectors.code_of_conduct(community)
    return render(
        request,
        "discussions/conduct.html",
        {
            "community": community,
            "conduct_html": html,
            "default": default,
            "can_edit": permissions.can_edit_conduct(request.user, community),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def conduct_edit(request, pk):
    community = community_or_404(pk)
    if not permissions.can_edit_conduct(request.user, community):
        raise PermissionDenied
    form = ConductForm(
        request.POST or None, initial={"body": selectors.code_of_conduct_text(community)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_code_of_conduct(
                actor=request.user, community=community, body=form.cleaned_data["body"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The code of conduct is saved."))
            return redirect("discussions:conduct", community.pk)
    return render(request, "discussions/conduct_form.html", {"form": form, "community": community})


@login_required
@require_http_methods(["GET", "POST"])
def mutes(request, pk):
    """The community's muted members, and the form to mute one (`?person=<id>`)."""
    community = community_or_404(pk)
    user = request.user
    if not permissions.can_moderate(user, community):
        raise PermissionDenied
    form = None
    person = None
    person_id = parse_id(request.POST.get("person") or request.GET.get("person"))
    if person_id is not None:
        person = Person.objects.filter(pk=person_id, is_active=True).first()
        if person is not None and permissions.can_mute(user, community, person):
            form = MuteForm(request.POST or None, initial={"person": person.pk, "days": 1})
        elif request.method == "POST":
            raise PermissionDenied
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.mute(
                    actor=user, community=community, person=person,
                    days=form.cleaned_data["days"], reason=form.cleaned_data["reason"],
                )  # fmt: skip
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The member is muted; they are told why."))
                return redirect("discussions:mutes", community.pk)
    return render(
        request,
        "discussions/mutes.html",
        {
            "community": community,
            "page": paginate(request, selectors.active_mutes(community)),
            "form": form,
            "person": person,
            "reason_form": ReasonForm(),
        },
    )


@login_required
@require_POST
def unmute(request, pk):
    mute = get_object_or_404(
        Mute.objects.select_related("community__kind", "community__territory"), pk=pk
    )
    if mute.lifted_at is not None or not permissions.can_moderate(request.user, mute.community):
        raise PermissionDenied
    return in_page_action(
        request,
        ReasonForm(request.POST),
        lambda data: services.unmute(actor=request.user, mute=mute, reason=data["reason"]),
        success=_("The member may write again."),
        back=redirect("discussions:mutes", mute.community_id),
    )
