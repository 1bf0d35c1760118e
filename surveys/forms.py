import re
import secrets
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from communities.selectors import administered_communities
from core.forms import PastedTextField
from core.scopes import scopes_for
from organisations.models import Network, Organisation, Territory

from . import blueprints
from .models import CHOOSABLE_AUDIENCES, Question, Survey


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


# How many places of each kind the "who runs it" list offers; the API takes any allowed one.
PLACES_SHOWN = 100


def owner_choices(user) -> list[tuple[str, str]]:
    """The places where the person may run a survey, as "kind:id" values with their names."""
    scopes = scopes_for(user)
    choices: list[tuple[str, str]] = []
    territories = Territory.objects.none()
    if scopes.is_superuser:
        territories = Territory.objects.all()
    elif scopes.centre_paths or scopes.curator_paths:
        territories = Territory.objects.filter(
            scopes.territory_q(scopes.centre_paths + scopes.curator_paths, "path")
        )
    for t in territories.order_by("path")[:PLACES_SHOWN]:
        choices.append((f"territory:{t.pk}", t.name))
    networks = Network.objects.filter(pk__in=scopes.coordinator_networks)
    if scopes.centre_paths:
        networks = networks | Network.objects.filter(
            scopes.territory_q(scopes.centre_paths, "territory__path")
        )
    for n in networks.distinct().order_by("name")[:PLACES_SHOWN]:
        choices.append((f"network:{n.pk}", n.name))
    for o in Organisation.objects.filter(pk__in=scopes.school_admin_orgs).order_by("name"):
        choices.append((f"organisation:{o.pk}", o.name))
    for c in administered_communities(user).filter(status="active").order_by("name")[:PLACES_SHOWN]:
        choices.append((f"community:{c.pk}", c.name))
    return choices


def owner_from_choice(value: str) -> dict:
    kind, _sep, pk = value.partition(":")
    model = {
        "territory": Territory,
        "network": Network,
        "organisation": Organisation,
    }.get(kind)
    if kind == "community":
        from communities.models import Community

        model = Community
    if model is None or not pk.isdigit():
        return {}
    obj = model.objects.filter(pk=int(pk)).first()
    return {kind: obj} if obj else {}


class SurveyCreateForm(forms.Form):
    template = forms.ChoiceField(label=_("Start from"), required=False)
    owner = forms.ChoiceField(label=_("Who runs the survey"))
    title = PastedTextField(
        label=_("Title"),
        max_length=300,
        required=False,
        help_text=_("Left empty, a template's survey takes the template's title."),
    )
    anonymous = forms.TypedChoiceField(
        label=_("Answers"),
        choices=[("default", _("As the template says")), ("1", _("Anonymous")), ("0", _("Named"))],
        initial="default",
    )
    audience = forms.ChoiceField(label=_("Who answers"), choices=CHOOSABLE_AUDIENCES)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [("", _("An empty survey"))] + [
            (code, b.title) for code, b in blueprints.BLUEPRINTS.items()
        ]
        self.fields["owner"].choices = owner_choices(user)

    def clean(self):
        data = super().clean()
        if not data.get("template") and not data.get("title"):
            self.add_error("title", gettext("Give the survey a title."))
        return data

    def owner_scope(self) -> dict:
        return owner_from_choice(self.cleaned_data["owner"])


class SurveySettingsForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["title", "intro", "anonymous", "audience", "opens_at", "closes_at"]
        field_classes = {"title": PastedTextField, "intro": PastedTextField}
        widgets = {
            "intro": forms.Textarea(attrs={"rows": 3}),
            "opens_at": DateTimeInput(),
            "closes_at": DateTimeInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.audience == Survey.Audience.PEOPLE:
            # A survey of named people (a mentoring pair's) keeps them: nothing to choose.
            del self.fields["audience"]
        else:
            self.fields["audience"].choices = CHOOSABLE_AUDIENCES


class QuestionRowForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Question.Kind.choices)
    text = PastedTextField(label=_("Question"), max_length=1000)
    help_text = PastedTextField(label=_("Hint"), max_length=500, required=False)
    required = forms.BooleanField(label=_("Required"), required=False)
    options = PastedTextField(
        label=_("Options, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For a choice. The n-th line keeps the n-th option's answers."),
    )
    scale_min = forms.IntegerField(label=_("Scale from"), initial=1, min_value=-10, max_value=10)
    scale_max = forms.IntegerField(label=_("Scale to"), initial=5, min_value=-10, max_value=20)
    min_label = PastedTextField(
        label=_("Label of the lowest value"), max_length=100, required=False
    )
    max_label = PastedTextField(
        label=_("Label of the highest value"), max_length=100, required=False
    )
    remove = forms.BooleanField(label=_("Remove"), required=False, label_suffix="")

    def clean(self):
        data = super().clean()
        if (
            data.get("kind") in (Question.Kind.SINGLE, Question.Kind.MULTIPLE)
            and not (data.get("options") or "").strip()
        ):
            self.add_error("options", gettext("A choice needs at least one option."))
        if data.get("kind") == Question.Kind.SCALE:
            low, high = data.get("scale_min"), data.get("scale_max")
            if low is not None and high is not None and not low < high <= low + 10:
                self.add_error(
                    "scale_max",
                    gettext("A scale runs from a lower to a higher number, at most 11 steps."),
                )
        return data


_KEY = re.compile(r"(?:[1-9][0-9]{0,17}|n[0-9a-f]{8,16})")
MAX_ROWS = 100


@dataclass
class Row:
    key: str
    form: QuestionRowForm

    @property
    def id(self) -> int | None:
        return int(self.key) if self.key.isdigit() else None

    @property
    def removed(self) -> bool:
        return bool(self.form["remove"].value())

    @property
    def blank(self) -> bool:
        return self.id is None and not (self.form["text"].value() or "").strip()


def blank_row() -> Row:
    key = "n" + secrets.token_hex(5)
    form = QuestionRowForm(prefix=f"q-{key}", initial={"scale_min": 1, "scale_max": 5})
    form.fields["text"].widget.attrs["autofocus"] = True
    return Row(key, form)


def _initial(question: Question) -> dict:
    return {
        "kind": question.kind,
        "text": question.text,
        "help_text": question.help_text,
        "required": question.required,
        "options": "\n".join(o.text for o in question.options.all()),
        "scale_min": question.scale_min,
        "scale_max": question.scale_max,
        "min_label": question.min_label,
        "max_label": question.max_label,
    }


