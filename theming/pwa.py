"""What makes a town's site installable on a phone: its web app manifest and icons (the
town's logo, or its initial on its primary colour), and the service worker's settings."""

from __future__ import annotations

import hashlib
import io
import logging

from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django.utils.translation import get_language
from PIL import Image, ImageDraw, ImageFont, UnidentifiedImageError

from .selectors import site_theme

logger = logging.getLogger(__name__)

ICON_SIZES = (192, 512)
ICON_CACHE_SECONDS = 60 * 60 * 24
# A launcher shows at most a dozen characters under the icon.
SHORT_NAME_LENGTH = 12
# Pages never kept for offline reading: what is private to one person, the back office, and
# the pages whose content is an action (sign-in, sign-out, the e-mails of the local setup).
PRIVATE_PREFIXES = (
    "/gestion/",
    "/mes-donnees/",
    "/mon-profil/",
    "/compte/",
    "/api/",
    "/courriels/",
)


def short_name(name: str) -> str:
    if len(name) <= SHORT_NAME_LENGTH:
        return name
    return name[: SHORT_NAME_LENGTH - 1].rstrip() + "…"


def manifest() -> dict:
    """The current town's web app manifest (https://www.w3.org/TR/appmanifest/)."""
    town = connection.tenant
    theme = site_theme()
    icons = [
        {
            "src": reverse("pwa:icon", args=[size]),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": "any",
        }
        for size in ICON_SIZES
    ]
    return {
        "name": town.name,
        "short_name": short_name(town.name),
        "description": theme.tagline or town.name,
        "lang": get_language(),
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": theme.primary_colour,
        "background_color": "#ffffff",
        "icons": icons,
    }


def _hex_to_rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def _logo_icon(size: int) -> Image.Image | None:
    """The logo, whole, centred on white with a margin (launchers may round the corners)."""
    theme = site_theme()
    if not theme.logo:
        return None
    try:
        with theme.logo.open("rb") as file, Image.open(file) as logo:
            logo = logo.convert("RGBA")
            inner = round(size * 0.8)
            logo.thumbnail((inner, inner), Image.Resampling.LANCZOS)
            canvas = Image.new("RGBA", (size, size), (255, 255, 255, 255))
            canvas.alpha_composite(logo, ((size - logo.width) // 2, (size - logo.height) // 2))
            return canvas
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError):
        # A logo the storage lost or that Pillow cannot read: the monogram still installs.
        logger.warning("theme logo unreadable for the app icon in %s", connection.schema_name)
        return None


def _monogram_icon(size: int) -> Image.Image:
    """The town's initial in white on its primary colour."""
    town = connection.tenant
    canvas = Image.new("RGBA", (size, size), (*_hex_to_rgb(site_theme().primary_colour), 255))
    letter = (town.name.strip()[:1] or "A").upper()
    font = ImageFont.load_default(size=round(size * 0.6))
    draw = ImageDraw.Draw(canvas)
    draw.text((size / 2, size / 2), letter, fill=(255, 255, 255, 255), font=font, anchor="mm")
    return canvas


def app_icon(size: int) -> bytes:
    """The PNG icon of ``size`` pixels (one of ICON_SIZES), cached until the theme changes."""
    theme = site_theme()
    stamp = theme.updated_at.isoformat() if theme.updated_at else "default"
    key = f"theming:app-icon:{size}:{stamp}"
    png = cache.get(key)
    if png is None:
        image = _logo_icon(size) or _monogram_icon(size)
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, format="PNG", optimize=True)
        png = buffer.getvalue()
        cache.set(key, png, ICON_CACHE_SECONDS)
    return png


def service_worker_version(source: str) -> str:
    """Changes when the worker's code or the stylesheet changes: the browser then installs the
    new worker, which drops the caches of the old one."""
    digest = hashlib.sha256(source.encode())
    digest.update(staticfiles_storage.url("agora.css").encode())
    return digest.hexdigest()[:12]
