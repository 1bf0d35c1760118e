from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, PastedTextField

from .models import TEXT_LIMIT, CasePupil, Cycle, LessonVisit, ResearchLesson

PSEUDONYMS = ["A", "B", "C", "D", "E", "F"]


def _text(label, rows: int = 4, required: bool = False, max_length: int = TEXT_LIMIT):
    return PastedTextField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.full_name


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.full_name


class CycleCreateForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("kind"), choices=Cycle.Kind.choices, initial=Cycle.Kind.LESSON_STUDY
    )
    research_question = _text(_("research question"), rows=2, required=True, max_length=2000)
    subject = PastedTextField(label=_("subject"), required=False, max_length=200)
    class_name = PastedTextField(
        label=_("class"), required=False, max_length=20, help_text=_("E.g. «6 Б»")
    )
    starts_on = forms.DateField(label=_("starts on"), required=False, widget=DateInput())
    ends_on = forms.DateField(label=_("ends on"), required=False, widget=DateInput())


class CycleEditForm(forms.Form):
    research_question = _text(_("research question"), rows=2, required=True, max_length=2000)
    subject = PastedTextField(label=_("subject"), required=False, max_length=200)
    class_name = PastedTextField(
        label=_("class"), required=False, max_length=20, help_text=_("E.g. «6 Б»")
    )
    starts_on = forms.DateField(label=_("starts on"), required=False, widget=DateInput())
    ends_on = forms.DateField(label=_("ends on"), required=False, widget=DateInput())
    discussion = _text(_("post-lesson discussion"), rows=6)
    revised_lesson = _text(_("revised lesson"), rows=4)
    actions = _text(_("actions"), rows=4)
    data = _text(_("data gathered"), rows=4)
    conclusions = _text(_("conclusions"), rows=4)

    def __init__(self, *args, cycle: Cycle, **kwargs):
        super().__init__(*args, **kwargs)
        drop = ("actions", "data") if cycle.is_lesson_study else ("discussion", "revised_lesson")
        for name in drop:
            del self.fields[name]


class LessonPlanForm(forms.Form):
    text = _text(_("lesson plan"), rows=8)
    file = forms.FileField(label=_("file"), required=False)
    note = PastedTextField(label=_("what changed"), required=False, max_length=500)


class PupilForm(forms.Form):
    pseudonym = PastedTextField(
        label=_("pseudonym"),
        max_length=3,
        help_text=_("A, B, C… — never a pupil's name"),
        widget=forms.TextInput(attrs={"list": "pseudonyms", "size": 4, "autocomplete": "off"}),
    )
    level = forms.ChoiceField(
        label=_("level"), choices=[("", "—"), *CasePupil.Level.choices], required=False
    )


class LessonForm(forms.Form):
    round = forms.TypedChoiceField(
        label=_("lesson"), choices=ResearchLesson.Round.choices, coerce=int
    )
    date = forms.DateField(label=_("date"), widget=DateInput())
    teacher = PersonChoiceField(label=_("teacher"), queryset=None)
    topic = PastedTextField(label=_("lesson topic"), required=False, max_length=300)
    observers = PeopleChoiceField(
        label=_("observers"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = people
        self.fields["observers"].queryset = people


class SheetForm(forms.Form):
    expected = _text(_("what was expected"), rows=3)
    observed = _text(_("what was seen"), rows=4, required=True)
    evidence = _text(_("evidence"), rows=3)


class StageForm(forms.Form):
    stage = forms.ChoiceField(choices=Cycle.Stage.choices)


class VisitForm(forms.Form):
    teacher = PersonChoiceField(label=_("teacher visited"), queryset=None)
    date = forms.DateField(label=_("date"), widget=DateInput())
    class_name = PastedTextField(label=_("class"), max_length=20, help_text=_("E.g. «6 Б»"))
    subject = PastedTextField(label=_("subject"), required=False, max_length=200)
    focus = PastedTextField(label=_("focus of the visit"), required=False, max_length=500)
    lesson_kind = forms.ChoiceField(
        label=_("lesson kind"),
        choices=LessonVisit.LessonKind.choices,
        initial=LessonVisit.LessonKind.ORDINARY,
    )
    feedback_given = forms.BooleanField(label=_("feedback given"), required=False)
    feedback = _text(_("feedback"), rows=3)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = people
