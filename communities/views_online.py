"""Moving a group in from a social network: its page and administrators, its members from a
list, and the public list of online groups (003 app. 2 and its appendix)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.forms import apply_errors
from core.text import parse_id
from core.views import paginate
from organisations.models import Territory
from people.imports.report import ImportFileError

from . import member_lists, permissions, selectors, services
from .forms import MemberListForm, OnlinePageForm, PageAdministratorFormSet
from .models import Community
from .views import _community


@login_required
@require_http_methods(["GET", "POST"])
def online_page(request, pk):
    community = _community(request, pk)
    if not permissions.can_register_online_page(request.user, community):
        raise PermissionDenied
    candidates = permissions.page_administrator_candidates(community)
    current = list(selectors.page_administrators(community))
    form = OnlinePageForm(request.POST or None, initial={"online_url": community.online_url})
    formset = PageAdministratorFormSet(
        request.POST or None,
        prefix="admins",
        form_kwargs={"candidates": candidates},
        initial=[
            {"person": a.person_id, "position": a.position, "contact": a.contact} for a in current
        ],
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        entries = [
            services.PageAdministratorEntry(
                person=row["person"], position=row["position"], contact=row["contact"]
            )
            for row in formset.cleaned_data
            if row.get("person")
        ]
        try:
            services.register_online_page(
                community=community,
                actor=request.user,
                online_url=form.cleaned_data["online_url"],
                administrators=entries,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The group's page has been saved."))
            return redirect("communities:detail", community.pk)
    return render(
        request,
        "communities/online_page.html",
        {"community": community, "form": form, "formset": formset},
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_list(request, pk):
    """Check a list of members (every row's outcome shown, nothing written), then add them."""
    community = _community(request, pk)
    if not permissions.can_add_members_from_list(request.user, community):
        raise PermissionDenied
    form, check, token = MemberListForm(), None, ""
    if request.method == "POST" and "token" in request.POST:
        try:
            ids = member_lists.people_of_token(request.POST["token"], community)
            added = services.add_members_from_list(
                community=community, actor=request.user, person_ids=ids
            )
        except (ImportFileError, ValidationError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(
                request,
                _("Members added: %(n)d. Those already in were left as they were.") % {"n": added},
            )
            return redirect("communities:detail", community.pk)
    elif request.method == "POST":
        form = MemberListForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                check = member_lists.check_member_list(
                    community=community, file=form.cleaned_data["file"]
                )
            except ImportFileError as exc:
                form.add_error("file", str(exc))
            else:
                token = check.token(community)
    return render(
        request,
        "communities/member_list.html",
        {
            "community": community,
            "form": form,
            "check": check,
            "token": token,
            "Outcome": member_lists.Outcome,
        },
    )


@require_safe
def groups_directory(request):
    """Everyone may read the list (the centre publishes it, 003 order §3); a group's own page
    opens only for those its visibility lets in."""
    territory_id = parse_id(request.GET.get("territory"))
    page = paginate(request, selectors.groups_directory(territory_id))
    territories = Territory.objects.filter(
        pk__in=selectors.groups_directory().values("territory_id")
    ).order_by("name")
    # One query for the page's groups the reader may open, whatever the page's length.
    opened = set(
        permissions.filter_visible(
            request.user, Community.objects.filter(pk__in=[g.pk for g in page])
        ).values_list("pk", flat=True)
    )
    for group in page:
        group.platform = selectors.online_platform(group.online_url) if group.online_url else ""
        group.open = group.pk in opened
    return render(
        request,
        "communities/groups_directory.html",
        {"page": page, "territories": territories, "territory_id": territory_id},
    )
