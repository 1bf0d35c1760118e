from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from communities import permissions as community_permissions
from communities.models import Community
from core.documents import DOCX, PDF, attachment

from . import documents, permissions, selectors, services
from .models import AgendaItem, ApprovalStep, Plan, PlannedMeeting, Target
from .workflow import Step

# Rows are written back with the ids they were read with: a row with its id is updated in place
# (its done flag and evidence stay), a row without one is new, a row left out is deleted.
ROW_ID_HELP = "Send it back to keep the row; leave it out for a new row."


class TargetSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(required=False, allow_null=True, help_text=ROW_ID_HELP)

    class Meta:
        model = Target
        fields = ["id", *services.TARGET_FIELDS, "actual_by", "actual_at"]
        read_only_fields = ["actual_by", "actual_at"]


class TargetValueSerializer(serializers.Serializer):
    """A target's actual value as the plan's page shows it: computed from the records its
    source names (with the formula and the records behind it), or typed."""

    target = serializers.IntegerField(source="target.pk")
    indicator = serializers.CharField(source="target.indicator")
    unit = serializers.CharField(source="target.unit")
    target_value = serializers.DecimalField(source="target.target", max_digits=10, decimal_places=2)
    higher_is_better = serializers.BooleanField(source="target.higher_is_better")
    actual = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    computed = serializers.BooleanField()
    source = serializers.CharField(source="target.source")
    source_label = serializers.CharField()
    formula = serializers.CharField()
    detail = serializers.CharField(help_text="The records counted, e.g. '12 of 20 members'.")
    url = serializers.CharField(help_text="The page listing the records counted.")
    status = serializers.ChoiceField(
        choices=["achieved", "not_yet", "missed", ""],
        help_text="Reached, not yet (the year goes on), missed (the year is over); empty: no "
        "figure yet.",
    )


class ActualSerializer(serializers.Serializer):
    target = serializers.IntegerField(help_text="A target (expected result) of this plan.")
    actual = serializers.DecimalField(
        max_digits=10, decimal_places=2, allow_null=True, help_text="null clears the value."
    )


class AgendaItemSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(required=False, allow_null=True, help_text=ROW_ID_HELP)

    class Meta:
        model = AgendaItem
        fields = ["id", *services.ITEM_FIELDS, "done"]
        read_only_fields = ["done"]


class PlannedMeetingSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(required=False, allow_null=True, help_text=ROW_ID_HELP)
    items = AgendaItemSerializer(many=True, required=False)

    class Meta:
        model = PlannedMeeting
        fields = ["id", "month", "title", "items"]


class StepSerializer(serializers.ModelSerializer):
    actor_name = serializers.CharField(source="actor.full_name", read_only=True)

    class Meta:
        model = ApprovalStep
        fields = ["action", "actor", "actor_name", "at", "comment"]


class PlanSerializer(serializers.ModelSerializer):
    targets = TargetSerializer(many=True, required=False)
    meetings = PlannedMeetingSerializer(many=True, required=False)
    steps = StepSerializer(many=True, read_only=True)
    version = serializers.IntegerField(required=False)

    class Meta:
        model = Plan
        fields = [
            "id", "community", "school_year", "revision", "previous", "status",
            *services.PLAN_FIELDS, "version", "targets", "meetings", "steps",
        ]  # fmt: skip
        read_only_fields = ["revision", "previous", "status"]


def _meeting_row(meeting: dict) -> dict:
    row = dict(meeting)
    if "items" in row:
        row["items"] = [dict(item) for item in row["items"]]
    return row


