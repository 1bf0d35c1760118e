from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from organisations.models import Network, Organisation, Territory
from people.models import Person

from . import permissions, selectors, services
from .filters import CommunityApiFilter
from .models import Community, Membership


class StrictPrimaryKey(serializers.PrimaryKeyRelatedField):
    """Refuses 3.5 or true as an id instead of quietly turning them into 3 or 1."""

    def to_internal_value(self, data):
        if isinstance(data, bool | float):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


class CommunitySerializer(serializers.ModelSerializer):
    kind = serializers.SlugRelatedField(slug_field="code", queryset=selectors.kind_choices())
    kind_name = serializers.CharField(source="kind.__str__", read_only=True)
    organisation = StrictPrimaryKey(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    network = StrictPrimaryKey(queryset=Network.objects.all(), required=False, allow_null=True)
    territory = StrictPrimaryKey(queryset=Territory.objects.all(), required=False, allow_null=True)
    # The school's PLC a team or micro-group works in (the service checks the actor runs it).
    parent = StrictPrimaryKey(queryset=Community.objects.all(), required=False, allow_null=True)
    # A community may have no leader yet (or no longer).
    leader = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    leader_name = serializers.CharField(
        source="leader.full_name", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Community
        fields = [
            "id",
            "kind",
            "kind_name",
            "name",
            "description",
            "organisation",
            "network",
            "territory",
            "leader",
            "leader_name",
            "subject_area",
            "participant_category",
            "topic",
            "visibility",
            "online_url",
            "status",
            "created_on",
            "creation_order_number",
            "creation_order_date",
            "end_date",
            "closed_on",
            "closing_order_number",
            "closing_order_date",
            "closing_decision_date",
            "closing_decision_reference",
            "successor",
            "member_count",
            "parent",
        ]
        read_only_fields = [
            "status",
            "closed_on",
            "closing_order_number",
            "closing_order_date",
            "closing_decision_date",
            "closing_decision_reference",
            "successor",
            "member_count",
        ]


class CommunityUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Community
        fields = list(services.EDITABLE_FIELDS)


class ClosingSerializer(serializers.Serializer):
    order_number = serializers.CharField(max_length=50)
    order_date = serializers.DateField()
    # Required for a school's community (004 §1.5); the service says so when it is missing.
    decision_date = serializers.DateField(required=False, allow_null=True)
    decision_reference = serializers.CharField(max_length=100, required=False, allow_blank=True)


class ReorganiseSerializer(ClosingSerializer):
    new_name = serializers.CharField(max_length=300)
    new_kind = serializers.SlugRelatedField(
        slug_field="code", queryset=selectors.kind_choices(), required=False, allow_null=True
    )
    carry_members = serializers.BooleanField(default=True)


class TeamMemberSerializer(serializers.Serializer):
    person = serializers.IntegerField(source="person_id")
    person_name = serializers.CharField(source="person.full_name")
    role = serializers.CharField()
    qualification_category = serializers.CharField(
        source="record.qualification_category.name", default=None, allow_null=True
    )
    education = serializers.CharField(source="record.education", default=None, allow_null=True)
    experience_total = serializers.IntegerField(
        source="record.experience_total", default=None, allow_null=True
    )
    experience_teaching = serializers.IntegerField(
        source="record.experience_teaching", default=None, allow_null=True
    )
    self_education_topic = serializers.CharField(
        source="record.self_education_topic", default=None, allow_null=True
    )


class CountSerializer(serializers.Serializer):
    label = serializers.CharField()
    count = serializers.IntegerField()


def _count_rows(pairs):
    return [{"label": label, "count": n} for label, n in pairs]


class TeamSerializer(serializers.Serializer):
    members = TeamMemberSerializer(many=True)
    by_category = CountSerializer(many=True)
    by_education = CountSerializer(many=True)
    by_experience = CountSerializer(many=True)


class PairContactSerializer(serializers.Serializer):
    person = serializers.IntegerField(source="person_id")
    person_name = serializers.CharField(source="person.full_name")
    role = serializers.CharField()
    email = serializers.CharField(source="person.email")
    phone = serializers.CharField(source="person.phone")


class CommunityViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Communities of every kind; anonymous visitors see the public ones."""

    filterset_class = CommunityApiFilter
    permission_classes = [AllowAny]

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return CommunityUpdateSerializer
        return CommunitySerializer

    def get_queryset(self):
        qs = Community.objects.select_related("kind", "leader", "territory")
        return permissions.filter_visible(self.request.user, qs).order_by("name", "id")

    def _require_login(self):
        if not self.request.user.is_authenticated:
            raise NotAuthenticated

    def create(self, request, *args, **kwargs):
        self._require_login()  # before validation, so field errors never leak to visitors
        return super().create(request, *args, **kwargs)

    def update(self, request, *args, **kwargs):
        self._require_login()
        return super().update(request, *args, **kwargs)

    def perform_create(self, serializer):
        self._require_login()
        data = dict(serializer.validated_data)
        kind = data.pop("kind")
        hosts = {k: data.pop(k, None) for k in ("organisation", "network", "territory")}
        # Without a host the service explains what is missing and creates nothing.
        if any(hosts.values()) and not permissions.can_create_in(self.request.user, kind, **hosts):
            raise PermissionDenied
        serializer.instance = services.create_community(
            kind=kind, **hosts, **data, actor=self.request.user
        )

    def perform_update(self, serializer):
        self._require_login()
        community = self.get_object()
        if not permissions.can_edit(self.request.user, community):
            raise PermissionDenied
        serializer.instance = services.update_community(
            community=community, actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(request=ClosingSerializer, responses=CommunitySerializer)
    @action(detail=True, methods=["post"])
    def abolish(self, request, pk=None):
        self._require_login()
        community = self.get_object()
        if not permissions.can_close(request.user, community):
            raise PermissionDenied
        data = ClosingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        community = services.abolish(community=community, actor=request.user, **data.validated_data)
        return Response(CommunitySerializer(community).data)

    @extend_schema(request=ReorganiseSerializer, responses={201: CommunitySerializer})
    @action(detail=True, methods=["post"])
    def reorganise(self, request, pk=None):
        self._require_login()
        community = self.get_object()
        if not permissions.can_close(request.user, community):
            raise PermissionDenied
        data = ReorganiseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        successor = services.reorganise(
            community=community, actor=request.user, **data.validated_data
        )
        return Response(CommunitySerializer(successor).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=PairContactSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, url_path="pair-contacts")
    def pair_contacts(self, request, pk=None):
        """The other side of the caller's pair with their e-mail and phone (003 app. 3 §1.2)."""
        self._require_login()
        community = self.get_object()
        if not permissions.can_see_pair_contacts(request.user, community):
            raise PermissionDenied
        partners = selectors.pair_partners(community, request.user)
        return Response(PairContactSerializer(partners, many=True).data)

    @extend_schema(responses=TeamSerializer)
    @action(detail=True, methods=["get"], pagination_class=None)
    def team(self, request, pk=None):
        """The team as its leader sees it (004 doc. 2, 6); each record shown is logged."""
        self._require_login()
        community = self.get_object()
        team = services.open_team(community=community, actor=request.user, channel="api")
        data = {
            "members": team.members,
            "by_category": _count_rows(team.by_category),
            "by_education": _count_rows(team.by_education),
            "by_experience": _count_rows(team.by_experience),
        }
        return Response(TeamSerializer(data).data)

    @extend_schema(
        responses=inline_serializer(
            "RuleViolation",
            {"code": serializers.CharField(), "message": serializers.CharField()},
            many=True,
        )
    )
    # A plain list, not a page: without this the schema would promise a paginated answer.
    @action(detail=True, methods=["get"], pagination_class=None)
    def violations(self, request, pk=None):
        community = self.get_object()
        return Response(
            [{"code": v.code, "message": v.message} for v in selectors.rule_violations(community)]
        )


class MembershipSerializer(serializers.ModelSerializer):
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.filter(is_active=True))
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    community = serializers.PrimaryKeyRelatedField(
        queryset=Community.objects.filter(status=Community.Status.ACTIVE)
    )

    class Meta:
        model = Membership
        fields = ["id", "community", "person", "person_name", "role", "subject", "joined_on"]
        read_only_fields = ["joined_on"]


class MembershipViewSet(
    mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Memberships in the communities the caller can see members of."""

    serializer_class = MembershipSerializer
    filterset_fields = ["community", "person", "role"]

    def get_queryset(self):
        visible = permissions.filter_visible(self.request.user, Community.objects.all())
        return (
            Membership.objects.filter(community__in=visible.values("pk"))
            .select_related("person")
            .order_by("community_id", "role", "id")
        )

    def perform_create(self, serializer):
        community = serializer.validated_data["community"]
        community = selectors.community_detail(community.pk)
        if not permissions.can_manage_members(self.request.user, community):
            raise PermissionDenied
        data = dict(serializer.validated_data)
        data.pop("community")
        serializer.instance = services.add_member(
            community=community, actor=self.request.user, **data
        )

    def perform_destroy(self, instance):
        community = selectors.community_detail(instance.community_id)
        is_self = instance.person_id == self.request.user.pk
        if not (is_self or permissions.can_manage_members(self.request.user, community)):
            raise PermissionDenied
        services.remove_member(community=community, person=instance.person, actor=self.request.user)
