"""The REST API of events: the calendar, organising, registration and attendance."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from communities.models import Community
from organisations.models import Network, Organisation, Territory
from people.models import Person
from planning.models import AgendaItem

from . import permissions, selectors, services
from .filters import EventApiFilter
from .models import Event, EventKind, ProgrammeItem, Registration


class KindSerializer(serializers.ModelSerializer):
    class Meta:
        model = EventKind
        fields = ["id", "code", "name", "name_en", "is_series", "has_protocol"]


class ProgrammeItemSerializer(serializers.ModelSerializer):
    # Writable: a row sent back with its id is the same row.
    id = serializers.IntegerField(required=False, allow_null=True)
    speaker = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = ProgrammeItem
        fields = ["id", "time", "title", "speaker", "speaker_name"]


class EventSerializer(serializers.ModelSerializer):
    kind = serializers.SlugRelatedField(slug_field="code", read_only=True)
    programme = ProgrammeItemSerializer(many=True, read_only=True)
    taken = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "id", "kind", "title", "description", "subject", "organiser_community",
            "organiser_organisation", "organiser_network", "organiser_territory", "territory",
            "audience", "starts_at", "ends_at", "place", "online_url", "capacity", "taken",
            "status", "parent", "agenda_item", "responsible", "programme", "sequence",
        ]  # fmt: skip

    def get_taken(self, event) -> int:
        taken = getattr(event, "taken", None)
        return taken if taken is not None else selectors.taken_places(event)


class EventInSerializer(serializers.Serializer):
    kind = serializers.SlugRelatedField(slug_field="code", queryset=EventKind.objects.all())
    title = serializers.CharField(max_length=500)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    subject = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    audience = serializers.ChoiceField(choices=Event.Audience.choices, default="open")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    place = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    online_url = serializers.URLField(required=False, allow_blank=True, default="")
    capacity = serializers.IntegerField(required=False, allow_null=True, min_value=1, default=None)
    parent = serializers.PrimaryKeyRelatedField(
        queryset=Event.objects.all(), required=False, allow_null=True, default=None
    )
    agenda_item = serializers.PrimaryKeyRelatedField(
        queryset=AgendaItem.objects.all(), required=False, allow_null=True, default=None
    )
    programme = ProgrammeItemSerializer(many=True, required=False)


class EventCreateSerializer(EventInSerializer):
    organiser_community = serializers.PrimaryKeyRelatedField(
        queryset=Community.objects.all(), required=False, allow_null=True, default=None
    )
    organiser_organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True, default=None
    )
    organiser_network = serializers.PrimaryKeyRelatedField(
        queryset=Network.objects.all(), required=False, allow_null=True, default=None
    )
    organiser_territory = serializers.PrimaryKeyRelatedField(
        queryset=Territory.objects.all(), required=False, allow_null=True, default=None
    )


class RegistrationSerializer(serializers.ModelSerializer):
    waiting_place = serializers.SerializerMethodField()

    class Meta:
        model = Registration
        fields = ["id", "event", "person", "status", "queued_at", "attended", "attended_at",
                  "marked_by", "waiting_place"]  # fmt: skip

    def get_waiting_place(self, registration) -> int | None:
        return services.waiting_place(registration)


class AttendanceSerializer(serializers.Serializer):
    present = serializers.ListField(
        child=serializers.IntegerField(), help_text="Ids of the registered people present."
    )


class FeedbackSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    usefulness = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class EventCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class EventKindViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = KindSerializer
    queryset = EventKind.objects.all()
    pagination_class = None


class EventViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = EventSerializer
    filterset_class = EventApiFilter
    http_method_names = ["get", "post", "put", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Event.objects.none()
        return (
            selectors.visible_events(self.request.user)
            .prefetch_related("programme")
            .order_by("starts_at", "id")
        )

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is None or queryset.model is not Event:  # the registrations action pages too
            return page
        return selectors.with_taken(page)

    def get_object(self):
        event = selectors.event_detail(super().get_object().pk)
        if not permissions.can_view(self.request.user, event):
            raise PermissionDenied
        return event

    def _answer(self, event, answer=status.HTTP_200_OK):
        return Response(EventSerializer(selectors.event_detail(event.pk)).data, status=answer)

    @extend_schema(request=EventCreateSerializer, responses={201: EventSerializer})
    def create(self, request, *args, **kwargs):
        """A draft event of one organiser (a community, an organisation, a network or the
        centre of a territory)."""
        body = EventCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        programme = data.pop("programme", None)
        event = services.create_event(actor=request.user, **data)
        if programme:
            services.save_programme(
                actor=request.user, event=event, rows=[dict(r) for r in programme]
            )
        return self._answer(event, status.HTTP_201_CREATED)

    @extend_schema(request=EventInSerializer, responses=EventSerializer)
    def update(self, request, *args, **kwargs):
        """The event's details and, when sent, its programme (rows keep their ids)."""
        event = self.get_object()
        if not permissions.can_edit(request.user, event):
            raise PermissionDenied
        body = EventInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        programme = data.pop("programme", None)
        services.update_event(actor=request.user, event=event, **data)
        if programme is not None:
            services.save_programme(
                actor=request.user, event=event, rows=[dict(r) for r in programme]
            )
        return self._answer(event)

    @extend_schema(request=None, responses=EventSerializer)
    @action(detail=True, methods=["post"])
    def announce(self, request, pk=None):
        event = self.get_object()
        if not permissions.can_announce(request.user, event):
            raise PermissionDenied
        services.announce_event(actor=request.user, event=event)
        return self._answer(event)

    @extend_schema(request=EventCancelSerializer, responses=EventSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        event = self.get_object()
        if not permissions.can_cancel(request.user, event):
            raise PermissionDenied
        body = EventCancelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.cancel_event(actor=request.user, event=event, **body.validated_data)
        return self._answer(event)

    @extend_schema(request=None, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def register(self, request, pk=None):
        """Register yourself: a place, or the end of the waiting list when full."""
        event = self.get_object()
        registration = services.register(actor=request.user, event=event)
        return Response(RegistrationSerializer(registration).data)

    @extend_schema(request=None, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def unregister(self, request, pk=None):
        """Cancel your registration; the first waiting gets the place."""
        event = self.get_object()
        if not permissions.can_cancel_registration(request.user, event):
            raise PermissionDenied
        registration = services.cancel_registration(actor=request.user, event=event)
        return Response(RegistrationSerializer(registration).data)

    @extend_schema(responses=RegistrationSerializer(many=True))
    @action(detail=True, methods=["get"])
    def registrations(self, request, pk=None):
        """Who registered and who waits (the organisers)."""
        event = self.get_object()
        if not permissions.can_see_registrations(request.user, event):
            raise PermissionDenied
        rows = selectors.registrations(event)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(RegistrationSerializer(page, many=True).data)

    @extend_schema(request=AttendanceSerializer, responses=EventSerializer)
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        """Mark who of the registered is present; the others are marked absent."""
        event = self.get_object()
        if not permissions.can_mark_attendance(request.user, event):
            raise PermissionDenied
        body = AttendanceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.mark_attendance(
            actor=request.user, event=event, present=body.validated_data["present"]
        )
        return self._answer(event)

    @extend_schema(request=None, responses=EventSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """The event is held: attendance is final."""
        event = self.get_object()
        if not permissions.can_close_attendance(request.user, event):
            raise PermissionDenied
        services.close_attendance(actor=request.user, event=event)
        return self._answer(event)

    @extend_schema(request=FeedbackSerializer, responses={201: FeedbackSerializer})
    @action(detail=True, methods=["post"])
    def feedback(self, request, pk=None):
        """Your feedback after attending, once."""
        event = self.get_object()
        if not permissions.can_leave_feedback(request.user, event):
            raise PermissionDenied
        body = FeedbackSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        feedback = services.leave_feedback(actor=request.user, event=event, **body.validated_data)
        return Response(FeedbackSerializer(feedback).data, status=status.HTTP_201_CREATED)
