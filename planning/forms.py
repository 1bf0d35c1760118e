from difflib import SequenceMatcher

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from .models import AgendaItem, Plan, PlannedMeeting, ResearchPlan, Target
from .services import ITEM_FIELDS


class PlanCreateForm(forms.Form):
    school_year = forms.IntegerField(
        label=_("School year starting"), min_value=2000, max_value=2100
    )
    copy_from = forms.ModelChoiceField(
        label=_("Start from"),
        queryset=Plan.objects.none(),
        required=False,
        empty_label=_("An empty plan"),
    )

    def __init__(self, *args, plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        if plans is not None:
            self.fields["copy_from"].queryset = plans
            self.fields["copy_from"].label_from_instance = lambda p: (
                f"{p.community.name}: {p.school_year_label} ({p.get_status_display()})"
            )


class PlanForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Plan
        fields = ["priority_directions", "theme", "goals", "tasks", "research_plan"]
        widgets = {
            "priority_directions": forms.Textarea(attrs={"rows": 3}),
            "goals": forms.Textarea(attrs={"rows": 3}),
            "tasks": forms.Textarea(attrs={"rows": 5}),
        }


class TargetForm(forms.ModelForm):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Target
        fields = ["indicator", "unit", "baseline", "target", "actual", "responsible", "measurement"]


class MeetingForm(forms.ModelForm):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    agenda = forms.CharField(
        label=_("Agenda: one item a line — content | action | leaders | monitoring of execution"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    class Meta:
        model = PlannedMeeting
        fields = ["month", "title"]

    def clean_agenda(self) -> list[dict]:
        items = []
        for number, line in enumerate(self.cleaned_data["agenda"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) > len(ITEM_FIELDS):
                raise ValidationError(
                    _("Line %(n)s has more than four parts separated by |.") % {"n": number}
                )
            parts += [""] * (len(ITEM_FIELDS) - len(parts))
            item = dict(zip(ITEM_FIELDS, parts, strict=True))
            if not item["action"]:
                raise ValidationError(
                    _("Line %(n)s has no action (the second part).") % {"n": number}
                )
            items.append(item)
        return items


TargetFormSet = formset_factory(TargetForm, extra=2, can_delete=True)
MeetingFormSet = formset_factory(MeetingForm, extra=1, can_delete=True)


def agenda_text(meeting: PlannedMeeting) -> str:
    return "\n".join(
        " | ".join(getattr(item, f) for f in ITEM_FIELDS) for item in meeting.items.all()
    )


def _pair_changed(old: list[str], new: list[str]) -> list[tuple[int, int]]:
    """Pair changed old lines with new ones: in place when the counts match, else by likeness."""
    if len(old) == len(new) or len(old) * len(new) > 400:  # large rewrites: no quadratic work
        return list(zip(range(len(old)), range(len(new)), strict=False))
    likeness = sorted(
        (
            (SequenceMatcher(a=a, b=b).ratio(), i, j)
            for i, a in enumerate(old)
            for j, b in enumerate(new)
        ),
        reverse=True,
    )
    pairs: list[tuple[int, int]] = []
    for ratio, i, j in likeness:
        if ratio < 0.5:
            break
        if all(i != pi and j != pj for pi, pj in pairs):
            pairs.append((i, j))
    return pairs


def keep_item_ids(lines: list[dict], existing: list[AgendaItem]) -> list[dict]:
    """Give each agenda line the id of the item it continues, so done flags and evidence stay.

    The agenda is edited as text, so which item a line is has to be inferred: difflib lines the
    new text up against the old one; an unchanged line keeps its item, and so does a changed line
    standing where an old one stood (or, among added lines, the one most like it); other new
    lines are new items, and the items whose lines are gone are deleted.
    """
    old = [" | ".join(getattr(item, f) for f in ITEM_FIELDS) for item in existing]
    new = [" | ".join(line[f] for f in ITEM_FIELDS) for line in lines]
    matcher = SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs = zip(range(i2 - i1), range(j2 - j1), strict=True)
        elif tag == "replace":
            pairs = _pair_changed(old[i1:i2], new[j1:j2])
        else:
            continue
        for i, j in pairs:
            lines[j1 + j]["id"] = existing[i1 + i].pk
    return lines


class StepForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ResearchPlanForm(forms.ModelForm):
    class Meta:
        model = ResearchPlan
        fields = ["title", "theme", "start_year", "end_year", "stages"]
        widgets = {"stages": forms.Textarea(attrs={"rows": 5})}
