from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from . import openbadges, permissions, selectors, services
from .models import Certificate


class CertificateSerializer(serializers.ModelSerializer):
    check_url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()
    assertion_url = serializers.SerializerMethodField()
    is_revoked = serializers.BooleanField(read_only=True)

    class Meta:
        model = Certificate
        fields = [
            "id", "number", "holder", "holder_name", "role", "event", "event_title",
            "event_kind", "event_date", "organiser_name", "organiser_level", "signer_name",
            "issued_at", "is_revoked", "revoked_at", "revoke_reason", "check_url", "pdf_url",
            "assertion_url",
        ]  # fmt: skip
        read_only_fields = fields

    def get_check_url(self, certificate) -> str:
        return services.check_url(certificate)

    def get_pdf_url(self, certificate) -> str:
        return reverse("certificates:pdf", args=[certificate.pk])

    def get_assertion_url(self, certificate) -> str:
        """The Open Badges 2.0 hosted assertion (410 Gone once revoked)."""
        return openbadges.assertion_url(certificate)


class RevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=services.REASON_LENGTH)


class CertificateViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's own certificates (list); one certificate for its holder or for those who
    manage its event (retrieve); revocation by the latter."""

    serializer_class = CertificateSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Certificate.objects.none()
        return selectors.held_by(self.request.user)

    def get_object(self):
        try:
            certificate = selectors.certificate(self.kwargs["pk"])
        except (Certificate.DoesNotExist, ValueError) as exc:
            raise NotFound from exc
        if not permissions.can_view(self.request.user, certificate):
            raise PermissionDenied
        return certificate

    @extend_schema(request=RevokeSerializer, responses=CertificateSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        certificate = self.get_object()
        if not permissions.can_manage_certificate(request.user, certificate):
            raise PermissionDenied
        body = RevokeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        certificate = services.revoke(
            certificate=certificate, actor=request.user, reason=body.validated_data["reason"]
        )
        return Response(CertificateSerializer(certificate).data)
