"""GET /api/v1/search/: the search page's results as JSON, with the same filters."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError

from . import selectors
from .forms import SearchForm
from .models import Entry


class SearchResultSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    title_html = serializers.SerializerMethodField(
        help_text="The title, HTML-escaped, with the matched words in <mark>."
    )
    snippet_html = serializers.SerializerMethodField(
        help_text="An excerpt of the text, HTML-escaped, with the matched words in <mark>."
    )
    community_name = serializers.CharField(source="community.name", default=None)

    class Meta:
        model = Entry
        fields = [
            "kind", "object_id", "title", "title_html", "snippet_html", "url", "date",
            "subject", "community", "community_name",
        ]  # fmt: skip

    def get_url(self, entry) -> str:
        return entry.get_absolute_url()

    def get_title_html(self, entry) -> str:
        return str(self.context["marks"].get(entry.pk, (entry.title, ""))[0])

    def get_snippet_html(self, entry) -> str:
        return str(self.context["marks"].get(entry.pk, ("", ""))[1])


@extend_schema(
    parameters=[
        OpenApiParameter("q", OpenApiTypes.STR, description="Words to find (at least 2 letters)"),
        OpenApiParameter("kind", OpenApiTypes.STR, enum=list(Entry.Kind.values)),
        OpenApiParameter("subject", OpenApiTypes.STR),
        OpenApiParameter("community", OpenApiTypes.INT),
        OpenApiParameter("from", OpenApiTypes.DATE),
        OpenApiParameter("to", OpenApiTypes.DATE),
    ]
)
class SearchView(generics.ListAPIView):
    """What the caller may see among communities, people, posts, topics, resources and events,
    best match first; Russian words match in any form («урокам» finds «урок»)."""

    serializer_class = SearchResultSerializer
    filter_backends: list = []

    def _form(self) -> SearchForm:
        if not hasattr(self, "_search_form"):
            form = SearchForm(self.request.query_params)
            if not form.is_valid():
                raise ValidationError({f: list(errors) for f, errors in form.errors.items()})
            self._search_form = form
        return self._search_form

    def get_queryset(self):
        form = self._form()
        q = form.cleaned_data["q"]
        if not q:
            return Entry.objects.none()
        return selectors.search(self.request.user, q, form.filters())

    def get_serializer(self, *args, **kwargs):
        if args and not getattr(self, "swagger_fake_view", False):
            kwargs.setdefault("context", self.get_serializer_context())
            kwargs["context"]["marks"] = selectors.snippets(args[0], self._form().cleaned_data["q"])
        return super().get_serializer(*args, **kwargs)
