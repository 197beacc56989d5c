"""Money, numbers and dates as people read them, in the current language (French: « 1 200,50 € »
with non-breaking spaces, so that an amount never breaks across lines)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import formats, timezone

NBSP = "\u00a0"


def number(value: int | Decimal | float, *, decimals: int | None = None) -> str:
    """« 20 000 », « 12,5 »: the language's decimal mark and thousands grouping."""
    return formats.number_format(value, decimals, use_l10n=True, force_grouping=True)


def euros(amount: int | Decimal, *, decimals: int = 0) -> str:
    """An amount in euros: « 412 000 € » (whole euros), « 1 200,50 € » with ``decimals=2``."""
    return f"{number(amount, decimals=decimals)}{NBSP}€"


def euros_from_cents(cents: int | None) -> str:
    """Integer cents (how billing stores money) as euros with cents; "" when there is none."""
    if cents is None or cents == "":
        return ""
    return euros(Decimal(cents) / 100, decimals=2)


def local_datetime(value: datetime.datetime, pattern: str = "DATETIME_FORMAT") -> str:
    """``value`` in the current time zone, with a format name of the language or a date
    pattern (gettext'd patterns such as « j F Y à H:i »)."""
    return formats.date_format(timezone.localtime(value), pattern)
