import secrets

from django import forms
from django.utils.translation import gettext_lazy as _

from communities.models import Community
from core.forms import DateInput, MultipleFileField

from .models import Poll, Post, Report
from .services import BODY_MAX, CHAT_MAX, COMMENT_MAX, QUESTION_MAX, REASON_MAX, TITLE_MAX

MARKDOWN_HELP = _(
    "Markdown: **bold**, *italic*, lists with «-», > quote. A YouTube, Rutube or VK video link "
    "on its own line is shown as a video card; @login tells a member."
)


def new_token() -> str:
    return secrets.token_hex(16)


class PostForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=TITLE_MAX, required=False)
    body = forms.CharField(
        label=_("text"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=MARKDOWN_HELP,
    )
    # A poll has its own form (PollForm).
    kind = forms.ChoiceField(
        label=_("kind"),
        choices=[(k, label) for k, label in Post.Kind.choices if k != Post.Kind.POLL],
        initial=Post.Kind.POST,
        required=False,
    )
    pinned = forms.BooleanField(label=_("Pin to the top of the feed"), required=False)
    files = MultipleFileField(
        label=_("Files and images"),
        required=False,
        help_text=_("PDF, office documents, PNG or JPEG images; images are shown in the post."),
    )
    planned = forms.ModelChoiceField(
        label=_("From the publication schedule"),
        queryset=None,
        required=False,
        empty_label=_("— not from the schedule —"),
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args, may_announce: bool = False, editing: bool = False, planned=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("token", new_token())
        if editing or not may_announce:
            del self.fields["kind"]
            del self.fields["pinned"]
        # `planned`: the author's open lines of the community's schedule (none: no field).
        if planned is None or not planned.exists():
            del self.fields["planned"]
        else:
            self.fields["planned"].queryset = planned


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"), max_length=COMMENT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("token", new_token())


class AnnounceForm(forms.Form):
    communities = forms.ModelMultipleChoiceField(
        label=_("Communities"),
        queryset=Community.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    all_network_groups = forms.BooleanField(
        label=_("All network groups I may announce to"), required=False
    )
    title = forms.CharField(label=_("title"), max_length=TITLE_MAX)
    body = forms.CharField(
        label=_("text"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=MARKDOWN_HELP,
    )
    pinned = forms.BooleanField(label=_("Pin to the top of the feeds"), required=False)
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, targets=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("token", new_token())
        self.targets = targets
        self.fields["communities"].queryset = targets.order_by("name")

    def chosen(self):
        data = self.cleaned_data
        chosen = list(data.get("communities") or [])
        if data.get("all_network_groups"):
            chosen += list(self.targets.filter(kind__code="network_group"))
        return chosen

    def clean(self):
        data = super().clean()
        if not data.get("communities") and not data.get("all_network_groups"):
            self.add_error("communities", _("Choose at least one community."))
        return data


class TopicForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=TITLE_MAX)
    body = forms.CharField(
        label=_("text"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=MARKDOWN_HELP,
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("token", new_token())


class ReplyForm(CommentForm):
    quote = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class PollForm(forms.Form):
    question = forms.CharField(label=_("Poll question"), max_length=QUESTION_MAX)
    options = forms.CharField(
        label=_("Options"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One option per line, from 2 to 10."),
    )
    multiple = forms.BooleanField(label=_("Several options may be chosen"), required=False)
    anonymous = forms.BooleanField(
        label=_("Anonymous poll"),
        required=False,
        help_text=_(
            "Nobody, not even the author, sees who chose what; an anonymous vote cannot be changed."
        ),
    )
    results = forms.ChoiceField(
        label=_("Show the results"),
        choices=Poll.Results.choices,
        initial=Poll.Results.AFTER_VOTING,
        widget=forms.RadioSelect,
    )
    closes_at = forms.DateTimeField(
        label=_("Closes at"),
        required=False,
        widget=DateTimeInput(),
        help_text=_("Leave empty to close the poll by hand."),
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("token", new_token())

    def option_lines(self) -> list[str]:
        # Blank lines only lay the list out; they are not options.
        return [line for line in self.cleaned_data["options"].splitlines() if line.strip()]


class ChatForm(forms.Form):
    body = forms.CharField(
        label=_("Message"), max_length=CHAT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("token", new_token())


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong"), choices=Report.Reason.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Details (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX)


class MuteForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    days = forms.TypedChoiceField(
        label=_("For how long"),
        coerce=int,
        choices=[
            (1, _("1 day")),
            (3, _("3 days")),
            (7, _("7 days")),
            (30, _("30 days")),
        ],
    )
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX)


class ConductForm(forms.Form):
    body = forms.CharField(
        label=_("Code of conduct"),
        max_length=BODY_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Markdown. Leave it empty to use the default rules."),
    )


class PlanPublicationForm(forms.Form):
    title = forms.CharField(label=_("What to publish"), max_length=300)
    responsible = forms.ModelChoiceField(label=_("Responsible"), queryset=None)
    due_on = forms.DateField(label=_("Publish by"), widget=DateInput())
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("token", new_token())
        self.fields["responsible"].queryset = members.order_by("last_name", "first_name", "pk")
