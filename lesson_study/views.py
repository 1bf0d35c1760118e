"""Pages of lesson study and lesson visits: parse, ask the policy, call a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from communities.models import Community
from core.documents import DOCX, PDF, XLSX, attachment
from core.downloads import serve_upload
from core.forms import apply_errors, flash_errors
from core.views import paginate
from people.models import Person

from . import documents, permissions, selectors, services
from .forms import (
    PSEUDONYMS,
    CycleCreateForm,
    CycleEditForm,
    LessonForm,
    LessonPlanForm,
    PupilForm,
    SheetForm,
    StageForm,
    VisitForm,
)
from .models import CasePupil, Cycle, LessonPlan, LessonVisit, ObservationSheet, ResearchLesson


def _community(request, pk) -> Community:
    community = get_object_or_404(
        Community.objects.select_related("kind", "territory", "parent", "organisation"), pk=pk
    )
    if not permissions.can_read_team_work(request.user, community):
        raise PermissionDenied
    return community


def _cycle(request, pk) -> Cycle:
    try:
        cycle = selectors.cycle_detail(pk)
    except Cycle.DoesNotExist as exc:
        raise Http404 from exc
    if not permissions.can_view_cycle(request.user, cycle):
        raise PermissionDenied
    return cycle


def _members(community: Community):
    return Person.objects.filter(memberships__community=community).order_by(
        "last_name", "first_name", "id"
    )


# Cycles -----------------------------------------------------------------------------------
@login_required
@require_safe
def cycle_list(request, pk):
    community = _community(request, pk)
    return render(
        request,
        "lesson_study/cycle_list.html",
        {
            "community": community,
            "page": paginate(request, selectors.cycles_of(community)),
            "can_create": permissions.can_create_cycle(request.user, community),
        },
    )


@login_required
def cycle_create(request, pk):
    community = _community(request, pk)
    if not permissions.can_create_cycle(request.user, community):
        raise PermissionDenied
    form = CycleCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.create_cycle(community=community, actor=request.user,
                                          **form.cleaned_data)  # fmt: skip
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The cycle has been started."))
            return redirect("lesson_study:cycle", cycle.pk)
    return render(request, "lesson_study/cycle_form.html", {"form": form, "community": community})


def _cycle_context(request, cycle: Cycle) -> dict:
    user = request.user
    data = selectors.cycle_page(cycle)
    used = {p.pseudonym for p in data.pupils}
    lessons = []
    for lesson in data.lessons:
        observer_ids = {o.pk for o in lesson.observers.all()}
        lessons.append(
            {
                "lesson": lesson,
                "by_pupil": [
                    (pupil, [s for s in lesson.sheets.all() if s.pupil_id == pupil.pk])
                    for pupil in data.pupils
                ],
                "can_fill": permissions.can_fill_sheet(user, lesson, observer_ids)
                and cycle.stage != Cycle.Stage.REPORT,
            }
        )
    return {
        "cycle": cycle,
        "community": cycle.community,
        "data": data,
        "lessons": lessons,
        "stages": [(s, Cycle.Stage(s).label) for s in cycle.stages],
        "can_work": permissions.can_work_on(user, cycle),
        "can_manage": permissions.can_manage(user, cycle),
        "pupil_form": PupilForm(
            initial={"pseudonym": next((p for p in PSEUDONYMS if p not in used), "")}
        ),
        "pseudonyms": [p for p in PSEUDONYMS if p not in used],
        "plan_form": LessonPlanForm(),
    }


@login_required
@require_safe
def cycle_detail(request, pk):
    cycle = _cycle(request, pk)
    return render(request, "lesson_study/cycle_detail.html", _cycle_context(request, cycle))


@login_required
def cycle_edit(request, pk):
    cycle = _cycle(request, pk)
    if not permissions.can_work_on(request.user, cycle):
        raise PermissionDenied
    initial = {f: getattr(cycle, f) for f in services.CYCLE_FIELDS}
    form = CycleEditForm(request.POST or None, initial=initial, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_cycle(cycle=cycle, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("lesson_study:cycle", cycle.pk)
    return render(
        request,
        "lesson_study/cycle_form.html",
        {"form": form, "community": cycle.community, "cycle": cycle},
    )


@login_required
@require_POST
def cycle_stage(request, pk):
    cycle = _cycle(request, pk)
    if not permissions.can_manage(request.user, cycle):
        raise PermissionDenied
    form = StageForm(request.POST)
    if form.is_valid():
        try:
            services.move_stage(cycle=cycle, stage=form.cleaned_data["stage"], actor=request.user)
        except ValidationError as exc:
            flash_errors(request, exc)
    else:
        flash_errors(request, form)
    return redirect("lesson_study:cycle", cycle.pk)


@login_required
@require_POST
def plan_add(request, pk):
    cycle = _cycle(request, pk)
    if not permissions.can_work_on(request.user, cycle):
        raise PermissionDenied
    form = LessonPlanForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_lesson_plan(cycle=cycle, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("The lesson plan version has been saved."))
    else:
        flash_errors(request, form)
    return redirect("lesson_study:cycle", cycle.pk)


@login_required
@require_safe
def plan_file(request, pk):
    plan = get_object_or_404(LessonPlan.objects.select_related("cycle"), pk=pk)
    _cycle(request, plan.cycle_id)
    if not plan.file:
        raise Http404
    return serve_upload(plan.file, filename=plan.file_name)


def _pupils_response(request, cycle: Cycle, form: PupilForm | None = None):
    if request.htmx:
        context = _cycle_context(request, cycle)
        if form is not None:
            context["pupil_form"] = form
        return render(request, "lesson_study/_pupils.html", context)
    if form is not None:
        flash_errors(request, form)
    return redirect("lesson_study:cycle", cycle.pk)


@login_required
@require_POST
def pupil_add(request, pk):
    cycle = _cycle(request, pk)
    if not permissions.can_work_on(request.user, cycle):
        raise PermissionDenied
    form = PupilForm(request.POST)
    if form.is_valid():
        try:
            services.add_pupil(cycle=cycle, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
            return _pupils_response(request, cycle, form)
        return _pupils_response(request, cycle)
    return _pupils_response(request, cycle, form)


@login_required
@require_POST
def pupil_remove(request, pk):
    pupil = get_object_or_404(CasePupil, pk=pk)
    cycle = _cycle(request, pupil.cycle_id)
    if not permissions.can_work_on(request.user, cycle):
        raise PermissionDenied
    try:
        services.remove_pupil(pupil=pupil, actor=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
    return _pupils_response(request, cycle)


@login_required
def lesson_schedule(request, pk):
    cycle = _cycle(request, pk)
    if not permissions.can_manage(request.user, cycle):
        raise PermissionDenied
    people = _members(cycle.community)
    round_ = request.GET.get("round") or request.POST.get("round") or "1"
    existing = cycle.lessons.filter(round=round_).first() if round_ in ("1", "2") else None
    initial = {"round": round_}
    if existing is not None:
        initial |= {
            "date": existing.date,
            "teacher": existing.teacher_id,
            "topic": existing.topic,
            "observers": list(existing.observers.values_list("pk", flat=True)),
        }
    form = LessonForm(request.POST or None, initial=initial, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            services.schedule_lesson(cycle=cycle, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The lesson has been scheduled; observers are told."))
            return redirect("lesson_study:cycle", cycle.pk)
    return render(
        request,
        "lesson_study/lesson_form.html",
        {"form": form, "community": cycle.community, "cycle": cycle},
    )


@login_required
def sheet_edit(request, pk, pupil_pk):
    lesson = get_object_or_404(ResearchLesson, pk=pk)
    cycle = _cycle(request, lesson.cycle_id)
    lesson.cycle = cycle
    pupil = get_object_or_404(CasePupil, pk=pupil_pk, cycle_id=cycle.pk)
    if not permissions.can_fill_sheet(request.user, lesson) or cycle.stage == Cycle.Stage.REPORT:
        raise PermissionDenied
    sheet = ObservationSheet.objects.filter(
        lesson=lesson, pupil=pupil, observer=request.user
    ).first()
    initial = (
        {"expected": sheet.expected, "observed": sheet.observed, "evidence": sheet.evidence}
        if sheet
        else {}
    )
    form = SheetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.fill_sheet(lesson=lesson, pupil=pupil, observer=request.user,
                                actor=request.user, **form.cleaned_data)  # fmt: skip
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The observation sheet has been saved."))
            return redirect("lesson_study:cycle", cycle.pk)
    return render(
        request,
        "lesson_study/sheet_form.html",
        {"form": form, "cycle": cycle, "community": cycle.community, "lesson": lesson,
         "pupil": pupil},
    )  # fmt: skip


@login_required
@require_safe
def cycle_report_docx(request, pk):
    cycle = _cycle(request, pk)
    return attachment(documents.cycle_docx(cycle), DOCX, f"cycle-{cycle.pk}.docx")


@login_required
@require_safe
def cycle_report_pdf(request, pk):
    cycle = _cycle(request, pk)
    return attachment(documents.cycle_pdf(cycle), PDF, f"cycle-{cycle.pk}.pdf")


# Lesson visits ----------------------------------------------------------------------------
@login_required
def visit_list(request, pk):
    community = _community(request, pk)
    user = request.user
    can_log = permissions.can_log_visit(user, community)
    people = _members(community).exclude(pk=user.pk)
    form = VisitForm(request.POST or None, people=people,
                     initial={"date": timezone.localdate()})  # fmt: skip
    if request.method == "POST":
        if not can_log:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.log_visit(community=community, visitor=user, actor=user,
                                   **form.cleaned_data)  # fmt: skip
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The visit has been logged."))
                return redirect("lesson_study:visits", community.pk)
    today = timezone.localdate()
    page = paginate(request, selectors.visits_of(community))
    rows = [
        (v, permissions.can_read_feedback(user, v, community), v.visitor_id == user.pk)
        for v in page
    ]
    return render(
        request,
        "lesson_study/visit_list.html",
        {
            "community": community,
            "page": page,
            "rows": rows,
            "form": form if can_log else None,
            "shares": selectors.visit_shares(community, today),
            "lessons": selectors.special_lessons(community, today),
            "rule": community.kind.min_innovative_lessons_per_year,
        },
    )


@login_required
@require_safe
def visit_export(request, pk):
    community = _community(request, pk)
    user = request.user
    visits = list(selectors.visits_of(community))
    content = documents.visits_xlsx(
        [(v, permissions.can_read_feedback(user, v, community)) for v in visits],
        title=_("Lesson visits: %(community)s") % {"community": community.name},
    )
    return attachment(content, XLSX, f"lesson-visits-{community.pk}.xlsx")


@login_required
@require_POST
def visit_delete(request, pk):
    visit = get_object_or_404(LessonVisit.objects.select_related("community"), pk=pk)
    _community(request, visit.community_id)
    if not permissions.can_delete_visit(request.user, visit):
        raise PermissionDenied
    services.delete_visit(visit=visit, actor=request.user)
    messages.success(request, _("The visit has been removed from the log."))
    return redirect("lesson_study:visits", visit.community_id)
