from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from communities.models import Community
from organisations.models import Network, Organisation, Territory

from . import blueprints, permissions, selectors, services
from .models import CHOOSABLE_AUDIENCES, MIN_ANONYMOUS, Option, Question, Survey

ROW_ID_HELP = "Send it back to keep the question (and its answers); leave it out for a new one."


class SurveyOptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Option
        fields = ["id", "text"]


class SurveyQuestionSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(required=False, allow_null=True, help_text=ROW_ID_HELP)
    options = serializers.ListField(
        child=serializers.CharField(max_length=500),
        required=False,
        write_only=True,
        help_text="Choices' texts in order; the n-th text keeps the n-th option's answers.",
    )
    choices = SurveyOptionSerializer(many=True, read_only=True, source="options")

    class Meta:
        model = Question
        fields = ["id", *services.QUESTION_FIELDS, "code", "options", "choices"]
        read_only_fields = ["code"]


class SurveySerializer(serializers.ModelSerializer):
    questions = SurveyQuestionSerializer(many=True, read_only=True)
    results_hidden = serializers.BooleanField(read_only=True)

    class Meta:
        model = Survey
        fields = [
            "id", "title", "intro", "community", "organisation", "network", "territory",
            "audience", "anonymous", "opens_at", "closes_at", "status", "template_code",
            "response_count", "results_hidden", "questions",
        ]  # fmt: skip
        read_only_fields = fields


class SurveyCreateSerializer(serializers.Serializer):
    template = serializers.ChoiceField(
        choices=list(blueprints.BLUEPRINTS), required=False, allow_blank=True
    )
    title = serializers.CharField(max_length=300, required=False, allow_blank=True)
    community = serializers.PrimaryKeyRelatedField(
        queryset=Community.objects.all(), required=False, allow_null=True
    )
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    network = serializers.PrimaryKeyRelatedField(
        queryset=Network.objects.all(), required=False, allow_null=True
    )
    territory = serializers.PrimaryKeyRelatedField(
        queryset=Territory.objects.all(), required=False, allow_null=True
    )
    anonymous = serializers.BooleanField(required=False, allow_null=True, default=None)
    audience = serializers.ChoiceField(choices=CHOOSABLE_AUDIENCES, default="scope")

    def validate(self, data):
        if not data.get("template") and not data.get("title"):
            raise serializers.ValidationError({"title": "Give the survey a title."})
        return data


class SurveyUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300, required=False)
    intro = serializers.CharField(required=False, allow_blank=True)
    anonymous = serializers.BooleanField(required=False)
    audience = serializers.ChoiceField(choices=CHOOSABLE_AUDIENCES, required=False)
    opens_at = serializers.DateTimeField(required=False, allow_null=True)
    closes_at = serializers.DateTimeField(required=False, allow_null=True)
    questions = SurveyQuestionSerializer(many=True, required=False)


class SurveyAnswersSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.JSONField(),
        help_text=(
            "Question id → an option id (single), a list of option ids (multiple), a number "
            "(scale) or a text (short, long)."
        ),
    )


class SurveyBarSerializer(serializers.Serializer):
    label = serializers.CharField()
    count = serializers.IntegerField()
    percent = serializers.FloatField()


class SurveyQuestionResultSerializer(serializers.Serializer):
    question = serializers.IntegerField(source="question.pk")
    text = serializers.CharField(source="question.text")
    kind = serializers.CharField(source="question.kind")
    answered = serializers.IntegerField()
    bars = SurveyBarSerializer(many=True)
    average = serializers.FloatField(allow_null=True)
    texts = serializers.SerializerMethodField()

    def get_texts(self, result) -> list[dict]:
        return [{"text": text, "respondent": who or None} for text, who in result.texts]


class SurveyResultsSerializer(serializers.Serializer):
    response_count = serializers.IntegerField()
    shown = serializers.BooleanField()
    questions = SurveyQuestionResultSerializer(many=True)


class SurveyViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    serializer_class = SurveySerializer
    filterset_fields = ["status", "template_code"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Survey.objects.none()
        return (
            Survey.objects.filter(permissions.visible_q(self.request.user))
            .prefetch_related("questions__options")
            .order_by("-created_at", "-id")
        )

    def get_object(self):
        survey = selectors.survey_detail(super().get_object().pk)
        if not permissions.can_view(self.request.user, survey):
            raise PermissionDenied
        return survey

    def _answer(self, survey: Survey, code=status.HTTP_200_OK) -> Response:
        fresh = Survey.objects.prefetch_related("questions__options").get(pk=survey.pk)
        return Response(SurveySerializer(fresh).data, status=code)

    @extend_schema(request=SurveyCreateSerializer, responses={201: SurveySerializer})
    def create(self, request, *args, **kwargs):
        body = SurveyCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        scope = {k: data.get(k) for k in ("community", "organisation", "network", "territory")}
        scope = {k: v for k, v in scope.items() if v is not None}
        if len(scope) != 1:
            raise serializers.ValidationError({"detail": "Name exactly one owner."})
        if not permissions.can_create_in(request.user, **scope):
            raise PermissionDenied
        if data.get("template"):
            survey = services.create_from_template(
                actor=request.user, code=data["template"], title=data.get("title") or None,
                anonymous=data.get("anonymous"), audience=data["audience"], **scope,
            )  # fmt: skip
        else:
            anonymous = data.get("anonymous")
            survey = services.create_survey(
                actor=request.user, title=data["title"], audience=data["audience"],
                anonymous=True if anonymous is None else anonymous, **scope,
            )  # fmt: skip
        return self._answer(survey, status.HTTP_201_CREATED)

    @extend_schema(request=SurveyUpdateSerializer, responses=SurveySerializer)
    def partial_update(self, request, *args, **kwargs):
        """Change the settings and, when `questions` is given, the questions as a whole list."""
        survey = self.get_object()
        if not permissions.can_edit(request.user, survey):
            raise PermissionDenied
        body = SurveyUpdateSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        questions = data.pop("questions", None)
        rows = None
        if questions is not None:
            rows = []
            for q in questions:
                row = dict(q)
                if row.get("id") is None:
                    row.pop("id", None)
                rows.append(row)
        services.update_survey(survey=survey, actor=request.user, fields=data, questions=rows)
        return self._answer(survey)

    @extend_schema(request=None, responses=SurveySerializer)
    @action(detail=True, methods=["post"])
    def open(self, request, pk=None):
        survey = self.get_object()
        if not permissions.can_open(request.user, survey):
            raise PermissionDenied
        return self._answer(services.open_survey(survey=survey, actor=request.user))

    @extend_schema(request=None, responses=SurveySerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        survey = self.get_object()
        if not permissions.can_close(request.user, survey):
            raise PermissionDenied
        return self._answer(services.close_survey(survey=survey, actor=request.user))

    @extend_schema(
        request=SurveyAnswersSerializer,
        responses={
            201: OpenApiResponse(description="The answers are saved."),
            409: OpenApiResponse(description="The caller has answered this survey already."),
        },
    )
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        survey = self.get_object()
        if permissions.has_answered(request.user, survey):
            return Response(
                {"detail": "You have answered this survey already."},
                status=status.HTTP_409_CONFLICT,
            )
        if not permissions.can_answer(request.user, survey):
            raise PermissionDenied
        body = SurveyAnswersSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        answers = {}
        for key, value in body.validated_data["answers"].items():
            if not str(key).isdigit():
                raise serializers.ValidationError({"answers": f"Unknown question {key}."})
            answers[int(key)] = value
        try:
            services.submit_response(survey=survey, actor=request.user, answers=answers)
        except services.AlreadyAnswered:
            return Response(
                {"detail": "You have answered this survey already."},
                status=status.HTTP_409_CONFLICT,
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"answers": exc.message_dict}) from exc
        return Response({"detail": "Saved."}, status=status.HTTP_201_CREATED)

    @extend_schema(responses=SurveyResultsSerializer)
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        """Counts per option, the scale's average and distribution, the texts. An anonymous
        survey answers `shown: false` and no questions until enough people answered."""
        survey = self.get_object()
        if not permissions.can_view_results(request.user, survey):
            raise PermissionDenied
        shown = permissions.results_shown(survey)
        payload = {
            "response_count": survey.response_count,
            "shown": shown,
            "questions": selectors.results(survey) if shown else [],
            "minimum": MIN_ANONYMOUS,
        }
        return Response(SurveyResultsSerializer(payload).data)
