"""Every UI string must be translated into each interface language (English is the source)."""

import gettext
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(__file__).resolve().parents[2] / "locale"
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != "en"]


def _po(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


def _entries(language: str):
    """(context, msgid, msgstrs, fuzzy) of each entry of the language's catalogue."""
    context, msgid, msgstrs, fuzzy, in_id = None, None, [], False, False
    for line in [*_po(language).read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if msgid:
                yield context, msgid, msgstrs, fuzzy
            context, msgid, msgstrs, fuzzy, in_id = None, None, [], False, False
        elif line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("msgctxt "):
            context = _unescape(line[8:].strip('"'))
        elif line.startswith("msgid "):
            msgid, in_id = line[6:].strip('"'), True
        elif line.startswith("msgstr"):
            msgstrs.append(line.split(" ", 1)[1].strip('"'))
            in_id = False
        elif line.startswith('"'):
            if in_id:
                msgid += line.strip('"')
            elif msgstrs:
                msgstrs[-1] += line.strip('"')


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalogue_is_complete(language):
    missing = [m for _c, m, strs, fuzzy in _entries(language) if fuzzy or not all(strs)]
    assert missing == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalogue_has_the_languages_plural_forms(language):
    header = _po(language).read_text(encoding="utf-8").split("\n\n", 1)[0]
    plurals = {"ru": "nplurals=3;", "kk": "nplurals=2; plural=(n != 1);"}
    assert f'"Language: {language}\\n"' in header
    assert plurals[language] in header


@pytest.mark.parametrize("language", TRANSLATED)
def test_compiled_catalogue_matches_the_source(language):
    """The committed .mo must carry every translation in the .po (run `make messages`)."""
    with _po(language).with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)

    def compiled_text(context, msgid):
        if context:
            return compiled.pgettext(context, _unescape(msgid))
        return compiled.gettext(_unescape(msgid))

    stale = [
        msgid
        for context, msgid, strs, _fuzzy in _entries(language)
        if msgid and len(strs) == 1 and strs[0]
        if compiled_text(context, msgid) != _unescape(strs[0])
    ]
    assert stale == []


def _unescape(text: str) -> str:
    for escaped, plain in (("\\n", "\n"), ("\\t", "\t"), ('\\"', '"'), ("\\\\", "\\")):
        text = text.replace(escaped, plain)
    return text


def test_russian_is_served_by_default_whatever_the_browser_asks(client, db):
    from people.tests.factories import PersonFactory

    client.force_login(PersonFactory())
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Мои сообщества" in page
