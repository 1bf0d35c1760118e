"""API: upload a school's results file (checked or applied at once), read an import's report,
and read indicators and the rows behind them (read-only)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.fields import empty
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.reverse import reverse

from communities.models import Community
from core.schoolyear import school_year_of
from core.text import parse_id
from organisations.models import Network, Organisation, Territory
from people.imports import ImportFileError, check_file

from . import imports, permissions, selectors
from .indicators import INDICATORS
from .models import YEARS, AssessmentPeriod, ResultImport, ResultRow


class _DryRunField(serializers.BooleanField):
    default_empty_html = empty  # left out of a multipart form it means a dry run


class ResultImportCreateSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="Excel (.xlsx) or CSV (UTF-8 or Windows-1251).")
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.select_related("territory")
    )
    school_year = serializers.IntegerField(
        validators=YEARS, help_text="The year the school year starts in (2025 for 2025/2026)."
    )
    period = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Code of the period of rows without one (q1…q4, t1…t3, h1, h2, year).",
    )
    dry_run = _DryRunField(default=True)

    def validate_file(self, file):
        try:
            check_file(file)
        except ImportFileError as exc:
            raise serializers.ValidationError(exc.message) from exc
        return file


class ResultImportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    organisation = serializers.IntegerField(source="organisation_id")
    school_year = serializers.IntegerField()
    # The teacher import's statuses, documented as text so the schema's enums keep their names.
    status = serializers.CharField(
        help_text="pending, running, checked (a dry run), applied or failed."
    )
    dry_run = serializers.BooleanField()
    original_name = serializers.CharField()
    created_at = serializers.DateTimeField()
    rows_total = serializers.IntegerField()
    rows_done = serializers.IntegerField()
    report = serializers.JSONField()


def _organisation_for_import(user, organisation_id) -> Organisation | None:
    if parse_id(organisation_id) is None:
        return None
    organisation = (
        Organisation.objects.select_related("territory").filter(pk=int(organisation_id)).first()
    )
    if organisation is not None and not permissions.can_import_results(user, organisation):
        raise PermissionDenied
    return organisation


def _started(request, record: ResultImport) -> Response:
    data = ResultImportSerializer(record).data
    if record.status in ResultImport.ACTIVE:
        location = reverse("results-import-detail", args=[record.pk], request=request)
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": location})
    if record.status == ResultImport.Status.FAILED:
        return Response(data, status=status.HTTP_400_BAD_REQUEST)
    return Response(data, status=status.HTTP_201_CREATED)


class ResultImportCreateView(GenericAPIView):
    """Upload a school's results: a table of counts of marks per class, subject, teacher and
    period, or an electronic journal's export with one row per pupil and mark (aggregated on
    import; pupils' names are never stored). All rows or none; the same file again changes
    nothing; a large file answers 202 and runs in the background."""

    serializer_class = ResultImportCreateSerializer
    parser_classes = [MultiPartParser]
    throttle_scope = "import"

    @extend_schema(
        responses={
            201: ResultImportSerializer,
            202: OpenApiResponse(ResultImportSerializer, description="Runs in the background."),
            400: OpenApiResponse(ResultImportSerializer, description="Bad rows or bad file."),
            403: OpenApiResponse(description="Not allowed to import for the school."),
        },
        tags=["results"],
    )
    def post(self, request):
        _organisation_for_import(request.user, request.data.get("organisation"))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        organisation = data["organisation"]
        if not permissions.can_import_results(request.user, organisation):
            raise PermissionDenied
        period = None
        if data.get("period"):
            period = AssessmentPeriod.objects.filter(
                country_code=organisation.territory.country_code, code=data["period"]
            ).first()
            if period is None:
                raise ValidationError({"period": ["Unknown period code."]})
        record = imports.create_import(
            organisation=organisation,
            school_year=data["school_year"],
            period=period,
            file=data["file"],
            dry_run=data["dry_run"],
            actor=request.user,
        )
        return _started(request, imports.start_import(record))


class ResultImportDetailView(GenericAPIView):
    """Status, progress and report of one results import."""

    serializer_class = ResultImportSerializer
    queryset = ResultImport.objects.select_related("organisation__territory")

    @extend_schema(tags=["results"])
    def get(self, request, pk: int):
        record = get_object_or_404(self.get_queryset(), pk=pk)
        if not permissions.can_import_results(request.user, record.organisation):
            raise PermissionDenied
        if imports.fail_stale_imports(ResultImport.objects.filter(pk=record.pk)):
            record.refresh_from_db()
        return Response(ResultImportSerializer(record).data)


_SCOPE_PARAMETERS = [
    OpenApiParameter("organisation", OpenApiTypes.INT, description="A school's id"),
    OpenApiParameter("community", OpenApiTypes.INT, description="A community's id"),
    OpenApiParameter("network", OpenApiTypes.INT, description="A network's id"),
    OpenApiParameter("territory", OpenApiTypes.INT, description="A territory's id"),
    OpenApiParameter("year", OpenApiTypes.INT, description="School year (2025 = 2025/2026)"),
]


def _scope(request):
    """The scope named in the query, its country, and whether the user may read it."""
    organisation_id = parse_id(request.query_params.get("organisation"))
    community_id = parse_id(request.query_params.get("community"))
    if organisation_id is not None:
        organisation = (
            Organisation.objects.select_related("territory").filter(pk=organisation_id).first()
        )
        if organisation is None:
            raise NotFound
        if not permissions.can_view_school_results(request.user, organisation):
            raise PermissionDenied
        return selectors.school_scope(organisation), organisation.territory.country_code
    if community_id is not None:
        community = (
            Community.objects.select_related("territory", "kind").filter(pk=community_id).first()
        )
        if community is None:
            raise NotFound
        if not permissions.can_view_community_results(request.user, community):
            raise PermissionDenied
        return selectors.community_scope(community), community.territory.country_code
    network_id = parse_id(request.query_params.get("network"))
    if network_id is not None:
        network = Network.objects.select_related("territory").filter(pk=network_id).first()
        if network is None:
            raise NotFound
        if not permissions.can_view_network_results(request.user, network):
            raise PermissionDenied
        return selectors.network_scope(network), network.territory.country_code
    territory_id = parse_id(request.query_params.get("territory"))
    if territory_id is not None:
        territory = Territory.objects.filter(pk=territory_id).first()
        if territory is None:
            raise NotFound
        if not permissions.can_view_territory_results(request.user, territory):
            raise PermissionDenied
        return selectors.territory_scope(territory), territory.country_code
    raise ValidationError(
        {"organisation": ["Name a school (organisation), a community, a network or a territory."]}
    )


def _year(request) -> int:
    year = parse_id(request.query_params.get("year"))
    return year if year and 2000 <= year <= 2100 else school_year_of(timezone.localdate())


class FigureSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    value = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    change_from_previous_period = serializers.DecimalField(
        max_digits=5, decimal_places=1, allow_null=True
    )
    change_from_last_year = serializers.DecimalField(
        max_digits=5, decimal_places=1, allow_null=True
    )


class IndicatorCellSerializer(serializers.Serializer):
    subject = serializers.CharField(help_text="Empty: all subjects together.")
    period = serializers.CharField()
    count_5 = serializers.IntegerField()
    count_4 = serializers.IntegerField()
    count_3 = serializers.IntegerField()
    count_2 = serializers.IntegerField()
    count_na = serializers.IntegerField()
    assessed = serializers.IntegerField()
    figures = FigureSerializer(many=True)


class IndicatorsSerializer(serializers.Serializer):
    school_year = serializers.IntegerField()
    formulas = serializers.DictField(child=serializers.CharField())
    cells = IndicatorCellSerializer(many=True)


class IndicatorsView(GenericAPIView):
    """Knowledge quality and pass rate by subject and period of a school year, for a school, a
    community, a network or a territory, with the change from the previous period and from the
    same period a year before. Computed from the imported rows; the formulas come with them."""

    serializer_class = IndicatorsSerializer

    @extend_schema(
        parameters=_SCOPE_PARAMETERS,
        responses={
            200: IndicatorsSerializer,
            404: OpenApiResponse(description="No such school, community, network or territory."),
        },
        tags=["results"],
    )
    def get(self, request):
        scope, country = _scope(request)
        table = selectors.indicator_table(scope, _year(request), country)
        cells = []
        for subject in table.subjects:
            for period in table.periods:
                cell = table.cell(subject, period)
                if cell is None:
                    continue
                cells.append(
                    {
                        "subject": subject,
                        "period": period.code,
                        **cell.counts,
                        "assessed": cell.assessed,
                        "figures": [
                            {
                                "indicator": f["indicator"].code,
                                "value": f["value"],
                                "change_from_previous_period": f["previous"],
                                "change_from_last_year": f["last_year"],
                            }
                            for f in cell.figures
                        ],
                    }
                )
        data = {
            "school_year": table.school_year,
            "formulas": {code: str(i.formula) for code, i in INDICATORS.items()},
            "cells": cells,
        }
        return Response(IndicatorsSerializer(data).data)


class ResultRowSerializer(serializers.ModelSerializer):
    period = serializers.SlugRelatedField(slug_field="code", read_only=True)
    class_name = serializers.CharField(read_only=True)

    class Meta:
        model = ResultRow
        fields = [
            "id",
            "organisation",
            "school_year",
            "period",
            "grade",
            "letter",
            "class_name",
            "subject",
            "teacher",
            "teacher_name",
            *ResultRow.COUNT_FIELDS,
        ]


class ResultRowListView(ListAPIView):
    """The class rows behind the figures of a school, community, network or territory
    (paginated)."""

    serializer_class = ResultRowSerializer
    filter_backends: list = []

    @extend_schema(
        parameters=[
            *_SCOPE_PARAMETERS,
            OpenApiParameter("period", OpenApiTypes.STR, description="Period code"),
            OpenApiParameter("subject", OpenApiTypes.STR),
        ],
        tags=["results"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ResultRow.objects.none()
        scope, country = _scope(self.request)
        code = self.request.query_params.get("period", "")
        period = AssessmentPeriod.objects.filter(country_code=country, code=code).first()
        return selectors.rows_behind(
            selectors.row_condition(scope),
            school_year=_year(self.request),
            period=period,
            subject=self.request.query_params.get("subject", "")[:200],
        )


# Exams and control works (results.exams): read-only, the same scopes and policy as above.
from .exams import EXAM_FIGURES, exam_lines, exam_rows, kinds_for  # noqa: E402
from .models import ExamResult  # noqa: E402


def _exam_kind(request, country: str):
    code = request.query_params.get("kind", "")
    return next((k for k in kinds_for(country) if k.code == code), None) if code else None


_EXAM_PARAMETERS = [
    *_SCOPE_PARAMETERS,
    OpenApiParameter("kind", OpenApiTypes.STR, description="Kind of assessment code (ent, oge…)"),
]


class ExamLineSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="Kind of assessment code")
    kind_name = serializers.CharField()
    max_score = serializers.IntegerField(allow_null=True)
    pass_score = serializers.IntegerField(allow_null=True)
    subject = serializers.CharField(help_text="Empty: all subjects of the kind together.")
    sat = serializers.IntegerField()
    score_sum = serializers.IntegerField()
    judged = serializers.IntegerField()
    passed = serializers.IntegerField()
    count_5 = serializers.IntegerField()
    count_4 = serializers.IntegerField()
    count_3 = serializers.IntegerField()
    count_2 = serializers.IntegerField()
    bands = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Pupils by fifths of the maximum score, lowest first (zeros without a maximum).",
    )
    average_score = serializers.DecimalField(max_digits=7, decimal_places=1, allow_null=True)
    passed_share = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)


class ExamsSerializer(serializers.Serializer):
    school_year = serializers.IntegerField()
    formulas = serializers.DictField(child=serializers.CharField())
    lines = ExamLineSerializer(many=True)


class ExamsView(GenericAPIView):
    """Exams and control works of a school year per kind and subject, for a school, community,
    network or territory: pupils who sat, average score, share passed, marks and score bands.
    Computed from the imported class rows; the formulas come with them."""

    serializer_class = ExamsSerializer

    @extend_schema(
        parameters=_EXAM_PARAMETERS,
        responses={
            200: ExamsSerializer,
            404: OpenApiResponse(description="No such school, community, network or territory."),
        },
        tags=["results"],
    )
    def get(self, request):
        scope, country = _scope(request)
        year = _year(request)
        lines = exam_lines(
            selectors.row_condition(scope), year, kinds_for(country), _exam_kind(request, country)
        )
        data = {
            "school_year": year,
            "formulas": {code: str(f.formula) for code, f in EXAM_FIGURES.items()},
            "lines": [
                {
                    "kind": line.kind.code,
                    "kind_name": line.kind.name,
                    "max_score": line.kind.max_score,
                    "pass_score": line.kind.pass_score,
                    "subject": line.subject,
                    **{f: line.sums[f] for f in ExamResult.SUM_FIELDS if not f.startswith("band")},
                    "bands": [line.sums[f] for f in ExamResult.BAND_FIELDS],
                    **line.values,
                }
                for line in lines
            ],
        }
        return Response(ExamsSerializer(data).data)


class ExamResultSerializer(serializers.ModelSerializer):
    kind = serializers.SlugRelatedField(slug_field="code", read_only=True)
    class_name = serializers.CharField(read_only=True)

    class Meta:
        model = ExamResult
        fields = [
            "id",
            "organisation",
            "school_year",
            "kind",
            "held_on",
            "grade",
            "letter",
            "class_name",
            "subject",
            "teacher",
            "teacher_name",
            *ExamResult.SUM_FIELDS,
        ]


class ExamResultListView(ListAPIView):
    """The class rows behind the exam figures of a school, community, network or territory
    (paginated)."""

    serializer_class = ExamResultSerializer
    filter_backends: list = []

    @extend_schema(
        parameters=[*_EXAM_PARAMETERS, OpenApiParameter("subject", OpenApiTypes.STR)],
        tags=["results"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ExamResult.objects.none()
        scope, country = _scope(self.request)
        return exam_rows(
            selectors.row_condition(scope),
            school_year=_year(self.request),
            kind=_exam_kind(self.request, country),
            subject=self.request.query_params.get("subject", "")[:200],
        )


# The import of an exam's pupils' scores, with the results import's discipline and answers.
from .imports import exams as exam_imports  # noqa: E402
from .models import AssessmentKind, ExamImport  # noqa: E402


class ExamImportCreateSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="Excel (.xlsx) or CSV: a row per pupil with class, subject, score [, mark, "
        "teacher]; a pupil's column is not read."
    )
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.select_related("territory")
    )
    school_year = serializers.IntegerField(
        validators=YEARS, help_text="The year the school year starts in (2025 for 2025/2026)."
    )
    kind = serializers.CharField(help_text="Kind of assessment code (ent, soch, oge, ege…).")
    held_on = serializers.DateField(help_text="The date the exam or work was held.")
    dry_run = _DryRunField(default=True)

    def validate_file(self, file):
        try:
            check_file(file)
        except ImportFileError as exc:
            raise serializers.ValidationError(exc.message) from exc
        return file


class ExamImportSerializer(ResultImportSerializer):
    kind = serializers.CharField(source="kind.code", help_text="Kind of assessment code")
    held_on = serializers.DateField()


def _exam_started(request, record: ExamImport) -> Response:
    data = ExamImportSerializer(record).data
    if record.status in ExamImport.ACTIVE:
        location = reverse("results-exam-import-detail", args=[record.pk], request=request)
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": location})
    if record.status == ExamImport.Status.FAILED:
        return Response(data, status=status.HTTP_400_BAD_REQUEST)
    return Response(data, status=status.HTTP_201_CREATED)


class ExamImportCreateView(GenericAPIView):
    """Upload a school's exam or control-work results: a row per pupil (class, subject, score
    and, where given, mark and teacher), summed per class and subject on import; pupils' names
    are never read or stored. All rows or none; the same file again changes nothing; a large
    file answers 202 and runs in the background."""

    serializer_class = ExamImportCreateSerializer
    parser_classes = [MultiPartParser]
    throttle_scope = "import"

    @extend_schema(
        responses={
            201: ExamImportSerializer,
            202: OpenApiResponse(ExamImportSerializer, description="Runs in the background."),
            400: OpenApiResponse(ExamImportSerializer, description="Bad rows or bad file."),
            403: OpenApiResponse(description="Not allowed to import for the school."),
        },
        tags=["results"],
    )
    def post(self, request):
        _organisation_for_import(request.user, request.data.get("organisation"))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        organisation = data["organisation"]
        if not permissions.can_import_results(request.user, organisation):
            raise PermissionDenied
        kind = AssessmentKind.objects.filter(
            country_code=organisation.territory.country_code, code=data["kind"]
        ).first()
        if kind is None:
            raise ValidationError(
                {"kind": ["Unknown kind of assessment for the school's country."]}
            )
        record = exam_imports.create_exam_import(
            organisation=organisation,
            school_year=data["school_year"],
            kind=kind,
            held_on=data["held_on"],
            file=data["file"],
            dry_run=data["dry_run"],
            actor=request.user,
        )
        return _exam_started(request, exam_imports.start_exam_import(record))


class ExamImportDetailView(GenericAPIView):
    """Status, progress and report of one exam results import."""

    serializer_class = ExamImportSerializer
    queryset = ExamImport.objects.select_related("organisation__territory", "kind")

    @extend_schema(tags=["results"])
    def get(self, request, pk: int):
        record = get_object_or_404(self.get_queryset(), pk=pk)
        if not permissions.can_import_results(request.user, record.organisation):
            raise PermissionDenied
        if exam_imports.fail_stale_exam_imports(ExamImport.objects.filter(pk=record.pk)):
            record.refresh_from_db()
        return Response(ExamImportSerializer(record).data)
