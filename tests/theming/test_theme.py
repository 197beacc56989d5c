"""The theme: colours white text stays readable on, a logo that is really a small image, the
presets, the caches, and what the go-live checklist reads."""

import io
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import translation
from PIL import Image

from core.errors import ApplicationError
from tests.conftest import stored_files
from tests.theming.files import EXE, JPEG, PDF, PNG, SVG, WEBP, big_png, upload
from theming import selectors
from theming.models import SiteTheme
from theming.presets import PRESETS
from theming.selectors import THEME_CACHE_KEY, site_theme, theme_is_set
from theming.services import LOGO_MAX_BYTES, theme_apply_preset, theme_update

SCHEMA_A = "ville_a"


def refused(**fields) -> ApplicationError:
    values = {"primary_colour": "#1d4ed8", "accent_colour": "#b45309", **fields}
    with translation.override("fr"), pytest.raises(ApplicationError) as caught:
        theme_update(**values)
    return caught.value


def test_colours_and_tagline_are_saved(in_town_a):
    theme = theme_update(primary_colour="#0B5394", accent_colour="a14400", tagline="  Ensemble ")
    assert (theme.primary_colour, theme.accent_colour, theme.tagline) == (
        "#0b5394",
        "#a14400",
        "Ensemble",
    )
    assert SiteTheme.objects.get().primary_colour == "#0b5394"


@pytest.mark.parametrize("value", ["bleu", "#12345", "#1234567", "", "#1d4ed8;}body{x:y"])
def test_what_is_not_a_colour_is_refused(in_town_a, value):
    error = refused(primary_colour=value)
    assert error.field == "primary_colour"
    assert "n'est pas une couleur ; écrivez-la #RRVVBB" in str(error)
    assert not SiteTheme.objects.exists()


def test_a_primary_colour_too_light_for_white_text_is_refused(in_town_a):
    error = refused(primary_colour="#ffcc00")
    assert error.field == "primary_colour"
    assert str(error) == (
        "Couleur principale : le texte blanc sur #ffcc00 n'a qu'un contraste de 1,51:1, trop "
        "faible pour être lu par tous ; il faut au moins 4,5:1 (RGAA). Choisissez une couleur "
        "plus foncée."
    )
    assert not SiteTheme.objects.exists()


def test_the_threshold_is_four_and_a_half_to_one(in_town_a):
    assert refused(primary_colour="#777777").field == "primary_colour"  # 4.48:1
    assert theme_update(primary_colour="#767676", accent_colour="#b45309")  # 4.54:1


def test_the_accent_colour_must_carry_white_text_too(in_town_a):
    # The e-mails put white "Participer" buttons on the accent colour.
    error = refused(accent_colour="#f59e0b")
    assert error.field == "accent_colour"
    assert str(error).startswith("Couleur d'accent : le texte blanc sur #f59e0b")


def test_a_tagline_longer_than_200_characters_is_refused(in_town_a):
    assert refused(tagline="x" * 201).field == "tagline"


# Logo


@pytest.mark.parametrize(
    ("name", "content", "extension"),
    [("logo.png", PNG, "png"), ("logo.jpeg", JPEG, "jpg"), ("logo", WEBP, "webp")],
)
def test_a_logo_is_stored_with_the_extension_of_its_real_type(
    in_town_a, media_root, name, content, extension
):
    theme = theme_update(
        primary_colour="#1d4ed8", accent_colour="#b45309", logo=upload(name, content)
    )
    assert theme.logo.name.startswith("theme/logo-") and theme.logo.name.endswith(f".{extension}")
    [stored] = stored_files(media_root, SCHEMA_A)
    with Image.open(stored) as image:
        assert (image.format, image.size) == (Image.open(io.BytesIO(content)).format, (16, 8))
    assert theme_is_set()


def test_a_logo_is_re_encoded_so_that_nothing_appended_to_it_is_kept(in_town_a, media_root):
    """A PNG followed by HTML is a valid PNG to every check by content; re-encoded, only its
    pixels are stored (a browser sniffing the file finds no HTML in it)."""
    content = PNG + b"<html><script>alert(document.cookie)</script></html>"
    theme_update(primary_colour="#1d4ed8", accent_colour="#b45309", logo=upload("l.png", content))
    [stored] = stored_files(media_root, SCHEMA_A)
    assert b"<script>" not in stored.read_bytes()
    with Image.open(stored) as image:
        assert (image.format, image.size) == ("PNG", (16, 8))


def test_a_logo_that_does_not_decode_is_refused(in_town_a, media_root):
    error = refused(logo=upload("logo.png", PNG[:40], "image/png"))
    assert (error.field, str(error)) == ("logo", "Le logo n'est pas une image lisible.")
    assert stored_files(media_root, SCHEMA_A) == []


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("logo.png", EXE),
        ("logo.png", SVG),
        ("logo.svg", SVG),
        ("logo.png", PDF),
        ("logo.png", b"\x89PN"),
    ],
)
def test_a_file_that_is_not_a_png_jpeg_or_webp_image_is_refused(
    in_town_a, media_root, name, content
):
    error = refused(logo=upload(name, content, "image/png"))
    assert error.field == "logo"
    assert "Le logo doit être une image PNG, JPEG ou WebP (le SVG n'est pas accepté)" in str(error)
    assert f"« {name} »" in str(error)
    assert stored_files(media_root, SCHEMA_A) == []
    assert not SiteTheme.objects.exists()


