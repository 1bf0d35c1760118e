"""REST endpoints of posts and their comments (mounted under /api/v1/ by collegium/api_urls.py)."""

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from communities.models import Community
from core.text import parse_id
from people.models import Person

from . import permissions, selectors, services
from .models import (
    ChatMessage,
    Comment,
    PlannedPublication,
    Poll,
    Post,
    PostAttachment,
    Reply,
    Report,
    Status,
    Target,
    Topic,
    community_of,
)


class PostAttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = PostAttachment
        fields = ["id", "name", "kind", "size", "url"]
        read_only_fields = fields

    def get_url(self, attachment) -> str:
        return reverse("discussions:attachment", args=[attachment.pk])


class PollOptionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="option.pk")
    text = serializers.CharField(source="option.text")
    votes = serializers.IntegerField(
        allow_null=True, help_text="null while the results are not shown to you"
    )
    percent = serializers.IntegerField(
        allow_null=True, help_text="Share of the voters; null while the results are not shown"
    )


class PollSerializer(serializers.Serializer):
    """A poll as the requesting person sees it (`selectors.PollState`)."""

    question = serializers.CharField(source="poll.question")
    multiple = serializers.BooleanField(source="poll.multiple")
    anonymous = serializers.BooleanField(source="poll.anonymous")
    results = serializers.ChoiceField(
        source="poll.results", choices=Poll.Results.choices, help_text="When results are shown"
    )
    closes_at = serializers.DateTimeField(source="poll.closes_at", allow_null=True)
    closed = serializers.BooleanField()
    results_visible = serializers.BooleanField(source="show_results")
    voter_count = serializers.IntegerField(
        source="total", allow_null=True, help_text="null while the results are not shown to you"
    )
    voted = serializers.BooleanField()
    my_vote = serializers.ListField(
        source="mine",
        child=serializers.IntegerField(),
        help_text="Your options (empty for an anonymous poll: nobody keeps them)",
    )
    options = PollOptionSerializer(many=True)


class PostModerationSerializer(serializers.Serializer):
    """What moderators did to the item (read only): hidden with a reason, closed for comments."""

    hidden = serializers.BooleanField()
    hidden_reason = serializers.CharField()
    locked = serializers.BooleanField()
    locked_reason = serializers.CharField()


def _moderation(item) -> dict:
    return {
        "hidden": item.status == Status.HIDDEN,
        "hidden_reason": item.hidden_reason if item.status == Status.HIDDEN else "",
        "locked": bool(getattr(item, "locked", False)),
        "locked_reason": getattr(item, "locked_reason", "") or "",
    }


class PostSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.full_name", read_only=True)
    attachments = PostAttachmentSerializer(many=True, read_only=True)
    poll = serializers.SerializerMethodField(help_text="The poll of a post of kind poll, else null")
    moderation = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = [
            "id", "community", "author", "author_name", "kind", "title", "body", "body_html",
            "pinned", "status", "published_at", "edited_at", "comment_count", "attachments",
            "poll", "moderation",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(PollSerializer(allow_null=True))
    def get_poll(self, post: Post):
        if not post.is_poll:
            return None
        polls = self.context.get("polls")
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if polls is None or post.pk not in polls:
            polls = selectors.poll_states([post], user)
        state = polls.get(post.pk)
        return None if state is None else PollSerializer(state).data

    @extend_schema_field(PostModerationSerializer)
    def get_moderation(self, post: Post) -> dict:
        return _moderation(post)


class VoteSerializer(serializers.Serializer):
    options = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        allow_empty=False,
        max_length=20,
        help_text="Ids of the chosen options (exactly one unless the poll is multiple)",
    )


