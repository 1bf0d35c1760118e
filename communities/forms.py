from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from core.pickers import PickerField
from organisations import selectors as organisation_selectors
from organisations.models import Network, Territory
from people import selectors as people_selectors
from people.models import Person

from . import selectors
from .models import TEAM_KINDS, Community, CommunityKind, Membership

# One copy per kind is offered; the service takes the copy of the host's country.
KIND_CHOICES = selectors.kind_choices()


# A PLC offered as a parent that the person may not run (or one no longer offered).
PARENT_NOT_OFFERED = _("You can place a team only under a PLC that you lead or administer.")


class CommunityForm(forms.ModelForm):
    """A new community; a lesson-study team or micro-group may be placed at once under a PLC of
    its school that the creator runs (`user` limits the choice)."""

    kind = forms.ModelChoiceField(label=_("kind"), queryset=KIND_CHOICES)
    organisation = PickerField(
        label=_("Host organisation"),
        queryset=organisation_selectors.organisations_to_pick(),
        source="organisations:pick",
        search=organisation_selectors.search_organisations,
        label_of=organisation_selectors.organisation_label,
        required=False,
    )
    network = PickerField(
        label=_("Host network"),
        queryset=Network.objects.all(),
        source="organisations:network_pick",
        search=organisation_selectors.search_networks,
        required=False,
    )
    territory = forms.ModelChoiceField(
        label=_("Host territory"), queryset=Territory.objects.all(), required=False
    )
    parent = PickerField(
        label=_("part of"),
        queryset=Community.objects.none(),
        source="communities:parent_pick",
        search=selectors.search_communities,
        label_of=selectors.community_label,
        required=False,
        help_text=_(
            "For a lesson-study team or a creative micro-group: the PLC of the same school it "
            "works in"
        ),
        error_messages={"invalid_choice": PARENT_NOT_OFFERED},
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["parent"].queryset = selectors.parents_to_pick(user)

    class Meta:
        model = Community
        fields = [
            "kind",
            "name",
            "organisation",
            "network",
            "territory",
            "parent",
            "subject_area",
            "participant_category",
            "topic",
            "description",
            "visibility",
            "online_url",
            "created_on",
            "creation_order_number",
            "creation_order_date",
            "end_date",
        ]
        widgets = {
            "created_on": DateInput(),
            "creation_order_date": DateInput(),
            "end_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class CommunityEditForm(forms.ModelForm):
    """A team or micro-group may also be placed under a PLC of its own school (002 #6)."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        community = self.instance
        if community.kind.code in TEAM_KINDS and community.organisation_id:
            self.fields["parent"] = forms.ModelChoiceField(
                label=_("part of"),
                queryset=selectors.parent_candidates(community, user),
                required=False,
                empty_label=_("Not part of a PLC"),
                help_text=_("The school's PLC this team or micro-group works in"),
                initial=community.parent_id,
                error_messages={"invalid_choice": PARENT_NOT_OFFERED},
            )

    class Meta:
        model = Community
        fields = [
            "name",
            "subject_area",
            "participant_category",
            "topic",
            "description",
            "visibility",
            "online_url",
            "creation_order_number",
            "creation_order_date",
            "end_date",
        ]
        widgets = {
            "creation_order_date": DateInput(),
            "end_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class _ClosingForm(forms.Form):
    decision_date = forms.DateField(
        label=_("Date of the teaching staff's decision"),
        help_text=_("Required for a school's community (004 §1.5)"),
        widget=DateInput(),
        required=False,
    )
    decision_reference = forms.CharField(
        label=_("Minutes of the teaching staff's meeting"),
        help_text=_("E.g. minutes No. 3 of the teachers' council"),
        max_length=100,
        required=False,
    )
    order_number = forms.CharField(label=_("Order or decision no."), max_length=50)
    order_date = forms.DateField(label=_("Order date"), widget=DateInput())


class AbolishForm(_ClosingForm):
    closed_on = forms.DateField(label=_("Closed on"), widget=DateInput(), required=False)


class ReorganiseForm(_ClosingForm):
    new_name = forms.CharField(label=_("Name of the new community"), max_length=300)
    new_kind = forms.ModelChoiceField(
        label=_("Kind of the new community"),
        queryset=KIND_CHOICES,
        required=False,
        empty_label=_("The same kind"),
    )
    carry_members = forms.BooleanField(
        label=_("Carry the members over"), required=False, initial=True
    )


class MemberForm(forms.Form):
    person = PickerField(
        label=_("Person"),
        queryset=people_selectors.people_to_pick(),
        source="people:pick",
        search=people_selectors.search_people_or_login,
        label_of=people_selectors.person_label,
    )
    role = forms.ChoiceField(
        label=_("role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER
    )
    subject = forms.CharField(label=_("subject or area"), required=False, max_length=200)


class JoinForm(forms.Form):
    message = forms.CharField(label=_("Message"), required=False, max_length=500)


class KindRulesForm(forms.ModelForm):
    class Meta:
        model = CommunityKind
        fields = [
            "name",
            "name_en",
            "description",
            "min_members",
            "max_members",
            "single_subject",
            "requires_pair_roles",
            "pair_by_results",
            "requires_end_date",
            "meeting_cadence",
            "min_meetings_per_year",
            "minutes_required",
            "report_deadline_month",
            "report_deadline_day",
            "report_receiver",
            "plan_approver",
            "separate_approval",
            "meeting_time_agreed",
            "min_innovative_lessons_per_year",
            "online",
            "curated",
        ]


class OnlinePageForm(forms.Form):
    online_url = forms.URLField(
        label=_("online page"),
        required=False,
        assume_scheme="https",
        help_text=_("The group's page on a social network or messenger, e.g. https://vk.com/…"),
    )


class PageAdministratorForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("administrator"), queryset=Person.objects.none(), required=False
    )
    position = forms.CharField(label=_("position"), max_length=200, required=False)
    contact = forms.CharField(
        label=_("public contact"),
        max_length=200,
        required=False,
        help_text=_("A work phone or e-mail that may be published on the list of groups"),
    )

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        if candidates is not None:
            self.fields["person"].queryset = candidates
        self.fields["person"].label_from_instance = lambda p: p.full_name


PageAdministratorFormSet = forms.formset_factory(
    PageAdministratorForm, extra=2, max_num=12, validate_max=True
)


class MemberListForm(forms.Form):
    file = forms.FileField(
        label=_("List of members"),
        help_text=_(
            "XLSX or CSV with the full name (“ФИО”) and, where known, the e-mail or login and "
            "the school of each member."
        ),
    )
