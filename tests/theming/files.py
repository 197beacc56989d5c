"""Logo files built in memory (the document tests' samples, plus a few only logos meet)."""

from tests.participation.documents.files import EXE, JPEG, PDF, PNG, WEBP, upload

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'

__all__ = ["EXE", "JPEG", "PDF", "PNG", "SVG", "WEBP", "big_png", "upload"]


def big_png(size: int):
    return upload("grand-logo.png", PNG + b"\x00" * (size - len(PNG)), "image/png")
