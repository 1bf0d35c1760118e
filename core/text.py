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
