"""``{% icon "name" %}``: a small inline SVG drawn with the text's colour (CSS class "icon").

Inline rather than an icon font or image files: no extra request, it follows the theme's
colours, and it shows where no emoji font is installed. Decorative by default (hidden from
screen readers: the words beside it say the same); ``label="…"`` makes it an image with
that name, for an icon that stands alone."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# 24×24 outlines (stroke drawn by CSS), drawn for Agora.
ICONS: dict[str, str] = {
    "check": '<path d="M5 12.5l4.5 4.5L19 7.5"/>',
    "check-circle": '<circle cx="12" cy="12" r="9"/><path d="M8 12.5l3 3 5-6"/>',
    "circle": '<circle cx="12" cy="12" r="9"/>',
    "x": '<path d="M6 6l12 12M18 6L6 18"/>',
    "alert": '<path d="M12 3.5 2.5 20.5h19L12 3.5z"/><path d="M12 10v4.5M12 17.5v.01"/>',
    "info": '<circle cx="12" cy="12" r="9"/><path d="M12 11v6M12 7.5v.01"/>',
    "calendar": '<rect x="3.5" y="5" width="17" height="15.5" rx="2"/>'
    '<path d="M3.5 10h17M8 3v4M16 3v4"/>',
    "clock": '<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3.5 2"/>',
    "arrow-right": '<path d="M5 12h14M13 6l6 6-6 6"/>',
    "user": '<circle cx="12" cy="8" r="4"/><path d="M4 21c0-4 3.6-6.5 8-6.5s8 2.5 8 6.5"/>',
    "map-pin": '<path d="M12 21s-7-6.2-7-11.5a7 7 0 0 1 14 0C19 14.8 12 21 12 21z"/>'
    '<circle cx="12" cy="9.5" r="2.5"/>',
    "home": '<path d="M3 11.5 12 4l9 7.5"/><path d="M5.5 10v10.5h13V10"/>',
    "search": '<circle cx="11" cy="11" r="6.5"/><path d="M20 20l-4.2-4.2"/>',
}


@register.simple_tag
def icon(name: str, label: str = "") -> SafeString:
    try:
        shapes = mark_safe(ICONS[name])  # noqa: S308 (our own constant markup above)
    except KeyError:
        raise template.TemplateSyntaxError(
            f"Unknown icon {name!r}; known: {', '.join(sorted(ICONS))}"
        ) from None
    if label:
        return format_html(
            '<svg class="icon" viewBox="0 0 24 24" role="img" aria-label="{}" focusable="false">'
            "{}</svg>",
            label,
            shapes,
        )
    return format_html(
        '<svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">{}</svg>',
        shapes,
    )