class PlanCreateSerializer(serializers.Serializer):
    community = serializers.PrimaryKeyRelatedField(queryset=Community.objects.all())
    school_year = serializers.IntegerField(min_value=2000, max_value=2100)
    copy_from = serializers.PrimaryKeyRelatedField(
        queryset=Plan.objects.all(), required=False, allow_null=True
    )


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class PlanViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Plans of work. Writing a draft needs the `version` read with it; a stale one gets 409."""

    serializer_class = PlanSerializer
    filterset_fields = ["community", "status", "school_year"]

    def get_queryset(self):
        visible = community_permissions.filter_visible(self.request.user, Community.objects.all())
        return (
            Plan.objects.filter(community__in=visible.values("pk"))
            .prefetch_related("targets", "meetings__items", "steps__actor")
            .order_by("community_id", "-school_year", "-revision")
        )

    def get_object(self):
        plan = super().get_object()
        plan = selectors.plan_detail(plan.pk)
        if not permissions.can_view(self.request.user, plan):
            raise PermissionDenied
        return plan

    @extend_schema(request=PlanCreateSerializer, responses={201: PlanSerializer})
    def create(self, request, *args, **kwargs):
        data = PlanCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        community = data.validated_data["community"]
        if not permissions.can_create(request.user, community):
            raise PermissionDenied
        source = data.validated_data.get("copy_from")
        if (
            source is not None
            and not selectors.plan_sources(community).filter(pk=source.pk).exists()
        ):
            raise serializers.ValidationError(
                {"copy_from": "Start from this community's plans or an approved plan of its kind."}
            )
        plan = services.create_plan(actor=request.user, **data.validated_data)
        return Response(PlanSerializer(plan).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PlanSerializer, responses={200: PlanSerializer, 409: None})
    def partial_update(self, request, pk=None):
        plan = self.get_object()
        if not permissions.can_edit(request.user, plan):
            raise PermissionDenied
        body = PlanSerializer(plan, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        if "version" not in values:
            raise serializers.ValidationError({"version": _("Send the version you read.")})
        meetings = values.pop("meetings", None)
        try:
            services.update_plan(
                plan=plan,
                version=values.pop("version"),
                fields={k: v for k, v in values.items() if k in services.PLAN_FIELDS},
                targets=[dict(t) for t in values["targets"]] if "targets" in values else None,
                meetings=[_meeting_row(m) for m in meetings] if meetings is not None else None,
            )
        except DjangoValidationError as exc:
            if getattr(exc, "code", None) == "stale":
                return Response({"detail": exc.messages[0]}, status=status.HTTP_409_CONFLICT)
            raise
        return Response(PlanSerializer(selectors.plan_detail(plan.pk)).data)

    def _step(self, request, step, service, comment_arg="comment"):
        plan = self.get_object()
        if not permissions.may_take(request.user, plan, step):
            raise PermissionDenied
        body = CommentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        result = service(
            plan=plan, actor=request.user, **{comment_arg: body.validated_data["comment"]}
        )
        return Response(PlanSerializer(selectors.plan_detail(result.pk)).data)

    @extend_schema(request=CommentSerializer, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def discuss(self, request, pk=None):
        return self._step(request, Step.DISCUSS, services.record_discussion)

    @extend_schema(request=CommentSerializer, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def agree(self, request, pk=None):
        return self._step(request, Step.AGREE, services.agree)

    @extend_schema(request=CommentSerializer, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._step(request, Step.APPROVE, services.approve)

    @extend_schema(request=CommentSerializer, responses=PlanSerializer)
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request, pk=None):
        return self._step(request, Step.SEND_BACK, services.send_back, "reason")

    @extend_schema(request=CommentSerializer, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        return self._step(request, Step.REVISE, services.start_revision)

    @extend_schema(responses=TargetValueSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="target-values", pagination_class=None)
    def target_values(self, request, pk=None):
        """The targets' actual values, computed where a source is set, and whether reached."""
        plan = self.get_object()
        return Response(TargetValueSerializer(selectors.target_rows(plan), many=True).data)

    @extend_schema(request=ActualSerializer, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def actual(self, request, pk=None):
        """Enter a target's actual value on the approved plan: a measurement, no revision."""
        plan = self.get_object()
        if not permissions.may_record_actual(request.user, plan):
            raise PermissionDenied
        body = ActualSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        target = next(
            (t for t in plan.targets.all() if t.pk == body.validated_data["target"]), None
        )
        if target is None:
            raise serializers.ValidationError({"target": _("No such target in this plan.")})
        services.record_actual(
            target=target, actor=request.user, value=body.validated_data["actual"]
        )
        return Response(PlanSerializer(selectors.plan_detail(plan.pk)).data)

    @extend_schema(
        responses={(200, DOCX): OpenApiResponse(OpenApiTypes.BINARY, description="Word file")}
    )
    @action(detail=True, methods=["get"], url_path="docx")
    def docx(self, request, pk=None):
        plan = self.get_object()
        return attachment(documents.plan_docx(plan), DOCX, f"plan-{plan.pk}.docx")

    @extend_schema(responses={(200, PDF): OpenApiResponse(OpenApiTypes.BINARY, description="PDF")})
    @action(detail=True, methods=["get"], url_path="pdf")
    def pdf(self, request, pk=None):
        plan = self.get_object()
        return attachment(documents.plan_pdf(plan), PDF, f"plan-{plan.pk}.pdf")
