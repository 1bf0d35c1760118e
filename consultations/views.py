"""Pages of consultation requests: parse the request, ask the policy what to draw, call a
service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.downloads import serve_upload
from core.forms import apply_errors, flash_errors
from core.text import parse_id
from core.views import paginate, visible_or_404

from . import permissions, selectors, services
from .forms import AnswerForm, AskForm, BoardFilter, FaqForm, RateForm
from .models import ConsultationAttachment, ConsultationRequest


def _request(request, pk) -> ConsultationRequest:
    """The request, or 404 for whoever may not see it (as in the API)."""
    return visible_or_404(
        selectors.request_detail, lambda c: permissions.can_view(request.user, c), pk=pk
    )


@login_required
@require_http_methods(["GET", "POST"])
def ask(request):
    if not permissions.can_ask(request.user):
        raise PermissionDenied
    form = AskForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consultation = services.ask(
                actor=request.user,
                addressee=data["addressee"],
                community=data["community"],
                responder=data["responder"],
                topic=data["topic"],
                urgency=data["urgency"],
                question=data["question"],
                files=data["files"],
            )
        except services.AlreadyDone as repeat:
            messages.info(request, _("This question has been sent already."))
            return redirect("consultations:detail", repeat.obj.pk)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your question is sent; you will be told of the answer."))
            return redirect("consultations:detail", consultation.pk)
    return render(request, "consultations/ask.html", {"form": form})


@login_required
@require_safe
def request_list(request):
    page = paginate(request, selectors.my_requests(request.user))
    return render(
        request,
        "consultations/list.html",
        {
            "page": page,
            "can_ask": permissions.can_ask(request.user),
            "can_see_board": permissions.can_see_board(request.user),
        },
    )


def _detail(request, consultation, *, answer_form=None, rate_form=None, status=200):
    user = request.user
    can_answer = permissions.can_answer(user, consultation)
    can_rate = permissions.can_rate(user, consultation)
    return render(
        request,
        "consultations/detail.html",
        {
            "c": consultation,
            "answer": getattr(consultation, "answer", None),
            "rating": getattr(consultation, "rating", None),
            "is_asker": user.pk == consultation.asker_id,
            "can_take": permissions.can_take(user, consultation),
            "can_answer": can_answer,
            "can_rate": can_rate,
            "can_withdraw": permissions.can_withdraw(user, consultation),
            "can_publish": permissions.can_publish_faq(user, consultation)
            and not hasattr(consultation, "faq_entry"),
            "answer_form": answer_form or (AnswerForm(user=user) if can_answer else None),
            "rate_form": rate_form or (RateForm() if can_rate else None),
        },
        status=status,
    )


@login_required
@require_safe
def request_detail(request, pk):
    return _detail(request, _request(request, pk))


@login_required
@require_POST
def take(request, pk):
    consultation = _request(request, pk)
    try:
        services.take(actor=request.user, request=consultation)
    except services.AlreadyDone:
        pass
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("You have taken the question; the asker is told."))
    return redirect("consultations:detail", consultation.pk)


@login_required
@require_POST
def answer(request, pk):
    consultation = _request(request, pk)
    if not permissions.is_responder(request.user, consultation):
        raise PermissionDenied
    form = AnswerForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.answer(
                actor=request.user,
                request=consultation,
                text=form.cleaned_data["text"],
                event=form.cleaned_data["event"],
            )
        except services.AlreadyDone:
            return redirect("consultations:detail", consultation.pk)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The answer is sent; the asker is asked to rate it."))
            return redirect("consultations:detail", consultation.pk)
    return _detail(request, consultation, answer_form=form)


@login_required
@require_POST
def rate(request, pk):
    consultation = _request(request, pk)
    if request.user.pk != consultation.asker_id:
        raise PermissionDenied
    form = RateForm(request.POST)
    if form.is_valid():
        try:
            services.rate(
                actor=request.user,
                request=consultation,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                flash_errors(request, exc)
                return redirect("consultations:detail", consultation.pk)
            apply_errors(form, exc)
        else:
            messages.success(request, _("Thank you for the rating."))
            return redirect("consultations:detail", consultation.pk)
    return _detail(request, consultation, rate_form=form)


@login_required
@require_POST
def withdraw(request, pk):
    consultation = _request(request, pk)
    try:
        services.withdraw(actor=request.user, request=consultation)
    except services.AlreadyDone:
        pass
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("The question is withdrawn."))
    return redirect("consultations:detail", consultation.pk)


@login_required
@require_safe
def attachment(request, pk):
    item = get_object_or_404(ConsultationAttachment.objects.select_related("request"), pk=pk)
    consultation = _request(request, item.request_id)
    del consultation
    return serve_upload(item.file, filename=item.filename)


@login_required
@require_http_methods(["GET", "POST"])
def publish(request, pk):
    consultation = _request(request, pk)
    if not permissions.can_publish_faq(request.user, consultation):
        raise PermissionDenied
    if hasattr(consultation, "faq_entry"):
        messages.info(request, _("This question is in the FAQ already."))
        return redirect("consultations:faq")
    form = FaqForm(request.POST or None, initial=services.faq_draft(consultation))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.publish_faq(
                actor=request.user,
                source=consultation,
                topic=data["topic"],
                question=data["question"],
                answer_text=data["answer"],
                confirmed=data["confirmed"],
            )
        except services.AlreadyDone:
            return redirect("consultations:faq")
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The question and answer are published in the FAQ."))
            return redirect("consultations:faq")
    return render(request, "consultations/publish.html", {"form": form, "c": consultation})


@login_required
@require_safe
def board(request):
    if not permissions.can_see_board(request.user):
        raise PermissionDenied
    filters = BoardFilter(request.GET or None)
    cleaned = filters.cleaned_data if filters.is_valid() else {}
    topic = cleaned.get("topic")
    qs = selectors.board_requests(
        request.user,
        status=cleaned.get("status") or "",
        topic=topic.pk if topic else None,
        addressee=cleaned.get("addressee") or "",
    )
    return render(
        request,
        "consultations/board.html",
        {
            "filters": filters,
            "page": paginate(request, qs),
            "times": selectors.response_times(qs),
        },
    )


@require_safe
def faq(request):
    topic = request.GET.get("topic")
    topic_id = parse_id(topic)
    return render(
        request,
        "consultations/faq.html",
        {
            "page": paginate(request, selectors.faq_entries(topic_id)),
            "topics": selectors.topics(),
            "topic": topic_id,
        },
    )
