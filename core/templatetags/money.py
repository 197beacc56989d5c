"""{% load money %}: amounts in templates, through core.formats."""

from django import template

from core import formats

register = template.Library()


@register.filter
def euros(cents: int | None) -> str:
    """Integer cents as euros in the current language: « 1 200,50 € »."""
    return formats.euros_from_cents(cents)


@register.filter
def in_euros(amount) -> str:
    """An amount in euros (budgets, costs) in the current language: « 18 000 € », « €18,000 »."""
    return formats.euros_any(amount)
