from django.core.cache import cache
from django.db import transaction

from .models import SiteTheme
from .selectors import THEME_CACHE_KEY


def theme_update(*, primary_colour: str, accent_colour: str, tagline: str = "") -> SiteTheme:
    with transaction.atomic():
        theme = (
            SiteTheme.objects.select_for_update().filter(pk=SiteTheme.SINGLETON_ID).first()
            or SiteTheme()
        )
        theme.primary_colour = primary_colour
        theme.accent_colour = accent_colour
        theme.tagline = tagline.strip()
        theme.full_clean()
        theme.save()
    cache.delete(THEME_CACHE_KEY)
    return theme
