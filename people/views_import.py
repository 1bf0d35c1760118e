"""Pages for importing a school's teacher list: upload, progress and report, apply."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe
from django_ratelimit.decorators import ratelimit

from core.downloads import serve_upload
from core.forms import flash_errors
from organisations.models import Organisation

from . import imports
from .models import TeacherImport
from .permissions import can_manage_organisation_staff


class TeacherImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Teacher list"))
    dry_run = forms.BooleanField(
        label=gettext_lazy("Dry run: only check the file, write nothing"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Excel (.xlsx) or CSV (UTF-8 or Windows-1251), up to %(size)s."
        ) % {"size": filesizeformat(settings.MAX_UPLOAD_BYTES)}
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.csv,.txt"

    def clean_file(self):
        file = self.cleaned_data["file"]
        try:
            imports.check_file(file)
        except imports.ImportFileError as exc:
            raise forms.ValidationError(exc.message) from exc
        return file


def _organisation(request, org_pk: int) -> Organisation:
    organisation = get_object_or_404(Organisation.objects.select_related("territory"), pk=org_pk)
    if not can_manage_organisation_staff(request.user, organisation):
        raise PermissionDenied
    return organisation


def _import_rate(group, request) -> str:
    # The same budget as the API's "import" scope, written the way django-ratelimit reads it.
    count, _sep, period = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["import"].partition("/")
    return f"{count}/{period[:1]}"


@login_required
@ratelimit(key="user", rate=_import_rate, method="POST", block=True)
def upload(request, org_pk: int):
    organisation = _organisation(request, org_pk)
    form = TeacherImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        record = imports.create_import(
            organisation=organisation,
            file=form.cleaned_data["file"],
            dry_run=form.cleaned_data["dry_run"],
            actor=request.user,
        )
        imports.start_import(record)
        return redirect("imports:status", org_pk=organisation.pk, pk=record.pk)
    recent = TeacherImport.objects.filter(organisation=organisation).select_related("created_by")[
        :10
    ]
    return render(
        request,
        "people/import_upload.html",
        {
            "organisation": organisation,
            "form": form,
            "recent": recent,
            "field_labels": imports.FIELD_LABELS,
        },
    )


def _status_context(record: TeacherImport) -> dict:
    report = imports.ImportReport.from_dict(record.report, dry_run=record.dry_run)
    running = record.status in (TeacherImport.Status.PENDING, TeacherImport.Status.RUNNING)
    percent = int(record.rows_done * 100 / record.rows_total) if record.rows_total else 0
    return {
        "organisation": record.organisation,
        "record": record,
        "report": report,
        "running": running,
        "percent": min(percent, 100),
        "columns": [imports.FIELD_LABELS.get(c, c) for c in report.columns],
        "can_apply": imports.can_apply(record),
        "can_rerun": imports.can_rerun(record),
        "apply_url": reverse("imports:apply", args=[record.organisation_id, record.pk]),
        "upload_url": reverse("imports:upload", args=[record.organisation_id]),
    }


@login_required
def status(request, org_pk: int, pk: int):
    organisation = _organisation(request, org_pk)
    record = get_object_or_404(
        TeacherImport.objects.select_related("organisation", "created_by"),
        pk=pk,
        organisation=organisation,
    )
    if imports.fail_stale_imports(TeacherImport.objects.filter(pk=record.pk)):
        record.refresh_from_db()
    template = "people/_import_status.html" if request.htmx else "people/import_status.html"
    response = render(request, template, _status_context(record))
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_safe
def uploaded_file(request, org_pk: int, pk: int):
    """The list as it was uploaded, to those who may run the organisation's imports."""
    organisation = _organisation(request, org_pk)
    record = get_object_or_404(TeacherImport, pk=pk, organisation=organisation)
    return serve_upload(record.file, filename=record.original_name)


@login_required
@require_POST
def apply(request, org_pk: int, pk: int):
    organisation = _organisation(request, org_pk)
    source = get_object_or_404(TeacherImport, pk=pk, organisation=organisation)
    if not imports.can_apply(source):
        messages.error(request, _("Only a finished dry run without bad rows can be applied."))
        return redirect("imports:status", org_pk=organisation.pk, pk=source.pk)
    record = imports.create_apply_import(source=source, actor=request.user)
    imports.start_import(record)
    return redirect("imports:status", org_pk=organisation.pk, pk=record.pk)


@login_required
@require_POST
def rerun(request, org_pk: int, pk: int):
    organisation = _organisation(request, org_pk)
    source = get_object_or_404(TeacherImport, pk=pk, organisation=organisation)
    try:
        record = imports.rerun_import(source=source, actor=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
        return redirect("imports:status", org_pk=organisation.pk, pk=source.pk)
    imports.start_import(record)
    return redirect("imports:status", org_pk=organisation.pk, pk=record.pk)
