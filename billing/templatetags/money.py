from decimal import Decimal

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def euros(cents: int | None) -> str:
    """Integer cents as euros in the current language: « 1 200,50 € »."""
    if cents is None or cents == "":
        return ""
    amount = formats.number_format(Decimal(cents) / 100, 2, use_l10n=True, force_grouping=True)
    return f"{amount}\u00a0€"
