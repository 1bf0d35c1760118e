"""Forms of the resource bank's pages. They parse; the services decide."""

from __future__ import annotations

import secrets
import uuid

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communities.models import Community, Membership
from communities.selectors import administered_communities
from core.forms import DateInput, PastedTextField
from core.scopes import scopes_for
from organisations.models import Network, Organisation, Territory

from . import permissions
from .models import Collection, CommunityDocument, Resource, ResourceKind, ResourceReview

GRADE_CHOICES = [("", "—"), *[(g, str(g)) for g in range(0, 13)]]


def communities_for(user):
    """Communities the person may put a resource into: theirs as a member, and those they run."""
    member_of = Membership.objects.filter(person_id=user.pk).values("community_id")
    return (
        Community.objects.filter(
            Q(pk__in=member_of) | Q(pk__in=administered_communities(user).values("pk")),
            status=Community.Status.ACTIVE,
        )
        .select_related("kind")
        .order_by("name")
    )


def organisations_for(user):
    """Organisations the person may credit (permissions.can_attribute_to)."""
    return Organisation.objects.filter(permissions.attributable_q(user)).order_by("name")


def new_token() -> str:
    """A form's one-time token: a second submit of the same form finds what the first made."""
    return secrets.token_hex(16)


class TokenForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("token", new_token())


class ResourceForm(forms.Form):
    title = PastedTextField(label=_("title"), max_length=300)
    kind = forms.ModelChoiceField(label=_("kind"), queryset=ResourceKind.objects.all())
    description = PastedTextField(
        label=_("description"), required=False, max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )  # fmt: skip
    subject = PastedTextField(label=_("subject"), max_length=200, required=False)
    grade_from = forms.TypedChoiceField(label=_("from grade"), choices=GRADE_CHOICES, coerce=int,
                                        empty_value=None, required=False)  # fmt: skip
    grade_to = forms.TypedChoiceField(label=_("to grade"), choices=GRADE_CHOICES, coerce=int,
                                      empty_value=None, required=False)  # fmt: skip
    topic = PastedTextField(label=_("topic"), max_length=300, required=False)
    author_text = PastedTextField(
        label=_("co-authors (as written)"), max_length=300, required=False,
        help_text=_("Co-authors without an account, as they should be credited"),
    )  # fmt: skip
    community = forms.ModelChoiceField(
        label=_("community"), queryset=Community.objects.none(), required=False,
        empty_label=_("No community"),
    )  # fmt: skip
    organisation = forms.ModelChoiceField(
        label=_("organisation"), queryset=Organisation.objects.none(), required=False
    )
    licence = forms.ChoiceField(
        label=_("licence"), choices=Resource.Licence.choices, initial=Resource.Licence.CC_BY,
        help_text=_("Creative Commons licences let colleagues reuse the material with credit"),
    )  # fmt: skip
    is_public = forms.BooleanField(
        label=_("open to everyone once published"), required=False,
        help_text=_("Public resources can be found by search engines"),
    )  # fmt: skip
    url = forms.URLField(
        label=_("link"), max_length=500, required=False,
        help_text=_("For a video or a link: where the material is"),
    )  # fmt: skip
    file = forms.FileField(label=_("file"), required=False)
    note = PastedTextField(label=_("note on the file"), max_length=500, required=False)
    key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, resource: Resource | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities_for(user)
        self.fields["organisation"].queryset = organisations_for(user)
        if resource is not None:
            # The file of an existing resource is added as a new version on its page.
            del self.fields["file"], self.fields["note"], self.fields["key"]
            if (
                resource.community_id
                and resource.community not in self.fields["community"].queryset
            ):
                self.fields["community"].queryset = Community.objects.filter(
                    pk=resource.community_id
                )
            if resource.organisation_id:
                self.fields["organisation"].queryset = Organisation.objects.filter(
                    Q(pk__in=organisations_for(user).values("pk")) | Q(pk=resource.organisation_id)
                ).order_by("name")
        elif not self.is_bound:
            self.initial.setdefault("key", uuid.uuid4())


class VersionForm(TokenForm):
    file = forms.FileField(label=_("file"))
    note = PastedTextField(label=_("what changed"), max_length=500, required=False)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[
            (ResourceReview.Decision.PUBLISH, _("Publish")),
            (ResourceReview.Decision.RETURN, _("Return to the author")),
        ],
        widget=forms.RadioSelect,
    )
    comment = PastedTextField(
        label=_("comment to the author"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip


class UnpublishForm(forms.Form):
    comment = PastedTextField(
        label=_("why it is taken down"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


def collection_owner_choices(user) -> list[tuple[str, str]]:
    """Whose collection the person may make, as "community:5", "network:2", "territory:1"."""
    scopes = scopes_for(user)
    choices: list[tuple[str, str]] = []
    for community in administered_communities(user).filter(status=Community.Status.ACTIVE)[:200]:
        choices.append((f"community:{community.pk}", str(community)))
    networks = Network.objects.all()
    territories = Territory.objects.all()
    if not scopes.is_superuser:
        networks = networks.filter(
            Q(pk__in=scopes.coordinator_networks)
            | scopes.territory_q(scopes.centre_paths, "territory__path")
        )
        territories = territories.filter(
            scopes.territory_q([*scopes.centre_paths, *scopes.curator_paths], "path")
        )
    for network in networks.order_by("name")[:200]:
        choices.append((f"network:{network.pk}", str(network)))
    for territory in territories.order_by("path")[:200]:
        choices.append((f"territory:{territory.pk}", str(territory)))
    return choices


OWNER_MODELS = {"community": Community, "network": Network, "territory": Territory}


class CollectionForm(TokenForm):
    owner = forms.ChoiceField(label=_("whose collection"))
    title = PastedTextField(label=_("title"), max_length=300)
    description = PastedTextField(
        label=_("description"), required=False, max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = collection_owner_choices(user)

    def clean_owner(self):
        kind, _sep, pk = self.cleaned_data["owner"].partition(":")
        obj = OWNER_MODELS[kind].objects.filter(pk=int(pk)).first()
        if obj is None:
            raise forms.ValidationError(_("Choose the owner from the list."))
        return {kind: obj}


class CollectForm(forms.Form):
    collection = forms.ModelChoiceField(label=_("collection"), queryset=Collection.objects.none())

    def __init__(self, *args, collections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collection"].queryset = collections


class DocumentForm(TokenForm):
    kind = forms.ChoiceField(label=_("kind"), choices=CommunityDocument.Kind.choices)
    title = PastedTextField(label=_("title"), max_length=300)
    number = PastedTextField(label=_("number"), max_length=50, required=False)
    date = forms.DateField(label=_("date"), required=False, widget=DateInput)
    approved_by = PastedTextField(
        label=_("approved by"), max_length=300, required=False,
        help_text=_("For example: order of the director No. 45 of 01.09.2026"),
    )  # fmt: skip
    file = forms.FileField(label=_("file"))
    note = PastedTextField(label=_("note"), max_length=500, required=False)
