"""Pages of the resource bank: the bank, a resource, submitting and reviewing, collections, and a
community's resources and documents."""

from __future__ import annotations

from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from communities import permissions as community_permissions
from communities.models import Community
from core.downloads import serve_upload
from core.forms import flash_errors
from core.text import parse_id
from core.views import form_action, in_page_action, paginate, visible_or_404

from . import permissions, selectors, services
from .filters import ResourceFilter
from .forms import (
    CollectForm,
    CollectionForm,
    DocumentForm,
    ResourceForm,
    ReviewForm,
    UnpublishForm,
    VersionForm,
)
from .models import (
    Collection,
    CommunityDocument,
    CommunityDocumentVersion,
    Resource,
    ResourceVersion,
)

FIELDS = (
    "title", "kind", "description", "subject", "grade_from", "grade_to", "topic", "author_text",
    "community", "organisation", "licence", "is_public", "url",
)  # fmt: skip


def _resource(request, pk) -> Resource:
    """The resource, or 404 for whoever may not see it (as in the API)."""
    return visible_or_404(
        selectors.resource_detail, lambda r: permissions.can_view(request.user, r), pk=pk
    )


def _noindex(response):
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def bank(request):
    data = request.GET.copy()
    if "community" in data and parse_id(data["community"]) is None:
        data["community"] = "0"  # a value no database id can overflow on: "not a choice"
    filterset = ResourceFilter(data or None, queryset=selectors.bank(request.user), request=request)
    qs = filterset.qs if filterset.is_bound else filterset.queryset
    page = paginate(request, qs.order_by("-published_at", "-id"))
    template = "resources/_rows.html" if request.htmx else "resources/bank.html"
    return render(
        request,
        template,
        {
            "page": page,
            "form": filterset.form,
            "query": request.GET.urlencode(),
            "can_create": permissions.can_create(request.user),
            "can_moderate": permissions.can_moderate_any(request.user),
        },
    )


@login_required
@require_safe
def mine(request):
    page = paginate(request, selectors.mine(request.user))
    return render(request, "resources/mine.html", {"page": page})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def create(request):
    initial = {}
    if (community_id := parse_id(request.GET.get("community"))) is not None:
        initial["community"] = community_id
    form = ResourceForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )
    done = form_action(
        request,
        form,
        lambda data: services.create_draft(
            actor=request.user,
            key=data["key"],
            file=data["file"],
            note=data["note"],
            **{name: data[name] for name in FIELDS},
        ),
        success=_("The draft is saved. Send it for review when it is ready."),
        then=lambda resource: redirect("resources:detail", resource.pk),
    )
    return done or render(request, "resources/form.html", {"form": form, "resource": None})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request, pk):
    resource = _resource(request, pk)
    if not permissions.can_edit(request.user, resource):
        raise PermissionDenied
    initial = {name: getattr(resource, name) for name in FIELDS}
    form = ResourceForm(request.POST or None, user=request.user, resource=resource, initial=initial)
    done = form_action(
        request,
        form,
        lambda data: services.update_resource(
            actor=request.user, resource=resource, **{name: data[name] for name in FIELDS}
        ),
        success=_("The resource is saved."),
        then=lambda saved: redirect("resources:detail", saved.pk),
    )
    return done or render(request, "resources/form.html", {"form": form, "resource": resource})


@require_safe
def detail(request, pk):
    resource = _resource(request, pk)
    user = request.user
    versions = list(selectors.versions_of(resource))
    moderates = permissions.moderates(user, resource)
    author = permissions.is_author(user, resource)
    manageable = (
        selectors.collections().filter(permissions.managed_collections_q(user))
        if resource.status == Resource.Status.PUBLISHED and user.is_authenticated
        else Collection.objects.none()
    )
    context = {
        "resource": resource,
        "current": versions[0] if versions else None,
        "versions": versions,
        "authors": resource.authors.order_by("last_name", "first_name"),
        "reviews": selectors.reviews_of(resource) if (moderates or author) else [],
        "collections": selectors.collections().filter(items__resource=resource),
        "can_edit": permissions.can_edit(user, resource),
        "can_add_version": permissions.can_add_version(user, resource),
        "can_submit": permissions.can_submit(user, resource),
        "can_review": permissions.can_review(user, resource),
        "can_unpublish": permissions.can_unpublish(user, resource),
        "version_form": VersionForm(),
        "review_form": ReviewForm(),
        "unpublish_form": UnpublishForm(),
        "collect_form": CollectForm(collections=manageable) if manageable else None,
        "indexable": resource.status == Resource.Status.PUBLISHED and resource.is_public,
    }
    response = render(request, "resources/detail.html", context)
    return response if context["indexable"] else _noindex(response)


@login_required
@require_POST
def add_version(request, pk):
    resource = _resource(request, pk)
    if not permissions.can_add_version(request.user, resource):
        raise PermissionDenied
    return in_page_action(
        request,
        VersionForm(request.POST, request.FILES),
        lambda data: services.add_version(actor=request.user, resource=resource, **data),
        success=_("The new version is added."),
        back=redirect("resources:detail", resource.pk),
    )


@require_safe
def version_file(request, pk):
    version = get_object_or_404(ResourceVersion, pk=pk)
    resource = _resource(request, version.resource_id)
    response = serve_upload(version.file, filename=version.original_name)
    services.note_download(resource=resource, actor=request.user)
    return response if resource.is_public else _noindex(response)


@require_safe
def version_preview(request, pk):
    version = get_object_or_404(ResourceVersion, pk=pk)
    _resource(request, version.resource_id)
    if not version.preview:
        raise Http404
    return serve_upload(version.preview)


