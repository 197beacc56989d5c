import time

from django.core.cache import cache
from django.db import connection

from .models import SiteTheme

THEME_CACHE_KEY = "theming:site-theme"
THEME_CACHE_SECONDS = 300
# Every page shows the theme: each web process keeps it a few seconds more in memory rather than
# ask Redis at every request. A change shows everywhere within this delay (at once in the
# process that made it).
PROCESS_CACHE_SECONDS = 30
_process_cache: dict[str, tuple[float, SiteTheme]] = {}


def site_theme() -> SiteTheme:
    """The current town's theme (defaults until the town sets one). Cached per schema: the
    Redis key function prefixes every key with the schema name, the process cache is keyed
    by it."""
    schema = connection.schema_name
    cached = _process_cache.get(schema)
    if cached is not None and cached[0] > time.monotonic():
        return cached[1]
    theme = cache.get(THEME_CACHE_KEY)
    if theme is None:
        theme = SiteTheme.objects.filter(pk=SiteTheme.SINGLETON_ID).first() or SiteTheme()
        cache.set(THEME_CACHE_KEY, theme, THEME_CACHE_SECONDS)
    _process_cache[schema] = (time.monotonic() + PROCESS_CACHE_SECONDS, theme)
    return theme


def site_theme_forget() -> None:
    """Drop the current town's cached theme (after a change)."""
    cache.delete(THEME_CACHE_KEY)
    _process_cache.pop(connection.schema_name, None)
