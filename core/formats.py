"""Money, numbers and dates as people read them, in the current language (French: « 1 200,50 € »
with non-breaking spaces, so that an amount never breaks across lines; English: « €1,200.50 »).
The separators and date formats of each language are in config/formats/."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.translation import get_language

NBSP = "\u00a0"
# Where the sign goes, per language (French and the default: after, with a non-breaking space).
EURO_PATTERNS = {"en": "€{amount}"}


def number(value: int | Decimal | float, *, decimals: int | None = None) -> str:
    """« 20 000 », « 12,5 »: the language's decimal mark and thousands grouping."""
    return formats.number_format(value, decimals, use_l10n=True, force_grouping=True)


def euros(amount: int | Decimal, *, decimals: int = 0) -> str:
    """An amount in euros: « 412 000 € » (whole euros), « 1 200,50 € » with ``decimals=2``;
    « €412,000 » in English."""
    language = (get_language() or "").split("-")[0]
    pattern = EURO_PATTERNS.get(language, "{amount}" + NBSP + "€")
    return pattern.format(amount=number(amount, decimals=decimals))


def euros_any(amount: int | Decimal | None) -> str:
    """Euros with cents only when there are some: « 18 000 € », « 18 000,50 € »; "" for none."""
    if amount is None or amount == "":
        return ""
    value = Decimal(amount)
    return euros(value, decimals=0 if value == value.to_integral_value() else 2)


def euros_from_cents(cents: int | None) -> str:
    """Integer cents (how billing stores money) as euros with cents; "" when there is none."""
    if cents is None or cents == "":
        return ""
    return euros(Decimal(cents) / 100, decimals=2)


def local_datetime(value: datetime.datetime, pattern: str = "DATETIME_FORMAT") -> str:
    """``value`` in the current time zone, with a format name of the language or a date
    pattern (gettext'd patterns such as « j F Y à H:i »)."""
    return formats.date_format(timezone.localtime(value), pattern)
