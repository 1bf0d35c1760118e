"""The REST API of the year's reports: read, and the submit / accept / return actions.

Lists hold only the reports the caller writes or receives (``permissions.visible_q``); any other
report is 404. The actions go through the services, which ask the same policy (403)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from . import rules, selectors, services
from .models import Report, Submission


class SubmissionSerializer(serializers.ModelSerializer):
    submitted_by_name = serializers.CharField(
        source="submitted_by.full_name", read_only=True, default=""
    )

    class Meta:
        model = Submission
        fields = [
            "id", "number", "submitted_by", "submitted_by_name", "submitted_at", "due_on",
            "late", "decision", "decided_by", "decided_at", "comment",
        ]  # fmt: skip
        read_only_fields = fields


class YearReportSerializer(serializers.ModelSerializer):
    owner_name = serializers.SerializerMethodField()
    due_on = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "id", "owner_type", "community", "organisation", "network", "territory",
            "owner_name", "school_year", "status", "due_on", "analysis", "problems", "tasks",
            "version", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_owner_name(self, report: Report) -> str:
        return selectors.owner_title(report)

    def get_due_on(self, report: Report) -> str | None:
        due = rules.due_of(report)
        return due.isoformat() if due else None


class YearReportDetailSerializer(YearReportSerializer):
    submissions = SubmissionSerializer(many=True, read_only=True)

    class Meta(YearReportSerializer.Meta):
        fields = [*YearReportSerializer.Meta.fields, "submissions"]
        read_only_fields = fields


class DecisionSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class YearReportViewSet(viewsets.ReadOnlyModelViewSet):
    def get_queryset(self):
        qs = selectors.visible_reports(self.request.user).select_related(
            "community__kind", "organisation__territory", "network__territory", "territory"
        )
        if self.action == "retrieve" or self.action in ("submit", "accept", "return_"):
            qs = qs.prefetch_related("submissions__submitted_by")
        return qs

    def get_serializer_class(self):
        if self.action in ("list",):
            return YearReportSerializer
        return YearReportDetailSerializer

    def _answer(self, report: Report) -> Response:
        report = self.get_queryset().get(pk=report.pk)
        return Response(YearReportDetailSerializer(report).data)

    @extend_schema(request=None, responses=YearReportDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        report = self.get_object()
        services.submit(actor=request.user, report=report)
        return self._answer(report)

    @extend_schema(request=DecisionSerializer, responses=YearReportDetailSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        report = self.get_object()
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.decide(actor=request.user, report=report, accept=True, **body.validated_data)
        return self._answer(report)

    @extend_schema(request=DecisionSerializer, responses=YearReportDetailSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        report = self.get_object()
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.decide(actor=request.user, report=report, accept=False, **body.validated_data)
        return self._answer(report)
