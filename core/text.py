import re
from decimal import Decimal


def search_key(text: str) -> str:
    """The form names are stored and searched in: lower case, ё as е, single spaces.

    SQLite's LIKE folds only ASCII case, so Cyrillic search compares these keys instead.
    """
    return " ".join(clean_text(text).lower().replace("ё", "е").split())


def clean_text(text) -> str:
    """User text without control characters (PostgreSQL refuses NUL bytes in text)."""
    return "".join(ch for ch in str(text or "") if ch >= " " or ch in "\t\n")


def prefix_q(field: str, key: str):
    """A filter for values starting with `key` that an index on `field` can answer.

    SQLite's LIKE folds case and so skips the index; its binary collation lets a range do the
    same job. PostgreSQL answers LIKE 'key%' from a varchar_pattern_ops index.
    """
    from django.db import connection
    from django.db.models import Q

    if connection.vendor == "sqlite":
        return Q(**{f"{field}__gte": key, f"{field}__lt": key + "\U0010ffff"})
    return Q(**{f"{field}__startswith": key})


def parse_id(value) -> int | None:
    """A database id from user input, or None: ASCII digits only, small enough for any backend."""
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        return None
    return int(text)


# XML 1.0, which DOCX, XLSX and the PDF's paragraph markup are built on, forbids most C0
# controls; Word pastes a vertical tab (and a form feed) for a manual line break.
LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def document_text(value, *, limit: int | None = None) -> str:
    """Text any document format can hold, whatever a person typed or pasted.

    Line breaks become ``\n`` (the one break every exporter maps to its own), characters XML
    forbids are dropped, and text longer than a format's hard ``limit`` is cut with an ellipsis.
    """
    text = "" if value is None else str(value)
    text = _XML_FORBIDDEN.sub("", LINE_BREAKS.sub("\n", text))
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def plain_number(value):
    """A decimal as people write it: 70 rather than 70.00, 72.5 rather than 72.50; other values
    as they are. (Decimal.normalize alone would write 100 as 1E+2.)"""
    if not isinstance(value, Decimal) or not value.is_finite():
        return value
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()