def test_an_oversized_or_empty_logo_is_refused(in_town_a, media_root):
    assert theme_update(primary_colour="#1d4ed8", accent_colour="#b45309", logo=big_png(1 << 20))
    assert str(refused(logo=big_png(LOGO_MAX_BYTES + 1))) == (
        "Le logo fait 1,0\xa0Mio : 1,0\xa0Mio au plus."
    )
    assert str(refused(logo=upload("vide.png", b""))) == "Le fichier « vide.png » est vide."
    assert len(stored_files(media_root, SCHEMA_A)) == 1


def test_a_refused_colour_stores_no_logo_file(in_town_a, media_root):
    refused(primary_colour="#ffffff", logo=upload("logo.png", PNG))
    assert stored_files(media_root, SCHEMA_A) == []


def test_replacing_or_removing_the_logo_deletes_the_old_file_once_committed(
    in_town_a, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = theme_update(
            primary_colour="#1d4ed8", accent_colour="#b45309", logo=upload("a.png", PNG)
        ).logo.name
    with django_capture_on_commit_callbacks(execute=True):
        second = theme_update(
            primary_colour="#1d4ed8", accent_colour="#b45309", logo=upload("b.jpg", JPEG)
        ).logo.name
    assert first != second
    assert [p.name for p in stored_files(media_root, SCHEMA_A)] == [Path(second).name]
    with django_capture_on_commit_callbacks(execute=True):
        theme_update(primary_colour="#1d4ed8", accent_colour="#b45309", tagline="Sans logo")
    assert len(stored_files(media_root, SCHEMA_A)) == 1  # no logo sent: the logo stays
    with django_capture_on_commit_callbacks(execute=True):
        theme = theme_update(primary_colour="#1d4ed8", accent_colour="#b45309", remove_logo=True)
    assert not theme.logo and stored_files(media_root, SCHEMA_A) == []
    assert not theme_is_set()


def test_theme_is_set_wants_a_saved_theme_with_a_logo(in_town_a):
    assert not theme_is_set()
    theme_update(primary_colour="#1d4ed8", accent_colour="#b45309")
    assert not theme_is_set()
    theme_update(primary_colour="#1d4ed8", accent_colour="#b45309", logo=upload("l.png", PNG))
    assert theme_is_set()


# Presets


@pytest.mark.parametrize("key", list(PRESETS))
def test_every_preset_applies_and_keeps_tagline_and_logo(in_town_a, key):
    theme_update(
        primary_colour="#1d4ed8",
        accent_colour="#b45309",
        tagline="Notre ville",
        logo=upload("l.png", PNG),
    )
    theme = theme_apply_preset(key=key)
    saved = SiteTheme.objects.get()
    assert (saved.primary_colour, saved.accent_colour) == (
        PRESETS[key].primary_colour,
        PRESETS[key].accent_colour,
    )
    assert theme.tagline == saved.tagline == "Notre ville" and saved.logo
    assert site_theme().primary_colour == PRESETS[key].primary_colour


def test_the_four_presets_are_named(in_town_a):
    with translation.override("fr"):
        assert [str(p.label) for p in PRESETS.values()] == [
            "Bleu République",
            "Vert",
            "Terre",
            "Ardoise",
        ]


def test_a_preset_applies_to_a_town_without_a_theme_yet(in_town_a):
    assert theme_apply_preset(key="vert").primary_colour == "#18753c"
    assert SiteTheme.objects.count() == 1


def test_an_unknown_preset_is_refused_with_the_known_keys(in_town_a):
    with translation.override("fr"), pytest.raises(ApplicationError) as caught:
        theme_apply_preset(key="rose")
    assert str(caught.value) == (
        "Modèle de thème inconnu : « rose » (possibles : bleu-republique, vert, terre, ardoise)."
    )
    assert not SiteTheme.objects.exists()


# Caches


def test_a_change_shows_at_once_in_this_process_and_in_redis(in_town_a):
    assert site_theme().primary_colour == "#1d4ed8"  # cached defaults
    theme_update(primary_colour="#7a1f2b", accent_colour="#1f5f3a")
    assert site_theme().primary_colour == "#7a1f2b"
    selectors._process_cache.clear()  # another web process: reads Redis
    assert cache.get(THEME_CACHE_KEY).primary_colour == "#7a1f2b"
    assert site_theme().primary_colour == "#7a1f2b"


def test_a_stale_copy_cached_before_the_commit_is_dropped_at_commit(
    in_town_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        theme_update(primary_colour="#7a1f2b", accent_colour="#1f5f3a")
        # A concurrent request, not seeing the uncommitted row, caches the defaults again.
        cache.set(THEME_CACHE_KEY, SiteTheme())
    assert cache.get(THEME_CACHE_KEY) is None
    assert site_theme().primary_colour == "#7a1f2b"
