from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.text import parse_id

from . import permissions, selectors, services
from .models import (
    Achievement,
    Award,
    Course,
    Person,
    Position,
    QualificationRecord,
    TeacherProfile,
)
from .services import PROFILE_FIELDS


class PositionSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = Position
        fields = ["organisation", "organisation_name", "title", "is_main"]


class CourseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Course
        fields = ["title", "kind", "provider", "hours", "completed_on"]


class AwardSerializer(serializers.ModelSerializer):
    class Meta:
        model = Award
        fields = ["title", "level", "year"]


class AchievementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Achievement
        # `source` is set when Collegium recorded the row itself (e.g. "certificate:<number>").
        fields = ["kind", "year", "description", "level", "source", "url"]


class QualificationRecordSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.name")

    class Meta:
        model = QualificationRecord
        fields = ["category", "assigned_on", "order_reference"]


class DatabankSerializer(serializers.ModelSerializer):
    # Null for a teacher without a category.
    qualification_category = serializers.CharField(
        source="qualification_category.name", default=None, allow_null=True
    )
    qualification_history = QualificationRecordSerializer(many=True)
    courses = CourseSerializer(many=True)
    awards = AwardSerializer(many=True)
    achievements = AchievementSerializer(many=True)

    class Meta:
        model = TeacherProfile
        fields = [
            *PROFILE_FIELDS,
            "qualification_history",
            "courses",
            "awards",
            "achievements",
        ]


class PersonSerializer(serializers.ModelSerializer):
    """The directory entry: name and positions, what any signed-in user may see."""

    full_name = serializers.CharField(read_only=True)
    positions = PositionSerializer(many=True, read_only=True)

    class Meta:
        model = Person
        fields = ["id", "full_name", "last_name", "first_name", "middle_name", "positions"]


class PersonDetailSerializer(PersonSerializer):
    """Adds contacts and the databank record for those allowed to see them."""

    email = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    databank = serializers.SerializerMethodField()

    class Meta(PersonSerializer.Meta):
        fields = PersonSerializer.Meta.fields + ["email", "phone", "databank"]

    def _allowed(self, person) -> bool:
        return self.context.get("databank_allowed", False)

    def get_email(self, person) -> str | None:
        return person.email if self._allowed(person) else None

    def get_phone(self, person) -> str | None:
        return person.phone if self._allowed(person) else None

    @extend_schema_field(DatabankSerializer(allow_null=True))
    def get_databank(self, person):
        if not self._allowed(person):
            return None
        record = selectors.databank_record(person)
        return DatabankSerializer(record).data if record else None


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                str,
                description="Surname prefix (then name), or an exact email or phone of someone "
                "whose contacts the caller may see",
            ),
            OpenApiParameter(
                "organisation", int, description="People working at this organisation"
            ),
        ]
    )
)
class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    """People directory. The databank record appears only for those allowed to see it, and
    every such view of another person's record is logged."""

    def get_serializer_class(self):
        if self.action in ("retrieve", "me"):
            return PersonDetailSerializer
        return PersonSerializer

    def get_queryset(self):
        params = self.request.query_params
        organisation = params.get("organisation", "")
        return selectors.people_list(
            q=params.get("q", ""),
            organisation=parse_id(organisation),
            viewer=self.request.user,
        )

    def _detail(self, person):
        allowed = permissions.can_view_databank(self.request.user, person)
        if allowed:
            services.log_databank_access(
                viewer=self.request.user, subjects=[person], action="view", channel="api"
            )
        context = self.get_serializer_context() | {"databank_allowed": allowed}
        return Response(PersonDetailSerializer(person, context=context).data)

    def retrieve(self, request, pk=None):
        if parse_id(pk) is None:
            raise Http404
        person = get_object_or_404(Person.objects.filter(is_active=True), pk=pk)
        return self._detail(selectors.person_detail(person.pk))

    @extend_schema(responses=PersonDetailSerializer)
    @action(detail=False, methods=["get"])
    def me(self, request):
        return self._detail(selectors.person_detail(request.user.pk))
