"""What in a FAQ text would recognise the asker: their surname, first name with patronymic,
e-mail, their school's name (short or full), and any phone number.

The FAQ is public (003 app. 1 §4.1.2 asks for it anonymised), so the publisher's text is checked
before it is published, and the form is prefilled with the question already stripped of what is
found here. Names are matched with their Russian and Kazakh case endings (Иванов, Иванову,
Ивановой); the messages say what kind of data was found, not the data itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

PLACEHOLDER = "[…]"
# A run of digits with the separators phone numbers are written with.
_DIGITS = re.compile(r"\+?\(?\d[\d\s\-().]{4,}\d")
# A local number with its groups: 345-67-89, 45 67 89.
_LOCAL = re.compile(r"^\d{2,3}[\s\-.]\d{2}[\s\-.]\d{2}$")
_QUOTES = str.maketrans({c: " " for c in "«»\"'“”„`"})
# A name shorter than this is matched only as a whole word (Ли must not find лицей).
_STEM_MIN = 4
# Letters a name's case ending replaces (Russian and Kazakh vowels, й, ь; Latin vowels).
_ENDING_LETTERS = "аяоеёэыиуюйьәіүұөAEIOUYaeiouy"


@dataclass(frozen=True)
class Finding:
    what: str  # surname, name, school, email, phone
    span: tuple[int, int]

    @property
    def message(self) -> str:
        return {
            "surname": _("The text contains the asker's surname."),
            "name": _("The text contains the asker's first name and patronymic."),
            "school": _("The text contains the name of the asker's school."),
            "email": _("The text contains the asker's e-mail address."),
            "phone": _("The text contains a phone number."),
        }[self.what]


def _name(word: str) -> str:
    """A pattern for a name with its case endings: the stem without its final vowels, then an
    ending of up to four letters (Смирнова: Смирновой; Анна: Анну; Ахметов: Ахметовтың)."""
    word = word.strip()
    if len(word) < _STEM_MIN:
        return rf"(?<!\w){re.escape(word)}(?!\w)"
    stem = word.rstrip(_ENDING_LETTERS)
    if len(stem) < 3:
        stem = word
    return rf"(?<!\w){re.escape(stem)}\w{{0,4}}(?!\w)"


def _phrase(text: str) -> str | None:
    """A pattern for an organisation's name, whatever its quotes, spacing and «№ 5» / «№5»."""
    words = re.findall(r"\w+|№", text.translate(_QUOTES))
    if not words or len("".join(words)) < _STEM_MIN:
        return None
    gap = r"[\s\"'«»“”„`.,\-]*"
    return gap.join(re.escape(w) for w in words)


def _phones(text: str) -> list[tuple[int, int]]:
    found = []
    for match in _DIGITS.finditer(text):
        raw = match.group().strip(" .-()")
        digits = re.sub(r"\D", "", raw)
        international = raw.startswith("+") and 10 <= len(digits) <= 15
        national = len(digits) in (10, 11) and not re.fullmatch(r"\d{4}\D+\d{4}\D+\d{2,3}", raw)
        if international or national or _LOCAL.match(raw):
            start = match.start() + match.group().index(raw)
            found.append((start, start + len(raw)))
    return found


def findings(text: str, *, asker, organisation=None) -> list[Finding]:
    """Everything in `text` that names the asker or their school, in the order of the text."""
    out: list[Finding] = []
    flags = re.IGNORECASE | re.UNICODE
    patterns: list[tuple[str, str]] = []
    last = (getattr(asker, "last_name", "") or "").strip()
    first = (getattr(asker, "first_name", "") or "").strip()
    middle = (getattr(asker, "middle_name", "") or "").strip()
    if last:
        patterns.append(("surname", _name(last)))
    if first and middle:
        patterns.append(("name", _name(first) + r"\s+" + _name(middle)))
    email = (getattr(asker, "email", "") or "").strip()
    if email:
        patterns.append(("email", re.escape(email)))
    if organisation is not None:
        for value in {organisation.name, organisation.short_name}:
            pattern = _phrase(value or "")
            if pattern:
                patterns.append(("school", pattern))
    for what, pattern in patterns:
        out += [Finding(what, m.span()) for m in re.finditer(pattern, text, flags)]
    out += [Finding("phone", span) for span in _phones(text)]
    return sorted(out, key=lambda f: f.span)


def messages(text: str, *, asker, organisation=None) -> list[str]:
    """One message per kind of data found."""
    seen: dict[str, str] = {}
    for finding in findings(text, asker=asker, organisation=organisation):
        seen.setdefault(finding.what, finding.message)
    return list(seen.values())


def redact(text: str, *, asker, organisation=None) -> str:
    """The text with everything found replaced by a placeholder the publisher sees and edits."""
    out, end = [], 0
    for finding in findings(text, asker=asker, organisation=organisation):
        start, stop = finding.span
        if start < end:  # overlaps what is already replaced
            end = max(end, stop)
            continue
        out += [text[end:start], PLACEHOLDER]
        end = stop
    out.append(text[end:])
    return "".join(out)
