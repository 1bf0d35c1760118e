"""Pages of mentoring: parse the request, ask the policy what to draw, call a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from communities.models import Community
from core.documents import DOCX, PDF, attachment
from core.forms import apply_errors, flash_errors
from core.schoolyear import school_year_of
from core.views import paginate
from organisations.models import Territory
from people.models import Person

from . import documents, permissions, selectors, services, surveying
from .forms import (
    AnalysisForm,
    PairForm,
    PlanEditor,
    ReportForm,
    SessionForm,
    blank_row,
)
from .models import MentoringPlan, Pair, Report


def _pair(request, pk) -> Pair:
    try:
        pair = selectors.pair_detail(pk)
    except Pair.DoesNotExist as exc:
        raise Http404 from exc
    if not permissions.can_view(request.user, pair):
        raise PermissionDenied
    return pair


def _year(request) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else None


@login_required
@require_safe
def pair_list(request):
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    page = paginate(
        request, selectors.pair_list(request.user, school_year=_year(request), kind=kind,
                                     status=status)
    )  # fmt: skip
    today = timezone.localdate()
    for pair in page:
        pair.missing = selectors.reports_missing(pair, today)
    return render(
        request,
        "mentoring/pair_list.html",
        {
            "page": page,
            "kinds": Pair.Kind.choices,
            "statuses": Pair.Status.choices,
            "kind": kind,
            "status": status,
            "year": _year(request) or "",
            "territories": permissions.curated_territories(request.user).order_by("name"),
            "this_year": school_year_of(today),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def pair_create(request, community_pk):
    community = get_object_or_404(
        Community.objects.select_related("kind", "territory"), pk=community_pk
    )
    if not permissions.can_appoint(request.user, community):
        raise PermissionDenied
    leaders = community.kind.requires_pair_roles
    members = Person.objects.filter(memberships__community=community).order_by(
        "last_name", "first_name", "pk"
    )
    today = timezone.localdate()
    form = PairForm(
        request.POST or None,
        members=members,
        leaders=leaders,
        initial={"school_year": school_year_of(today), "started_on": today},
    )
    if request.method == "POST" and form.is_valid():
        try:
            pair = services.form_pair(community=community, actor=request.user, **form.cleaned_data)
        except services.AlreadyDone as repeat:
            messages.info(request, _("This pair has been formed already."))
            return redirect("mentoring:pair", repeat.obj.pk)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The pair is formed; both sides are told."))
            return redirect("mentoring:pair", pair.pk)
    return render(
        request,
        "mentoring/pair_form.html",
        {
            "form": form,
            "community": community,
            "leaders": leaders,
            "pairs": selectors.pairs_of_community(community)[:50],
        },
    )


@login_required
@require_safe
def pair_detail(request, pk):
    pair = _pair(request, pk)
    user = request.user
    plan = pair.plan
    side = pair.side_of(user)
    reports = selectors.reports_of(pair)
    grid = [
        {
            "period": period,
            "label": label,
            "due": selectors.due_on(pair.school_year, period),
            "sides": [
                {
                    "side": s,
                    "label": s_label,
                    "report": reports.get((period, s)),
                    "mine": side == s,
                    "can_write": permissions.can_write_report(user, pair, s),
                }
                for s, s_label in Report.Side.choices
            ],
        }
        for period, label in Report.Period.choices
    ]
    return render(
        request,
        "mentoring/pair_detail.html",
        {
            "pair": pair,
            "plan": plan,
            "goals": list(plan.goals.all()),
            "planned": list(plan.meetings.all()),
            "sessions": paginate(request, selectors.sessions_of(pair)),
            "grid": grid,
            "side": side,
            "can_log": permissions.can_log(user, pair),
            "can_edit_plan": permissions.can_edit_plan(user, pair),
            "can_approve": permissions.can_approve_plan(user, plan),
            "can_manage": permissions.can_manage(user, pair) and pair.is_active,
            "oversees": permissions.oversees(user, pair),
            "survey": surveying.pair_survey(pair, user),
        },
    )


@login_required
@require_POST
def pair_finish(request, pk):
    pair = _pair(request, pk)
    if not (permissions.can_manage(request.user, pair) and pair.is_active):
        raise PermissionDenied
    services.finish_pair(pair=pair, actor=request.user)
    messages.success(request, _("The pair's work is finished."))
    return redirect("mentoring:pair", pair.pk)


def _editable_plan(request, pk) -> MentoringPlan:
    pair = _pair(request, pk)
    if not permissions.can_edit_plan(request.user, pair):
        raise PermissionDenied
    return pair.plan


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk):
    plan = _editable_plan(request, pk)
    editor = PlanEditor(plan, request.POST if request.method == "POST" else None)
    add = request.POST.get("add", "")
    if request.method == "POST":
        if add in ("goal", "meeting"):  # a row added without JavaScript: the page again
            (editor.goals if add == "goal" else editor.meetings).append(blank_row(add))
        elif editor.is_valid():
            try:
                services.save_plan(
                    plan=plan,
                    actor=request.user,
                    version=editor.sent_version,
                    goals=editor.rows("goal"),
                    meetings=editor.rows("meeting"),
                )
            except ValidationError as exc:
                editor.add_error(exc)
            else:
                messages.success(request, _("The plan has been saved."))
                return redirect("mentoring:pair", plan.pair_id)
    return render(
        request,
        "mentoring/plan_form.html",
        {
            "plan": plan,
            "pair": plan.pair,
            "editor": editor,
            "errors": editor.errors() if request.method == "POST" and not add else [],
            "version": plan.version,
        },
    )


@login_required
@require_safe
def plan_row(request, pk):
    """One blank row of the plan (a goal or a planned meeting) for the "add" buttons."""
    plan = _editable_plan(request, pk)
    kind = request.GET.get("add", "")
    if kind not in ("goal", "meeting"):
        return HttpResponseBadRequest()
    return render(request, f"mentoring/_{kind}_row.html", {"plan": plan, "row": blank_row(kind)})


@login_required
@require_POST
def plan_submit(request, pk):
    plan = _editable_plan(request, pk)
    try:
        services.submit_plan(plan=plan, actor=request.user)
        messages.success(request, _("The plan is sent for approval."))
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect("mentoring:pair", plan.pair_id)


@login_required
@require_POST
def plan_approve(request, pk):
    pair = _pair(request, pk)
    if not permissions.can_approve_plan(request.user, pair.plan):
        raise PermissionDenied
    try:
        services.approve_plan(plan=pair.plan, actor=request.user)
        messages.success(request, _("The plan is approved."))
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect("mentoring:pair", pair.pk)


@login_required
@require_http_methods(["GET", "POST"])
def session_create(request, pk):
    pair = _pair(request, pk)
    if not permissions.can_log(request.user, pair):
        raise PermissionDenied
    form = SessionForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.log_session(pair=pair, actor=request.user, **form.cleaned_data)
        except services.AlreadyDone:
            messages.info(request, _("This session is in the log already."))
            return redirect("mentoring:pair", pair.pk)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The session is logged; the other side is told."))
            return redirect("mentoring:pair", pair.pk)
    return render(request, "mentoring/session_form.html", {"form": form, "pair": pair})


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request, pk, period):
    pair = _pair(request, pk)
    if period not in Report.Period.values:
        raise Http404
    side = pair.side_of(request.user)
    report = Report.objects.filter(pair=pair, side=side, period=period).first() if side else None
    if side is None or not permissions.can_write_report(request.user, pair, side):
        raise PermissionDenied
    if report is not None and report.is_submitted:
        messages.info(request, _("This report has been sent already and cannot be changed."))
        return redirect("mentoring:pair", pair.pk)
    form = ReportForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("submit") == "1"
        try:
            services.save_report(
                pair=pair,
                actor=request.user,
                side=side,
                period=period,
                submit=submit,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("The report is sent.") if submit else _("The draft is saved.")
            )
            return redirect("mentoring:pair", pair.pk)
    return render(
        request,
        "mentoring/report_form.html",
        {
            "form": form,
            "pair": pair,
            "period_label": Report.Period(period).label,
            "side_label": Report.Side(side).label,
            "due": selectors.due_on(pair.school_year, period),
        },
    )


@login_required
@require_safe
def report_detail(request, pk):
    report = get_object_or_404(Report.objects.select_related("author", "seen_by"), pk=pk)
    pair = _pair(request, report.pair_id)
    if not report.is_submitted and pair.side_of(request.user) != report.side:
        raise PermissionDenied  # a draft is its author's
    return render(
        request,
        "mentoring/report_detail.html",
        {
            "report": report,
            "pair": pair,
            "sections": documents.report_sections(report),
            "can_mark_seen": permissions.can_mark_seen(request.user, report),
        },
    )


@login_required
@require_POST
def report_seen(request, pk):
    report = get_object_or_404(Report.objects.select_related("pair__community"), pk=pk)
    if not permissions.can_view(request.user, report.pair):
        raise PermissionDenied
    if not permissions.can_mark_seen(request.user, report):
        raise PermissionDenied
    services.mark_seen(report=report, actor=request.user)
    messages.success(request, _("The report is marked as read."))
    return redirect("mentoring:report", report.pk)


# -- the year-end analysis ----------------------------------------------------------------------


def _analysis_scope(request, territory_pk=None, community_pk=None, *, edit=False):
    """(territory, community, place, organisation name, role) of the analysis, or 403/404."""
    user = request.user
    if community_pk is not None:
        community = get_object_or_404(
            Community.objects.select_related("kind", "organisation", "territory"), pk=community_pk
        )
        if not permissions.can_analyse_community(user, community):
            raise PermissionDenied
        host = community.organisation.name if community.organisation else ""
        return None, community, community.name, host, _("PLC leader")
    territory = get_object_or_404(Territory, pk=territory_pk)
    allowed = (
        permissions.can_analyse_territory(user, territory)
        if edit
        else permissions.can_view_territory_analysis(user, territory)
    )
    if not allowed:
        raise PermissionDenied
    centre = _("Methodological centre")
    return territory, None, str(territory), f"{centre}: {territory}", _("Curator")


def _analysis_context(request, year, territory, community, place):
    pairs = (
        selectors.community_pairs(community, year)
        if community
        else selectors.territory_pairs(territory, year)
    )
    data = selectors.analysis_data(pairs, year, place)
    data.survey = surveying.aggregate(pairs)
    saved = selectors.analysis_of(school_year=year, territory=territory, community=community)
    texts = (
        {f: getattr(saved, f) for f in services.ANALYSIS_FIELDS}
        if saved
        else documents.draft_texts(data)
    )
    return data, saved, texts


@login_required
@require_safe
def analysis_list(request):
    territories = list(permissions.curated_territories(request.user).order_by("name"))
    if not territories:
        raise PermissionDenied
    this_year = school_year_of(timezone.localdate())
    return render(
        request,
        "mentoring/analysis_list.html",
        {"territories": territories, "years": [this_year, this_year - 1, this_year - 2]},
    )


@login_required
@require_http_methods(["GET", "POST"])
def analysis_edit(request, year, territory_pk=None, community_pk=None):
    territory, community, place, _host, _role = _analysis_scope(
        request, territory_pk, community_pk, edit=request.method == "POST"
    )
    data, saved, texts = _analysis_context(request, year, territory, community, place)
    may_edit = (
        permissions.can_analyse_community(request.user, community)
        if community
        else permissions.can_analyse_territory(request.user, territory)
    )
    form = AnalysisForm(
        request.POST or None, initial={"version": saved.version if saved else 0, **texts}
    )
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        version = fields.pop("version")
        try:
            services.save_analysis(
                actor=request.user,
                school_year=year,
                version=version,
                territory=territory,
                community=community,
                **fields,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The analysis is saved as a new version."))
            return redirect(request.path)
    return render(
        request,
        "mentoring/analysis.html",
        {
            "data": data,
            "saved": saved,
            "versions": list(saved.versions.select_related("saved_by")[:10]) if saved else [],
            "form": form,
            "may_edit": may_edit,
            "territory": territory,
            "community": community,
            "year": year,
            "year_label": f"{year}/{year + 1}",
            "forms": [(f, label) for f, label in selectors.Session.Form.choices],
            "can_launch_survey": surveying.can_launch(
                request.user, territory=territory, community=community
            ),
        },  # fmt: skip
    )


@login_required
@require_safe
def analysis_export(request, year, fmt, territory_pk=None, community_pk=None):
    territory, community, place, host, role = _analysis_scope(request, territory_pk, community_pk)
    data, saved, texts = _analysis_context(request, year, territory, community, place)
    author = saved.updated_by if saved and saved.updated_by else request.user
    build = documents.analysis_docx if fmt == "docx" else documents.analysis_pdf
    content = build(data, texts, organisation=host, author=author, role=role)
    name = f"mentoring-analysis-{year}.{fmt}"
    return attachment(content, DOCX if fmt == "docx" else PDF, name)


@login_required
@require_POST
def pair_survey_launch(request, pk):
    """Open the relationship survey for both sides of one pair."""
    pair = _pair(request, pk)
    if not surveying.can_launch_for_pair(request.user, pair):
        raise PermissionDenied
    _launch(request, Pair.objects.filter(pk=pair.pk))
    return redirect("mentoring:pair", pair.pk)


@login_required
@require_POST
def analysis_survey_launch(request, territory_pk, year):
    """Open the relationship survey for every leaders' pair of the territory and year."""
    territory, _community, _place, _host, _role = _analysis_scope(request, territory_pk, edit=True)
    if not surveying.can_launch(request.user, territory=territory):
        raise PermissionDenied
    _launch(request, selectors.territory_pairs(territory, year))
    return redirect("mentoring:analysis", territory.pk, year)


def _launch(request, pairs) -> None:
    try:
        count = surveying.launch(actor=request.user, pairs=pairs)
    except ValidationError as exc:
        flash_errors(request, exc)
        return
    if count:
        messages.success(
            request, _("The relationship survey is open for %(n)s pairs.") % {"n": count}
        )
    else:
        messages.info(request, _("Every pair has a relationship survey open already."))
