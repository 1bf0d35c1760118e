"""Forms of the events pages. They parse; the services decide."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communities.models import Community
from communities.selectors import administered_communities
from core.forms import PastedTextField
from core.pickers import PickerField
from core.scopes import scopes_for
from organisations.models import Network, Organisation, Territory
from people import selectors as people_selectors
from planning.models import AgendaItem, Plan

from . import permissions
from .models import Event, EventKind, Material


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def organiser_choices(user) -> list[tuple[str, str]]:
    """Whom the person may organise an event for, as "community:5", "organisation:3"…"""
    scopes = scopes_for(user)
    choices: list[tuple[str, str]] = []
    communities = administered_communities(user).filter(status=Community.Status.ACTIVE)
    for c in communities.order_by("name")[:200]:
        choices.append((f"community:{c.pk}", str(_("Community: %(name)s") % {"name": c.name})))
    orgs = Organisation.objects.filter(pk__in=scopes.school_admin_orgs).order_by("name")
    for o in orgs:
        choices.append((f"organisation:{o.pk}", str(_("School: %(name)s") % {"name": o.name})))
    for n in Network.objects.filter(pk__in=scopes.coordinator_networks).order_by("name"):
        choices.append((f"network:{n.pk}", str(_("Network: %(name)s") % {"name": n.name})))
    territories = Territory.objects.filter(scopes.territory_q(scopes.centre_paths, "path"))
    if scopes.is_superuser:
        territories = Territory.objects.filter(kind=Territory.Kind.REGION)
    for t in territories.order_by("path")[:200]:
        choices.append((f"territory:{t.pk}", str(_("Centre: %(name)s") % {"name": t.name})))
    return choices


ORGANISER_MODELS = {
    "community": ("organiser_community", Community),
    "organisation": ("organiser_organisation", Organisation),
    "network": ("organiser_network", Network),
    "territory": ("organiser_territory", Territory),
}


class EventForm(forms.Form):
    organiser = forms.ChoiceField(label=_("organiser"))
    kind = forms.ModelChoiceField(label=_("kind"), queryset=EventKind.objects.all())
    title = forms.CharField(label=_("title"), max_length=500)
    description = PastedTextField(
        label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    subject = forms.CharField(label=_("subject"), max_length=200, required=False)
    audience = forms.ChoiceField(label=_("audience"), choices=Event.Audience.choices)
    starts_at = forms.DateTimeField(label=_("starts at"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("ends at"), widget=DateTimeInput(), required=False)
    place = forms.CharField(label=_("place"), max_length=300, required=False)
    online_url = forms.URLField(label=_("online link"), required=False)
    capacity = forms.IntegerField(
        label=_("places"), min_value=1, max_value=100000, required=False,
        help_text=_("Leave empty for no limit"),
    )  # fmt: skip
    parent = forms.ModelChoiceField(
        label=_("part of the programme of"), queryset=Event.objects.none(), required=False,
        empty_label=_("Not part of a decade"),
    )  # fmt: skip
    agenda_item = forms.ModelChoiceField(
        label=_("plan item carried out"), queryset=AgendaItem.objects.none(), required=False,
        empty_label=_("Not from a plan"),
    )  # fmt: skip

    def __init__(self, *args, user, event: Event | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        if event is None:
            self.fields["organiser"].choices = organiser_choices(user)
        else:
            del self.fields["organiser"]
        self.fields["parent"].queryset = (
            Event.objects.filter(permissions.managed_q(user), kind__is_series=True)
            .exclude(status=Event.Status.CANCELLED)
            .exclude(pk=getattr(event, "pk", None))
            .order_by("-starts_at")
        )
        plans = Plan.objects.filter(
            status__in=(Plan.Status.APPROVED, Plan.Status.DRAFT),
            community__in=administered_communities(user).values("pk"),
        )
        self.fields["agenda_item"].queryset = (
            AgendaItem.objects.filter(meeting__plan__in=plans)
            .filter(Q(done=False) | Q(pk=getattr(event, "agenda_item_id", None)))
            .select_related("meeting__plan__community")
            .order_by("meeting__plan__community__name", "meeting__order", "order")
        )
        self.fields["agenda_item"].label_from_instance = lambda item: (
            f"{item.meeting.plan.community.name}: {item.meeting.title} — {item.action}"
        )[:200]

    def clean_organiser(self):
        value = self.cleaned_data["organiser"]
        kind, _sep, pk = value.partition(":")
        field, model = ORGANISER_MODELS[kind]
        obj = model.objects.filter(pk=int(pk)).first()
        if obj is None:
            raise forms.ValidationError(_("Choose the organiser from the list."))
        return {field: obj}


class ProgrammeRowForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    time = forms.TimeField(
        label=_("time"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    title = forms.CharField(label=_("title"), max_length=500, required=False)
    speaker = PickerField(
        label=_("speaker"),
        queryset=people_selectors.people_to_pick(),
        source="people:pick",
        search=people_selectors.search_people_or_login,
        label_of=people_selectors.person_label,
        required=False,
    )
    speaker_name = forms.CharField(label=_("or the speaker's name"), max_length=300, required=False)


ProgrammeFormSet = forms.formset_factory(ProgrammeRowForm, extra=2, max_num=100, validate_max=True)


class CancelForm(forms.Form):
    reason = PastedTextField(label=_("reason"), max_length=1000, required=False)


class FeedbackForm(forms.Form):
    RATINGS = [(n, str(n)) for n in range(5, 0, -1)]
    rating = forms.TypedChoiceField(
        label=_("How do you rate the event overall?"), choices=RATINGS, coerce=int,
        widget=forms.RadioSelect,
    )  # fmt: skip
    usefulness = forms.TypedChoiceField(
        label=_("How useful is it for your work?"), choices=RATINGS, coerce=int,
        widget=forms.RadioSelect,
    )  # fmt: skip
    comment = PastedTextField(
        label=_("comment"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip


class AnalysisForm(forms.Form):
    analysis = PastedTextField(
        label=_("organiser's analysis"), required=False, max_length=50000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What worked, what did not, what participants took away, what to change."),
    )  # fmt: skip


class MaterialForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=Material.Kind.choices)
    title = forms.CharField(label=_("title"), max_length=300, required=False)
    file = forms.FileField(label=_("file"), required=False)
    url = forms.URLField(label=_("link"), required=False)
    is_photo = forms.BooleanField(label=_("photo of the analysis"), required=False)


class ProtocolRowForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    first_name = forms.CharField(label=_("first name"), max_length=50, required=False)
    initial = forms.CharField(label=_("initial"), max_length=2, required=False)
    school_class = forms.CharField(label=_("class"), max_length=10, required=False)
    score = forms.DecimalField(label=_("score"), max_digits=6, decimal_places=2, required=False)
    place = forms.IntegerField(label=_("place"), min_value=1, required=False)


ProtocolFormSet = forms.formset_factory(ProtocolRowForm, extra=3, max_num=500, validate_max=True)
