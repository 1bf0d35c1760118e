"""Russian words as the SQLite index keeps them: Snowball stems (the algorithm PostgreSQL's
`russian` configuration uses too), and highlighting of the words a query's stems match."""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WORD = re.compile(r"\w+")
MAX_QUERY_WORDS = 12
# What the highlighters of both backends wrap a match in before the text is escaped; the
# indexed text never holds them (documents.clean drops control characters).
START, STOP = "\x02", "\x03"


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("russian")


def stem(word: str) -> str:
    return _stemmer().stemWord(word.lower().replace("ё", "е"))


def stems(text: str) -> list[str]:
    words = [w.lower().replace("ё", "е") for w in WORD.findall(text or "")]
    return _stemmer().stemWords(words)


def stemmed_text(text: str) -> str:
    return " ".join(stems(text))


def query_stems(query: str) -> list[str]:
    """The stems a query looks for (each must occur), without repeats, at most a dozen."""
    seen: list[str] = []
    for s in stems(query):
        if s not in seen:
            seen.append(s)
    return seen[:MAX_QUERY_WORDS]


def marked(text: str, wanted: set[str], *, window: int | None = None) -> str:
    """The text with START/STOP around words whose stem is wanted; with `window`, only about
    that many words around the first match (the whole text's start when none matches)."""
    words = list(WORD.finditer(text))
    first = next((i for i, m in enumerate(words) if stem(m.group()) in wanted), 0)
    if window is not None and words:
        lo = max(0, first - window // 4)
        hi = min(len(words), lo + window)
        start = 0 if lo == 0 else words[lo].start()
        end = len(text) if hi == len(words) else words[hi - 1].end()
    else:
        lo, hi, start, end = 0, len(words), 0, len(text)
    out, pos = [], start
    for m in words[lo:hi]:
        if stem(m.group()) in wanted:
            out.append(text[pos : m.start()])
            out.append(START + m.group() + STOP)
            pos = m.end()
    out.append(text[pos:end])
    result = "".join(out)
    if window is not None:
        result = ("… " if start > 0 else "") + result + (" …" if end < len(text) else "")
    return result


def to_html(marked_text: str) -> SafeString:
    """Escaped text with the marks as <mark>: safe to render, whatever the person wrote."""
    return mark_safe(  # noqa: S308 - every character of the text is escaped first
        escape(marked_text).replace(START, "<mark>").replace(STOP, "</mark>")
    )
