from django.core.cache import cache

from .models import SiteTheme

THEME_CACHE_KEY = "theming:site-theme"
THEME_CACHE_SECONDS = 300


def site_theme() -> SiteTheme:
    """The current town's theme (defaults until the town sets one). Cached per schema: the
    cache key function prefixes every key with the schema name."""
    theme = cache.get(THEME_CACHE_KEY)
    if theme is None:
        theme = SiteTheme.objects.filter(pk=SiteTheme.SINGLETON_ID).first() or SiteTheme()
        cache.set(THEME_CACHE_KEY, theme, THEME_CACHE_SECONDS)
    return theme
