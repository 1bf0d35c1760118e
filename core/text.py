def search_key(text: str) -> str:
    """The form names are stored and searched in: lower case, ё as е, single spaces.

    SQLite's LIKE folds only ASCII case, so Cyrillic search compares these keys instead.
    """
    return " ".join((text or "").lower().replace("ё", "е").split())
