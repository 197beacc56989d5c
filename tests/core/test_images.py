"""core.images: what is stored of an uploaded picture is WebP we encoded, upright, without the
uploader's metadata, in the widths pages ask for; anything else is refused in French."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core import images
from core.errors import Invalid

ORIENTATION = 0x0112
GPS_INFO = 0x8825


def picture(size=(2000, 1000), image_format="JPEG", mode="RGB", colour="red", **save) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, colour).save(buffer, format=image_format, **save)
    return buffer.getvalue()


def upload(content: bytes, name="photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, "image/jpeg")


def decoded(rendition: images.Rendition) -> Image.Image:
    return Image.open(io.BytesIO(rendition.content))


def test_a_wide_picture_gets_three_webp_widths_in_proportion():
    processed = images.image_process(upload(picture((2000, 1000))))
    assert [(r.width, r.height) for r in processed.renditions] == [
        (480, 240),
        (960, 480),
        (1600, 800),
    ]
    assert (processed.width, processed.height) == (1600, 800)
    for rendition in processed.renditions:
        stored = decoded(rendition)
        assert stored.format == "WEBP"
        assert stored.size == (rendition.width, rendition.height)


def test_a_narrow_picture_is_never_enlarged():
    processed = images.image_process(upload(picture((700, 300), "PNG"), "petit.png"))
    assert [r.width for r in processed.renditions] == [480, 700]


def test_metadata_is_gone_and_the_picture_is_turned_upright():
    exif = Image.Exif()
    exif[ORIENTATION] = 6  # the camera was held on its side: turn 90° clockwise to show
    exif[GPS_INFO] = {1: "N", 2: (48.0, 46.0, 0.0)}
    exif[0x010F] = "Appareil de Camille"  # Make
    content = picture((400, 200), exif=exif.tobytes())
    assert b"Appareil de Camille" in content

    [rendition] = images.image_process(upload(content)).renditions
    stored = decoded(rendition)
    assert stored.size == (200, 400)  # upright
    assert not stored.getexif()
    assert "exif" not in stored.info and "icc_profile" not in stored.info
    assert b"Appareil de Camille" not in rendition.content


def test_transparency_is_kept():
    [rendition] = images.image_process(
        upload(picture((100, 100), "PNG", mode="RGBA", colour=(200, 0, 0, 128)), "logo.png")
    ).renditions
    stored = decoded(rendition)
    assert stored.mode == "RGBA"
    assert stored.getpixel((50, 50))[3] == 128


@pytest.mark.parametrize(
    ("name", "content"),
    [
        (
            "dessin.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        ),
        ("dessin.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("photo.png", b"%PDF-1.7 pas une image"),
        ("photo.gif", picture((10, 10), "GIF")),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100),  # a PNG header on nothing
    ],
)
def test_what_is_not_a_readable_png_jpeg_or_webp_is_refused(name, content):
    with pytest.raises(Invalid) as refused:
        images.image_process(upload(content, name), field="image")
    assert str(refused.value).startswith(f"« {name} » n'est pas une image PNG, JPEG ou WebP")
    assert "le SVG n'est pas accepté" in str(refused.value)
    assert refused.value.field == "image"


def test_twenty_megabytes_are_refused_before_anything_is_read():
    content = b"\xff\xd8\xff" + b"\x00" * (20 * 1024 * 1024)
    with pytest.raises(Invalid, match=re.escape("L'image fait 20,0\xa0Mio : 10,0\xa0Mio au plus.")):
        images.image_process(upload(content))


def test_too_many_pixels_are_refused(monkeypatch):
    monkeypatch.setattr(images, "MAX_PIXELS", 100 * 100 - 1)
    with pytest.raises(Invalid, match="L'image fait 100 × 100 pixels : réduisez-la"):
        images.image_process(upload(picture((100, 100))))
