"""{% load money %}: amounts in templates, through core.formats."""

from django import template

from core import formats

register = template.Library()


@register.filter
def euros(cents: int | None) -> str:
    """Integer cents as euros in the current language: « 1 200,50 € »."""
    return formats.euros_from_cents(cents)
