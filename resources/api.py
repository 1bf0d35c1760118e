"""The REST API of the resource bank: resources (list, read, create a draft with or without its
file, upload a new version, submit) and collections. Files come as multipart form data and are
judged by their bytes like the pages' uploads."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from communities.models import Community
from core.uploads import check_upload
from organisations.models import Organisation

from . import permissions, selectors, services
from .filters import ResourceApiFilter
from .models import Collection, Resource, ResourceKind, ResourceVersion


def _file_url(version: ResourceVersion | None) -> str | None:
    return reverse("resources:version_file", args=[version.pk]) if version else None


def _preview_url(version: ResourceVersion | None) -> str | None:
    if version is None or not version.preview:
        return None
    return reverse("resources:version_preview", args=[version.pk])


def _pdf_url(version: ResourceVersion | None) -> str | None:
    """The converted PDF of an office file, or the file itself when it is a PDF."""
    if version is None:
        return None
    if version.pdf:
        return reverse("resources:version_pdf", args=[version.pk])
    return _file_url(version) if version.file.name.lower().endswith(".pdf") else None


class ResourceSerializer(serializers.ModelSerializer):
    kind = serializers.SlugRelatedField(slug_field="code", read_only=True)
    file_url = serializers.SerializerMethodField()
    preview_url = serializers.SerializerMethodField(
        help_text="A PNG of the current file (an image, or a document's first page), if any."
    )
    pdf_url = serializers.SerializerMethodField(
        help_text="The current file as a PDF: the file itself or its converted copy, if any."
    )
    preview_status = serializers.SerializerMethodField(
        help_text="none, pending, ready, failed or unavailable (no converter on the server)."
    )

    class Meta:
        model = Resource
        fields = [
            "id", "title", "description", "kind", "subject", "grade_from", "grade_to", "topic",
            "author_text", "community", "organisation", "licence", "status", "is_public", "url",
            "published_at", "file_url", "preview_url", "pdf_url", "preview_status",
        ]  # fmt: skip

    def get_file_url(self, resource) -> str | None:
        return _file_url(selectors.current_version(resource))

    def get_preview_url(self, resource) -> str | None:
        return _preview_url(selectors.current_version(resource))

    def get_pdf_url(self, resource) -> str | None:
        return _pdf_url(selectors.current_version(resource))

    def get_preview_status(self, resource) -> str | None:
        current = selectors.current_version(resource)
        return current.preview_status if current else None


class VersionSerializer(serializers.ModelSerializer):
    file_url = serializers.SerializerMethodField()
    preview_url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = ResourceVersion
        fields = [
            "id", "resource", "original_name", "size", "note", "created_at", "preview_status",
            "file_url", "preview_url", "pdf_url",
        ]  # fmt: skip
        read_only_fields = fields

    def get_file_url(self, version) -> str:
        return _file_url(version)

    def get_preview_url(self, version) -> str | None:
        return _preview_url(version)

    def get_pdf_url(self, version) -> str | None:
        return _pdf_url(version)


class UploadField(serializers.FileField):
    """A file judged by its bytes (core.uploads), its refusal on the field."""

    def to_internal_value(self, data):
        file = super().to_internal_value(data)
        try:
            check_upload(file)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages, code=exc.code) from exc
        return file


class VersionUploadSerializer(serializers.Serializer):
    file = UploadField(help_text="PDF, an image, or an office document (multipart form data).")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class ResourceCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    kind = serializers.SlugRelatedField(slug_field="code", queryset=ResourceKind.objects.all())
    description = serializers.CharField(required=False, allow_blank=True, default="")
    subject = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    grade_from = serializers.IntegerField(required=False, allow_null=True, default=None,
                                          min_value=0, max_value=12)  # fmt: skip
    grade_to = serializers.IntegerField(required=False, allow_null=True, default=None,
                                        min_value=0, max_value=12)  # fmt: skip
    topic = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    author_text = serializers.CharField(required=False, allow_blank=True, default="",
                                        max_length=300)  # fmt: skip
    community = serializers.PrimaryKeyRelatedField(
        queryset=Community.objects.all(), required=False, allow_null=True, default=None
    )
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True, default=None
    )
    licence = serializers.ChoiceField(choices=Resource.Licence.choices, default="cc-by")
    is_public = serializers.BooleanField(required=False, default=False)
    url = serializers.URLField(required=False, allow_blank=True, default="", max_length=500)
    key = serializers.UUIDField(
        required=False, allow_null=True, default=None,
        help_text="A key of your choosing: sending the same key again returns the same draft.",
    )  # fmt: skip
    file = UploadField(
        required=False, allow_null=True, default=None,
        help_text="The material's file; send the body as multipart form data to attach it.",
    )  # fmt: skip
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class ResourceViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ResourceSerializer
    filterset_class = ResourceApiFilter
    http_method_names = ["get", "post", "head", "options"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Resource.objects.none()
        return selectors.visible(self.request.user).order_by("-published_at", "-id")

    def get_object(self):
        resource = selectors.resource_detail(super().get_object().pk)
        if not permissions.can_view(self.request.user, resource):
            raise PermissionDenied
        return resource

    def _answer(self, resource, answer=status.HTTP_200_OK):
        fresh = selectors.visible(self.request.user).get(pk=resource.pk)
        return Response(ResourceSerializer(fresh).data, status=answer)

    @extend_schema(request=ResourceCreateSerializer, responses={201: ResourceSerializer})
    def create(self, request, *args, **kwargs):
        """A draft by the caller, with its file when the body is multipart; then submit."""
        body = ResourceCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        key: uuid.UUID | None = data.pop("key")
        resource = services.create_draft(actor=request.user, key=key, **data)
        return self._answer(resource, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ResourceSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send the draft (or the returned resource) for review."""
        resource = self.get_object()
        services.submit(actor=request.user, resource=resource)
        return self._answer(resource)

    @extend_schema(
        request={"multipart/form-data": VersionUploadSerializer},
        responses={201: VersionSerializer},
    )
    @action(detail=True, methods=["post"])
    def versions(self, request, pk=None):
        """Upload a new current file; an author's new file sends a published resource back to
        review. Its preview is made in the background (see `preview_status`)."""
        resource = self.get_object()
        # Refused before the upload is looked at (the service asks again, under its lock).
        if not permissions.can_add_version(request.user, resource):
            raise PermissionDenied
        body = VersionUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        version = services.add_version(actor=request.user, resource=resource, **body.validated_data)
        return Response(VersionSerializer(version).data, status=status.HTTP_201_CREATED)


class CollectionSerializer(serializers.ModelSerializer):
    resources = serializers.SerializerMethodField()

    class Meta:
        model = Collection
        fields = ["id", "title", "description", "community", "network", "territory", "resources"]

    def get_resources(self, collection) -> list[int]:
        return [item.resource_id for item in collection.items.all()]


class CollectionViewSet(viewsets.ReadOnlyModelViewSet):
    """Collections and the ids of their resources, in order (each readable by its own rule)."""

    serializer_class = CollectionSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Collection.objects.none()
        return selectors.collections().prefetch_related("items").order_by("-created_at", "-id")
