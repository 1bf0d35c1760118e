import hashlib
from importlib import import_module

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from communities import permissions as community_permissions
from communities.models import Community
from communities.shortcuts import community_with_members_or_403
from core.documents import DOCX, PDF, attachment
from core.forms import apply_errors, flash_errors
from core.schoolyear import planning_year
from organisations.models import Network

from . import documents, permissions, selectors, services, signals, workflow
from .forms import (
    PlanCreateForm,
    PlanEditor,
    ResearchPlanForm,
    StepForm,
    blank_row,
    parse_add,
)
from .models import AgendaItem, Plan, Target
from .shortcuts import plan_or_403
from .workflow import Step


def _community(request, pk) -> Community:
    return community_with_members_or_403(request.user, pk)


def _plan(request, pk) -> Plan:
    return plan_or_403(request.user, pk)


@login_required
@require_safe
def plan_list(request, community_pk):
    community = _community(request, community_pk)
    return render(
        request,
        "planning/plan_list.html",
        {
            "community": community,
            "plans": selectors.plans_of(community),
            "can_create": permissions.can_create(request.user, community),
        },
    )


@login_required
def plan_create(request, community_pk):
    community = _community(request, community_pk)
    if not permissions.can_create(request.user, community):
        raise PermissionDenied
    initial = {"school_year": planning_year(timezone.localdate())}
    form = PlanCreateForm(
        request.POST or None, initial=initial, plans=selectors.plan_sources(community)
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.create_plan(
                community=community,
                school_year=form.cleaned_data["school_year"],
                copy_from=form.cleaned_data["copy_from"],
                actor=request.user,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("planning:edit", plan.pk)
    return render(request, "planning/plan_create.html", {"form": form, "community": community})


class ActualForm(forms.Form):
    """A target's actual value, entered on the approved plan's page (empty clears it)."""

    actual = forms.DecimalField(
        label=_l("actual"), max_digits=10, decimal_places=2, required=False, localize=True
    )


def _meeting_plan(request, plan: Plan) -> dict:
    """The plan's meetings with what became of them (from the meetings app, through
    signals.plan_page) and the progress that counts them."""
    extra = signals.plan_page.context(Plan, request=request, plan=plan)
    rows = selectors.meeting_rows(plan, extra.pop("held_meetings", {}), timezone.localdate())
    return {"meeting_rows": rows, "progress": selectors.progress(plan, rows), **extra}


@login_required
@require_safe
def plan_detail(request, pk):
    plan = _plan(request, pk)
    user = request.user
    approved = plan.status == Plan.Status.APPROVED
    context = {
        "plan": plan,
        "target_rows": selectors.target_rows(plan),
        "community": plan.community,
        **_meeting_plan(request, plan),
        "needs_agreement": workflow.needs_agreement(plan),
        "can_edit": permissions.can_edit(user, plan),
        "can_discuss": permissions.can_record_discussion(user, plan),
        "can_agree": permissions.can_agree(user, plan),
        "can_approve": permissions.can_approve(user, plan),
        "can_send_back": permissions.can_send_back(user, plan),
        "can_revise": permissions.can_revise(user, plan),
        "approved": approved,
        # Items are marked done and scheduled only once the plan is approved.
        "can_mark_items": approved and permissions.may_mark_done(user, plan),
        "can_schedule": approved and permissions.can_create(user, plan.community),
        "can_record_actual": permissions.may_record_actual(user, plan),
        "step_form": StepForm(),
        # A PLC's plan includes its teams' plans (002 #6); each shown to those who see the team.
        "team_plans": [
            p
            for p in selectors.team_plans(plan)
            if community_permissions.can_view(user, p.community)
        ],
    }
    return render(request, "planning/plan_detail.html", context)


def _editable(request, pk) -> Plan:
    plan = _plan(request, pk)
    if not permissions.can_edit(request.user, plan):
        raise PermissionDenied
    return plan


# A double submit (the Save button pressed twice) posts the same text twice: the second post
# carries the version the first one already used. The session remembers what each rendering of
# the form (its token) saved, so the repeat is answered as the save it repeats.
SAVED_KEY = "planning.saved_forms"


def _fingerprint(data) -> str:
    parts = sorted((k, v) for k in data for v in data.getlist(k) if k != "csrfmiddlewaretoken")
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _remember_saved(request, token: str, fingerprint: str) -> None:
    saved = dict(list(request.session.get(SAVED_KEY, {}).items())[-9:])
    saved[token] = fingerprint
    request.session[SAVED_KEY] = saved


def _saved_already(request, token: str, fingerprint: str) -> bool:
    if not token or request.session.session_key is None:
        return False
    # Read afresh: the first of two simultaneous posts saved it after this request began.
    store = import_module(settings.SESSION_ENGINE).SessionStore(request.session.session_key)
    return store.get(SAVED_KEY, {}).get(token) == fingerprint


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def plan_edit(request, pk):
    plan = _editable(request, pk)
    if request.method != "POST":
        editor = PlanEditor(plan)
    else:
        editor = PlanEditor(plan, request.POST)
        add, move = request.POST.get("add", ""), request.POST.get("move", "")
        if add or move:  # a row added or moved without JavaScript: the page again, unsaved
            editor.rearrange(add=add, move=move)
        elif editor.is_valid():
            token = editor.form.cleaned_data["token"]
            fingerprint = _fingerprint(request.POST)
            try:
                services.update_plan(
                    plan=plan,
                    version=editor.form.cleaned_data["version"],
                    fields=editor.fields,
                    targets=editor.target_rows(),
                    meetings=editor.meeting_rows(),
                )
            except ValidationError as exc:
                if getattr(exc, "code", None) != "stale" or not _saved_already(
                    request, token, fingerprint
                ):
                    editor.add_error(exc)
            else:
                if token:
                    _remember_saved(request, token, fingerprint)
            if not editor.errors():
                messages.success(request, _("The plan has been saved."))
                return redirect("planning:detail", plan.pk)
    return render(
        request,
        "planning/plan_form.html",
        {"plan": plan, "editor": editor, "form": editor.form, "errors": editor.errors()},
    )


@login_required
@require_safe
def plan_edit_row(request, pk):
    """One blank row of the edit page (target, meeting, or an agenda item of a meeting), for
    the page's "add" buttons to insert in place."""
    plan = _editable(request, pk)
    wanted = parse_add(request.GET.get("add", ""))
    if wanted is None:
        return HttpResponseBadRequest()
    kind, meeting_key = wanted
    return render(
        request,
        f"planning/_{kind}_row.html",
        {"plan": plan, "row": blank_row(kind), "meeting_key": meeting_key},
    )


# Each step of workflow.TRANSITIONS, the service that takes it and what its comment is called.
STEPS = {
    Step.DISCUSS: (services.record_discussion, "comment"),
    Step.AGREE: (services.agree, "comment"),
    Step.APPROVE: (services.approve, "comment"),
    Step.SEND_BACK: (services.send_back, "reason"),
    Step.REVISE: (services.start_revision, "comment"),
}


@login_required
@require_POST
def plan_step(request, pk, step):
    plan = _plan(request, pk)
    if step not in STEPS:
        raise Http404
    action, comment_arg = STEPS[step]
    if not permissions.may_take(request.user, plan, step):
        raise PermissionDenied
    form = StepForm(request.POST)
    form.is_valid()
    comment = form.cleaned_data.get("comment", "")
    try:
        result = action(plan=plan, actor=request.user, **{comment_arg: comment})
    except ValidationError as exc:
        flash_errors(request, exc)
        return redirect("planning:detail", plan.pk)
    messages.success(request, _("Done: %(status)s.") % {"status": result.get_status_display()})
    return redirect("planning:detail", result.pk)


@login_required
@require_POST
def item_done(request, item_pk):
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__plan"), pk=item_pk)
    plan = _plan(request, item.meeting.plan_id)
    if not permissions.may_mark_done(request.user, plan):
        raise PermissionDenied
    try:
        services.set_item_done(item=item, actor=request.user, done=request.POST.get("done") == "on")
    except ValidationError as exc:
        flash_errors(request, exc)
    if request.htmx:
        plan = selectors.plan_detail(plan.pk)
        return render(
            request, "planning/_progress.html", {"plan": plan, **_meeting_plan(request, plan)}
        )
    return redirect("planning:detail", plan.pk)


@login_required
@require_POST
def target_actual(request, target_pk):
    """Enter a target's actual value on the approved plan: a measurement, no revision."""
    target = get_object_or_404(Target.objects.select_related("plan"), pk=target_pk)
    plan = _plan(request, target.plan_id)
    if not permissions.may_record_actual(request.user, plan):
        raise PermissionDenied
    form = ActualForm(request.POST)
    if not form.is_valid():
        flash_errors(request, form)
        return redirect("planning:detail", plan.pk)
    try:
        services.record_actual(target=target, actor=request.user, value=form.cleaned_data["actual"])
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("The actual value has been saved."))
    return redirect(reverse("planning:detail", args=[plan.pk]) + f"#target-{target.pk}")


@login_required
@require_safe
def plan_changes(request, pk):
    plan = _plan(request, pk)
    if plan.previous_id is None:
        raise Http404
    previous = selectors.plan_detail(plan.previous_id)
    return render(
        request,
        "planning/plan_changes.html",
        {"plan": plan, "previous": previous, "changes": selectors.changes(previous, plan)},
    )


@login_required
@require_safe
def plan_export(request, pk, fmt):
    plan = _plan(request, pk)
    name = f"plan-{plan.community_id}-{plan.school_year}-r{plan.revision}"
    if fmt == "docx":
        return attachment(documents.plan_docx(plan), DOCX, f"{name}.docx")
    return attachment(documents.plan_pdf(plan), PDF, f"{name}.pdf")


@login_required
@require_safe
def research_plans(request, network_pk):
    network = get_object_or_404(Network.objects.select_related("territory"), pk=network_pk)
    return render(
        request,
        "planning/research_plans.html",
        {
            "network": network,
            "plans": network.researchplan_set.order_by("-start_year"),
            "can_manage": permissions.can_manage_research_plan(request.user, network=network),
        },
    )


@login_required
def research_plan_edit(request, network_pk, pk=None):
    network = get_object_or_404(Network.objects.select_related("territory"), pk=network_pk)
    if not permissions.can_manage_research_plan(request.user, network=network):
        raise PermissionDenied
    plan = get_object_or_404(network.researchplan_set, pk=pk) if pk else None
    form = ResearchPlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_research_plan(plan=plan, network=network, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("planning:research_plans", network.pk)
    return render(
        request,
        "planning/research_plan_form.html",
        {"form": form, "network": network, "plan": plan},
    )