class PostCreateSerializer(serializers.Serializer):
    community = serializers.PrimaryKeyRelatedField(queryset=Community.objects.all())
    title = serializers.CharField(max_length=services.TITLE_MAX, required=False, allow_blank=True)
    body = serializers.CharField(max_length=services.BODY_MAX)
    # A poll is made with its options by its own form.
    kind = serializers.ChoiceField(
        choices=[(k, label) for k, label in Post.Kind.choices if k != Post.Kind.POLL],
        default=Post.Kind.POST,
    )
    pinned = serializers.BooleanField(default=False)
    draft = serializers.BooleanField(default=False)
    planned = serializers.PrimaryKeyRelatedField(
        queryset=PlannedPublication.objects.select_related("community"),
        required=False,
        allow_null=True,
        help_text="A line of the community's publication schedule this post fulfils (yours)",
    )
    token = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        help_text="A one-time key of the client's form: sending it again returns the same post.",
    )


class PostUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=services.TITLE_MAX, required=False, allow_blank=True)
    body = serializers.CharField(max_length=services.BODY_MAX, required=False)
    publish = serializers.BooleanField(default=False, help_text="Publish a draft.")


class PostCommentSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.full_name", read_only=True)
    token = serializers.CharField(max_length=40, required=False, allow_blank=True, write_only=True)
    moderation = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = [
            "id", "post", "author", "author_name", "body", "body_html", "created_at", "token",
            "moderation",
        ]  # fmt: skip
        read_only_fields = [
            "id", "post", "author", "author_name", "body_html", "created_at", "moderation",
        ]  # fmt: skip
        extra_kwargs = {"body": {"max_length": services.COMMENT_MAX}}

    @extend_schema_field(PostModerationSerializer)
    def get_moderation(self, comment: Comment) -> dict:
        return _moderation(comment)


class ContentReportCreateSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=Report.Reason.choices)
    text = serializers.CharField(max_length=500, required=False, allow_blank=True)


class ContentReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = Report
        fields = ["id", "target", "object_id", "reason", "text", "state", "created_at"]
        read_only_fields = fields


def _validation(exc):
    return serializers.ValidationError(getattr(exc, "message_dict", {"detail": exc.messages}))


class PostViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PostSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Post.objects.none()
        community = self.request.query_params.get("community")
        community_id = parse_id(community)
        return selectors.post_list(self.request.user, community_id)

    @extend_schema(
        parameters=[OpenApiParameter("community", int, description="Only this community's posts")]
    )
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        # The page's polls in a fixed number of queries, not one poll at a time.
        context = {
            **self.get_serializer_context(),
            "polls": selectors.poll_states(page, request.user),
        }
        data = PostSerializer(page, many=True, context=context).data
        return self.get_paginated_response(data)

    def get_object(self):
        post = super().get_object()
        post = selectors.post_detail(post.pk)
        if not permissions.can_view_post(self.request.user, post):
            raise PermissionDenied
        return post

    @extend_schema(request=PostCreateSerializer, responses={201: PostSerializer})
    def create(self, request, *args, **kwargs):
        body = PostCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            post = services.create_post(
                actor=request.user, community=data["community"], body=data["body"],
                title=data.get("title", ""), kind=data["kind"], pinned=data["pinned"],
                draft=data["draft"], token=data.get("token", ""), planned=data.get("planned"),
            )  # fmt: skip
        except DjangoPermissionDenied as exc:
            raise PermissionDenied from exc
        except DjangoValidationError as exc:
            raise _validation(exc) from exc
        return Response(
            PostSerializer(post, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=PostUpdateSerializer, responses=PostSerializer)
    def partial_update(self, request, *args, **kwargs):
        post = self.get_object()
        if not permissions.can_edit(request.user, post):
            raise PermissionDenied
        body = PostUpdateSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            post = services.update_post(
                actor=request.user, post=post, body=data.get("body", post.body),
                title=data.get("title", post.title), publish=data.get("publish", False),
            )  # fmt: skip
        except DjangoValidationError as exc:
            raise _validation(exc) from exc
        return Response(PostSerializer(post, context=self.get_serializer_context()).data)

    @extend_schema(request=VoteSerializer, responses=PostSerializer)
    @action(detail=True, methods=["post"])
    def vote(self, request, pk=None):
        """Vote in the post's poll (a named poll's vote may be changed until it closes)."""
        post = self.get_object()
        if not post.is_poll:
            raise NotFound
        if not permissions.can_vote(request.user, post):
            raise PermissionDenied
        body = VoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            services.vote(actor=request.user, post=post, option_ids=body.validated_data["options"])
        except DjangoPermissionDenied as exc:
            raise PermissionDenied from exc
        except DjangoValidationError as exc:
            raise _validation(exc) from exc
        return Response(PostSerializer(post, context=self.get_serializer_context()).data)

    @extend_schema(exclude=True)
    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)


class PostCommentViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The comments of one post: /api/v1/posts/<id>/comments/."""

    serializer_class = PostCommentSerializer

    def _post(self) -> Post:
        post = get_object_or_404(
            Post.objects.select_related("community__kind", "community__territory"),
            pk=self.kwargs["post_pk"],
        )
        if post.status not in (Status.PUBLISHED,) or not permissions.can_view_post(
            self.request.user, post
        ):
            raise NotFound
        if not permissions.can_read_feed(self.request.user, post.community):
            raise PermissionDenied
        return post

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Comment.objects.none()
        return selectors.comments_shown_to(self.request.user, self._post())

    def create(self, request, *args, **kwargs):
        post = self._post()
        if not permissions.can_comment(request.user, post):
            raise PermissionDenied
        body = PostCommentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            comment = services.add_comment(
                actor=request.user, post=post, body=body.validated_data["body"],
                token=body.validated_data.get("token", ""),
            )  # fmt: skip
        except DjangoValidationError as exc:
            raise _validation(exc) from exc
        return Response(PostCommentSerializer(comment).data, status=status.HTTP_201_CREATED)


class ChatMessageSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.full_name", read_only=True)
    token = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        write_only=True,
        help_text="A one-time key of the client's form: sending it again returns the same line.",
    )
    moderation = serializers.SerializerMethodField(
        help_text="A hidden line is listed to its author (with the reason) and the moderators"
    )

    @extend_schema_field(PostModerationSerializer)
    def get_moderation(self, line: ChatMessage) -> dict:
        return _moderation(line)

    class Meta:
        model = ChatMessage
        fields = ["id", "community", "author", "author_name", "body", "body_html", "created_at",
                  "token", "moderation"]  # fmt: skip
        read_only_fields = ["id", "community", "author", "author_name", "body_html", "created_at",
                            "moderation"]  # fmt: skip
        extra_kwargs = {"body": {"max_length": services.CHAT_MAX}}


class ChatViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """A community's chat: /api/v1/communities/<id>/chat/. Pages of at most 50 lines, oldest
    first, walked by id: `?after=<id>` for what came since, `?before=<id>` for earlier lines."""

    serializer_class = ChatMessageSerializer
    pagination_class = None

    def _community(self) -> Community:
        community = get_object_or_404(
            Community.objects.select_related("kind", "territory"), pk=self.kwargs["community_pk"]
        )
        if not permissions.can_read_chat(self.request.user, community):
            raise PermissionDenied
        return community

    def get_queryset(self):
        return ChatMessage.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter("after", int, description="Only the lines after this one"),
            OpenApiParameter("before", int, description="The lines before this one"),
        ]
    )
    def list(self, request, *args, **kwargs):
        community = self._community()
        lines = selectors.chat_messages(
            request.user,
            community,
            after=parse_id(request.query_params.get("after")),
            before=parse_id(request.query_params.get("before")),
        )
        return Response(ChatMessageSerializer(lines, many=True).data)

    def create(self, request, *args, **kwargs):
        community = self._community()
        if not permissions.can_chat(request.user, community):
            raise PermissionDenied
        body = ChatMessageSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            message = services.send_chat_message(
                actor=request.user, community=community, body=body.validated_data["body"],
                token=body.validated_data.get("token", ""),
            )  # fmt: skip
        except DjangoValidationError as exc:
            raise _validation(exc) from exc
        return Response(ChatMessageSerializer(message).data, status=status.HTTP_201_CREATED)


class ReportCreateView(generics.GenericAPIView):
    """Report a post or a comment to the community's moderators: /api/v1/posts/<id>/report/ and
    /api/v1/comments/<id>/report/. One open report per person and item: sending it again
    returns the same report (200)."""

    serializer_class = ContentReportCreateSerializer
    target = Target.POST

    @extend_schema(
        request=ContentReportCreateSerializer,
        responses={201: ContentReportSerializer, 200: ContentReportSerializer},
    )
    def post(self, request, pk: int):
        try:
            item = selectors.moderation_item(self.target, pk)
        except ObjectDoesNotExist as exc:
            raise NotFound from exc
        community = community_of(item)
        if not permissions.can_see_item(request.user, item, community):
            raise NotFound
        if not permissions.can_report(request.user, item, community):
            raise PermissionDenied
        body = ContentReportCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        existed = Report.objects.filter(
            reporter=request.user, target=self.target, object_id=item.pk, state=Report.State.OPEN
        ).exists()
        try:
            row = services.report(
                actor=request.user, item=item, reason=body.validated_data["reason"],
                text=body.validated_data.get("text", ""),
            )  # fmt: skip
        except DjangoPermissionDenied as exc:
            raise PermissionDenied from exc
        except DjangoValidationError as exc:
            raise _validation(exc) from exc
        code = status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        return Response(ContentReportSerializer(row).data, status=code)


class CommentReportCreateView(ReportCreateView):
    target = Target.COMMENT


class ChatReportCreateView(ReportCreateView):
    """Report a chat line: /api/v1/chat/<id>/report/."""

    target = Target.CHAT


class TopicSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.full_name", read_only=True)
    moderation = serializers.SerializerMethodField()

    class Meta:
        model = Topic
        fields = [
            "id", "community", "author", "author_name", "title", "body", "body_html", "status",
            "created_at", "last_reply_at", "reply_count", "moderation",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(PostModerationSerializer)
    def get_moderation(self, topic: Topic) -> dict:
        return _moderation(topic)


class TopicCreateSerializer(serializers.Serializer):
    community = serializers.PrimaryKeyRelatedField(queryset=Community.objects.all())
    title = serializers.CharField(max_length=services.TITLE_MAX)
    body = serializers.CharField(max_length=services.BODY_MAX)
    token = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        help_text="A one-time key of the client's form: sending it again returns the same topic.",
    )


class ForumReplySerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.full_name", read_only=True)
    quote = serializers.PrimaryKeyRelatedField(
        queryset=Reply.objects.all(),
        required=False,
        allow_null=True,
        help_text="An earlier reply of the same topic, quoted",
    )
    token = serializers.CharField(max_length=40, required=False, allow_blank=True, write_only=True)
    moderation = serializers.SerializerMethodField()

    class Meta:
        model = Reply
        fields = [
            "id", "topic", "author", "author_name", "quote", "body", "body_html", "created_at",
            "token", "moderation",
        ]  # fmt: skip
        read_only_fields = [
            "id", "topic", "author", "author_name", "body_html", "created_at", "moderation",
        ]  # fmt: skip
        extra_kwargs = {"body": {"max_length": services.COMMENT_MAX}}

    @extend_schema_field(PostModerationSerializer)
    def get_moderation(self, reply: Reply) -> dict:
        return _moderation(reply)


class TopicViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """A community's forum (003 app. 1 §2.2.1): /api/v1/topics/?community=<id> lists its
    topics, latest reply first (without it: the topics of every forum the person reads)."""

    serializer_class = TopicSerializer

    def _community(self) -> Community | None:
        community_id = parse_id(self.request.query_params.get("community"))
        if community_id is None:
            return None
        community = (
            Community.objects.select_related("kind", "territory").filter(pk=community_id).first()
        )
        if community is None:
            raise NotFound
        if not permissions.can_read_feed(self.request.user, community):
            raise PermissionDenied
        return community

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Topic.objects.none()
        return selectors.topics_shown_to(self.request.user, self._community())

    @extend_schema(
        parameters=[OpenApiParameter("community", int, description="Only this community's forum")]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_object(self):
        try:
            topic = selectors.topic_detail(parse_id(self.kwargs["pk"]) or 0)
        except Topic.DoesNotExist as exc:
            raise NotFound from exc
        if not permissions.can_view_topic(self.request.user, topic):
            raise NotFound
        return topic

    @extend_schema(request=TopicCreateSerializer, responses={201: TopicSerializer})
    def create(self, request, *args, **kwargs):
        body = TopicCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        topic = services.open_topic(
            actor=request.user, community=data["community"], title=data["title"],
            body=data["body"], token=data.get("token", ""),
        )  # fmt: skip
        return Response(TopicSerializer(topic).data, status=status.HTTP_201_CREATED)


class TopicReplyViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The replies of one topic, oldest first: /api/v1/topics/<id>/replies/."""

    serializer_class = ForumReplySerializer

    def _topic(self) -> Topic:
        try:
            topic = selectors.topic_detail(self.kwargs["topic_pk"])
        except Topic.DoesNotExist as exc:
            raise NotFound from exc
        if not permissions.can_view_topic(self.request.user, topic):
            raise NotFound
        return topic

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Reply.objects.none()
        return selectors.replies_shown_to(self.request.user, self._topic())

    def create(self, request, *args, **kwargs):
        topic = self._topic()
        if not permissions.can_reply(request.user, topic):
            raise PermissionDenied
        body = ForumReplySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        answer = services.reply(
            actor=request.user, topic=topic, body=data["body"], quote=data.get("quote"),
            token=data.get("token", ""),
        )  # fmt: skip
        return Response(ForumReplySerializer(answer).data, status=status.HTTP_201_CREATED)


