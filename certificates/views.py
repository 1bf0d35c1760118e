"""Pages: the public check, a person's certificates, an event's certificates for its organisers,
the PDF, and the Open Badges documents."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_ratelimit.decorators import ratelimit

from core.documents import PDF, attachment
from core.forms import flash_errors
from core.views import paginate
from events.models import Event

from . import documents, openbadges, permissions, selectors, services
from .forms import RevokeForm
from .models import Certificate

LD_JSON = "application/ld+json"


def _check_rate(group, request) -> str:
    """How often one address may open public check pages: enough for a person, too few to
    walk through tokens."""
    return getattr(settings, "CERTIFICATE_CHECK_RATE", "60/m")


public = ratelimit(key="ip", rate=_check_rate, method=ratelimit.ALL, block=True)


def _noindex(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
@public
def check(request, token):
    """What anyone may learn of a certificate: the holder's name, the event, the role and the
    date, or that it was revoked. Nothing else (no e-mail, no school, no other certificates)."""
    certificate = selectors.by_token(token)
    status = 200 if certificate is not None else 404
    response = render(
        request, "certificates/check.html", {"certificate": certificate}, status=status
    )
    response["Referrer-Policy"] = "no-referrer"
    return _noindex(response)


def _json(document: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(document, status=status, content_type=LD_JSON)
    # Backpacks and validators in a browser fetch these from other sites.
    response["Access-Control-Allow-Origin"] = "*"
    return _noindex(response)


@require_safe
@public
def ob_assertion(request, token):
    certificate = selectors.by_token(token)
    if certificate is None or not certificate.holder.email:
        raise Http404
    document = openbadges.assertion_document(certificate)
    return _json(document, status=410 if certificate.is_revoked else 200)


@require_safe
@public
def ob_badge(request, key):
    certificate = selectors.badge_certificate(key)
    if certificate is None:
        raise Http404
    return _json(openbadges.badge_document(certificate))


@require_safe
@public
def ob_issuer(request, key):
    certificate = selectors.issuer_certificate(key)
    if certificate is None:
        raise Http404
    return _json(openbadges.issuer_document(certificate))


@login_required
@require_safe
def my_certificates(request):
    return render(
        request,
        "certificates/my_certificates.html",
        {"page": paginate(request, selectors.held_by(request.user))},
    )


def _certificate(request, pk) -> Certificate:
    try:
        certificate = selectors.certificate(pk)
    except Certificate.DoesNotExist as exc:
        raise Http404 from exc
    if not permissions.can_view(request.user, certificate):
        raise PermissionDenied
    return certificate


@login_required
@require_safe
def certificate_pdf(request, pk):
    certificate = _certificate(request, pk)
    return attachment(
        documents.certificate_pdf(certificate), PDF, f"certificate-{certificate.pk}.pdf"
    )


def _event(request, pk) -> Event:
    try:
        event = Event.objects.select_related(
            "organiser_community", "organiser_organisation", "organiser_network", "territory"
        ).get(pk=pk)
    except Event.DoesNotExist as exc:
        raise Http404 from exc
    if not permissions.can_see_event_certificates(request.user, event):
        raise PermissionDenied
    return event


@login_required
@require_safe
def event_certificates(request, event_pk):
    event = _event(request, event_pk)
    return render(
        request,
        "certificates/event_certificates.html",
        {
            "event": event,
            "page": paginate(request, selectors.of_event(event)),
            "can_issue": permissions.can_issue(request.user, event),
        },
    )


@login_required
@require_POST
def event_issue(request, event_pk):
    event = _event(request, event_pk)
    if not permissions.can_issue(request.user, event):
        messages.error(request, _("Certificates are issued once the event is marked held."))
        return redirect("certificates:event", event.pk)
    made = services.issue_for_event(event=event, actor=request.user)
    if made:
        messages.success(
            request, _("Certificates issued: %(n)s. Their holders are told.") % {"n": len(made)}
        )
    else:
        messages.info(request, _("Everyone the event owes a certificate already has one."))
    return redirect("certificates:event", event.pk)


@login_required
@require_POST
def revoke(request, pk):
    try:
        certificate = selectors.certificate(pk)
    except Certificate.DoesNotExist as exc:
        raise Http404 from exc
    if not permissions.can_revoke(request.user, certificate):
        raise PermissionDenied
    form = RevokeForm(request.POST)
    if not form.is_valid():
        flash_errors(request, form)
    else:
        try:
            services.revoke(
                certificate=certificate, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("The certificate has been revoked."))
    if certificate.event_id is None:
        return redirect("certificates:mine")
    return redirect("certificates:event", certificate.event_id)
