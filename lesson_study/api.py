"""Cycles (read) and observation sheets (read; the observer fills their own) over the API."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import PermissionDenied

from core.text import parse_id

from . import permissions, selectors, services
from .models import CasePupil, Cycle, LessonPlan, ObservationSheet


class PupilSerializer(serializers.ModelSerializer):
    class Meta:
        model = CasePupil
        fields = ["id", "pseudonym", "level"]


class LessonPlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = LessonPlan
        fields = ["id", "number", "text", "note", "created_at"]


class CycleSerializer(serializers.ModelSerializer):
    pupils = PupilSerializer(many=True, read_only=True)
    lesson_plans = LessonPlanSerializer(many=True, read_only=True)

    class Meta:
        model = Cycle
        fields = [
            "id", "community", "kind", "research_question", "subject", "class_name", "stage",
            "starts_on", "ends_on", "discussion", "revised_lesson", "actions", "data",
            "conclusions", "pupils", "lesson_plans",
        ]  # fmt: skip
        read_only_fields = fields


class SheetSerializer(serializers.ModelSerializer):
    cycle = serializers.IntegerField(source="lesson.cycle_id", read_only=True)
    round = serializers.IntegerField(source="lesson.round", read_only=True)
    pseudonym = serializers.CharField(source="pupil.pseudonym", read_only=True)

    class Meta:
        model = ObservationSheet
        fields = [
            "id", "cycle", "lesson", "round", "pupil", "pseudonym", "observer", "expected",
            "observed", "evidence", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["lesson", "pupil", "observer", "updated_at"]


class CycleViewSet(viewsets.ReadOnlyModelViewSet):
    """Cycles of the teams the caller works in or reads (a PLC's leader, admins, the centre)."""

    serializer_class = CycleSerializer
    filterset_fields = ["community", "kind", "stage"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Cycle.objects.none()
        return (
            selectors.visible_cycles(self.request.user)
            .prefetch_related("pupils", "lesson_plans")
            .order_by("-created_at", "-id")
        )


@extend_schema_view(list=extend_schema(parameters=[OpenApiParameter("cycle", int, required=False)]))
class ObservationSheetViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Observation sheets of the cycles the caller may read; an observer updates their own."""

    serializer_class = SheetSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ObservationSheet.objects.none()
        qs = selectors.visible_sheets(self.request.user).order_by(
            "lesson_id", "pupil__pseudonym", "observer_id", "id"
        )
        cycle = parse_id(self.request.query_params.get("cycle", ""))
        if cycle is not None:
            qs = qs.filter(lesson__cycle_id=cycle)
        return qs

    def perform_update(self, serializer):
        sheet = self.get_object()
        sheet.lesson.cycle = selectors.cycle_detail(sheet.lesson.cycle_id)
        if not permissions.can_edit_sheet(self.request.user, sheet):
            raise PermissionDenied
        data = serializer.validated_data
        serializer.instance = services.fill_sheet(
            lesson=sheet.lesson,
            pupil=sheet.pupil,
            observer=self.request.user,
            expected=data.get("expected", sheet.expected),
            observed=data.get("observed", sheet.observed),
            evidence=data.get("evidence", sheet.evidence),
            actor=self.request.user,
        )
