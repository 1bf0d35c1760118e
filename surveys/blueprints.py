"""The ready templates (готовые шаблоны анкет) as data: what `services.create_from_template`
copies into a new survey. The texts are written in the language of the person creating it.

The `needs` template's area questions carry the area's code: the deficits map reads them by it,
so renaming a question's text in one survey does not lose it from the map.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

NEEDS = "needs"
EVENT_FEEDBACK = "event_feedback"
MENTORING = "mentoring_relationship"

# The areas of professional needs (001 §2.4; 003 app. 1 §2.2.2): code → name.
AREAS = {
    "assessment": _("Assessment for learning"),
    "differentiation": _("Differentiated instruction"),
    "functional_literacy": _("Functional literacy"),
    "digital_tools": _("Digital tools in teaching"),
    "low_achievers": _("Working with low-achieving pupils"),
    "classroom_management": _("Classroom management"),
    "exam_preparation": _("Preparation for exams"),
}
# Need of 4 or 5 on the 1–5 scale counts as a deficit.
HIGH_NEED = 4

SUBJECTS = [
    _("Russian language and literature"),
    _("Mathematics"),
    _("Computer science"),
    _("Physics"),
    _("Chemistry"),
    _("Biology"),
    _("Geography"),
    _("History and social studies"),
    _("Foreign language"),
    _("Primary school"),
    _("Physical education"),
    _("Arts and technology"),
    _("Other subject"),
]


@dataclass
class Q:
    kind: str
    text: object
    required: bool = False
    code: str = ""
    options: list = field(default_factory=list)
    min_label: object = ""
    max_label: object = ""
    help_text: object = ""


@dataclass
class Blueprint:
    code: str
    title: object
    intro: object
    anonymous: bool
    questions: list[Q]


def _need(code: str) -> Q:
    return Q(
        "scale",
        # Formatted when the survey is made, in its maker's language (not at import time).
        lambda: _("How much do you need support in: %(area)s?") % {"area": AREAS[code]},
        required=True,
        code=code,
        min_label=_("no need"),
        max_label=_("great need"),
    )


def _scale(text, code: str = "", required: bool = True) -> Q:
    return Q("scale", text, required=required, code=code, min_label=_("low"), max_label=_("high"))


BLUEPRINTS = {
    NEEDS: Blueprint(
        NEEDS,
        _("Professional needs and deficits of teachers"),
        _(
            "The survey finds what support teachers need. The answers are anonymous; results "
            "are shown as totals only, by school, subject, network and territory."
        ),
        True,
        [
            Q("single", _("Which subject do you teach?"), True, "subject", SUBJECTS),
            *[_need(code) for code in AREAS],
            Q(
                "multiple",
                _("Which forms of support do you prefer?"),
                code="support",
                options=[
                    _("Professional development courses"),
                    _("Seminars and master classes"),
                    _("Mentoring"),
                    _("Lesson study"),
                    _("Visiting colleagues' lessons"),
                    _("Individual consultations"),
                    _("Self-study with methodological resources"),
                ],
            ),
            Q("long", _("What else would help you in your work?"), code="comment"),
        ],
    ),
    EVENT_FEEDBACK: Blueprint(
        EVENT_FEEDBACK,
        _("Event feedback"),
        _("Please tell the organisers what the event gave you."),
        True,
        [
            _scale(_("How useful was the event for you?"), "usefulness"),
            _scale(_("How well was the event organised?"), "organisation"),
            Q(
                "single",
                _("Will you use what you learnt in your lessons?"),
                True,
                "apply",
                [_("Yes"), _("Partly"), _("No")],
            ),
            Q("long", _("What was the most useful?"), code="best"),
            Q("long", _("What should the organisers improve?"), code="improve"),
        ],
    ),
    MENTORING: Blueprint(
        MENTORING,
        _("Mentoring relationship"),
        _(
            "Both sides of a mentoring pair answer this survey; it helps the curator see how "
            "the pair works."
        ),
        False,
        [
            Q(
                "single",
                _("Which side of the pair are you?"),
                True,
                "side",
                [_("Mentor"), _("Mentee")],
            ),
            _scale(_("How much do you trust each other?"), "trust"),
            _scale(_("How regular are your meetings?"), "regularity"),
            _scale(_("How useful is the work of the pair for you?"), "usefulness"),
            Q("long", _("What would you change in the work of the pair?"), code="change"),
        ],
    ),
}
