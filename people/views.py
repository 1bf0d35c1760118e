from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import i18n as i18n_views
from django.views.decorators.http import require_POST, require_safe

from core import background
from core.documents import collection_paused
from core.downloads import serve_upload
from core.forms import apply_errors
from core.pickers import picker_options
from core.text import parse_id
from core.views import paginate
from organisations import selectors as organisation_selectors
from organisations.models import Organisation

from . import exports, permissions, selectors, services, tasks
from .exports import databank_workbook, organisation_title
from .forms import (
    AchievementFormSet,
    AwardFormSet,
    CourseFormSet,
    PersonForm,
    QualificationFormSet,
    TeacherProfileForm,
)
from .middleware import SESSION_KEY as PERSON_LANGUAGE
from .models import Achievement, DatabankAccess, DatabankExport, Person, TeacherProfile

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _person(pk) -> Person:
    try:
        return selectors.person_detail(pk)
    except Person.DoesNotExist as exc:
        raise Http404 from exc


def _organisation(pk) -> Organisation:
    try:
        return organisation_selectors.organisation_detail(pk)
    except Organisation.DoesNotExist as exc:
        raise Http404 from exc


@login_required
@require_safe
def people_list(request):
    q = request.GET.get("q", "").strip()
    organisation = request.GET.get("organisation", "")
    qs = selectors.people_list(q=q, organisation=parse_id(organisation), viewer=request.user)
    template = "people/_people_rows.html" if request.htmx else "people/people_list.html"
    return render(request, template, {"page": paginate(request, qs), "q": q})


@login_required
@require_safe
def me(request):
    return redirect("people:detail", request.user.pk)


@login_required
@require_safe
def person_detail(request, pk):
    person = _person(pk)
    can_view_databank = permissions.can_view_databank(request.user, person)
    record = selectors.databank_record(person) if can_view_databank else None
    if can_view_databank:
        services.log_databank_access(viewer=request.user, subjects=[person], action="view")
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "record": record,
            "can_view_databank": can_view_databank,
            "can_edit": permissions.can_edit_databank(request.user, person),
            "can_export": permissions.can_export_databank(request.user, person),
            "can_manage_support": permissions.can_manage_course_support(request.user, person),
            "supports": selectors.course_supports(record) if record else [],
            "memberships": person.memberships.select_related("community__kind").filter(
                community__status="active"
            ),
        },
    )


@login_required
def person_edit(request, pk):
    person = _person(pk)
    if not permissions.can_edit_databank(request.user, person):
        raise PermissionDenied
    profile = selectors.databank_record(person) or TeacherProfile(person=person)
    positions = list(person.positions.all())
    categories = None
    if positions:
        categories = selectors.categories_for(positions[0].organisation.territory)
    data = request.POST or None
    person_form = PersonForm(data, instance=person, prefix="person")
    profile_form = TeacherProfileForm(
        data, instance=profile, prefix="profile", categories=categories
    )
    formsets = [
        QualificationFormSet(data, instance=profile, prefix="qualification"),
        CourseFormSet(data, instance=profile, prefix="courses"),
        AwardFormSet(data, instance=profile, prefix="awards"),
        # Rows Collegium recorded itself (certificates, talks) are shown apart and never saved
        # from this form: the formset does not even know them.
        AchievementFormSet(
            data,
            instance=profile,
            prefix="achievements",
            queryset=Achievement.objects.filter(source=""),
        ),
    ]
    if categories is not None:
        for form in formsets[0].forms:
            form.fields["category"].queryset = categories
    if request.method == "POST":
        valid = person_form.is_valid() & profile_form.is_valid()
        valid = all([fs.is_valid() for fs in formsets]) and valid
        if valid:
            try:
                services.save_databank(
                    person=person,
                    person_fields=person_form.cleaned_data,
                    profile_fields=profile_form.cleaned_data,
                    item_formsets=formsets,
                    actor=request.user,
                )
            except ValidationError as exc:
                apply_errors(profile_form, exc)
            else:
                messages.success(request, _("The databank record has been saved."))
                return redirect("people:detail", person.pk)
    return render(
        request,
        "people/person_form.html",
        {
            "person": person,
            "person_form": person_form,
            "profile_form": profile_form,
            "formsets": formsets,
            # A formset's heading is its model's plural name ("courses"); rendering the model
            # itself would print an empty instance (a blank heading or "None").
            "formset_sections": [(fs, fs.model._meta.verbose_name_plural) for fs in formsets],
            "recorded_achievements": (
                profile.achievements.exclude(source="") if profile.pk else []
            ),
        },
    )


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_safe
def person_export(request, pk):
    person = _person(pk)
    if not permissions.can_export_databank(request.user, person):
        raise PermissionDenied
    services.log_databank_access(viewer=request.user, subjects=[person], action="export")
    people = selectors.organisation_databank_people([person.pk])
    content = databank_workbook(people, _("Databank record: %(name)s") % {"name": person.full_name})
    return _xlsx(content, f"databank-{person.pk}.xlsx")


