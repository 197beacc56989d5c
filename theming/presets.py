"""Named starting themes a new town can pick during onboarding, then adjust. White text on
each colour reaches the 4.5:1 contrast the RGAA asks for (checked by the tests)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ThemePreset:
    key: str
    label: str | Promise
    primary_colour: str
    accent_colour: str
    font: str = "system"
    radius: str = "soft"


PRESETS: dict[str, ThemePreset] = {
    preset.key: preset
    for preset in (
        # The State's own blue and red (French government design system).
        ThemePreset(
            "bleu-republique", _("Bleu République"), "#000091", "#e1000f", "system", "square"
        ),
        ThemePreset("vert", _("Vert"), "#18753c", "#b34000", "atkinson", "round"),
        ThemePreset("terre", _("Terre"), "#a0412d", "#5c4033", "lexend", "soft"),
        ThemePreset("ardoise", _("Ardoise"), "#334155", "#b45309", "atkinson", "soft"),
    )
}
