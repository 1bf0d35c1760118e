"""API for the teacher import: upload a list (checked or applied at once) and read a report."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.fields import empty
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.reverse import reverse

from core.text import parse_id
from organisations.models import Organisation

from . import imports
from .models import TeacherImport
from .permissions import can_manage_organisation_staff


class _DryRunField(serializers.BooleanField):
    """Left out of a multipart form, a checkbox would read as false; here it means a dry run."""

    default_empty_html = empty


class TeacherImportCreateSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="Excel (.xlsx) or CSV (UTF-8 or Windows-1251).")
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.select_related("territory")
    )
    dry_run = _DryRunField(
        default=True, help_text="Only check the file (default). False writes, all rows or none."
    )

    def validate_file(self, value):
        try:
            imports.check_file(value)
        except imports.ImportFileError as exc:
            raise serializers.ValidationError(exc.message) from exc
        return value


class ImportRowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(
        allow_null=True, help_text="Row number in the file as Excel shows it; null for the file."
    )
    message = serializers.CharField()


class TeacherImportSerializer(serializers.Serializer):
    """A TeacherImport with its report."""

    id = serializers.IntegerField()
    organisation = serializers.IntegerField(source="organisation_id")
    status = serializers.ChoiceField(choices=TeacherImport.Status.choices)
    dry_run = serializers.BooleanField()
    original_name = serializers.CharField()
    created_at = serializers.DateTimeField()
    rows_total = serializers.IntegerField()
    rows_done = serializers.IntegerField()
    rows_checked = serializers.IntegerField()
    created = serializers.IntegerField(help_text="People created (or to be, in a dry run)")
    updated = serializers.IntegerField(help_text="People updated (or to be, in a dry run)")
    unchanged = serializers.IntegerField()
    applied = serializers.BooleanField(help_text="True when the rows were written")
    file_error = serializers.CharField(allow_blank=True)
    header_row = serializers.IntegerField(allow_null=True)
    columns = serializers.ListField(child=serializers.CharField())
    errors = ImportRowErrorSerializer(many=True)

    def to_representation(self, instance: TeacherImport):
        report = imports.ImportReport.from_dict(instance.report, dry_run=instance.dry_run)
        data = {
            "id": instance.pk,
            "organisation_id": instance.organisation_id,
            "status": instance.status,
            "dry_run": instance.dry_run,
            "original_name": instance.original_name,
            "created_at": instance.created_at,
            "rows_total": instance.rows_total,
            "rows_done": instance.rows_done,
            **report.to_dict(),
        }
        data["dry_run"] = instance.dry_run
        return super().to_representation(data)


def _check(user, organisation: Organisation) -> None:
    if not can_manage_organisation_staff(user, organisation):
        raise PermissionDenied


class TeacherImportCreateView(GenericAPIView):
    """Upload a teacher list of one organisation.

    The file is checked row by row and the report returned. With `dry_run=false` the rows are
    written in one transaction - all or none: a file with bad rows writes nothing and answers 400
    with the same report. Re-importing the same file changes nothing. A list up to
    IMPORT_INLINE_MAX_BYTES (256 KiB by default, a few thousand teachers) is imported within the
    call; a larger one answers 202 and runs in the background, as on the upload page.
    """

    serializer_class = TeacherImportCreateSerializer
    parser_classes = [MultiPartParser]
    throttle_scope = "import"

    @extend_schema(
        request=TeacherImportCreateSerializer,
        responses={
            201: TeacherImportSerializer,
            202: OpenApiResponse(
                TeacherImportSerializer,
                description="A large file: the import runs in the background; poll the import "
                "named in the Location header until its status is no longer pending or running.",
            ),
            400: OpenApiResponse(
                TeacherImportSerializer,
                description="Bad rows when applying, or a file that cannot be read (the report "
                "says why); or invalid input (field errors).",
            ),
            403: OpenApiResponse(description="Not allowed to manage the organisation's staff."),
        },
        tags=["imports"],
    )
    def post(self, request):
        # Permission first, so that others learn nothing about the file.
        organisation_id = request.data.get("organisation")
        if parse_id(organisation_id) is not None:
            organisation = (
                Organisation.objects.select_related("territory")
                .filter(pk=int(organisation_id))
                .first()
            )
            if organisation is not None:
                _check(request.user, organisation)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organisation = serializer.validated_data["organisation"]
        _check(request.user, organisation)
        record = imports.create_import(
            organisation=organisation,
            file=serializer.validated_data["file"],
            dry_run=serializer.validated_data["dry_run"],
            actor=request.user,
        )
        return _started(request, imports.start_import(record))


def _started(request, record: TeacherImport) -> Response:
    """201 with the report of an import that ran within the call (400 when it failed), or 202
    with a Location to poll for a large one that runs in the background."""
    data = TeacherImportSerializer(record).data
    if record.status in TeacherImport.ACTIVE:
        location = reverse("teacher-import-detail", args=[record.pk], request=request)
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": location})
    if record.status == TeacherImport.Status.FAILED:
        return Response(data, status=status.HTTP_400_BAD_REQUEST)
    return Response(data, status=status.HTTP_201_CREATED)


class TeacherImportDetailView(GenericAPIView):
    """Status, progress and report of one teacher import."""

    serializer_class = TeacherImportSerializer
    queryset = TeacherImport.objects.select_related("organisation__territory")

    @extend_schema(
        responses={
            200: TeacherImportSerializer,
            403: OpenApiResponse(description="Not allowed to manage the organisation's staff."),
            404: OpenApiResponse(description="No such import."),
        },
        tags=["imports"],
    )
    def get(self, request, pk: int):
        record = get_object_or_404(self.get_queryset(), pk=pk)
        _check(request.user, record.organisation)
        if imports.fail_stale_imports(TeacherImport.objects.filter(pk=record.pk)):
            record.refresh_from_db()
        return Response(self.get_serializer(record).data)


class TeacherImportRerunView(GenericAPIView):
    """Run a failed import's file again (after a crash, say); answers the new import.

    Like an upload: 201 with the report, 400 when it failed, 202 when a large file runs on in the
    background.
    """

    serializer_class = TeacherImportSerializer
    queryset = TeacherImport.objects.select_related("organisation__territory")
    throttle_scope = "import"

    @extend_schema(
        request=None,
        responses={
            201: TeacherImportSerializer,
            202: OpenApiResponse(
                TeacherImportSerializer,
                description="A large file: the new run goes on in the background (see Location).",
            ),
            400: OpenApiResponse(
                description="Only a failed import can be run again; or the new run failed."
            ),
            403: OpenApiResponse(description="Not allowed to manage the organisation's staff."),
            404: OpenApiResponse(description="No such import."),
        },
        tags=["imports"],
    )
    def post(self, request, pk: int):
        source = get_object_or_404(self.get_queryset(), pk=pk)
        _check(request.user, source.organisation)
        imports.fail_stale_imports(TeacherImport.objects.filter(pk=source.pk))
        source.refresh_from_db()
        return _started(
            request, imports.start_import(imports.rerun_import(source=source, actor=request.user))
        )
