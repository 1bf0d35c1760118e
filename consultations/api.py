"""The REST API of consultation requests: list what the caller may see, ask, read one, and the
actions take / answer / rate / withdraw / publish (to the FAQ) as POST sub-routes.

A request outside what the caller may see is 404; the services ask the same policy (403 when the
caller sees the request but may not act on it).
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from communities.models import Community
from events.models import Event
from people.models import Person

from . import permissions, selectors, services
from .models import (
    ConsultationAnswer,
    ConsultationRating,
    ConsultationRequest,
    ConsultationTopic,
    FaqEntry,
)


class AnswerSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.full_name", read_only=True)

    class Meta:
        model = ConsultationAnswer
        fields = ["author", "author_name", "text", "event", "created_at"]


class RatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConsultationRating
        fields = ["score", "comment", "created_at"]


class RequestSerializer(serializers.ModelSerializer):
    topic = serializers.PrimaryKeyRelatedField(queryset=ConsultationTopic.objects.all())
    community = serializers.PrimaryKeyRelatedField(
        queryset=Community.objects.all(), required=False, allow_null=True
    )
    responder = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), required=False, allow_null=True
    )
    asker_name = serializers.CharField(source="asker.full_name", read_only=True)
    topic_name = serializers.CharField(source="topic.__str__", read_only=True)
    answer = AnswerSerializer(read_only=True)
    rating = RatingSerializer(read_only=True)

    class Meta:
        model = ConsultationRequest
        fields = [
            "id", "asker", "asker_name", "organisation", "addressee", "community", "responder",
            "topic", "topic_name", "question", "urgency", "due_by", "status", "taken_by",
            "taken_at", "answered_at", "closed_at", "created_at", "answer", "rating",
        ]  # fmt: skip
        read_only_fields = [
            "asker", "organisation", "due_by", "status", "taken_by", "taken_at", "answered_at",
            "closed_at", "created_at",
        ]  # fmt: skip


class AnswerInput(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True, default="")
    event = serializers.PrimaryKeyRelatedField(
        queryset=Event.objects.all(), required=False, allow_null=True, default=None
    )


class RateInput(serializers.Serializer):
    score = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class FaqInput(serializers.Serializer):
    topic = serializers.PrimaryKeyRelatedField(queryset=ConsultationTopic.objects.all())
    question = serializers.CharField()
    answer = serializers.CharField()
    confirmed = serializers.BooleanField(
        default=False, help_text="The publisher confirms the text contains no personal data."
    )


class FaqEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = FaqEntry
        fields = ["id", "topic", "question", "answer", "source", "published_at"]


class ConsultationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Consultation requests the caller may see; a leader asks a question (multipart for
    attachments in `files`); the responders take and answer it; the asker rates the answer or
    withdraws an open question; a publisher makes an anonymised FAQ entry of an answered one."""

    serializer_class = RequestSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return (
            selectors.visible_requests(self.request.user)
            .select_related("answer__author", "rating")
            .order_by("-created_at", "-pk")
        )

    def _object(self, pk) -> ConsultationRequest:
        return get_object_or_404(self.get_queryset(), pk=pk)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if not permissions.can_ask(request.user):
            raise PermissionDenied
        try:
            created = services.ask(
                actor=request.user,
                addressee=data["addressee"],
                community=data.get("community"),
                responder=data.get("responder"),
                topic=data["topic"],
                question=data["question"],
                urgency=data.get("urgency", ConsultationRequest.Urgency.NORMAL),
                files=request.FILES.getlist("files"),
            )
        except services.AlreadyDone as repeat:
            return Response(self.get_serializer(self._object(repeat.obj.pk)).data)
        return Response(
            self.get_serializer(self._object(created.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=None, responses=RequestSerializer)
    @action(detail=True, methods=["post"])
    def take(self, request, pk=None):
        """A responder takes the question."""
        obj = self._object(pk)
        try:
            services.take(actor=request.user, request=obj)
        except services.AlreadyDone:
            pass
        return Response(self.get_serializer(self._object(pk)).data)

    @extend_schema(request=AnswerInput, responses=RequestSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """A responder answers in writing or by a consultation event they organise."""
        obj = self._object(pk)
        data = AnswerInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.answer(actor=request.user, request=obj, **data.validated_data)
        except services.AlreadyDone:
            pass
        return Response(self.get_serializer(self._object(pk)).data)

    @extend_schema(request=RateInput, responses=RequestSerializer)
    @action(detail=True, methods=["post"])
    def rate(self, request, pk=None):
        """The asker rates the answer (once)."""
        obj = self._object(pk)
        data = RateInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.rate(actor=request.user, request=obj, **data.validated_data)
        return Response(self.get_serializer(self._object(pk)).data)

    @extend_schema(request=None, responses=RequestSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """The asker withdraws an open question (a repeat changes nothing)."""
        obj = self._object(pk)
        try:
            services.withdraw(actor=request.user, request=obj)
        except services.AlreadyDone:
            pass
        return Response(self.get_serializer(self._object(pk)).data)

    @extend_schema(request=FaqInput, responses={201: FaqEntrySerializer, 200: FaqEntrySerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """A curator, a centre administrator or the council's chair publishes the answered
        question, rewritten without personal data, as a FAQ entry (once per question)."""
        obj = self._object(pk)
        data = FaqInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            entry = services.publish_faq(
                actor=request.user,
                source=obj,
                topic=values["topic"],
                question=values["question"],
                answer_text=values["answer"],
                confirmed=values["confirmed"],
            )
        except services.AlreadyDone as repeat:
            return Response(FaqEntrySerializer(repeat.obj).data)
        return Response(FaqEntrySerializer(entry).data, status=status.HTTP_201_CREATED)
