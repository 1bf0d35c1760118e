"""A community's chat: the newest lines, earlier pages, and what came since the last look
(polled by htmx every few seconds; without JavaScript the page is simply reloaded)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.forms import apply_errors, flash_errors
from core.text import parse_id

from . import permissions, selectors, services
from .forms import ChatForm
from .models import ChatMessage
from .views import community_or_404


def _lines(request, community, chat_messages):
    deletable = permissions.deletable_chat_lines(request.user, community, chat_messages)
    return [{"message": m, "may_delete": m.pk in deletable} for m in chat_messages]


def _moderation(request, community) -> dict:
    # The lines' report links and moderators' controls (discussions/_moderate.html).
    return {"can_moderate": permissions.can_moderate(request.user, community)}


@login_required
@require_http_methods(["GET", "POST"])
def chat(request, pk):
    community = community_or_404(pk)
    if not permissions.can_read_chat(request.user, community):
        raise PermissionDenied
    user = request.user
    may_write = permissions.can_chat(user, community)
    form = ChatForm(request.POST or None)
    if request.method == "POST":
        if not may_write:
            raise PermissionDenied
        sent = False
        if form.is_valid():
            try:
                services.send_chat_message(
                    actor=user, community=community, body=form.cleaned_data["body"],
                    token=form.cleaned_data.get("token", ""),
                )  # fmt: skip
                sent = True
            except ValidationError as exc:
                apply_errors(form, exc)
        if request.htmx:
            # Sent: an empty form with a fresh token (the poll brings the new line); refused:
            # the same form with its errors.
            return render(
                request,
                "discussions/_chat_form.html",
                {"community": community, "form": ChatForm() if sent else form, "may_write": True},
            )
        if not sent:
            flash_errors(request, form)
        return redirect(reverse("discussions:chat", args=[community.pk]) + "#chat-end")
    before = parse_id(request.GET.get("before"))
    lines = selectors.chat_messages(request.user, community, before=before)
    first = lines[0] if lines else None
    return render(
        request,
        "discussions/chat.html",
        {
            "community": community,
            "lines": _lines(request, community, lines),
            "last_id": lines[-1].pk if lines and before is None else None,
            "earlier": (
                first.pk if selectors.chat_has_earlier(request.user, community, first) else None
            ),
            "older_page": before is not None,
            "form": ChatForm(),
            "may_write": may_write,
            **_moderation(request, community),
        },
    )


@login_required
@require_safe
def chat_since(request, pk):
    """The lines after `after` (the last one the page shows), for the page's poll."""
    community = community_or_404(pk)
    if not permissions.can_read_chat(request.user, community):
        raise PermissionDenied
    after = parse_id(request.GET.get("after"))
    if after is None:
        raise Http404
    lines = selectors.chat_messages(request.user, community, after=after)
    return render(
        request,
        "discussions/_chat_since.html",
        {
            "community": community,
            "lines": _lines(request, community, lines),
            "last_id": lines[-1].pk if lines else after,
            **_moderation(request, community),
        },
    )


@login_required
@require_POST
def chat_delete(request, pk):
    message = get_object_or_404(ChatMessage.objects.select_related("community"), pk=pk)
    if not permissions.can_read_chat(request.user, message.community):
        raise Http404
    services.delete_chat_message(actor=request.user, message=message)
    messages.success(request, _("The message is deleted."))
    return redirect("discussions:chat", message.community_id)
