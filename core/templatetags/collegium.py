"""Template helpers of the site layout."""

from functools import lru_cache

from django import template
from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse

register = template.Library()


@register.simple_tag
def route(name: str) -> str:
    """`{% url name %}` for a route without arguments, reversed once per URL configuration and
    script prefix: the layout links a dozen of them on every page, and reverse() costs about
    as much as a small query each time."""
    return _reversed(get_resolver(get_urlconf()), get_script_prefix(), name)


# Keyed by the resolver object itself: clear_url_caches() makes a new one, so a reloaded URL
# configuration is never answered from here.
@lru_cache(maxsize=256)
def _reversed(resolver, prefix: str, name: str) -> str:
    return reverse(name, urlconf=resolver.urlconf_name)