class TopicReportCreateView(ReportCreateView):
    """Report a forum topic: /api/v1/topics/<id>/report/."""

    target = Target.TOPIC


class ReplyReportCreateView(ReportCreateView):
    """Report a forum reply: /api/v1/replies/<id>/report/."""

    target = Target.REPLY


class PlannedPublicationSerializer(serializers.ModelSerializer):
    responsible_name = serializers.CharField(source="responsible.full_name", read_only=True)
    published = serializers.BooleanField(source="is_published", read_only=True)
    token = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        write_only=True,
        help_text="A one-time key of the client's form: sending it again returns the same line.",
    )

    class Meta:
        model = PlannedPublication
        fields = ["id", "community", "title", "responsible", "responsible_name", "due_on", "post",
                  "published", "token"]  # fmt: skip
        read_only_fields = ["id", "post", "published", "responsible_name"]
        extra_kwargs = {
            "community": {"queryset": Community.objects.select_related("kind", "territory")},
            "responsible": {"queryset": Person.objects.all()},
        }


class PublicationScheduleViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """A community's publication schedule (004: «график публикаций»):
    /api/v1/schedule/?community=<id> lists it by date; its moderators plan (POST) and take off
    (DELETE) lines that have no post yet; the post is written through /api/v1/posts/ with
    `planned`."""

    serializer_class = PlannedPublicationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return PlannedPublication.objects.none()
        community = Community.objects.select_related("kind", "territory").filter(
            pk=parse_id(self.request.query_params.get("community")) or 0
        )
        community = community.first()
        if community is None:
            raise NotFound
        if not permissions.can_view_schedule(self.request.user, community):
            raise PermissionDenied
        return selectors.publication_schedule(community)

    @extend_schema(
        parameters=[OpenApiParameter("community", int, required=True, description="The community")]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def create(self, request, *args, **kwargs):
        body = PlannedPublicationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        planned = services.plan_publication(
            actor=request.user, community=data["community"], title=data["title"],
            responsible=data["responsible"], due_on=data["due_on"],
            token=data.get("token", ""),
        )  # fmt: skip
        return Response(PlannedPublicationSerializer(planned).data, status=status.HTTP_201_CREATED)

    def get_object(self):
        planned = (
            PlannedPublication.objects.select_related("community__kind", "community__territory")
            .filter(pk=parse_id(self.kwargs["pk"]) or 0)
            .first()
        )
        if planned is None or not permissions.can_view_schedule(
            self.request.user, planned.community
        ):
            raise NotFound
        return planned

    def destroy(self, request, *args, **kwargs):
        services.remove_planned(actor=request.user, planned=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
