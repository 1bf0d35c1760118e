"""API (read-only): a school's rating scheme, and the rating rows its policy lets the user see —
a school's (its administrators), a community's (its leader) or, without either, one's own."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.response import Response

from communities.models import Community
from core.text import parse_id
from organisations.models import Organisation
from people.services import log_databank_access

from . import permissions, selectors
from .views import year_of

_YEAR = OpenApiParameter("year", OpenApiTypes.INT, description="School year (2025 = 2025/2026)")


class CriterionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="criterion.pk")
    measure = serializers.CharField(source="criterion.measure")
    label = serializers.CharField()
    unit = serializers.CharField()
    description = serializers.CharField()
    weight = serializers.DecimalField(source="criterion.weight", max_digits=7, decimal_places=2)
    cap = serializers.DecimalField(
        source="criterion.cap", max_digits=9, decimal_places=2, allow_null=True
    )


class SchemeSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="scheme.pk")
    organisation = serializers.IntegerField(source="scheme.organisation_id")
    school_year = serializers.IntegerField(source="scheme.school_year")
    formula = serializers.CharField()
    criteria = CriterionSerializer(many=True)


FORMULA = "points = min(value, cap) × weight for each criterion; total = sum of points"


class SchemeView(GenericAPIView):
    """A school's rating criteria and weights for a school year."""

    serializer_class = SchemeSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("organisation", OpenApiTypes.INT, required=True),
            _YEAR,
        ],
        responses={200: SchemeSerializer, 404: OpenApiResponse(description="No such scheme.")},
        tags=["rating"],
    )
    def get(self, request):
        organisation = Organisation.objects.filter(
            pk=parse_id(request.query_params.get("organisation"))
        ).first()
        if organisation is None:
            raise NotFound
        if not permissions.can_view_scheme(request.user, organisation):
            raise PermissionDenied
        scheme = selectors.scheme_for(organisation, year_of(request))
        if scheme is None:
            raise NotFound
        data = {"scheme": scheme, "formula": FORMULA, "criteria": selectors.columns(scheme)}
        return Response(SchemeSerializer(data).data)


class CellSerializer(serializers.Serializer):
    measure = serializers.CharField()
    value = serializers.DecimalField(max_digits=12, decimal_places=2)
    points = serializers.DecimalField(max_digits=14, decimal_places=2)
    records = serializers.CharField(help_text="The page listing the records counted.")


class RowSerializer(serializers.Serializer):
    rank = serializers.IntegerField(help_text="0: rated outside the school's staff.")
    person = serializers.IntegerField(source="person.pk")
    name = serializers.CharField(source="person.full_name")
    total = serializers.DecimalField(max_digits=14, decimal_places=2)
    cells = CellSerializer(many=True)


class RowListView(ListAPIView):
    """Rating rows (paginated): of a school's teachers (`organisation`, for its administrators),
    of a community's members (`community`, for its leader), or one's own (neither)."""

    serializer_class = RowSerializer
    filter_backends: list = []

    @extend_schema(
        parameters=[
            OpenApiParameter("organisation", OpenApiTypes.INT, description="A school's id"),
            OpenApiParameter("community", OpenApiTypes.INT, description="A community's id"),
            _YEAR,
        ],
        tags=["rating"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return []
        request = self.request
        year = year_of(request)
        organisation_id = parse_id(request.query_params.get("organisation"))
        community_id = parse_id(request.query_params.get("community"))
        if organisation_id is not None:
            organisation = Organisation.objects.filter(pk=organisation_id).first()
            if organisation is None:
                raise NotFound
            if not permissions.can_view_school_rating(request.user, organisation):
                raise PermissionDenied
            people = selectors.teachers_of(organisation)
        elif community_id is not None:
            community = (
                Community.objects.select_related("organisation").filter(pk=community_id).first()
            )
            if community is None:
                raise NotFound
            if not permissions.can_view_community_rating(request.user, community):
                raise PermissionDenied
            organisation, people = community.organisation, selectors.members_of(community)
        else:
            organisation = selectors.school_of(request.user)
            scheme = selectors.scheme_for(organisation, year) if organisation else None
            return selectors.person_rating(scheme, request.user)[0].rows if scheme else []
        scheme = selectors.scheme_for(organisation, year) if organisation else None
        return selectors.rating(scheme, people).rows if scheme else []

    def list(self, request, *args, **kwargs):
        rows = self.get_queryset()
        page = self.paginate_queryset(rows)
        log_databank_access(
            viewer=request.user, subjects=[r.person for r in page], action="view", channel="api"
        )
        data = []
        for row in page:
            data.append(
                {
                    "rank": row.rank,
                    "person": row.person,
                    "total": row.total,
                    "cells": [
                        {
                            "measure": cell.measure,
                            "value": cell.value,
                            "points": cell.points,
                            "records": request.build_absolute_uri(cell.url) if cell.url else "",
                        }
                        for cell in row.cells
                    ],
                }
            )
        return self.get_paginated_response(RowSerializer(data, many=True).data)
