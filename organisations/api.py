from django.shortcuts import get_object_or_404
from rest_framework import mixins, serializers, viewsets
from rest_framework import permissions as drf_permissions

from . import selectors, services
from .filters import OrganisationApiFilter
from .models import Network, NetworkMembership, Organisation, Territory


class TerritorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Territory
        fields = ["id", "name", "kind", "parent", "country_code", "language"]


class OrganisationSerializer(serializers.ModelSerializer):
    territory_name = serializers.CharField(source="territory.name", read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "territory",
            "territory_name",
            "address",
            "email",
            "phone",
            "website",
            "low_results",
            "difficult_conditions",
            "high_results",
            "is_active",
        ]


class NetworkSchoolSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = NetworkMembership
        fields = ["organisation", "name", "role"]


class NetworkSerializer(serializers.ModelSerializer):
    schools = NetworkSchoolSerializer(source="memberships", many=True, read_only=True)

    class Meta:
        model = Network
        fields = [
            "id",
            "name",
            "territory",
            "lead_school",
            "description",
            "methodological_theme",
            "theme_start_year",
            "theme_end_year",
            "schools",
        ]


class TerritoryViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TerritorySerializer
    filterset_fields = ["kind", "parent"]

    def get_queryset(self):
        return selectors.territory_list()


class OrganisationViewSet(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationApiFilter
    permission_classes = [drf_permissions.IsAuthenticated]

    def get_queryset(self):
        return selectors.organisation_list()

    def perform_create(self, serializer):
        serializer.instance = services.create_organisation(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.update_organisation(
            actor=self.request.user, organisation=self.get_object(), **serializer.validated_data
        )


class NetworkViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    serializer_class = NetworkSerializer
    filterset_fields = ["territory", "lead_school"]

    def get_queryset(self):
        return selectors.network_list().prefetch_related("memberships__organisation")

    def perform_create(self, serializer):
        serializer.instance = services.create_network(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        network = get_object_or_404(Network, pk=self.kwargs["pk"])
        serializer.instance = services.update_network(
            actor=self.request.user, network=network, **serializer.validated_data
        )
