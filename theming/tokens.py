"""The design tokens a town's theme sets: the CSS custom properties static/agora.css is built
on. Everything else (tints, borders, focus rings) is derived from them in the stylesheet."""

from __future__ import annotations

from .models import SiteTheme, ThemeFont, ThemeRadius

SYSTEM_STACK = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif'

# The family names match the @font-face rules of static/agora.css; the system stack follows
# as the fallback while the font loads (font-display: swap) or if it cannot.
FONT_STACKS = {
    ThemeFont.SYSTEM: SYSTEM_STACK,
    ThemeFont.ATKINSON: f'"Atkinson Hyperlegible", {SYSTEM_STACK}',
    ThemeFont.LEXEND: f'"Lexend", {SYSTEM_STACK}',
}

RADII = {ThemeRadius.SQUARE: "0", ThemeRadius.SOFT: ".375rem", ThemeRadius.ROUND: ".75rem"}


def theme_tokens(theme: SiteTheme) -> dict[str, str]:
    """The custom properties of ``theme``, by name. Only checked values reach them: colours
    are #rrggbb (model validator and service), font and radius are keys of the maps above."""
    return {
        "--primary": theme.primary_colour,
        "--accent": theme.accent_colour,
        "--font": FONT_STACKS.get(theme.font, SYSTEM_STACK),
        "--radius": RADII.get(theme.radius, RADII[ThemeRadius.SOFT]),
    }


def theme_css(theme: SiteTheme) -> str:
    declarations = "".join(f"{name}: {value}; " for name, value in theme_tokens(theme).items())
    return ":root { " + declarations + "}\n"
