"""A person's own notices and how they want each kind delivered, for apps and scripts."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from . import services
from .models import Delivery, Notification


class NotificationSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "kind_display", "text", "url", "created_at", "read_at"]


# One optional field per kind of notice, so the schema names every kind and its choices.
PreferencesSerializer = type(
    "NotificationPreferencesSerializer",
    (serializers.Serializer,),
    {
        kind: serializers.ChoiceField(choices=Delivery.choices, required=False)
        for kind in Notification.Kind.values
    },
)


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The signed-in person's notices, newest first; `?unread=true` for the unread ones."""

    serializer_class = NotificationSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields: list[str] = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is drawn without a person
            return Notification.objects.none()
        qs = Notification.objects.filter(recipient=self.request.user).order_by("-created_at", "-id")
        if self.request.query_params.get("unread") in ("1", "true"):
            qs = qs.filter(read_at__isnull=True)
        return qs

    @extend_schema(
        request=None, responses=inline_serializer("Marked", {"marked": serializers.IntegerField()})
    )
    @action(detail=False, methods=["post"], url_path="read")
    def read(self, request):
        """Mark all of the person's notices read."""
        return Response({"marked": services.mark_read(person=request.user)})

    @extend_schema(request=PreferencesSerializer, responses=PreferencesSerializer)
    @action(detail=False, methods=["get", "put"])
    def preferences(self, request):
        """Per kind of notice: in the app only, e-mail at once, or a daily digest."""
        if request.method == "PUT":
            body = PreferencesSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            try:
                services.set_preferences(person=request.user, choices=dict(body.validated_data))
            except DjangoValidationError as exc:
                raise ValidationError(exc.messages) from exc
        return Response(services.preferences_of(request.user))
