"""core.files reads what a file is from its content, whatever its name or announced type."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core import files
from core.errors import Invalid
from tests.participation.documents.files import EXE, HTML, JPEG, PDF, PNG, WAVE, WEBP


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


PPTX = _zip({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"})
DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<d/>"})
ODT = _zip({"mimetype": files.ODT.encode(), "content.xml": b"<x/>"})
ODP = _zip({"mimetype": files.ODP.encode(), "content.xml": b"<x/>"})


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (PDF, files.PDF),
        (PNG, files.PNG),
        (JPEG, files.JPEG),
        (WEBP, files.WEBP),
        (PPTX, files.PPTX),
        (DOCX, files.DOCX),
        (ODT, files.ODT),
        (ODP, files.ODP),
        (EXE, None),
        (HTML, None),
        (WAVE, None),  # a RIFF file that is no WebP
        (_zip({"readme.txt": b"rien"}), None),  # a ZIP that is no office document
        (_zip({"mimetype": b"application/epub+zip"}), None),
        (b"PK\x03\x04 truncated", None),
        (b"", None),
    ],
)
def test_the_type_comes_from_the_content(content, expected):
    upload = SimpleUploadedFile("nom-trompeur.pdf", content, "application/pdf")
    assert files.sniff_content_type(upload) == expected


def test_the_file_is_left_rewound_for_storage():
    upload = SimpleUploadedFile("diaporama.pptx", PPTX)
    upload.read(3)
    assert files.sniff_content_type(upload) == files.PPTX
    assert upload.read() == PPTX


def test_extension_and_label_of_each_type():
    assert files.extension(files.JPEG) == "jpg"
    assert files.extension(files.ODP) == "odp"
    assert files.type_label(files.WEBP) == "Image WebP"
    assert files.type_label("text/plain") == "text/plain"  # unknown: shown as is


def _check(upload, **overrides):
    arguments = {
        "allowed": files.IMAGES,
        "max_bytes": 1024,
        "refused": "« %(name)s » n'est pas une image.",
        "field": "image",
    }
    return files.upload_check(upload, **{**arguments, **overrides})


def test_upload_check_returns_the_real_type():
    assert _check(SimpleUploadedFile("photo.pdf", PNG)) == files.PNG


def test_upload_check_refuses_a_type_not_allowed_whatever_its_name():
    with pytest.raises(Invalid) as refusal:
        _check(SimpleUploadedFile("photo.png", PDF, "image/png"))
    assert str(refusal.value) == "« photo.png » n'est pas une image."
    assert refusal.value.field == "image"


def test_upload_check_refuses_an_empty_file():
    with pytest.raises(Invalid) as refusal:
        _check(SimpleUploadedFile("vide.png", b""))
    assert str(refusal.value) == "Le fichier « vide.png » est vide."


def test_upload_check_refuses_a_file_over_the_limit_with_both_sizes():
    big = SimpleUploadedFile("grand.png", PNG + b"\x00" * 2048)
    with pytest.raises(Invalid) as refusal:
        _check(big)
    assert str(refusal.value) == "Le fichier fait 2,0\xa0Kio : 1,0\xa0Kio au plus."
    with pytest.raises(Invalid) as refusal:
        _check(big, too_big="Le logo fait %(size)s, %(max)s au plus.")
    assert str(refusal.value) == "Le logo fait 2,0\xa0Kio, 1,0\xa0Kio au plus."
    exact = SimpleUploadedFile("juste.png", PNG + b"\x00" * (1024 - len(PNG)))
    assert _check(exact) == files.PNG
