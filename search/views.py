"""The search page: one box over communities, people, posts, topics, resources and events."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.views import paginate

from . import selectors
from .forms import SearchForm
from .models import Entry


@require_safe
def search(request):
    form = SearchForm(request.GET or None)
    page, results, capped = None, [], False
    if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
        q = form.cleaned_data["q"]
        page = paginate(request, selectors.search(request.user, q, form.filters()))
        marks = selectors.snippets(page.object_list, q)
        capped = selectors.is_capped(page.paginator.count)
        results = [(entry, *marks.get(entry.pk, (entry.title, ""))) for entry in page.object_list]
    return render(
        request,
        "search/search.html",
        {
            "form": form,
            "page": page,
            "results": results,
            "capped": capped,
            "kinds": Entry.Kind.choices,
        },
    )
