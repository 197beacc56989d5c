"""The homepage composer in Chromium, as the town's admin: add a hero (title, text, button,
an uploaded picture with its description) and a free-text block, move the text above the
hero, preview the draft while residents still see the old home, publish; the public home then
shows both blocks in the new order, the picture responsive and described, the text escaped
(a ``<script>`` in it is words on the page, never run), and no wider than a phone's screen."""

import re

import pytest
from PIL import Image as PillowImage
from playwright.sync_api import expect

from accounts.models import User
from participation.home.selectors import home_blocks
from participation.images import image_delete
from participation.models import HomeBlock
from tests.browser.conftest import signed_in
from tests.participation.factories import AdminFactory

ADMIN = "accueil.mairie@parcours.fr"
HERO_TITLE = "Bienvenue au Parcours"
HERO_TEXT = "Donnez votre avis sur les projets de la ville."
BUTTON = "Lire la charte"
BUTTON_URL = "/charte/"
ALT = "La place du marché un samedi matin, vue depuis la fontaine"
TEXT_TITLE = "Le mot du maire"
TEXT = "Chaque voix compte."
SCRIPT = "<script>window.pwned=1</script>"
PAGE_WIDER_THAN_SCREEN = "document.scrollingElement.scrollWidth - window.innerWidth"


@pytest.fixture
def town_admin(committed_town):
    """The town's admin, committed; afterwards both copies of the homepage, their pictures
    (rows and files) and the admin are removed, so that the other journeys see the town's
    home as it was (nothing published: the list of spaces)."""
    assert not HomeBlock.objects.exists(), "the browser town already has a homepage"
    admin = AdminFactory(email=ADMIN, display_name="Mairie du Parcours")
    yield admin
    images = {block.image for block in HomeBlock.objects.select_related("image") if block.image}
    HomeBlock.objects.all().delete()
    for image in images:
        image_delete(image)
    User.objects.filter(pk=admin.pk).delete()


@pytest.fixture
def png(tmp_path):
    path = tmp_path / "place-du-marche.png"
    picture = PillowImage.new("RGB", (1200, 600), (30, 110, 160))
    for x in range(0, 1200, 40):
        for y in range(300, 600):
            picture.putpixel((x, y), (240, 200, 60))
    picture.save(path, format="PNG")
    return path


def _add_block(page, kind_label: str):
    page.get_by_label("Type de bloc").select_option(label=kind_label)
    page.get_by_role("button", name="Ajouter", exact=True).click()
    expect(page.locator("h1")).to_have_text(kind_label)


def _blocks_in_order(page) -> list[str]:
    """The kinds of the page's blocks, top to bottom (``hero``, ``text``...)."""
    return page.locator(".home-blocks > .home-block").evaluate_all(
        "sections => sections.map(s => s.classList.contains('home-hero') ? 'hero'"
        " : s.classList.contains('home-text') ? 'text' : s.className)"
    )


def _check_blocks(page) -> None:
    """Text first, then the hero, each with what the admin typed; the picture responsive,
    described and loaded; the script shown as text and never run."""
    assert _blocks_in_order(page) == ["text", "hero"]
    text = page.locator(".home-text")
    expect(text.get_by_role("heading", name=TEXT_TITLE)).to_be_visible()
    expect(text).to_contain_text(TEXT)
    expect(text).to_contain_text(SCRIPT)
    hero = page.locator(".home-hero")
    expect(hero.get_by_role("heading", name=HERO_TITLE)).to_be_visible()
    expect(hero).to_contain_text(HERO_TEXT)
    expect(hero.get_by_role("link", name=BUTTON)).to_have_attribute("href", BUTTON_URL)
    image = hero.get_by_role("img", name=ALT)
    expect(image).to_have_attribute("alt", ALT)
    expect(image).to_have_attribute(
        "srcset", re.compile(r"480\.webp 480w, .*960w, .*1200\.webp 1200w")
    )
    image.scroll_into_view_if_needed()  # below the text block: loaded lazily
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    assert page.evaluate("typeof window.pwned") == "undefined"


