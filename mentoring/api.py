"""The REST API of mentoring: pairs (read), the session log and reports (read and write).

Lists hold only what the caller may see (``permissions.visible_q``); an object outside it is 404.
Writes go through the services, which ask the same policy (403 when the caller sees the pair but
may not write there).
"""

from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from core.text import parse_id

from . import permissions, selectors, services
from .models import Pair, PlanGoal, PlannedSession, Report, Session


class GoalSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanGoal
        fields = ["id", "text", "measure"]


class PlannedSessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlannedSession
        fields = ["id", "planned_on", "form", "topic"]


class PairSerializer(serializers.ModelSerializer):
    mentor_name = serializers.CharField(source="mentor.full_name", read_only=True)
    mentee_name = serializers.CharField(source="mentee.full_name", read_only=True)
    community_name = serializers.CharField(source="community.name", read_only=True)
    plan_status = serializers.CharField(source="plan.status", read_only=True)
    sessions_count = serializers.IntegerField(read_only=True)
    last_session = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = Pair
        fields = [
            "id", "kind", "community", "community_name", "mentor", "mentor_name", "mentee",
            "mentee_name", "school_year", "focus", "status", "started_on", "ended_on",
            "plan_status", "sessions_count", "last_session",
        ]  # fmt: skip


class PairDetailSerializer(PairSerializer):
    goals = GoalSerializer(source="plan.goals", many=True, read_only=True)
    planned_meetings = PlannedSessionSerializer(source="plan.meetings", many=True, read_only=True)

    class Meta(PairSerializer.Meta):
        fields = [*PairSerializer.Meta.fields, "goals", "planned_meetings"]


class SessionSerializer(serializers.ModelSerializer):
    pair = serializers.PrimaryKeyRelatedField(queryset=Pair.objects.all())

    class Meta:
        model = Session
        fields = [
            "id", "pair", "held_on", "form", "topic", "remote", "notes", "next_steps",
            "logged_by", "created_at",
        ]  # fmt: skip
        read_only_fields = ["logged_by", "created_at"]
        validators = []  # the service answers a repeat with the entry already logged


class ReportSerializer(serializers.ModelSerializer):
    pair = serializers.PrimaryKeyRelatedField(queryset=Pair.objects.all())
    submit = serializers.BooleanField(
        write_only=True, default=False, help_text="Send the report (a sent report is final)."
    )

    class Meta:
        model = Report
        fields = [
            "id", "pair", "side", "period", "done", "results", "difficulties", "plans",
            "status", "submitted_at", "seen_at", "submit",
        ]  # fmt: skip
        read_only_fields = ["side", "status", "submitted_at", "seen_at"]
        validators = []


def _pair_filter(request, qs):
    pair = parse_id(request.query_params.get("pair"))
    return qs.filter(pair_id=pair) if pair is not None else qs


def _visible_pair(request, pair: Pair) -> Pair:
    if not permissions.can_view(request.user, pair):
        raise NotFound
    return pair


PAIR_PARAM = OpenApiParameter("pair", int, description="Only the entries of this pair.")


class PairViewSet(viewsets.ReadOnlyModelViewSet):
    """Mentoring pairs the caller may see, with their counts; one pair with its plan's rows."""

    def get_queryset(self):
        qs = selectors.with_figures(
            selectors.visible_pairs(self.request.user).select_related(
                "mentor", "mentee", "community", "plan"
            )
        ).order_by("-school_year", "pk")
        if self.action == "retrieve":
            qs = qs.prefetch_related("plan__goals", "plan__meetings")
        return qs

    def get_serializer_class(self):
        return PairDetailSerializer if self.action == "retrieve" else PairSerializer


@extend_schema_view(list=extend_schema(parameters=[PAIR_PARAM]))
class SessionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The pairs' session logs; either side of an active pair logs a session."""

    serializer_class = SessionSerializer

    def get_queryset(self):
        qs = Session.objects.filter(permissions.visible_q(self.request.user, "pair__"))
        return _pair_filter(self.request, qs).order_by("-held_on", "-pk")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        pair = _visible_pair(request, data.pop("pair"))
        try:
            session = services.log_session(pair=pair, actor=request.user, **data)
        except services.AlreadyDone as repeat:
            return Response(self.get_serializer(repeat.obj).data, status=status.HTTP_200_OK)
        return Response(self.get_serializer(session).data, status=status.HTTP_201_CREATED)


@extend_schema_view(list=extend_schema(parameters=[PAIR_PARAM]))
class ReportViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Reports of the pairs' sides: sent reports, and the caller's own drafts. Posting writes
    (and with `submit`, sends) the caller's own report of a period: the side is the caller's."""

    serializer_class = ReportSerializer

    def get_queryset(self):
        user = self.request.user
        own = Q(pair__mentor_id=user.pk, side=Report.Side.MENTOR) | Q(
            pair__mentee_id=user.pk, side=Report.Side.MENTEE
        )
        qs = Report.objects.filter(permissions.visible_q(user, "pair__")).filter(
            Q(status=Report.Status.SUBMITTED) | own
        )
        return _pair_filter(self.request, qs).order_by("pair_id", "period", "side")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        pair = _visible_pair(request, data.pop("pair"))
        side = pair.side_of(request.user) or Report.Side.MENTOR
        report = services.save_report(
            pair=pair,
            actor=request.user,
            side=side,
            period=data.pop("period"),
            submit=data.pop("submit", False),
            **data,
        )
        return Response(self.get_serializer(report).data, status=status.HTTP_201_CREATED)