@require_safe
def version_pdf(request, pk):
    """The PDF LibreOffice made of an office file, under the person's file name."""
    version = get_object_or_404(ResourceVersion, pk=pk)
    resource = _resource(request, version.resource_id)
    if not version.pdf:
        raise Http404
    name = f"{PurePath(version.original_name).stem or 'document'}.pdf"
    response = serve_upload(version.pdf, filename=name)
    services.note_download(resource=resource, actor=request.user)
    return response if resource.is_public else _noindex(response)


@login_required
@require_POST
def submit(request, pk):
    resource = _resource(request, pk)
    try:
        services.submit(actor=request.user, resource=resource)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("The resource is sent for review."))
    return redirect("resources:detail", resource.pk)


@login_required
@require_POST
def review(request, pk):
    resource = _resource(request, pk)
    if not permissions.moderates(request.user, resource):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.review(actor=request.user, resource=resource, **form.cleaned_data)
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("The decision is recorded and the author told."))
            return redirect("resources:queue")
    else:
        flash_errors(request, form)
    return redirect("resources:detail", resource.pk)


@login_required
@require_POST
def unpublish(request, pk):
    resource = _resource(request, pk)
    if not permissions.can_unpublish(request.user, resource):
        raise PermissionDenied
    return in_page_action(
        request,
        UnpublishForm(request.POST),
        lambda data: services.unpublish(actor=request.user, resource=resource, **data),
        success=_("The resource is taken down."),
        back=redirect("resources:detail", resource.pk),
    )


@login_required
@require_safe
def queue(request):
    if not permissions.can_moderate_any(request.user):
        raise PermissionDenied
    page = paginate(request, selectors.review_queue(request.user))
    return render(request, "resources/queue.html", {"page": page})


@login_required
@require_POST
def collect(request, pk):
    resource = _resource(request, pk)
    form = CollectForm(request.POST, collections=selectors.collections())
    if not form.is_valid():
        flash_errors(request, form)
        return redirect("resources:detail", resource.pk)
    collection = form.cleaned_data["collection"]
    if not permissions.can_manage_collection(request.user, collection):
        raise PermissionDenied
    try:
        services.add_to_collection(actor=request.user, collection=collection, resource=resource)
    except services.AlreadyDone:
        messages.info(request, _("The resource is in this collection already."))
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("The resource is added to the collection."))
    return redirect("resources:detail", resource.pk)


@require_safe
def collection_list(request):
    page = paginate(request, selectors.collections())
    return render(
        request,
        "resources/collection_list.html",
        {"page": page, "can_create": permissions.can_create_collection(request.user)},
    )


@require_safe
def collection_detail(request, pk):
    collection = get_object_or_404(selectors.collections(), pk=pk)
    page = paginate(request, selectors.collection_items(request.user, collection))
    return render(
        request,
        "resources/collection_detail.html",
        {
            "collection": collection,
            "page": page,
            "can_manage": permissions.can_manage_collection(request.user, collection),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def collection_create(request):
    if not permissions.can_create_collection(request.user):
        raise PermissionDenied
    form = CollectionForm(request.POST or None, user=request.user)
    done = form_action(
        request,
        form,
        lambda data: services.create_collection(
            actor=request.user,
            title=data["title"],
            description=data["description"],
            token=data["token"],
            **data["owner"],
        ),
        success=_("The collection is made."),
        then=lambda collection: redirect("resources:collection", collection.pk),
    )
    return done or render(request, "resources/collection_form.html", {"form": form})


# A community's resources and documents -----------------------------------------------------------


def _community(request, pk) -> Community:
    return visible_or_404(
        Community.objects.select_related("kind", "territory", "organisation", "network"),
        lambda community: community_permissions.can_view(request.user, community),
        pk=pk,
    )


@require_safe
def community_resources(request, pk):
    community = _community(request, pk)
    page = paginate(request, selectors.community_resources(request.user, community))
    return render(
        request,
        "resources/community_resources.html",
        {
            "community": community,
            "page": page,
            "can_submit": permissions.can_submit_into(request.user, community),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def community_documents(request, pk):
    community = _community(request, pk)
    user = request.user
    if not permissions.can_view_documents(user, community):
        raise PermissionDenied  # the community is seen; its documents are its members'.
    can_manage = permissions.can_manage_documents(user, community)
    form = DocumentForm(request.POST or None, request.FILES or None) if can_manage else None
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect_to_login(request)
        if not can_manage:
            raise PermissionDenied
        done = form_action(
            request,
            form,
            lambda data: services.add_document(actor=user, community=community, **data),
            success=_("The document is added."),
            then=lambda document: redirect("resources:community_documents", community.pk),
        )
        if done:
            return done
    return render(
        request,
        "resources/community_documents.html",
        {
            "community": community,
            "documents": selectors.documents_of(community),
            "form": form,
            "version_form": VersionForm() if can_manage else None,
        },
    )


def redirect_to_login(request):
    from django.contrib.auth.views import redirect_to_login as to_login

    return to_login(request.get_full_path())


@login_required
@require_POST
def document_version(request, pk):
    document = get_object_or_404(CommunityDocument.objects.select_related("community"), pk=pk)
    community = _community(request, document.community_id)
    if not permissions.can_manage_documents(request.user, community):
        raise PermissionDenied
    return in_page_action(
        request,
        VersionForm(request.POST, request.FILES),
        lambda data: services.add_document_version(actor=request.user, document=document, **data),
        success=_("The new version is added."),
        back=redirect("resources:community_documents", community.pk),
    )


@require_safe
def document_file(request, pk):
    version = get_object_or_404(
        CommunityDocumentVersion.objects.select_related("document__community"), pk=pk
    )
    community = _community(request, version.document.community_id)
    if not permissions.can_view_documents(request.user, community):
        raise PermissionDenied
    return _noindex(serve_upload(version.file, filename=version.original_name))