@login_required
@require_safe
def organisation_export(request, pk):
    organisation = _organisation(pk)
    if not permissions.can_manage_organisation_staff(request.user, organisation):
        raise PermissionDenied
    people = selectors.organisation_databank(organisation)
    if people.count() > settings.DATABANK_EXPORT_BACKGROUND_FROM:
        export = services.start_databank_export(organisation=organisation, actor=request.user)
        background.run(tasks.build_databank_export, export.pk, get_language())
        return redirect("people:databank_export", pk=organisation.pk, export_pk=export.pk)
    with collection_paused():
        people = list(people)
        services.log_databank_access(viewer=request.user, subjects=people, action="export")
        content = databank_workbook(people, organisation_title(organisation))
    return _xlsx(content, f"databank-organisation-{organisation.pk}.xlsx")


def _databank_export(request, pk, export_pk) -> DatabankExport:
    export = get_object_or_404(
        DatabankExport.objects.select_related("organisation__territory"),
        pk=export_pk,
        organisation_id=pk,
    )
    if not permissions.can_fetch_databank_export(request.user, export):
        raise PermissionDenied
    return export


@login_required
@require_safe
def databank_export(request, pk, export_pk):
    """Progress of a background export, polled by htmx, then the download link."""
    export = _databank_export(request, pk, export_pk)
    if exports.fail_stale_exports(DatabankExport.objects.filter(pk=export.pk)):
        export.refresh_from_db()
    running = export.status in (DatabankExport.Status.PENDING, DatabankExport.Status.RUNNING)
    template = (
        "people/_databank_export_status.html"
        if request.htmx
        else "people/databank_export_status.html"
    )
    response = render(
        request,
        template,
        {"organisation": export.organisation, "export": export, "running": running},
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_safe
def databank_export_file(request, pk, export_pk):
    export = _databank_export(request, pk, export_pk)
    if export.status != DatabankExport.Status.DONE or not export.file:
        raise Http404
    return serve_upload(
        export.file, filename=f"databank-organisation-{export.organisation_id}.xlsx"
    )


@login_required
@require_safe
def access_log(request, pk):
    organisation = _organisation(pk)
    if not permissions.can_manage_organisation_staff(request.user, organisation):
        raise PermissionDenied
    return render(
        request,
        "people/access_log.html",
        {
            "organisation": organisation,
            "page": paginate(request, selectors.access_log(organisation), per_page=50),
            "actions": dict(DatabankAccess.Action.choices),
        },
    )


@login_required
@require_safe
def person_picker(request):
    return picker_options(
        request, selectors.people_to_pick(), selectors.search_people, selectors.person_label
    )


@require_POST
def set_language(request):
    """Django's language switch, which also remembers the choice on the signed-in person's
    account, so the notices and e-mails sent to them later are in that language too."""
    response = i18n_views.set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.choose_language(person=request.user, language=language)
        request.session[PERSON_LANGUAGE] = language
    return response
