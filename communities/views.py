from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.forms import apply_errors, flash_errors
from core.pickers import picker_options
from core.text import parse_id
from core.views import paginate
from people import selectors as people_selectors
from people import views_growth
from people.forms_growth import LevelFilterForm

from . import permissions, selectors, services, signals
from .filters import CommunityFilter
from .forms import (
    AbolishForm,
    CommunityEditForm,
    CommunityForm,
    JoinForm,
    KindRulesForm,
    MemberForm,
    ReorganiseForm,
)
from .models import Community, CommunityKind, MembershipRequest


def _community(request, pk) -> Community:
    try:
        community = selectors.community_detail(pk)
    except Community.DoesNotExist as exc:
        raise Http404 from exc
    if not permissions.can_view(request.user, community):
        if not request.user.is_authenticated:
            raise _LoginNeeded
        raise PermissionDenied
    return community


class _LoginNeeded(Exception):
    pass


def _login_or(view):
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _LoginNeeded:
            return redirect_to_login(request.get_full_path())

    wrapper.__name__ = view.__name__
    return wrapper


@_login_or
@require_safe
def community_list(request):
    data = request.GET.copy()
    data.setdefault("status", Community.Status.ACTIVE)  # the page opens on active ones
    filterset = CommunityFilter(data, queryset=selectors.visible_communities(request.user),
                                request=request)  # fmt: skip
    qs = filterset.qs.order_by("name", "id")
    form = filterset.form
    template = (
        "communities/_community_rows.html" if request.htmx else "communities/community_list.html"
    )
    return render(
        request,
        template,
        {
            "page": paginate(request, qs),
            "form": form,
            "can_create": permissions.can_create_any(request.user),
        },
    )


@_login_or
@require_safe
def community_detail(request, pk):
    community = _community(request, pk)
    partial = bool(request.htmx) and request.GET.get("part") == "members"
    return _render_detail(request, community, partial=partial)


def _render_detail(request, community, *, partial: bool):
    user = request.user
    can_see_members = permissions.can_view_members(user, community)
    members = list(selectors.members_of(community)) if can_see_members else []
    can_manage = permissions.can_manage_members(user, community)
    context = {
        "community": community,
        "teams": [t for t in selectors.teams_of(community) if permissions.can_view(user, t)]
        if can_see_members
        else [],
        "members": members,
        "can_see_members": can_see_members,
        "rules": selectors.rule_summary(community.kind),
        "violations": selectors.rule_violations(community, members if can_see_members else None),
        "can_edit": permissions.can_edit(user, community),
        "can_manage": can_manage,
        "can_add_from_list": can_manage and permissions.can_add_members_from_list(user, community),
        "can_close": permissions.can_close(user, community),
        "can_view_team": permissions.can_view_team(user, community),
        "can_view_growth": permissions.can_view_growth(user, community),
        "partners": selectors.pair_partners(community, user)
        if permissions.can_see_pair_contacts(user, community)
        else [],
        "can_join": permissions.can_request_to_join(user, community),
        "my_role": permissions.member_role(user, community),
        "pending": list(selectors.pending_requests(community)) if can_manage else [],
        "member_form": MemberForm(),
        # Administrators belong to the group's page: no page, nothing to read.
        "page_administrators": list(selectors.page_administrators(community))
        if community.online_url
        else [],
        "join_form": JoinForm(),
        **signals.community_page.context(
            Community, request=request, community=community, can_see_members=can_see_members
        ),
    }
    if partial:
        return render(request, "communities/_members.html", context)
    return render(request, "communities/community_detail.html", context)


@login_required
@require_safe
def community_team(request, pk):
    """The leader's view of the team: composition, self-education topics, databank records."""
    community = _community(request, pk)
    team = services.open_team(community=community, actor=request.user)
    return render(
        request, "communities/community_team.html", {"community": community, "team": team}
    )


