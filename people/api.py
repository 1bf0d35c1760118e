from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
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


class AttestationSerializer(serializers.Serializer):
    """When the teacher is due for attestation, as the attestation lists read it."""

    category_held = serializers.CharField(source="held_category", allow_null=True)
    held_since = serializers.DateField(allow_null=True)
    category_sought = serializers.CharField(
        source="category_sought.name", default=None, allow_null=True
    )
    due_on = serializers.DateField(
        allow_null=True,
        help_text="The date the school recorded, else the category's assignment plus its "
        "validity; null when neither is known",
    )
    overdue = serializers.SerializerMethodField()
    level_trained = serializers.BooleanField(help_text="Completed a level-programme course")

    def get_overdue(self, row) -> bool:
        return row.due_on is not None and row.due_on < self.context["today"]


class PortfolioSectionSerializer(serializers.Serializer):
    """A section the apps above `people` add (talks, open lessons, lesson study, mentoring)."""

    title = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))


class PortfolioSerializer(serializers.Serializer):
    """The teacher's portfolio, as its page and PDF show it: the databank over the last three
    years, the upcoming attestation, and the sections of the other apps."""

    person = PersonSerializer(source="folio.person")
    since_year = serializers.IntegerField(source="folio.since_year")
    attestation = AttestationSerializer(allow_null=True)
    qualification_category = serializers.CharField(
        source="folio.record.qualification_category.name", default=None, allow_null=True
    )
    self_education_topic = serializers.CharField(
        source="folio.record.self_education_topic", default="", allow_blank=True
    )
    qualification_history = QualificationRecordSerializer(source="folio.history", many=True)
    courses = CourseSerializer(source="folio.courses", many=True)
    awards = AwardSerializer(source="folio.awards", many=True)
    achievements = AchievementSerializer(source="folio.achievements", many=True)
    sections = PortfolioSectionSerializer(source="folio.sections", many=True)


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

    @extend_schema(responses=PortfolioSerializer)
    @action(detail=True, methods=["get"])
    def portfolio(self, request, pk=None):
        """The teacher's portfolio and upcoming attestation: for the teacher and whoever may
        see their databank record (the portfolio page's policy); others' views are logged."""
        if parse_id(pk) is None:
            raise Http404
        person = get_object_or_404(Person.objects.filter(is_active=True), pk=pk)
        person = selectors.person_detail(person.pk)
        if not permissions.can_view_portfolio(request.user, person):
            raise PermissionDenied
        services.log_databank_access(
            viewer=request.user, subjects=[person], action="view", channel="api"
        )
        folio = selectors.portfolio(person, viewer=request.user)
        attestation = selectors.attestation_of(person)
        today = timezone.localdate()
        data = {"folio": folio, "attestation": attestation}
        return Response(PortfolioSerializer(data, context={"today": today}).data)
