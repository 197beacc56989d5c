from django.db import transaction

from .models import SiteTheme
from .selectors import site_theme_forget


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
    site_theme_forget()
    return theme
