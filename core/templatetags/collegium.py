"""Template helpers of the site layout."""

from functools import lru_cache

from django import template
from django.urls import NoReverseMatch, get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.translation import ngettext

from core.text import plain_number

register = template.Library()


@register.simple_tag
def route(name: str, *args) -> str:
    """`{% url name %}` reversed once per URL configuration and script prefix.

    The layout links a dozen routes on every page and list rows link one or two each, and
    reverse() costs about as much as a small query each time. Integer arguments (object ids)
    are put into a path reversed once with a marker; anything else goes through reverse().
    """
    resolver, prefix = get_resolver(get_urlconf()), get_script_prefix()
    if not args:
        return _reversed(resolver, prefix, name)
    if all(type(arg) is int and arg >= 0 for arg in args):
        parts = _reversed_parts(resolver, prefix, name, len(args))
        if parts is not None:
            return (
                "".join(part + str(arg) for part, arg in zip(parts, args, strict=False)) + parts[-1]
            )
    return reverse(name, urlconf=resolver.urlconf_name, args=args)


# Keyed by the resolver object itself: clear_url_caches() makes a new one, so a reloaded URL
# configuration is never answered from here.
@lru_cache(maxsize=256)
def _reversed(resolver, prefix: str, name: str) -> str:
    return reverse(name, urlconf=resolver.urlconf_name)


_MARKERS = (9_081_726_354, 9_081_726_355, 9_081_726_356)


@lru_cache(maxsize=512)
def _reversed_parts(resolver, prefix: str, name: str, count: int) -> tuple[str, ...] | None:
    """The path around its id arguments, or None when the route does not take them plainly."""
    if count > len(_MARKERS):
        return None
    markers = _MARKERS[:count]
    try:
        path = reverse(name, urlconf=resolver.urlconf_name, args=markers)
    except NoReverseMatch:
        return None
    parts, rest = [], path
    for marker in markers:
        before, found, rest = rest.partition(str(marker))
        if not found:
            return None
        parts.append(before)
    return (*parts, rest)


@register.filter
def file_count(n: int) -> str:
    """ "3 files" in the person's language: a filter costs a tenth of a blocktranslate in a row."""
    return ngettext("%(n)s file", "%(n)s files", n) % {"n": n}


@register.simple_tag(takes_context=True)
def csrf_input(context) -> str:
    """The hidden CSRF field, rendered once into a variable for forms repeated in every row."""
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":
        return ""
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


@register.filter
def number(value):
    """A decimal without trailing zeros, in the page's language: «72,5», «70»."""
    if value is None or value == "":
        return value
    return localize(plain_number(value))
