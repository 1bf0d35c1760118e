from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from communities.models import Community
from core.downloads import serve_upload
from core.forms import apply_errors, flash_errors
from core.text import parse_id
from core.views import PAGE_SIZE, paginate

from . import permissions, selectors, services
from .forms import AnnounceForm, CommentForm, PollForm, PostForm, ReplyForm, TopicForm
from .models import Comment, Post, PostAttachment, Reaction, Reply, Topic


def _moderation_context(user, community: Community, conduct: bool = True) -> dict:
    """What the pages of a feed or forum show of moderation: the code of conduct, whether the
    user moderates, and the user's mute."""
    context = {
        "can_moderate": permissions.can_moderate(user, community),
        "mute": permissions.active_mute(user, community),
    }
    if conduct:
        context["conduct_html"] = selectors.code_of_conduct(community)[0]
    return context


def _deny(request):
    """Anonymous visitors are sent to log in; signed-in people are refused."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def community_or_404(pk) -> Community:
    """The community with what its pages and policy read (kind, territory), or 404."""
    return get_object_or_404(Community.objects.select_related("kind", "territory"), pk=pk)


def _post(request, pk) -> Post:
    try:
        return selectors.post_detail(pk)
    except Post.DoesNotExist as exc:
        raise Http404 from exc


@require_safe
def feed(request, pk):
    community = community_or_404(pk)
    user = request.user
    if not permissions.can_open_feed(user, community):
        return _deny(request)
    whole = permissions.can_read_feed(user, community)
    posts = selectors.feed(user, community)
    seen = selectors.last_seen(user, community)
    unread = selectors.new_since(posts, seen, user).count() if whole else 0
    page = paginate(request, posts)
    items = list(page)
    reactions = selectors.reaction_counts(items, user) if whole else {}
    polls = selectors.poll_states(items, user) if whole else {}
    rows = [
        {
            "post": post,
            "new": whole
            and post.author_id != user.pk
            and (seen is None or post.published_at > seen),
            "reactions": reactions.get(post.pk, []),
            "poll": polls.get(post.pk),
        }
        for post in items
    ]
    if whole and page.number == 1:
        services.mark_read(person=user, community=community)
    return render(
        request,
        "discussions/feed.html",
        {
            "community": community,
            "page": page,
            "rows": rows,
            "unread": unread,
            "whole": whole,
            "can_post": permissions.can_post(user, community),
            "can_announce": permissions.can_announce(user, community),
            **_moderation_context(user, community, conduct=whole),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_create(request, pk):
    community = community_or_404(pk)
    user = request.user
    if not permissions.can_post(user, community):
        raise PermissionDenied
    may_announce = permissions.can_announce(user, community)
    planned = selectors.open_planned_for(user, community)
    form = PostForm(
        request.POST or None, request.FILES or None, may_announce=may_announce, planned=planned
    )
    if not form.is_bound and "planned" in form.fields:
        # Opened from the schedule's "write the post": that line is chosen, and named.
        chosen = planned.filter(pk=parse_id(request.GET.get("planned")) or 0).first()
        if chosen is not None:
            form.initial["planned"] = chosen.pk
            form.initial["title"] = chosen.title
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        draft = "draft" in request.POST
        try:
            post = services.create_post(
                actor=user, community=community, body=data["body"], title=data["title"],
                kind=data.get("kind") or Post.Kind.POST, pinned=bool(data.get("pinned")),
                draft=draft, token=data.get("token", ""), files=data.get("files") or [],
                planned=data.get("planned"),
            )  # fmt: skip
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if draft:
                messages.success(request, _("The draft is saved; only you see it."))
                return redirect("discussions:drafts")
            messages.success(request, _("The post is published."))
            return redirect("discussions:detail", post.pk)
    return render(
        request, "discussions/post_form.html", {"form": form, "community": community, "post": None}
    )


@require_safe
def post_detail(request, pk):
    post = _post(request, pk)
    user = request.user
    if not permissions.can_view_post(user, post):
        if post.status in ("deleted", "hidden"):
            raise Http404
        return _deny(request)
    whole = permissions.can_read_feed(user, post.community)
    return render(
        request,
        "discussions/post_detail.html",
        {
            "post": post,
            "community": post.community,
            "whole": whole,
            "page": paginate(request, selectors.comments_of(post)) if whole else None,
            "reactions": selectors.reaction_counts([post], user)[post.pk] if whole else [],
            "revisions": post.revisions.select_related("edited_by")[:20] if whole else [],
            "comment_form": CommentForm() if permissions.can_comment(user, post) else None,
            "can_edit": permissions.can_edit(user, post),
            "can_delete": permissions.can_delete(user, post),
            "can_pin": permissions.can_pin(user, post),
            "can_react": permissions.can_react(user, post),
            "can_moderate": permissions.can_moderate(user, post.community),
            "poll": _poll_state(post, user, whole),
            "mute": permissions.active_mute(user, post.community),
        },
    )


def _poll_state(post: Post, user, whole: bool = True):
    if not (whole and post.is_poll):
        return None
    return selectors.poll_states([post], user, voters=True).get(post.pk)


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request, pk):
    post = _post(request, pk)
    if not permissions.can_edit(request.user, post):
        raise PermissionDenied
    initial = {"title": post.title, "body": post.body}
    form = PostForm(request.POST or None, request.FILES or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            post = services.update_post(
                actor=request.user, post=post, body=form.cleaned_data["body"],
                title=form.cleaned_data["title"], publish="publish" in request.POST,
                files=form.cleaned_data.get("files") or [],
            )  # fmt: skip
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The post is saved."))
            if post.status == "draft":
                return redirect("discussions:drafts")
            return redirect("discussions:detail", post.pk)
    return render(
        request,
        "discussions/post_form.html",
        {"form": form, "community": post.community, "post": post},
    )


@login_required
@require_POST
def post_delete(request, pk):
    post = _post(request, pk)
    if not permissions.can_delete(request.user, post):
        raise PermissionDenied
    services.delete_post(actor=request.user, post=post)
    messages.success(request, _("The post is deleted."))
    return redirect("discussions:feed", post.community_id)


@login_required
@require_POST
def post_pin(request, pk):
    post = _post(request, pk)
    if not permissions.can_pin(request.user, post):
        raise PermissionDenied
    services.set_pinned(actor=request.user, post=post, pinned=not post.pinned)
    return redirect("discussions:detail", post.pk)


@login_required
@require_POST
def comment_create(request, pk):
    post = _post(request, pk)
    if not permissions.can_comment(request.user, post):
        raise PermissionDenied
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = services.add_comment(
                actor=request.user, post=post, body=form.cleaned_data["body"],
                token=form.cleaned_data.get("token", ""),
            )  # fmt: skip
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            # The new comment is the last one: open the page of comments that shows it.
            last = max(1, -(-selectors.comments_of(post).count() // PAGE_SIZE))
            url = reverse("discussions:detail", args=[post.pk])
            return redirect(f"{url}?page={last}#comment-{comment.pk}")
    else:
        flash_errors(request, form)
    return redirect("discussions:detail", post.pk)


@login_required
@require_POST
def react(request, pk):
    post = _post(request, pk)
    if not permissions.can_react(request.user, post):
        raise PermissionDenied
    kind = request.POST.get("kind", "")
    if kind not in Reaction.Kind.values:
        messages.error(request, _("Choose a reaction."))
    else:
        services.toggle_reaction(actor=request.user, post=post, kind=kind)
    if request.htmx:
        return render(
            request,
            "discussions/_reactions.html",
            {
                "post": post,
                "reactions": selectors.reaction_counts([post], request.user)[post.pk],
                "can_react": True,
            },
        )
    return redirect("discussions:detail", post.pk)


@login_required
@require_POST
def comment_delete(request, pk):
    comment = get_object_or_404(
        Comment.objects.select_related("post__community__kind", "post__community__territory"),
        pk=pk,
    )
    if not permissions.can_delete_comment(request.user, comment):
        raise PermissionDenied
    services.delete_comment(actor=request.user, comment=comment)
    messages.success(request, _("The comment is deleted."))
    return redirect("discussions:detail", comment.post_id)


@login_required
@require_safe
def drafts(request):
    return render(
        request,
        "discussions/drafts.html",
        {"page": paginate(request, selectors.drafts_of(request.user))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def announce(request):
    targets = permissions.announcement_targets(request.user)
    if not targets.exists():
        raise PermissionDenied
    form = AnnounceForm(request.POST or None, targets=targets)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            announcement = services.announce(
                actor=request.user, communities=form.chosen(), title=data["title"],
                body=data["body"], pinned=data["pinned"], token=data.get("token", ""),
            )  # fmt: skip
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            n = announcement.posts.count()
            text = ngettext(
                "The announcement is published in %(n)d community.",
                "The announcement is published in %(n)d communities.",
                n,
            )
            messages.success(request, text % {"n": n})
            return redirect("discussions:detail", announcement.posts.order_by("pk").first().pk)
    return render(request, "discussions/announce.html", {"form": form})


@login_required
@require_safe
def forum(request, pk):
    community = community_or_404(pk)
    if not permissions.can_read_feed(request.user, community):
        raise PermissionDenied
    return render(
        request,
        "discussions/forum.html",
        {
            "community": community,
            "page": paginate(request, selectors.topics_of(community, request.user)),
            "can_open": permissions.can_post(request.user, community),
            **_moderation_context(request.user, community),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def topic_create(request, pk):
    community = community_or_404(pk)
    if not permissions.can_post(request.user, community):
        raise PermissionDenied
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            topic = services.open_topic(
                actor=request.user, community=community, title=data["title"],
                body=data["body"], token=data.get("token", ""),
            )  # fmt: skip
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("discussions:topic", topic.pk)
    return render(request, "discussions/topic_form.html", {"form": form, "community": community})


def _topic(request, pk) -> Topic:
    try:
        topic = selectors.topic_detail(pk)
    except Topic.DoesNotExist as exc:
        raise Http404 from exc
    if not permissions.can_view_topic(request.user, topic):
        raise PermissionDenied
    return topic


@login_required
@require_safe
def topic_detail(request, pk):
    topic = _topic(request, pk)
    form = None
    if permissions.can_reply(request.user, topic):
        initial = {}
        if (quoted := parse_id(request.GET.get("quote"))) is not None:
            initial["quote"] = quoted
        form = ReplyForm(initial=initial)
    return render(
        request,
        "discussions/topic_detail.html",
        {
            "topic": topic,
            "community": topic.community,
            "page": paginate(request, selectors.replies_of(topic)),
            "form": form,
            **_moderation_context(request.user, topic.community, conduct=False),
        },
    )


@login_required
@require_POST
def topic_reply(request, pk):
    topic = _topic(request, pk)
    if not permissions.can_reply(request.user, topic):
        raise PermissionDenied
    form = ReplyForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        quote = None
        if data.get("quote"):
            quote = Reply.objects.filter(pk=data["quote"], topic=topic).first()
        try:
            answer = services.reply(
                actor=request.user, topic=topic, body=data["body"], quote=quote,
                token=data.get("token", ""),
            )  # fmt: skip
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            last = max(1, -(-selectors.replies_of(topic).count() // PAGE_SIZE))
            url = reverse("discussions:topic", args=[topic.pk])
            return redirect(f"{url}?page={last}#reply-{answer.pk}")
    else:
        flash_errors(request, form)
    return redirect("discussions:topic", topic.pk)


def _attachment(request, pk) -> PostAttachment:
    attachment = get_object_or_404(
        PostAttachment.objects.select_related(
            "post__community__kind", "post__community__territory"
        ),
        pk=pk,
    )
    if not permissions.can_view_post(request.user, attachment.post):
        raise Http404  # a file of a post one may not see is not admitted to exist
    return attachment


@require_safe
def attachment(request, pk):
    item = _attachment(request, pk)
    return serve_upload(item.file, filename=item.name)


@login_required
@require_http_methods(["GET", "POST"])
def poll_create(request, pk):
    community = community_or_404(pk)
    if not permissions.can_create_poll(request.user, community):
        raise PermissionDenied
    form = PollForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post = services.create_poll(
                actor=request.user, community=community, question=data["question"],
                options=form.option_lines(), multiple=data["multiple"],
                anonymous=data["anonymous"], results=data["results"],
                closes_at=data.get("closes_at"), token=data.get("token", ""),
            )  # fmt: skip
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The poll is published."))
            return redirect("discussions:detail", post.pk)
    return render(request, "discussions/poll_form.html", {"form": form, "community": community})


def _poll_post(pk) -> Post:
    post = get_object_or_404(
        Post.objects.select_related("community__kind", "community__territory", "author"),
        pk=pk,
        kind=Post.Kind.POLL,
    )
    return post


def _poll_answer(request, post: Post):
    """The poll's part of the page for htmx, the post's page otherwise."""
    if request.htmx:
        return render(
            request,
            "discussions/_poll.html",
            {"post": post, "poll": _poll_state(post, request.user), "detail": True},
        )
    return redirect(reverse("discussions:detail", args=[post.pk]) + "#poll")


@login_required
@require_POST
def attachment_remove(request, pk):
    item = _attachment(request, pk)
    services.remove_attachment(actor=request.user, attachment=item)
    messages.success(request, _("The file is removed from the post."))
    return redirect("discussions:edit", item.post_id)


@login_required
@require_POST
def poll_vote(request, pk):
    post = _poll_post(pk)
    if not permissions.can_vote(request.user, post):
        raise PermissionDenied
    ids = [parse_id(value) for value in request.POST.getlist("options")]
    if None in ids:
        messages.error(request, _("Choose among this poll's options."))
    else:
        try:
            services.vote(actor=request.user, post=post, option_ids=ids)
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("Your vote is counted."))
    return _poll_answer(request, post)


@login_required
@require_POST
def poll_close(request, pk):
    post = _poll_post(pk)
    if not permissions.can_close_poll(request.user, post):
        raise PermissionDenied
    services.close_poll(actor=request.user, post=post)
    messages.success(request, _("The poll is closed."))
    return _poll_answer(request, post)
