"""API (read-only): a community's activity statistics by week or month."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.exceptions import ValidationError as APIValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from communities import permissions as community_permissions
from communities.models import Community

from . import permissions, selectors
from .forms import RangeForm


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    visitors = serializers.IntegerField()
    views = serializers.IntegerField()
    actions = serializers.IntegerField()
    feedback = serializers.IntegerField()


class ActivitySerializer(serializers.Serializer):
    community = serializers.IntegerField()
    period = serializers.CharField()
    start = serializers.DateField(source="from")
    end = serializers.DateField(source="to")
    periods = PeriodSerializer(many=True)


class CommunityActivityView(APIView):
    """Visitors, page views, active actions and feedback of a community per week or month."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("period", OpenApiTypes.STR, enum=["week", "month"]),
            OpenApiParameter("from", OpenApiTypes.DATE, description="default: 6 months ago"),
            OpenApiParameter("to", OpenApiTypes.DATE, description="default: today"),
        ],
        responses=ActivitySerializer,
    )
    def get(self, request, pk: int):
        community = Community.objects.filter(pk=pk).first()
        if community is None or not community_permissions.can_view(request.user, community):
            raise NotFound
        if not permissions.can_view_statistics(request.user, community):
            raise PermissionDenied
        form = RangeForm(request.query_params)
        if not form.is_valid():
            raise APIValidationError(form.errors)
        data = form.cleaned_data
        rows = selectors.statistics(community.pk, data["period"], data["from"], data["to"])
        return Response(
            ActivitySerializer(
                {
                    "community": community.pk,
                    "period": data["period"],
                    "from": data["from"],
                    "to": data["to"],
                    "periods": rows,
                }
            ).data
        )
