import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from communities.selectors import administered_communities
from core.documents import XLSX, attachment
from core.forms import apply_errors, flash_errors
from core.views import paginate
from events import permissions as event_permissions
from events import services as event_services
from events.models import EventKind
from organisations.models import Territory
from planning import services as planning_services
from planning.models import Plan

from . import blueprints, documents, permissions, selectors, services
from .forms import (
    Builder,
    PlanItemForm,
    SurveyCreateForm,
    answer_form,
    answers_from,
    blank_row,
)
from .models import MIN_ANONYMOUS, Survey


def _survey(request, pk) -> Survey:
    try:
        survey = selectors.survey_detail(pk)
    except Survey.DoesNotExist as exc:
        raise Http404 from exc
    if not permissions.can_view(request.user, survey):
        raise PermissionDenied
    return survey


@login_required
@require_safe
def survey_list(request):
    role = request.GET.get("role", "")
    status = request.GET.get("status", "")
    if status not in Survey.Status.values:
        status = ""
    qs = selectors.survey_list(request.user, status=status, role=role)
    return render(
        request,
        "surveys/survey_list.html",
        {
            "page": paginate(request, qs),
            "role": role,
            "status": status,
            "statuses": Survey.Status.choices,
            "can_create": permissions.can_create_any(request.user),
            "can_map": selectors.needs_surveys(request.user).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_create(request):
    if not permissions.can_create_any(request.user):
        raise PermissionDenied
    form = SurveyCreateForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        owner = form.owner_scope()
        anonymous = {"1": True, "0": False}.get(data["anonymous"])
        try:
            if data["template"]:
                survey = services.create_from_template(
                    actor=request.user, code=data["template"], title=data["title"] or None,
                    anonymous=anonymous, audience=data["audience"], **owner,
                )  # fmt: skip
            else:
                survey = services.create_survey(
                    actor=request.user, title=data["title"], audience=data["audience"],
                    anonymous=True if anonymous is None else anonymous, **owner,
                )  # fmt: skip
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The survey is created as a draft."))
            return redirect("surveys:edit", survey.pk)
    return render(request, "surveys/survey_create.html", {"form": form})


@login_required
@require_safe
def survey_detail(request, pk):
    survey = _survey(request, pk)
    user = request.user
    return render(
        request,
        "surveys/survey_detail.html",
        {
            "survey": survey,
            "questions": selectors.questions_of(survey),
            "can_edit": permissions.can_edit(user, survey),
            "can_open": permissions.can_open(user, survey),
            "can_close": permissions.can_close(user, survey),
            "can_delete": permissions.can_delete(user, survey),
            "can_answer": permissions.can_answer(user, survey),
            "has_answered": permissions.has_answered(user, survey),
            "can_view_results": permissions.can_view_results(user, survey),
        },
    )


def _editable(request, pk) -> Survey:
    survey = _survey(request, pk)
    if not permissions.can_edit(request.user, survey):
        raise PermissionDenied
    return survey


@login_required
@require_http_methods(["GET", "POST"])
def survey_edit(request, pk):
    survey = _editable(request, pk)
    questions = selectors.questions_of(survey)
    if request.method == "GET":
        builder = Builder(survey, questions)
        return _builder_page(request, builder)
    builder = Builder(survey, questions, request.POST)
    if "save" not in request.POST:
        builder.rearrange(add="add" in request.POST, move=request.POST.get("move", ""))
        return _builder_page(request, builder)
    if builder.is_valid():
        try:
            services.update_survey(
                survey=survey, actor=request.user, fields=builder.fields,
                questions=builder.question_rows(),
            )  # fmt: skip
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                builder.problems += [m for ms in exc.message_dict.values() for m in ms]
            else:
                builder.problems += exc.messages
        else:
            messages.success(request, _("The survey is saved."))
            return redirect("surveys:detail", survey.pk)
    return _builder_page(request, builder)


def _builder_page(request, builder: Builder):
    return render(
        request,
        "surveys/survey_edit.html",
        {
            "survey": builder.survey,
            "builder": builder,
            "form": builder.form,
            "errors": builder.errors(),
        },
    )


@login_required
@require_safe
def survey_edit_row(request, pk):
    """A blank question row for the builder (htmx)."""
    survey = _editable(request, pk)
    return render(request, "surveys/_question_row.html", {"row": blank_row(), "survey": survey})


def _step(request, pk, action, allowed, done: str):
    survey = _survey(request, pk)
    if not allowed(request.user, survey):
        raise PermissionDenied
    try:
        action(survey=survey, actor=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, done)
    return redirect("surveys:detail", survey.pk)


@login_required
@require_POST
def survey_open(request, pk):
    return _step(request, pk, services.open_survey, permissions.can_open, _("The survey is open."))


@login_required
@require_POST
def survey_close(request, pk):
    return _step(
        request, pk, services.close_survey, permissions.can_close, _("The survey is closed.")
    )


@login_required
@require_POST
def survey_delete(request, pk):
    survey = _survey(request, pk)
    if not permissions.can_delete(request.user, survey):
        raise PermissionDenied
    services.delete_survey(survey=survey, actor=request.user)
    messages.success(request, _("The draft survey is deleted."))
    return redirect("surveys:list")


@login_required
@require_http_methods(["GET", "POST"])
def survey_answer(request, pk):
    survey = _survey(request, pk)
    if permissions.has_answered(request.user, survey):
        messages.info(request, _("You have answered this survey. Thank you!"))
        return redirect("surveys:detail", survey.pk)
    if not permissions.can_answer(request.user, survey):
        raise PermissionDenied
    questions = selectors.questions_of(survey)
    form = answer_form(questions, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_response(survey=survey, actor=request.user, answers=answers_from(form))
        except services.AlreadyAnswered:
            pass
        except ValidationError as exc:
            apply_errors(form, exc)
            return render(request, "surveys/survey_answer.html", {"survey": survey, "form": form})
        messages.success(request, _("Your answers are saved. Thank you!"))
        return redirect("surveys:detail", survey.pk)
    return render(request, "surveys/survey_answer.html", {"survey": survey, "form": form})


def _results_survey(request, pk) -> Survey:
    survey = _survey(request, pk)
    if not permissions.can_view_results(request.user, survey):
        raise PermissionDenied
    return survey


@login_required
@require_safe
def survey_results(request, pk):
    survey = _results_survey(request, pk)
    shown = permissions.results_shown(survey)
    return render(
        request,
        "surveys/survey_results.html",
        {
            "survey": survey,
            "shown": shown,
            "results": selectors.results(survey) if shown else [],
            "minimum": MIN_ANONYMOUS,
        },
    )


@login_required
@require_safe
def survey_export(request, pk):
    survey = _results_survey(request, pk)
    if not permissions.results_shown(survey):
        raise PermissionDenied
    content = documents.results_xlsx(survey, selectors.results(survey, texts_per_question=None))
    return attachment(content, XLSX, f"survey-{survey.pk}.xlsx")


# -- the deficits map -------------------------------------------------------------------------

MAP_ROWS_PER_PAGE = 50


def _editable_plans(user):
    return (
        Plan.objects.filter(
            status=Plan.Status.DRAFT,
            community__status="active",
            community__in=administered_communities(user).values("pk"),
        )
        .select_related("community")
        .order_by("community__name", "-school_year")[:100]
    )


@login_required
@require_safe
def needs_map(request):
    surveys = selectors.needs_surveys(request.user)
    if not surveys.exists():
        raise PermissionDenied
    by = request.GET.get("by", "organisation")
    if by not in selectors.GROUPS:
        by = "organisation"
    chosen = None
    survey_id = request.GET.get("survey", "")
    if survey_id.isdigit():
        chosen = surveys.filter(pk=int(survey_id)).first()
    scope = surveys.filter(pk=chosen.pk) if chosen else surveys
    subject = request.GET.get("subject", "")[:200]
    territory = None
    territory_id = request.GET.get("territory", "")
    if territory_id.isdigit():
        territory = Territory.objects.filter(pk=int(territory_id)).first()
    deficits = selectors.deficits_map(scope, by=by, subject=subject, territory=territory)
    page = Paginator(deficits.rows, MAP_ROWS_PER_PAGE).get_page(request.GET.get("page"))
    plans = list(_editable_plans(request.user))
    return render(
        request,
        "surveys/needs_map.html",
        {
            "map": deficits,
            "areas_total": list(zip(deficits.areas, deficits.total, strict=True)),
            "can_plan_event": _event_organiser(request.user, chosen, surveys) is not None,
            "page": page,
            "by": by,
            "groups": [
                ("organisation", _("school")),
                ("subject", _("subject")),
                ("network", _("network")),
                ("territory", _("territory")),
            ],
            "surveys": surveys[:100],
            "chosen": chosen,
            "subject": subject,
            "subjects": selectors.subjects_answered(scope),
            "territory": territory,
            "territories": Territory.objects.filter(
                pk__in=scope.values("responses__territory_id")
            ).order_by("name"),
            "plans": plans,
            # Drawn once: every area's row offers the same plans (up to 100 options each).
            "plan_options": format_html_join(
                "",
                '<option value="{}">{}: {}</option>',
                ((p.pk, p.community.name, p.school_year_label) for p in plans),
            ),
            "minimum": MIN_ANONYMOUS,
            "area_names": dict(blueprints.AREAS),
        },
    )


@login_required
@require_POST
def needs_plan_item(request):
    """One step from a deficit to a plan: an agenda item in a chosen draft plan."""
    if not selectors.needs_surveys(request.user).exists():
        raise PermissionDenied
    form = PlanItemForm(
        request.POST,
        plans=Plan.objects.filter(pk__in=[p.pk for p in _editable_plans(request.user)]),
    )
    if not form.is_valid():
        flash_errors(request, form)
        return redirect("surveys:needs_map")
    area = str(blueprints.AREAS[form.cleaned_data["area"]])
    plan = form.cleaned_data["plan"]
    subject = form.cleaned_data["subject"]
    action = _("Support for teachers: %(area)s") % {"area": area}
    if subject:
        action += f" ({subject})"
    try:
        planning_services.add_agenda_item(
            plan=plan, actor=request.user, action=action[:500],
            section=_("Professional needs (survey)")[:300],
        )  # fmt: skip
    except ValidationError as exc:
        flash_errors(request, exc)
        return redirect("surveys:needs_map")
    messages.success(request, _("The item is added to the plan."))
    return redirect("planning:detail", plan.pk)


# The survey's owner organises the event; its people are the event's audience.
_ORGANISER = {
    "community": ("organiser_community", "members"),
    "organisation": ("organiser_organisation", "school"),
    "network": ("organiser_network", "network"),
    "territory": ("organiser_territory", "territory"),
}


def _event_organiser(user, chosen, surveys) -> tuple[str, object, str] | None:
    """Who organises an event planned from the map: the chosen survey's owner, else the owner
    of the newest needs survey, where the person may organise events."""
    candidates = [chosen] if chosen else list(surveys[:20])
    for survey in candidates:
        for name, (argument, audience) in _ORGANISER.items():
            owner = getattr(survey, name)
            if owner is not None and event_permissions.can_create_for(user, **{name: owner}):
                return argument, owner, audience
    return None


@login_required
@require_POST
def needs_event(request):
    """One step from a deficit to an event: a draft seminar on the area, for the owner's people,
    which the organiser then completes (date, place) before announcing it."""
    surveys = selectors.needs_surveys(request.user)
    survey_id = request.POST.get("survey", "")
    chosen = surveys.filter(pk=int(survey_id)).first() if survey_id.isdigit() else None
    organiser = _event_organiser(request.user, chosen, surveys)
    if organiser is None:
        raise PermissionDenied
    area = request.POST.get("area", "")
    if area not in blueprints.AREAS:
        messages.error(request, _("Choose an area of the map."))
        return redirect("surveys:needs_map")
    subject = request.POST.get("subject", "")[:200]
    argument, owner, audience = organiser
    starts_at = (timezone.localtime() + dt.timedelta(days=14)).replace(
        hour=15, minute=0, second=0, microsecond=0
    )
    try:
        event = event_services.create_event(
            actor=request.user,
            kind=EventKind.objects.get(code="seminar"),
            title=str(blueprints.AREAS[area])[:300],
            starts_at=starts_at,
            audience=audience,
            subject=subject,
            description=_("Planned from the deficits map of the teachers' needs survey."),
            **{argument: owner},
        )
    except (ValidationError, EventKind.DoesNotExist) as exc:
        if isinstance(exc, ValidationError):
            flash_errors(request, exc)
        else:
            messages.error(request, _("There is no seminar kind of event."))
        return redirect("surveys:needs_map")
    messages.success(request, _("A draft seminar is planned: set its date and place."))
    try:
        return redirect(reverse("events:detail", args=[event.pk]))
    except NoReverseMatch:
        return redirect("surveys:needs_map")
