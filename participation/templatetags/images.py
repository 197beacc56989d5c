"""``{% picture image sizes="..." %}``: an uploaded picture as a responsive ``<img>``, its
renditions in ``srcset`` (the browser picks the narrowest that fills ``sizes``), its own
width and height (no layout shift while it loads) and its description as ``alt``."""

from __future__ import annotations

from django import template

from participation.images import image_url

register = template.Library()

# The rendition named in src, for browsers that ignore srcset: the middle one.
FALLBACK_INDEX = 1


@register.inclusion_tag("participation/picture.html")
def picture(image, sizes: str = "100vw", css_class: str = "", eager: bool = False) -> dict:
    if image is None:
        return {"image": None}
    widths = image.widths
    return {
        "image": image,
        "src": image_url(image, widths[min(FALLBACK_INDEX, len(widths) - 1)]),
        "srcset": ", ".join(f"{image_url(image, width)} {width}w" for width in widths),
        "sizes": sizes,
        "css_class": css_class,
        "eager": eager,
    }
