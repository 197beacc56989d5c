"""WCAG 2 contrast ratios of the town's colours. White text sits on both the primary colour
(header, buttons) and the accent colour (e-mail buttons), so each must carry it."""

from __future__ import annotations

import math
import re

from core.formats import number

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
# WCAG 2.1 success criterion 1.4.3 (level AA, required by the RGAA) for normal-size text.
MIN_TEXT_CONTRAST = 4.5
WHITE = "#ffffff"


def normalised_colour(value: str) -> str | None:
    """``value`` as #rrggbb ("#" optional, any case), or None if it is not a colour."""
    colour = (value or "").strip().lower()
    if colour and not colour.startswith("#"):
        colour = f"#{colour}"
    return colour if HEX_COLOUR.match(colour) else None


def _linear(channel: int) -> float:
    value = channel / 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _linear(red) + 0.7152 * _linear(green) + 0.0722 * _linear(blue)


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def ratio_label(ratio: float) -> str:
    """Like "4,48:1": rounded down, so that a refused colour never reads as 4,5:1."""
    return f"{number(math.floor(ratio * 100) / 100, decimals=2)}:1"
