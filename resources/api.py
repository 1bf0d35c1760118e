"""The REST API of the resource bank: resources (list, read, create a draft, submit) and
collections. Files are uploaded on the pages; the API carries the description and links."""

from __future__ import annotations

import uuid

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from communities.models import Community
from organisations.models import Organisation

from . import permissions, selectors, services
from .filters import ResourceApiFilter
from .models import Collection, Resource, ResourceKind


class ResourceSerializer(serializers.ModelSerializer):
    kind = serializers.SlugRelatedField(slug_field="code", read_only=True)
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = Resource
        fields = [
            "id", "title", "description", "kind", "subject", "grade_from", "grade_to", "topic",
            "author_text", "community", "organisation", "licence", "status", "is_public", "url",
            "published_at", "file_url",
        ]  # fmt: skip

    def get_file_url(self, resource) -> str | None:
        from django.urls import reverse

        current = selectors.current_version(resource)
        return reverse("resources:version_file", args=[current.pk]) if current else None


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


class ResourceViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ResourceSerializer
    filterset_class = ResourceApiFilter
    http_method_names = ["get", "post", "head", "options"]

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
        """A draft by the caller; attach the file on the resource's page, then submit."""
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
