from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.forms import apply_errors, flash_errors
from core.pickers import picker_options
from core.views import paginate

from . import permissions, selectors, services, signals
from .filters import OrganisationFilter
from .forms import (
    NetworkForm,
    NetworkSchoolForm,
    OrganisationForm,
    TerritoryForm,
)
from .models import Network, Organisation, Territory


def _get(fn, pk):
    try:
        return fn(pk)
    except (Organisation.DoesNotExist, Network.DoesNotExist) as exc:
        raise Http404 from exc


@login_required
@require_safe
def organisation_list(request):
    filterset = OrganisationFilter(request.GET or None, queryset=selectors.organisation_list())
    qs = filterset.qs
    form = filterset.form
    template = (
        "organisations/_organisation_rows.html"
        if request.htmx
        else "organisations/organisation_list.html"
    )
    return render(
        request,
        template,
        {
            "page": paginate(request, qs),
            "form": form,
            "can_create": permissions.can_create_organisation(request.user),
        },
    )


@login_required
@require_safe
def organisation_detail(request, pk):
    organisation = _get(selectors.organisation_detail, pk)
    return render(
        request,
        "organisations/organisation_detail.html",
        {
            "organisation": organisation,
            "networks": selectors.networks_of(organisation),
            "led_networks": organisation.led_networks.all(),
            "can_edit": permissions.can_edit_organisation(request.user, organisation),
            "can_manage_staff": permissions.can_manage_organisation_staff(
                request.user, organisation
            ),
            **signals.organisation_page.context(
                Organisation, request=request, organisation=organisation
            ),
        },
    )


def _save_organisation(request, organisation=None):
    territories = permissions.manageable_territories(request.user)
    if organisation is not None:
        # A school admin keeps the school where it is but may still edit the rest.
        territories = territories | Territory.objects.filter(pk=organisation.territory_id)
    form = OrganisationForm(request.POST or None, instance=organisation, territories=territories)
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in form.Meta.fields}
        try:
            if organisation is None:
                organisation = services.create_organisation(actor=request.user, **data)
            else:
                organisation = services.update_organisation(
                    actor=request.user, organisation=organisation, **data
                )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("organisations:detail", organisation.pk)
    return render(
        request,
        "organisations/organisation_form.html",
        {"form": form, "organisation": organisation},
    )


@login_required
def organisation_create(request):
    if not permissions.can_create_organisation(request.user):
        raise PermissionDenied
    return _save_organisation(request)


@login_required
def organisation_edit(request, pk):
    organisation = _get(selectors.organisation_detail, pk)
    if not permissions.can_edit_organisation(request.user, organisation):
        raise PermissionDenied
    return _save_organisation(request, organisation)


@login_required
@require_safe
def network_list(request):
    q = request.GET.get("q", "").strip()
    return render(
        request,
        "organisations/network_list.html",
        {
            "page": paginate(request, selectors.network_list(q=q)),
            "q": q,
            "can_create": permissions.can_create_network(request.user),
        },
    )


@login_required
@require_safe
def network_detail(request, pk):
    network = _get(selectors.network_detail, pk)
    schools = list(selectors.network_schools(network))
    return render(
        request,
        "organisations/network_detail.html",
        {
            "network": network,
            "partners": [m for m in schools if m.role == "partner"],
            "magnets": [m for m in schools if m.role == "magnet"],
            "can_edit": permissions.can_edit_network(request.user, network),
            "school_form": NetworkSchoolForm(),
            **signals.network_page.context(Network, request=request, network=network),
        },
    )


def _save_network(request, network=None):
    territories = permissions.manageable_territories(request.user)
    if network is not None:
        territories = territories | Territory.objects.filter(pk=network.territory_id)
    form = NetworkForm(request.POST or None, instance=network, territories=territories)
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in form.Meta.fields}
        try:
            if network is None:
                network = services.create_network(actor=request.user, **data)
            else:
                network = services.update_network(actor=request.user, network=network, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("organisations:network_detail", network.pk)
    return render(request, "organisations/network_form.html", {"form": form, "network": network})


@login_required
def network_create(request):
    if not permissions.can_create_network(request.user):
        raise PermissionDenied
    return _save_network(request)


@login_required
def network_edit(request, pk):
    network = _get(selectors.network_detail, pk)
    if not permissions.can_edit_network(request.user, network):
        raise PermissionDenied
    return _save_network(request, network)


@login_required
@require_POST
def network_school_add(request, pk):
    network = _get(selectors.network_detail, pk)
    if not permissions.can_edit_network(request.user, network):
        raise PermissionDenied
    form = NetworkSchoolForm(request.POST)
    if form.is_valid():
        try:
            services.add_network_school(
                actor=request.user,
                network=network,
                organisation=form.cleaned_data["organisation"],
                role=form.cleaned_data["role"],
            )
            messages.success(request, _("The school has been added to the network."))
        except ValidationError as exc:
            flash_errors(request, exc)
    else:
        flash_errors(request, form)
    return redirect("organisations:network_detail", network.pk)


@login_required
@require_POST
def network_school_remove(request, pk, organisation_pk):
    network = _get(selectors.network_detail, pk)
    if not permissions.can_edit_network(request.user, network):
        raise PermissionDenied
    organisation = _get(selectors.organisation_detail, organisation_pk)
    services.remove_network_school(actor=request.user, network=network, organisation=organisation)
    messages.success(request, _("The school has left the network."))
    return redirect("organisations:network_detail", network.pk)


@login_required
@require_safe
def territory_list(request):
    q = request.GET.get("q", "").strip()
    return render(
        request,
        "organisations/territory_list.html",
        {
            "page": paginate(request, selectors.territory_page(q=q), per_page=50),
            "q": q,
            "can_create": permissions.can_create_organisation(request.user),
        },
    )


def _save_territory(request, territory=None):
    parents = permissions.manageable_territories(request.user)
    form = TerritoryForm(request.POST or None, instance=territory, parents=parents)
    if territory is not None:
        form.fields.pop("parent")
    elif not request.user.is_superuser:
        form.fields["parent"].required = True  # a centre adds territories inside its own
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if territory is None:
                territory = services.create_territory(actor=request.user, **data)
            else:
                territory = services.update_territory(
                    actor=request.user, territory=territory, **data
                )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("organisations:territories")
    return render(
        request, "organisations/territory_form.html", {"form": form, "territory": territory}
    )


@login_required
def territory_create(request):
    if not permissions.can_create_organisation(request.user):
        raise PermissionDenied
    return _save_territory(request)


@login_required
def territory_edit(request, pk):
    territory = get_object_or_404(Territory, pk=pk)
    if not permissions.can_manage_territory(request.user, territory):
        raise PermissionDenied
    return _save_territory(request, territory)


@login_required
@require_safe
def organisation_picker(request):
    return picker_options(
        request,
        selectors.organisations_to_pick(),
        selectors.search_organisations,
        selectors.organisation_label,
    )


@login_required
@require_safe
def network_picker(request):
    return picker_options(request, Network.objects.all(), selectors.search_networks)