def test_homepage_composed_previewed_then_published(page, chromium, town_url, town_admin, png):
    public = page  # an anonymous resident, in a context of its own
    admin_context, admin = signed_in(chromium, town_url, ADMIN)

    # 1. The hero: title, text, button, and a picture with its description.
    admin.goto(town_url("/gestion/accueil/"))
    expect(admin.locator("main")).to_contain_text("Rien n'est encore publié")
    _add_block(admin, "Bandeau d'accueil")
    admin.get_by_label("Titre").fill(HERO_TITLE)
    admin.get_by_label("Texte", exact=True).fill(HERO_TEXT)
    admin.get_by_label("Texte du bouton").fill(BUTTON)
    admin.get_by_label("Adresse du bouton").fill(BUTTON_URL)
    admin.get_by_label("Image (facultative)").set_input_files(png)
    admin.get_by_label("Ce que montre l'image").fill(ALT)
    admin.get_by_role("button", name="Ajouter au brouillon").click()
    expect(admin.locator("main")).to_contain_text("Bloc ajouté au brouillon.")

    # 2. A free text, a script among its words.
    _add_block(admin, "Texte libre")
    admin.get_by_label("Titre").fill(TEXT_TITLE)
    admin.get_by_label("Texte", exact=True).fill(f"{TEXT}\n\n{SCRIPT}")
    admin.get_by_role("button", name="Ajouter au brouillon").click()
    expect(admin.locator("main")).to_contain_text("Bloc ajouté au brouillon.")
    assert [(b.kind, b.title) for b in home_blocks(published=False)] == [
        ("hero", HERO_TITLE),
        ("text", TEXT_TITLE),
    ]
    hero = HomeBlock.objects.get(kind="hero", published=False)
    assert hero.image.alt == ALT
    assert hero.image.widths == [480, 960, 1200]

    # 3. The text moves above the hero (a plain form's button).
    admin.get_by_role("button", name=f"Monter {TEXT_TITLE}").click()
    expect(admin.locator("main")).to_contain_text("Bloc déplacé.")
    expect(admin.locator(".home-admin-blocks > li h3")).to_have_text(
        [f"Texte libre — {TEXT_TITLE}", f"Bandeau d'accueil — {HERO_TITLE}"]
    )

    # 4. The preview shows the draft; residents still see the home without blocks.
    admin.get_by_role("link", name="Aperçu du brouillon").click()
    expect(admin.locator(".home-preview")).to_contain_text("Aperçu du brouillon")
    _check_blocks(admin)
    public.goto(town_url("/"))
    expect(public.locator("main")).to_be_visible()
    expect(public.locator("main")).not_to_contain_text(HERO_TITLE)
    expect(public.locator("main")).not_to_contain_text(TEXT_TITLE)
    assert public.locator(".home-block").count() == 0
    assert not HomeBlock.objects.filter(published=True).exists()

    # 5. Publish: the public home is now the draft, in its order.
    admin.get_by_role("link", name="Revenir à la composition").click()
    admin.get_by_role("button", name="Publier le brouillon").click()
    expect(admin.locator("main")).to_contain_text(
        "La page d'accueil publiée est maintenant celle du brouillon."
    )
    expect(admin.locator("main")).to_contain_text("Une version est publiée.")
    public.goto(town_url("/"))
    expect(public.locator(".home-preview")).to_have_count(0)
    _check_blocks(public)
    assert [(b.kind, b.title) for b in home_blocks(published=True)] == [
        ("text", TEXT_TITLE),
        ("hero", HERO_TITLE),
    ]
    # Both copies show the same picture.
    published_hero = HomeBlock.objects.get(kind="hero", published=True)
    assert published_hero.image_id == hero.image_id

    # 6. On a 375-pixel phone, the public home fits the screen.
    assert public.evaluate("window.innerWidth") == 375
    assert public.evaluate(PAGE_WIDER_THAN_SCREEN) <= 0
    admin_context.close()
