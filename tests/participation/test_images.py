"""The engine's image service, as spaces (and through them every module) use it: stored in the
town's media as WebP renditions, described, replaced and removed without leaving files; shown
with srcset; refused in French with nothing stored."""

import html
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from PIL import Image as Pillow

from core.errors import Invalid
from participation import images, services
from participation.models import Image
from tests.conftest import stored_files
from tests.participation.conftest import logged_in
from tests.participation.factories import AdminFactory, SpaceFactory

SCRIPTED_SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>fetch('/compte/')</script></svg>"
)


def photo(size=(1200, 600), name="place.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Pillow.new("RGB", size, "navy").save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/jpeg")


def test_an_image_is_stored_in_the_towns_media_as_webp_renditions(in_town_a, media_root):
    image = images.image_store(upload=photo(), alt="  La place du marché  ")
    assert image.alt == "La place du marché"
    assert (image.widths, image.width, image.height) == ([480, 960, 1200], 1200, 600)
    schema = in_town_a.schema_name
    names = [path.relative_to(media_root).as_posix() for path in stored_files(media_root, schema)]
    assert names == [f"{schema}/images/{image.key}/{width}.webp" for width in (1200, 480, 960)]


@pytest.mark.parametrize(
    ("upload", "alt", "field", "message"),
    [
        (photo(), "", "image_alt", "Décrivez l'image en quelques mots"),
        (
            SimpleUploadedFile("logo.svg", SCRIPTED_SVG, "image/svg+xml"),
            "Logo",
            "image",
            "« logo.svg » n'est pas une image PNG, JPEG ou WebP (le SVG n'est pas accepté)",
        ),
        (
            SimpleUploadedFile("enorme.jpg", b"\xff\xd8\xff" + b"\0" * 20_971_520, "image/jpeg"),
            "Une photo",
            "image",
            "L'image fait 20,0\xa0Mio : 10,0\xa0Mio au plus.",
        ),
    ],
)
def test_refused_pictures_leave_nothing_stored(in_town_a, media_root, upload, alt, field, message):
    with pytest.raises(Invalid) as refused:
        images.image_store(upload=upload, alt=alt)
    assert str(refused.value).startswith(message)
    assert refused.value.field == field
    assert not Image.objects.exists()
    assert stored_files(media_root, in_town_a.schema_name) == []


def test_replacing_and_removing_delete_the_old_files_once_committed(
    in_town_a, media_root, django_capture_on_commit_callbacks
):
    first = images.image_store(upload=photo(), alt="Avant")
    with django_capture_on_commit_callbacks(execute=True):
        second = images.image_change(current=first, upload=photo((300, 200)), alt="Après")
    assert not Image.objects.filter(pk=first.pk).exists()
    # Only the 300 px rendition of the second is left.
    assert len(stored_files(media_root, in_town_a.schema_name)) == 1
    assert images.image_change(current=second, alt="Après, au soleil").alt == "Après, au soleil"
    with django_capture_on_commit_callbacks(execute=True):
        assert images.image_change(current=second, remove=True) is None
    assert stored_files(media_root, in_town_a.schema_name) == []


def test_a_description_without_a_picture_is_refused(in_town_a):
    with pytest.raises(Invalid, match="Choisissez l'image que ce texte décrit"):
        images.image_change(current=None, alt="Une photo")


def test_the_picture_tag_offers_every_width_and_the_description(in_town_a, media_root):
    image = images.image_store(upload=photo(), alt='La place "du marché"')
    html = Template("{% load images %}{% picture image sizes='50vw' %}").render(
        Context({"image": image})
    )
    base = f"/media/{in_town_a.schema_name}/images/{image.key}"
    assert f'src="{base}/960.webp"' in html
    assert f'srcset="{base}/480.webp 480w, {base}/960.webp 960w, {base}/1200.webp 1200w"' in html
    assert 'sizes="50vw" width="1200" height="600"' in html
    assert 'alt="La place &quot;du marché&quot;"' in html
    assert 'loading="lazy"' in html


def test_staff_give_a_space_its_picture_and_the_space_page_shows_it(in_town_a, town_a, media_root):
    space = SpaceFactory(title="Cœur de ville")
    browser = logged_in(town_a, AdminFactory())
    form = {"title": space.title, "summary": "", "description": ""}
    response = browser.post(
        f"/gestion/espaces/{space.slug}/",
        {**form, "image": photo(), "image_alt": "La halle du marché au petit matin"},
    )
    assert response.status_code == 302
    space.refresh_from_db()
    assert space.image.alt == "La halle du marché au petit matin"
    page = browser.get(f"/espaces/{space.slug}/").content.decode()
    assert 'alt="La halle du marché au petit matin"' in page
    assert f"/media/{town_a.schema_name}/images/{space.image.key}/480.webp 480w" in page


def test_a_scripted_svg_given_to_a_space_is_refused_in_french(in_town_a, town_a, media_root):
    space = SpaceFactory(title="Cœur de ville")
    browser = logged_in(town_a, AdminFactory())
    svg = SimpleUploadedFile("plan.svg", SCRIPTED_SVG, "image/svg+xml")
    response = browser.post(
        f"/gestion/espaces/{space.slug}/",
        {"title": space.title, "image": svg, "image_alt": "Plan"},
        follow=True,
    )
    page = html.unescape(response.content.decode())
    assert "« plan.svg » n'est pas une image PNG, JPEG ou WebP" in page
    space.refresh_from_db()
    assert space.image is None
    assert stored_files(media_root, in_town_a.schema_name) == []


def test_space_update_keeps_the_picture_when_no_new_one_is_given(in_town_a):
    admin = AdminFactory()
    space = SpaceFactory()
    services.space_update(actor=admin, space=space, title="Titre", image=photo(), image_alt="Vue")
    services.space_update(actor=admin, space=space, title="Autre titre")
    space.refresh_from_db()
    assert space.image.alt == "Vue"


def test_the_migration_re_encodes_a_picture_stored_the_old_way(in_town_a, media_root):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from participation.migrations._legacy_images import convert

    exif = Pillow.Exif()
    exif[0x010F] = "Appareil de Camille"
    buffer = io.BytesIO()
    Pillow.new("RGB", (600, 300), "navy").save(buffer, format="JPEG", exif=exif.tobytes())
    old = default_storage.save("ideas/ancienne.jpg", ContentFile(buffer.getvalue()))
    junk = default_storage.save("ideas/pas-une-image.png", ContentFile(b"MZ\x90\x00"))

    image = convert(Image, old, "Un verger")
    assert (image.alt, image.widths) == ("Un verger", [480, 600])
    assert not default_storage.exists(old)
    with default_storage.open(image.path(600)) as stored:
        assert b"Appareil de Camille" not in stored.read()
    assert convert(Image, junk, "Rien") is None
    assert not default_storage.exists(junk)
    assert convert(Image, "ideas/disparue.jpg", "Rien") is None