@login_required
def community_create(request):
    if not permissions.can_create_any(request.user):
        raise PermissionDenied
    form = CommunityForm(
        request.POST or None, initial=request.GET.dict() or None, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        kind = data.pop("kind")
        hosts = {k: data.pop(k) for k in ("organisation", "network", "territory")}
        if any(hosts.values()) and not permissions.can_create_in(request.user, kind, **hosts):
            form.add_error(None, _("You may not create a community with this host."))
        else:
            try:
                community = services.create_community(
                    kind=kind, **hosts, **data, actor=request.user
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The community has been created."))
                return redirect("communities:detail", community.pk)
    return render(request, "communities/community_form.html", {"form": form})


@login_required
@require_safe
def parent_picker(request):
    """The search page of the new community's «part of»: the PLCs the person runs."""
    return picker_options(
        request,
        selectors.parents_to_pick(request.user),
        selectors.search_communities,
        selectors.community_label,
    )


@login_required
def community_edit(request, pk):
    community = _community(request, pk)
    if not permissions.can_edit(request.user, community):
        raise PermissionDenied
    form = CommunityEditForm(request.POST or None, instance=community, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_community(community=community, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("communities:detail", community.pk)
    return render(
        request, "communities/community_form.html", {"form": form, "community": community}
    )


def _closing_view(request, pk, form_class, action):
    community = _community(request, pk)
    if not permissions.can_close(request.user, community):
        raise PermissionDenied
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = action(community, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("communities:detail", result.pk)
    return render(
        request,
        "communities/community_close.html",
        {"form": form, "community": community, "action": form_class.__name__},
    )


@login_required
def community_abolish(request, pk):
    def action(community, data):
        result = services.abolish(community=community, actor=request.user, **data)
        messages.success(request, _("The community has been abolished."))
        return result

    return _closing_view(request, pk, AbolishForm, action)


@login_required
def community_reorganise(request, pk):
    def action(community, data):
        result = services.reorganise(community=community, actor=request.user, **data)
        messages.success(request, _("The community has been reorganised."))
        return result

    return _closing_view(request, pk, ReorganiseForm, action)


def _members_response(request, community):
    """htmx re-renders the members panel in place; a plain form post goes back to the page."""
    if request.htmx:
        return _render_detail(request, selectors.community_detail(community.pk), partial=True)
    return redirect("communities:detail", community.pk)


def _member_action(request, pk, action, done_message):
    """Add or invite from the members panel; both take the same form and answer the same way."""
    community = _community(request, pk)
    if not permissions.can_manage_members(request.user, community):
        raise PermissionDenied
    form = MemberForm(request.POST)
    if form.is_valid():
        try:
            action(community, form.cleaned_data)
            messages.success(request, done_message)
        except ValidationError as exc:
            flash_errors(request, exc)
    else:
        flash_errors(request, form)
    return _members_response(request, community)


@login_required
@require_POST
def member_add(request, pk):
    return _member_action(
        request,
        pk,
        lambda community, data: services.add_member(
            community=community, actor=request.user, **data
        ),
        _("The member has been added."),
    )


@login_required
@require_POST
def member_invite(request, pk):
    return _member_action(
        request,
        pk,
        lambda community, data: services.invite(
            community=community, person=data["person"], role=data["role"], invited_by=request.user
        ),
        _("The invitation has been sent."),
    )


@login_required
@require_POST
def member_remove(request, pk, person_pk):
    community = _community(request, pk)
    is_self = person_pk == request.user.pk
    if not (is_self or permissions.can_manage_members(request.user, community)):
        raise PermissionDenied
    if parse_id(person_pk) is None:  # an id too large for the database is simply not there
        raise Http404
    membership = get_object_or_404(community.memberships, person_id=person_pk)
    try:
        services.remove_member(community=community, person=membership.person, actor=request.user)
        messages.success(request, _("The member has left the community."))
    except ValidationError as exc:
        flash_errors(request, exc)
    if is_self and not permissions.can_view(request.user, community):
        return redirect("communities:list")
    return _members_response(request, community)


@login_required
@require_POST
def join(request, pk):
    community = _community(request, pk)
    if not permissions.can_request_to_join(request.user, community):
        raise PermissionDenied
    form = JoinForm(request.POST)
    if form.is_valid():
        try:
            services.request_to_join(
                community=community, person=request.user, message=form.cleaned_data["message"]
            )
            messages.success(request, _("Your request has been sent to the leader."))
        except ValidationError as exc:
            flash_errors(request, exc)
    else:
        flash_errors(request, form)
    return redirect("communities:detail", community.pk)


@login_required
@require_POST
def request_decide(request, request_pk):
    membership_request = get_object_or_404(
        MembershipRequest.objects.select_related("community__kind", "community__territory"),
        pk=request_pk,
    )
    if not permissions.may_decide_request(request.user, membership_request):
        raise PermissionDenied
    decision = request.POST.get("decision")
    if decision not in ("accept", "decline"):
        messages.error(request, _("Choose to accept or to decline."))
        return redirect("dashboard")
    accept = decision == "accept"
    try:
        services.decide_request(request=membership_request, decided_by=request.user, accept=accept)
        messages.success(request, _("Accepted.") if accept else _("Declined."))
    except ValidationError as exc:
        flash_errors(request, exc)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "dashboard"
    return redirect(next_url)


@login_required
@require_safe
def kind_list(request):
    kinds = list(selectors.kinds())
    return render(
        request,
        "communities/kind_list.html",
        {
            "kinds": [
                (k, selectors.rule_summary(k), permissions.can_edit_rules(request.user, k))
                for k in kinds
            ],
        },
    )


@login_required
def kind_edit(request, country, code):
    kind = get_object_or_404(CommunityKind, code=code, country=country)
    if not permissions.can_edit_rules(request.user, kind):
        raise PermissionDenied
    form = KindRulesForm(request.POST or None, instance=kind)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_kind_rules(kind=kind, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The rules have been saved."))
            return redirect("communities:kinds")
    return render(request, "communities/kind_form.html", {"form": form, "kind": kind})


# Attestation and growth of the members (issue 8) ----------------------------------------------


def _growth_community(request, pk) -> Community:
    community = _community(request, pk)
    if not permissions.can_view_growth(request.user, community):
        raise PermissionDenied
    return community


def _attestation_title(community: Community) -> str:
    return _("Teacher attestation: %(name)s") % {"name": community.name}


@login_required
@require_safe
def community_attestation(request, pk):
    community = _growth_community(request, pk)
    return views_growth.attestation_page(
        request,
        permissions.growth_members(request.user, community),
        title=_attestation_title(community),
        parent=(reverse("communities:detail", args=[community.pk]), community.name),
        export_url=reverse("communities:attestation_export", args=[community.pk]),
        territory=community.territory,
    )


@login_required
@require_safe
def community_attestation_export(request, pk):
    community = _growth_community(request, pk)
    return views_growth.attestation_export(
        request,
        permissions.growth_members(request.user, community),
        title=_attestation_title(community),
        filename=f"attestation-community-{community.pk}.xlsx",
        territory=community.territory,
    )


@login_required
@require_safe
def community_composition(request, pk):
    """Who the members are (004 doc. 2) and their self-education topics (doc. 6), as numbers
    over the records the viewer may see."""
    community = _growth_community(request, pk)
    form = LevelFilterForm(request.GET or None)
    members = permissions.growth_members(request.user, community)
    composition = people_selectors.composition(members, level_trained=form.level_trained())
    return render(
        request,
        "communities/community_composition.html",
        {"community": community, "form": form, "composition": composition},
    )
