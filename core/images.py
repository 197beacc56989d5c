"""Pictures people upload (a space's, an idea's, a budget project's, a homepage's hero): the
file is checked by its content (``core.files``), decoded by Pillow, then drawn again as WebP in
a few widths. What is stored is pixels we encoded ourselves: none of the uploader's metadata
(EXIF: the GPS position of a phone photo, the camera's serial number, comments), nothing a
crafted file could carry past the decoder, and the picture turned the way the camera's
orientation tag said (browsers disagree on applying it, and the tag is gone once stripped).

The widths feed an ``<img srcset>``: a phone downloads the 480 px rendition, a wide screen the
1600 px one. A picture narrower than a width is never enlarged to it."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from . import files
from .errors import Invalid

MAX_BYTES = 10 * 1024 * 1024
# Pillow refuses more than twice its own limit; this one refuses earlier: a 40 megapixel
# picture is already more than any camera of a resident sends, and decoding costs memory.
MAX_PIXELS = 40_000_000
WIDTHS = (480, 960, 1600)
WEBP_QUALITY = 80


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    content: bytes


@dataclass(frozen=True)
class ProcessedImage:
    """The renditions, narrowest first; ``width`` × ``height`` is the widest one's size."""

    renditions: tuple[Rendition, ...]

    @property
    def width(self) -> int:
        return self.renditions[-1].width

    @property
    def height(self) -> int:
        return self.renditions[-1].height


def _not_an_image(name: str, field: str | None) -> Invalid:
    return Invalid(
        _(
            "« %(name)s » n'est pas une image PNG, JPEG ou WebP lisible (le SVG n'est pas "
            "accepté) : choisissez une photo ou une illustration dans l'un de ces formats."
        )
        % {"name": name},
        field=field,
    )


def _decoded(upload, *, field: str | None) -> Image.Image:
    name = upload.name or "?"
    try:
        with Image.open(upload) as opened:
            if opened.width * opened.height > MAX_PIXELS:
                raise Invalid(
                    _(
                        "L'image fait %(width)d × %(height)d pixels : réduisez-la (40 millions "
                        "de pixels au plus)."
                    )
                    % {"width": opened.width, "height": opened.height},
                    field=field,
                )
            opened.seek(0)  # the first frame of an animated picture
            opened.load()
            upright = ImageOps.exif_transpose(opened)
    except Invalid:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
    ) as exc:
        raise _not_an_image(name, field) from exc
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or (
        upright.mode == "P" and "transparency" in upright.info
    )
    return upright.convert("RGBA" if has_alpha else "RGB")


def _encode(picture: Image.Image) -> bytes:
    buffer = io.BytesIO()
    # No exif=, icc_profile= or xmp=: Pillow writes none unless asked.
    picture.save(buffer, format="WEBP", quality=WEBP_QUALITY, method=4)
    return buffer.getvalue()


def image_process(upload, *, field: str | None = None) -> ProcessedImage:
    """The upload re-encoded as WebP renditions; Invalid (a French message) when it is empty,
    over 10 MB, not a PNG, JPEG or WebP by its content (an SVG, a PDF, a script renamed
    ``.png``), unreadable, or too many pixels. Nothing is stored here."""
    files.upload_check(
        upload,
        allowed=files.IMAGES,
        max_bytes=MAX_BYTES,
        refused=_(
            "« %(name)s » n'est pas une image PNG, JPEG ou WebP (le SVG n'est pas accepté) : "
            "choisissez une photo ou une illustration dans l'un de ces formats."
        ),
        too_big=_("L'image fait %(size)s : %(max)s au plus."),
        field=field,
    )
    picture = _decoded(upload, field=field)
    upload.seek(0)
    widest = min(picture.width, WIDTHS[-1])
    widths = [width for width in WIDTHS if width < widest] + [widest]
    renditions = []
    for width in widths:
        height = max(1, round(picture.height * width / picture.width))
        resized = (
            picture
            if width == picture.width
            else picture.resize((width, height), Image.Resampling.LANCZOS)
        )
        renditions.append(Rendition(width=width, height=height, content=_encode(resized)))
    return ProcessedImage(renditions=tuple(renditions))
