"""The homepage's blocks as staff compose them: a draft they edit, move and preview, and the
published copy residents see; pictures kept while a version shows them; bad input refused in
French with nothing stored."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as Pillow

from core.errors import Invalid, NotAllowed
from participation.home import selectors, services
from participation.models import HomeBlock, Image
from tests.conftest import stored_files
from tests.participation.factories import AdminFactory, ModeratorFactory, SpaceFactory


def photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Pillow.new("RGB", (800, 400), "teal").save(buffer, format="JPEG")
    return SimpleUploadedFile("vue.jpg", buffer.getvalue(), "image/jpeg")


@pytest.fixture
def admin(in_town_a):
    return AdminFactory()


def kinds(*, published: bool) -> list[str]:
    return [block.kind for block in selectors.home_blocks(published=published)]


def test_blocks_are_added_at_the_end_of_the_draft_and_moved_up_and_down(admin):
    hero = services.block_add(actor=admin, kind="hero", title="Bienvenue")
    figures = services.block_add(actor=admin, kind="figures", title="En chiffres")
    text = services.block_add(actor=admin, kind="text", text="Bonjour")
    assert kinds(published=False) == ["hero", "figures", "text"]
    services.block_move(actor=admin, block=text, direction="up")
    assert kinds(published=False) == ["hero", "text", "figures"]
    services.block_move(actor=admin, block=hero, direction="up")  # already first: nothing
    services.block_move(actor=admin, block=hero, direction="down")
    assert kinds(published=False) == ["text", "hero", "figures"]
    services.block_remove(actor=admin, block=figures)
    assert kinds(published=False) == ["text", "hero"]


def test_publishing_copies_the_draft_which_stays_editable(admin):
    hero = services.block_add(actor=admin, kind="hero", title="Bienvenue")
    assert not selectors.has_published_home()
    assert services.homepage_publish(actor=admin) == 1
    services.block_update(actor=admin, block=hero, title="Bienvenue à tous")
    services.block_add(actor=admin, kind="figures", title="En chiffres")
    [published] = selectors.home_blocks(published=True)
    assert published.title == "Bienvenue"  # residents still see the published version
    assert kinds(published=False) == ["hero", "figures"]
    services.homepage_publish(actor=admin)
    titles = [b.title for b in selectors.home_blocks(published=True)]
    assert titles == ["Bienvenue à tous", "En chiffres"]
    assert HomeBlock.objects.count() == 4  # two drafts, two published


def test_a_picture_stays_while_the_published_version_shows_it(
    admin, in_town_a, media_root, django_capture_on_commit_callbacks
):
    hero = services.block_add(
        actor=admin, kind="hero", title="Bienvenue", image=photo(), image_alt="La mairie"
    )
    services.homepage_publish(actor=admin)
    with django_capture_on_commit_callbacks(execute=True):
        services.block_update(actor=admin, block=hero, title="Bienvenue", remove_image=True)
    assert Image.objects.count() == 1  # the published hero still shows it
    assert stored_files(media_root, in_town_a.schema_name)
    with django_capture_on_commit_callbacks(execute=True):
        services.homepage_publish(actor=admin)
    assert not Image.objects.exists()
    assert stored_files(media_root, in_town_a.schema_name) == []


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("mairie.png", b"MZ\x90\x00 un programme", "image/png"),
            "« mairie.png » n'est pas une image PNG, JPEG ou WebP",
        ),
        (
            SimpleUploadedFile("mairie.jpg", b"\xff\xd8\xff" + b"\0" * 20 * 1024 * 1024),
            "L'image fait 20,0\xa0Mio : 10,0\xa0Mio au plus.",
        ),
        (
            SimpleUploadedFile(
                "mairie.svg",
                b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            ),
            "« mairie.svg » n'est pas une image PNG, JPEG ou WebP (le SVG n'est pas accepté)",
        ),
    ],
)
def test_a_hero_picture_that_is_no_picture_is_refused_and_nothing_is_stored(
    admin, in_town_a, media_root, upload, message
):
    with pytest.raises(Invalid, match=re.escape(message)):
        services.block_add(
            actor=admin, kind="hero", title="Bienvenue", image=upload, image_alt="La mairie"
        )
    assert not HomeBlock.objects.exists()
    assert not Image.objects.exists()
    assert stored_files(media_root, in_town_a.schema_name) == []


def test_a_hero_picture_needs_its_description(admin):
    with pytest.raises(Invalid, match="Décrivez l'image"):
        services.block_add(actor=admin, kind="hero", title="Bienvenue", image=photo())
    assert not HomeBlock.objects.exists()


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "//ailleurs.example/", "data:text/html,<script>", "ftp://x.fr/"],
)
def test_a_button_leads_only_to_a_page_of_the_site_or_a_web_address(admin, url):
    with pytest.raises(Invalid, match="Adresse du bouton"):
        services.block_add(
            actor=admin, kind="hero", title="Bienvenue", link_label="Voir", link_url=url
        )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"kind": "carrousel"}, "Type de bloc inconnu"),
        ({"kind": "hero", "title": "  "}, "Titre : ce champ est obligatoire."),
        ({"kind": "text", "text": ""}, "Texte : ce champ est obligatoire."),
        ({"kind": "text", "text": "x" * 4001}, "Texte : 4001 caractères, 4000 au plus."),
        ({"kind": "hero", "title": "B", "link_label": "Voir"}, "Le bouton a besoin"),
        ({"kind": "events", "limit": 40}, "Nombre d'éléments : de 1 à 12."),
    ],
)
def test_bad_blocks_are_refused_in_french(admin, overrides, message):
    with pytest.raises(Invalid, match=re.escape(message)):
        services.block_add(actor=admin, **overrides)
    assert not HomeBlock.objects.exists()


def test_only_the_towns_administrators_compose_the_homepage(admin):
    moderator = ModeratorFactory()
    with pytest.raises(NotAllowed):
        services.block_add(actor=moderator, kind="figures")
    block = services.block_add(actor=admin, kind="figures")
    for action in (
        lambda: services.block_move(actor=moderator, block=block, direction="down"),
        lambda: services.block_remove(actor=moderator, block=block),
        lambda: services.homepage_publish(actor=moderator),
    ):
        with pytest.raises(NotAllowed):
            action()


def test_the_published_copy_is_not_edited_directly(admin):
    services.block_add(actor=admin, kind="figures")
    services.homepage_publish(actor=admin)
    published = HomeBlock.objects.get(published=True)
    with pytest.raises(Invalid, match="Seul le brouillon"):
        services.block_remove(actor=admin, block=published)


def test_highlighted_spaces_are_those_chosen_or_the_latest_published(admin):
    chosen, latest = SpaceFactory(title="Choisi"), SpaceFactory(title="Dernier")
    SpaceFactory(title="Brouillon", status="draft")
    block = services.block_add(actor=admin, kind="spaces", limit=1)
    assert [s.title for s in selectors.highlighted_spaces(block)["spaces"]] == ["Dernier"]
    block = services.block_update(actor=admin, block=block, limit=3, spaces=[chosen])
    assert selectors.highlighted_spaces(block)["spaces"] == [chosen]
    assert latest.is_published
