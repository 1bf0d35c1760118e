"""The words a school's results file may use for each column, and the limits of its values."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy

MAX_COUNT = 100  # marks of one kind in one class: more is not a class
MAX_TEXT_ECHO = 60  # a bad value is quoted in the report up to this many characters

COUNT_COLUMNS = {"count_5": 5, "count_4": 4, "count_3": 3, "count_2": 2}

FIELD_LABELS = {
    "class": gettext_lazy("Class"),
    "grade": gettext_lazy("Grade"),
    "letter": gettext_lazy("Class letter"),
    "subject": gettext_lazy("Subject"),
    "teacher": gettext_lazy("Teacher"),
    "period": gettext_lazy("Period"),
    "mark": gettext_lazy("Mark"),
    "count_5": gettext_lazy("“5”"),
    "count_4": gettext_lazy("“4”"),
    "count_3": gettext_lazy("“3”"),
    "count_2": gettext_lazy("“2”"),
    "count_na": gettext_lazy("Not assessed"),
}

# Tried in this order against the normalised header (lower case, "ё" as "е", punctuation as
# spaces: "«5»" is "5", "н/а" is "н а"). The pupil's column is recognised only to be dropped.
HEADER_PATTERNS: list[tuple[str, re.Pattern]] = [
    (key, re.compile(rx))
    for key, rx in [
        ("number", r"^(№|#|n|no|nn|нн|п п|номер)( ?п ?п)?$|^№ ?п ?п$"),
        ("pupil", r"учени|обучающ|учащ|\bpupil|\bstudent"),
        ("teacher", r"учител|педагог|преподавател|\bteacher"),
        ("subject", r"предмет|дисциплин|\bsubject"),
        ("grade", r"^параллель$|^grade$"),
        ("letter", r"литер|^буква|^letter$"),
        ("class", r"^класс\b|^class\b"),
        ("period", r"^(учебный |отчетный )?период\b|^четверть$|^триместр$|^полугодие$|^period$"),
        ("mark", r"^(итогов\w* )?(отметк|оценк)|^mark$|^балл$"),
        ("count_5", r"^(кол\w*( во)? |число )?(отметок |оценок )?(на )?5$|^отл(ично)?$|^five$"),
        ("count_4", r"^(кол\w*( во)? |число )?(отметок |оценок )?(на )?4$|^хор(ошо)?$|^four$"),
        (
            "count_3",
            r"^(кол\w*( во)? |число )?(отметок |оценок )?(на )?3$|^уд(овл\w*)?$|^three$",
        ),
        (
            "count_2",
            r"^(кол\w*( во)? |число )?(отметок |оценок )?(на )?2$|^неуд\w*$|^two$",
        ),
        ("count_na", r"^н ?а$|^не ?аттест|^n ?a$|^not assessed$"),
    ]
]

# Marks in a journal's cell meaning "not assessed".
NOT_ASSESSED = {"н/а", "н а", "на", "н/a", "н", "не аттестован", "не аттестована", "n/a", "na"}

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_ORDINALS = {"перв": 1, "втор": 2, "трет": 3, "четверт": 4, "first": 1, "second": 2, "third": 3}
_KIND_WORDS = [
    ("quarter", ("четв", "quarter")),
    ("trimester", ("трим", "trimester")),
    ("half", ("полуг", "half")),
    ("year", ("год", "итог", "year", "annual")),
]


def period_key(text: str) -> tuple[str, int] | None:
    """(kind, number) a period's cell names: "2 четверть", "II четв.", "Годовая" → ("year", 1)."""
    words = re.sub(r"[^\w]+", " ", text.lower().replace("ё", "е")).split()
    if not words:
        return None
    kind = next((k for k, stems in _KIND_WORDS if any(w.startswith(stems) for w in words)), None)
    if kind is None:
        return None
    if kind == "year":
        return kind, 1
    for word in words:
        if word.isdigit():
            return kind, int(word)
        if word in _ROMAN:
            return kind, _ROMAN[word]
        for stem, number in _ORDINALS.items():
            if word.startswith(stem) and not (kind == "quarter" and stem == "четверт"):
                return kind, number
        match = re.fullmatch(r"(\d)\w{0,3}", word)  # "1-я" split as "1", "я"; "2ая"
        if match:
            return kind, int(match.group(1))
    return None