class Builder:
    """The builder page: the survey's settings and its questions, each row a small form named by
    its key (an existing question's id, or "n…" for a new one); the posted order of the keys is
    the order of the questions."""

    def __init__(self, survey: Survey, questions: list[Question], data=None):
        self.survey = survey
        self.problems: list[str] = []
        self.form = SurveySettingsForm(data, instance=survey)
        if data is None:
            self.rows = [
                Row(str(q.pk), QuestionRowForm(prefix=f"q-{q.pk}", initial=_initial(q)))
                for q in questions
            ]
            return
        keys = list(dict.fromkeys(data.getlist("question")))
        if not all(_KEY.fullmatch(k) for k in keys):
            self.problems.append(gettext("The form was damaged on its way; reload the page."))
            keys = [k for k in keys if _KEY.fullmatch(k)]
        if len(keys) > MAX_ROWS:
            self.problems.append(
                gettext("A survey holds at most %(n)s questions.") % {"n": MAX_ROWS}
            )
            keys = keys[:MAX_ROWS]
        self.rows = [Row(k, QuestionRowForm(data, prefix=f"q-{k}")) for k in keys]

    def live_rows(self) -> list[Row]:
        return [r for r in self.rows if not r.removed and not r.blank]

    def is_valid(self) -> bool:
        valid = self.form.is_valid() and not self.problems
        for row in self.live_rows():
            valid = row.form.is_valid() and valid
        return valid

    def errors(self) -> list[tuple[str, str, str]]:
        out = [("", p, "") for p in self.problems]
        for name, errors in self.form.errors.items():
            bound = self.form[name] if name in self.form.fields else None
            out += [
                (str(bound.label) if bound else "", e, bound.auto_id if bound else "")
                for e in errors
            ]
        live = self.live_rows()
        for n, row in enumerate(self.rows, start=1):
            if row not in live or not row.form.is_bound:
                continue
            for name, errors in row.form.errors.items():
                bound = row.form[name] if name in row.form.fields else None
                where = gettext("Question %(n)s") % {"n": n}
                label = f"{where}: {bound.label}" if bound else where
                out += [(label, e, bound.auto_id if bound else "") for e in errors]
        return out

    @property
    def fields(self) -> dict:
        return {f: self.form.cleaned_data[f] for f in SurveySettingsForm.Meta.fields}

    def question_rows(self) -> list[dict]:
        out = []
        for row in self.live_rows():
            data = row.form.cleaned_data
            item = {
                "id": row.id,
                **{
                    f: data[f]
                    for f in ("kind", "text", "help_text", "required", "min_label", "max_label")
                },
                "scale_min": data.get("scale_min") or 1,
                "scale_max": data.get("scale_max") or 5,
            }
            if data["kind"] in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
                item["options"] = [line for line in (data["options"] or "").splitlines()]
            else:
                item["options"] = []
            if item["id"] is None:
                item.pop("id")
            out.append(item)
        return out

    def rearrange(self, *, add: bool = False, move: str = "") -> None:
        """The page's buttons without JavaScript: add a blank row or move one; nothing saved."""
        for row in self.rows:
            if row.form.is_bound:
                initial = {n: row.form[n].value() for n in row.form.fields}
                row.form = QuestionRowForm(prefix=row.form.prefix, initial=initial)
        if self.form.is_bound:
            typed = {n: self.form[n].value() for n in self.form.fields}
            self.form = SurveySettingsForm(instance=self.survey, initial=typed)
        if add:
            self.rows.append(blank_row())
        if move.count(":") == 1:
            direction, key = move.split(":")
            step = -1 if direction == "up" else 1
            for n, row in enumerate(self.rows):
                if row.key == key:
                    if 0 <= n + step < len(self.rows):
                        self.rows[n], self.rows[n + step] = self.rows[n + step], self.rows[n]
                    break


def answer_form(questions: list[Question], data=None) -> forms.Form:
    """One field per question, named "q<id>" (the service's errors use the same names)."""
    form = forms.Form(data)
    required = {"required": gettext("Please answer this question.")}
    for q in questions:
        common = {
            "label": q.text,
            "required": q.required,
            "help_text": q.help_text,
            "error_messages": required,
        }
        if q.kind == Question.Kind.SINGLE:
            field = forms.ChoiceField(
                choices=[(o.pk, o.text) for o in q.options.all()],
                widget=forms.RadioSelect,
                **common,
            )
        elif q.kind == Question.Kind.MULTIPLE:
            field = forms.MultipleChoiceField(
                choices=[(o.pk, o.text) for o in q.options.all()],
                widget=forms.CheckboxSelectMultiple,
                **common,
            )
        elif q.kind == Question.Kind.SCALE:

            def label(v, q=q):
                if v == q.scale_min and q.min_label:
                    return f"{v} — {q.min_label}"
                if v == q.scale_max and q.max_label:
                    return f"{v} — {q.max_label}"
                return str(v)

            field = forms.ChoiceField(
                choices=[(v, label(v)) for v in q.scale_values], widget=forms.RadioSelect, **common
            )
        elif q.kind == Question.Kind.SHORT:
            field = PastedTextField(max_length=500, **common)
        else:
            field = PastedTextField(
                max_length=10000, widget=forms.Textarea(attrs={"rows": 4}), **common
            )
        form.fields[f"q{q.pk}"] = field
    return form


def answers_from(form: forms.Form) -> dict:
    return {
        int(name[1:]): value for name, value in form.cleaned_data.items() if name.startswith("q")
    }


class PlanItemForm(forms.Form):
    area = forms.ChoiceField(label=_("Area"), choices=list(blueprints.AREAS.items()))
    plan = forms.ModelChoiceField(label=_("Plan"), queryset=None, empty_label=None)
    subject = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    def __init__(self, *args, plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
        self.fields["plan"].label_from_instance = lambda p: (
            f"{p.community.name}: {p.school_year_label}"
        )
