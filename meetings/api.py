from django.core.exceptions import ValidationError as DjangoValidationError
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from communities import permissions as community_permissions
from communities.models import Community
from core.documents import DOCX, ICS, PDF, XLSX, attachment
from core.text import parse_id
from people.models import Person
from planning.models import PlannedMeeting

from . import documents, permissions, selectors, services
from .models import AgendaQuestion, Decision, Meeting, MeetingChange, Participant


def _file(description: str, media: str):
    return {
        (200, media.split(";")[0]): OpenApiResponse(OpenApiTypes.BINARY, description=description)
    }


class QuestionSerializer(serializers.ModelSerializer):
    # Writable: a question sent back with its id is the same question (its decisions stay on it).
    id = serializers.IntegerField(required=False, allow_null=True)

    class Meta:
        model = AgendaQuestion
        fields = ["id", "title", "speakers", "summary"]


class ParticipantSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.full_name", read_only=True)

    class Meta:
        model = Participant
        fields = ["person", "name", "is_guest", "reply", "attended"]


class DecisionSerializer(serializers.ModelSerializer):
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id", "community", "meeting", "text", "assignee", "due_on", "status", "done_at",
            "evidence", "is_overdue",
        ]  # fmt: skip
        read_only_fields = ["community", "meeting", "text", "assignee", "due_on", "done_at"]


class ChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeetingChange
        fields = [
            "kind", "reason", "previous_starts_at", "previous_ends_at", "previous_place",
            "previous_online_url", "actor", "at",
        ]  # fmt: skip


class MeetingSerializer(serializers.ModelSerializer):
    questions = QuestionSerializer(many=True, read_only=True)
    changes = ChangeSerializer(many=True, read_only=True)
    participants = ParticipantSerializer(many=True, read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)
    minutes = serializers.SerializerMethodField()
    time_agreed_by = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    time_agreed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    needs_time_agreement = serializers.BooleanField(
        read_only=True,
        help_text="The time and place wait for the deputy director's agreement (004 §3.3).",
    )

    class Meta:
        model = Meeting
        fields = [
            "id", "community", "planned", "title", "starts_at", "ends_at", "place",
            "online_url", "chair", "status", "questions", "participants", "decisions", "minutes",
            "sequence", "changes", "time_agreed_by", "time_agreed_at", "needs_time_agreement",
        ]  # fmt: skip

    def get_minutes(self, meeting) -> dict | None:
        minutes = getattr(meeting, "minutes", None)
        if minutes is None:
            return None
        return {
            "number": minutes.number,
            "school_year": minutes.school_year,
            "version": minutes.version,
            "signed_by": minutes.signed_by_id,
            "signed_at": minutes.signed_at,
            "covered_items": [i.pk for i in minutes.covered_items.all()],
            "secretary": minutes.secretary_id,
            "addenda": [{"text": a.text, "at": a.at} for a in minutes.addenda.all()],
        }


CONFIRM_HELP = (
    "A start in the past or outside school hours is refused (400, on `starts_at`) unless true."
)


class ScheduleSerializer(serializers.Serializer):
    community = serializers.PrimaryKeyRelatedField(queryset=Community.objects.all())
    title = serializers.CharField(max_length=500)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(required=False, allow_null=True)
    place = serializers.CharField(required=False, allow_blank=True, default="")
    online_url = serializers.URLField(required=False, allow_blank=True, default="")
    chair = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), required=False)
    planned = serializers.PrimaryKeyRelatedField(
        queryset=PlannedMeeting.objects.all(), required=False, allow_null=True
    )
    questions = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    guests = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), many=True, required=False, default=list
    )
    confirm = serializers.BooleanField(required=False, default=False, help_text=CONFIRM_HELP)


class MoveSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(required=False, allow_null=True)
    place = serializers.CharField(required=False, allow_blank=True, default="")
    online_url = serializers.URLField(required=False, allow_blank=True, default="")
    reason = serializers.CharField()
    confirm = serializers.BooleanField(required=False, default=False, help_text=CONFIRM_HELP)


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField()


class DecisionInSerializer(serializers.Serializer):
    id = serializers.IntegerField(required=False, allow_null=True)
    text = serializers.CharField()
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), required=False, allow_null=True
    )
    due_on = serializers.DateField(required=False, allow_null=True)
    question = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        help_text="Index into `questions`; left out, a kept decision keeps its question.",
    )


class MinutesInSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        help_text="The minutes' version you read; 0 when there were none. "
        "Required once minutes exist.",
    )
    attended = serializers.ListField(child=serializers.IntegerField(), default=list)
    questions = QuestionSerializer(many=True)
    decisions = DecisionInSerializer(many=True, default=list)
    covered_items = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text="Agenda items of the plan's meeting these minutes cover; they are ticked done "
        "on the plan. Left out, they stay as they are.",
    )
    secretary = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(),
        required=False,
        allow_null=True,
        help_text="The person who kept the minutes, one of those present; null for nobody. "
        "Left out, the minutes keep theirs.",
    )


class ReplySerializer(serializers.Serializer):
    reply = serializers.ChoiceField(choices=Participant.Reply.choices)


class AddendumSerializer(serializers.Serializer):
    text = serializers.CharField()


class MeetingViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = MeetingSerializer
    filterset_fields = ["community", "status"]

    def get_queryset(self):
        user = self.request.user
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Meeting.objects.none()
        return (
            Meeting.objects.filter(permissions.visible_meetings_q(user))
            .select_related("minutes", "community__kind")
            .prefetch_related(
                "questions",
                "participants__person",
                "decisions",
                "minutes__addenda",
                "minutes__covered_items",
                "changes",
            )
            .order_by("-starts_at", "-id")
        )

    def get_object(self):
        meeting = selectors.meeting_detail(super().get_object().pk)
        if not permissions.can_view(self.request.user, meeting):
            raise PermissionDenied
        return meeting

    @extend_schema(
        request=ScheduleSerializer,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                description="A repeat with the same key answers 200 with the meeting made first.",
            )
        ],
        responses={201: MeetingSerializer, 200: MeetingSerializer},
    )
    def create(self, request, *args, **kwargs):
        body = ScheduleSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        community = data.pop("community")
        if not permissions.can_schedule(request.user, community):
            raise PermissionDenied
        answer = status.HTTP_201_CREATED
        confirmed = data.pop("confirm", False)
        try:
            meeting = services.schedule_meeting(
                community=community,
                actor=request.user,
                confirmed=confirmed,
                idempotency_key=request.headers.get("Idempotency-Key"),
                **data,
            )
        except services.AlreadyScheduled as repeat:
            meeting, answer = repeat.meeting, status.HTTP_200_OK
        return Response(MeetingSerializer(selectors.meeting_detail(meeting.pk)).data, status=answer)

    @extend_schema(request=ReplySerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        meeting = self.get_object()
        if not permissions.can_reply(request.user, meeting):
            raise PermissionDenied
        body = ReplySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.reply(meeting=meeting, person=request.user, answer=body.validated_data["reply"])
        return Response(MeetingSerializer(selectors.meeting_detail(meeting.pk)).data)

    @extend_schema(request=MinutesInSerializer, responses={200: MeetingSerializer, 409: None})
    @action(detail=True, methods=["put"])
    def minutes(self, request, pk=None):
        meeting = self.get_object()
        if not permissions.can_write_minutes(request.user, meeting):
            raise PermissionDenied
        body = MinutesInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            services.write_minutes(
                meeting=meeting,
                version=data.get("version"),
                attended=data["attended"],
                questions=[dict(q) for q in data["questions"]],
                decisions=[dict(d) for d in data["decisions"]],
                actor=request.user,
                covered_items=data.get("covered_items"),
                secretary=data.get("secretary", services.UNCHANGED),
            )
        except DjangoValidationError as exc:
            if getattr(exc, "code", None) == "stale":
                return Response({"detail": exc.messages[0]}, status=status.HTTP_409_CONFLICT)
            raise
        return Response(MeetingSerializer(selectors.meeting_detail(meeting.pk)).data)

    @extend_schema(request=MoveSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Another time or place for a scheduled meeting, with the reason."""
        meeting = self.get_object()
        if not permissions.can_move(request.user, meeting):
            raise PermissionDenied
        body = MoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        confirmed = data.pop("confirm")
        services.move_meeting(meeting=meeting, actor=request.user, confirmed=confirmed, **data)
        return Response(MeetingSerializer(selectors.meeting_detail(meeting.pk)).data)

    @extend_schema(request=None, responses=MeetingSerializer)
    @action(detail=True, methods=["post"], url_path="agree-time")
    def agree_time(self, request, pk=None):
        """The deputy director agrees the meeting's time and place (004 §3.3)."""
        meeting = self.get_object()
        services.agree_meeting_time(meeting=meeting, actor=request.user)
        return Response(MeetingSerializer(selectors.meeting_detail(meeting.pk)).data)

    @extend_schema(request=CancelSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Call a scheduled meeting off, with the reason."""
        meeting = self.get_object()
        if not permissions.can_cancel(request.user, meeting):
            raise PermissionDenied
        body = CancelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.cancel_meeting(
            meeting=meeting, actor=request.user, reason=body.validated_data["reason"]
        )
        return Response(MeetingSerializer(selectors.meeting_detail(meeting.pk)).data)

    @extend_schema(request=None, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        meeting = self.get_object()
        minutes = getattr(meeting, "minutes", None)
        if not permissions.can_write_minutes(request.user, meeting):
            raise PermissionDenied
        if minutes is None:
            raise serializers.ValidationError({"detail": "There are no minutes to sign yet."})
        services.sign_minutes(minutes=minutes, actor=request.user)
        return Response(MeetingSerializer(selectors.meeting_detail(meeting.pk)).data)

    @extend_schema(request=AddendumSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def addenda(self, request, pk=None):
        meeting = self.get_object()
        minutes = getattr(meeting, "minutes", None)
        if minutes is None or not permissions.can_write_minutes(request.user, meeting):
            raise PermissionDenied
        body = AddendumSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.add_addendum(minutes=minutes, actor=request.user, text=body.validated_data["text"])
        return Response(MeetingSerializer(selectors.meeting_detail(meeting.pk)).data)

    def _minutes_or_404(self):
        meeting = self.get_object()
        if getattr(meeting, "minutes", None) is None:
            from django.http import Http404

            raise Http404
        return meeting

    @extend_schema(responses=_file("Minutes as Word", DOCX))
    @action(detail=True, methods=["get"], url_path="minutes/docx")
    def minutes_docx(self, request, pk=None):
        meeting = self._minutes_or_404()
        return attachment(documents.minutes_docx(meeting), DOCX, f"minutes-{meeting.pk}.docx")

    @extend_schema(responses=_file("Minutes as PDF", PDF))
    @action(detail=True, methods=["get"], url_path="minutes/pdf")
    def minutes_pdf(self, request, pk=None):
        meeting = self._minutes_or_404()
        return attachment(documents.minutes_pdf(meeting), PDF, f"minutes-{meeting.pk}.pdf")

    @extend_schema(responses=_file("The caller's meetings as iCalendar (RFC 5545)", ICS))
    @action(detail=False, methods=["get"], url_path="calendar")
    def calendar(self, request):
        feed = services.calendar_feed(owner=request.user)
        content = documents.calendar_ics(
            selectors.feed_meetings(feed), "Collegium", request.build_absolute_uri("/")[:-1]
        )
        return attachment(content, ICS, "collegium.ics")


class DecisionFilter(filters.FilterSet):
    mine = filters.BooleanFilter(method="filter_mine")
    overdue = filters.BooleanFilter(method="filter_overdue")

    class Meta:
        model = Decision
        fields = ["community", "status", "assignee", "meeting"]

    def filter_mine(self, queryset, name, value):
        return queryset.filter(assignee=self.request.user) if value else queryset

    def filter_overdue(self, queryset, name, value):
        q = selectors.overdue_q()
        return queryset.filter(q) if value else queryset.exclude(q)


class DecisionViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Decisions of the caller's communities and those assigned to the caller."""

    serializer_class = DecisionSerializer
    filterset_class = DecisionFilter
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        user = self.request.user
        if getattr(self, "swagger_fake_view", False):
            return Decision.objects.none()
        return (
            Decision.objects.filter(permissions.visible_decisions_q(user))
            .select_related("community__kind", "community__territory")
            .order_by("due_on", "id")
        )

    def perform_update(self, serializer):
        decision = self.get_object()
        if not permissions.can_update_decision(self.request.user, decision):
            raise PermissionDenied
        data = serializer.validated_data
        serializer.instance = services.update_decision(
            decision=decision,
            status=data.get("status", decision.status),
            evidence=data.get("evidence"),
            actor=self.request.user,
        )

    @extend_schema(
        parameters=[OpenApiParameter("community", int, required=True)],
        responses=_file("Decisions as a spreadsheet", XLSX),
    )
    @action(detail=False, methods=["get"], url_path="xlsx")
    def xlsx(self, request):
        community_id = request.query_params.get("community", "")
        if parse_id(community_id) is None:
            raise serializers.ValidationError({"community": "Give the community number."})
        community = (
            Community.objects.select_related("kind", "territory")
            .filter(pk=parse_id(community_id))
            .first()
        )
        if community is None or not community_permissions.can_view_members(request.user, community):
            raise PermissionDenied
        content = documents.decisions_xlsx(selectors.decisions_of(community), f"{community.name}")
        return attachment(content, XLSX, f"decisions-{community.pk}.xlsx")
