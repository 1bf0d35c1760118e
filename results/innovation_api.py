"""API: classes doing innovative work against the others (read), and marking classes."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.response import Response

from core.text import parse_id
from organisations.models import Organisation

from . import innovation, permissions, selectors
from .api import _scope, _year
from .indicators import INDICATORS
from .models import YEARS, InnovativeClass

_PARAMETERS = [
    OpenApiParameter("organisation", OpenApiTypes.INT, description="A school's id"),
    OpenApiParameter("network", OpenApiTypes.INT, description="A network's id"),
    OpenApiParameter("territory", OpenApiTypes.INT, description="A territory's id"),
    OpenApiParameter("year", OpenApiTypes.INT, description="School year (2025 = 2025/2026)"),
]


class GroupFigureSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    value = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    previous_value = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    change_from_previous_period = serializers.DecimalField(
        max_digits=5, decimal_places=1, allow_null=True
    )


class GroupSerializer(serializers.Serializer):
    group = serializers.CharField(help_text="innovative, same_grades or others.")
    count_5 = serializers.IntegerField()
    count_4 = serializers.IntegerField()
    count_3 = serializers.IntegerField()
    count_2 = serializers.IntegerField()
    count_na = serializers.IntegerField()
    assessed = serializers.IntegerField()
    figures = GroupFigureSerializer(many=True)


class PeriodComparisonSerializer(serializers.Serializer):
    period = serializers.CharField()
    groups = GroupSerializer(many=True)


class ComparisonSerializer(serializers.Serializer):
    school_year = serializers.IntegerField()
    formulas = serializers.DictField(child=serializers.CharField())
    periods = PeriodComparisonSerializer(many=True)


class InnovationComparisonView(GenericAPIView):
    """Knowledge quality and pass rate of the classes doing innovative work against the other
    classes of the same schools (of the same grades, and all of them), per period of a school
    year, each with its change from the previous period for the same pupils."""

    serializer_class = ComparisonSerializer

    @extend_schema(
        parameters=_PARAMETERS,
        responses={
            200: ComparisonSerializer,
            404: OpenApiResponse(description="No such school, network or territory."),
        },
        tags=["results"],
    )
    def get(self, request):
        if request.query_params.get("community"):
            raise ValidationError(
                {"community": ["The comparison is for a school, a network or a territory."]}
            )
        scope, country = _scope(request)
        comparison = innovation.innovation_comparison(
            selectors.row_condition(scope), _year(request), country
        )
        data = {
            "school_year": comparison.school_year,
            "formulas": {code: str(i.formula) for code, i in INDICATORS.items()},
            "periods": [
                {
                    "period": row.period.code,
                    "groups": [
                        {
                            "group": g.group,
                            **g.counts,
                            "assessed": g.assessed,
                            "figures": [
                                {
                                    "indicator": f["indicator"].code,
                                    "value": f["value"],
                                    "previous_value": f["previous"],
                                    "change_from_previous_period": f["change"],
                                }
                                for f in g.figures
                            ],
                        }
                        for g in row.groups
                    ],
                }
                for row in comparison.periods
            ],
        }
        return Response(ComparisonSerializer(data).data)


class InnovativeClassSerializer(serializers.ModelSerializer):
    class Meta:
        model = InnovativeClass
        fields = [
            "id",
            "organisation",
            "school_year",
            "grade",
            "letter",
            "subject",
            "innovation",
            "community",
        ]
        read_only_fields = ["id"]
        # The upsert decides on the unique key itself; a second POST updates, not refuses.
        validators: list = []


class InnovativeClassWriteSerializer(serializers.Serializer):
    organisation = serializers.IntegerField()
    school_year = serializers.IntegerField(validators=YEARS)
    grade = serializers.IntegerField(min_value=1, max_value=12)
    letter = serializers.CharField(max_length=10, allow_blank=True, default="")
    subject = serializers.CharField(
        max_length=200, allow_blank=True, default="", help_text="Blank: all subjects."
    )
    innovation = serializers.CharField(max_length=innovation.INNOVATION_MAX)
    community = serializers.IntegerField(required=False, allow_null=True, default=None)


def _organisation(user, organisation_id, check) -> Organisation:
    pk = parse_id(organisation_id)
    if pk is None:
        raise ValidationError({"organisation": ["Name a school (organisation id)."]})
    organisation = Organisation.objects.select_related("territory").filter(pk=pk).first()
    if organisation is None:
        raise NotFound
    if not check(user, organisation):
        raise PermissionDenied
    return organisation


class InnovativeClassListView(ListAPIView):
    """A school's classes doing innovative work in a school year (paginated). POST marks a
    class (or updates what its work is): the same class again updates the one record."""

    serializer_class = InnovativeClassSerializer
    filter_backends: list = []

    @extend_schema(
        parameters=[_PARAMETERS[0], _PARAMETERS[3]],
        responses={
            200: InnovativeClassSerializer(many=True),
            404: OpenApiResponse(description="No such school."),
        },
        tags=["results"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return InnovativeClass.objects.none()
        organisation = _organisation(
            self.request.user,
            self.request.query_params.get("organisation"),
            permissions.can_view_school_results,
        )
        return InnovativeClass.objects.filter(
            organisation=organisation, school_year=_year(self.request)
        ).order_by("grade", "letter", "subject", "pk")

    @extend_schema(
        request=InnovativeClassWriteSerializer,
        responses={
            200: InnovativeClassSerializer,
            201: InnovativeClassSerializer,
            400: OpenApiResponse(description="Bad input, named by field."),
            403: OpenApiResponse(description="Not the school's administration."),
            404: OpenApiResponse(description="No such school."),
        },
        tags=["results"],
    )
    def post(self, request):
        organisation = _organisation(
            request.user, request.data.get("organisation"), permissions.can_mark_innovative_classes
        )
        serializer = InnovativeClassWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        key = {
            "grade": data["grade"],
            "letter": data["letter"].strip(),
            "subject": data["subject"].strip(),
        }
        existed = InnovativeClass.objects.filter(
            organisation=organisation, school_year=data["school_year"], **key
        ).exists()
        try:
            innovation.mark_classes(
                actor=request.user,
                organisation=organisation,
                school_year=data["school_year"],
                marks=[
                    innovation.Mark(
                        key["grade"], key["letter"], data["innovation"], data["community"],
                        key["subject"],
                    )
                ],
            )  # fmt: skip
        except innovation.MarkError as exc:
            raise ValidationError({exc.field: [exc.message]}) from exc
        record = InnovativeClass.objects.get(
            organisation=organisation, school_year=data["school_year"], **key
        )
        return Response(
            InnovativeClassSerializer(record).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )


class InnovativeClassDetailView(GenericAPIView):
    """Take the mark off a class (its results stay)."""

    serializer_class = InnovativeClassSerializer
    queryset = InnovativeClass.objects.select_related("organisation__territory")

    @extend_schema(tags=["results"], responses={204: None, 403: None, 404: None})
    def delete(self, request, pk: int):
        record = get_object_or_404(self.get_queryset(), pk=pk)
        if not permissions.can_mark_innovative_classes(request.user, record.organisation):
            raise PermissionDenied
        innovation.unmark_class(actor=request.user, record=record)
        return Response(status=status.HTTP_204_NO_CONTENT)
