"""Logo files built in memory: real images (logos are re-encoded, so they must decode), plus
the document tests' samples of what is not an image."""

import io

from PIL import Image

from tests.participation.documents.files import EXE, PDF, upload

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def image_bytes(pillow_format: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 8), "#1d4ed8").save(buffer, format=pillow_format)
    return buffer.getvalue()


PNG, JPEG, WEBP = (image_bytes(name) for name in ("PNG", "JPEG", "WEBP"))

__all__ = ["EXE", "JPEG", "PDF", "PNG", "SVG", "WEBP", "big_png", "image_bytes", "upload"]


def big_png(size: int):
    return upload("grand-logo.png", PNG + b"\x00" * (size - len(PNG)), "image/png")
