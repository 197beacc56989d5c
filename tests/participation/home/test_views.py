"""The homepage as residents and staff meet it: the back office at /gestion/accueil/ driven by
plain forms, the preview of the draft, the published page and what each block shows."""

import datetime
import html
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image as Pillow

from participation.home import services
from participation.ideas.models import Proposal
from participation.models import HomeBlock
from participation.news.models import NewsPost
from tests.participation.conftest import logged_in
from tests.participation.factories import (
    AdminFactory,
    ComponentFactory,
    ModeratorFactory,
    ParticipantFactory,
    PhaseFactory,
    SpaceFactory,
)

MANAGE = "/gestion/accueil/"


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def admin(in_town_a):
    return AdminFactory()


@pytest.fixture
def browser(admin, town_a):
    client = logged_in(town_a, admin)
    client.admin = admin
    return client


@pytest.mark.parametrize(
    "url",
    [
        MANAGE,
        f"{MANAGE}apercu/",
        f"{MANAGE}nouveau/hero/",
        f"{MANAGE}blocs/1/",
        f"{MANAGE}publier/",
    ],
)
def test_anonymous_visitors_are_sent_to_log_in(in_town_a, town_a, url):
    response = logged_in(town_a).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/")


@pytest.mark.parametrize("factory", [ParticipantFactory, ModeratorFactory])
def test_residents_and_moderators_are_refused(in_town_a, town_a, factory):
    client = logged_in(town_a, factory())
    assert client.get(MANAGE).status_code == 403
    assert client.post(f"{MANAGE}publier/").status_code == 403
    assert client.post(f"{MANAGE}nouveau/figures/", {"title": "x"}).status_code == 403
    assert not HomeBlock.objects.exists()


def test_an_administrator_composes_previews_then_publishes(browser, town_a):
    response = browser.post(MANAGE, {"kind": "hero"})
    assert response["Location"] == f"{MANAGE}nouveau/hero/"
    buffer = io.BytesIO()
    Pillow.new("RGB", (1200, 600), "orange").save(buffer, format="PNG")
    response = browser.post(
        f"{MANAGE}nouveau/hero/",
        {
            "title": "Votre ville, vos idées",
            "text": "Proposez, votez, suivez.",
            "link_label": "Voir les projets",
            "link_url": "/espaces/budget/",
            "image": SimpleUploadedFile("place.png", buffer.getvalue(), "image/png"),
            "image_alt": "La place au coucher du soleil",
        },
    )
    assert response.status_code == 302
    anonymous = logged_in(town_a)
    assert "Votre ville, vos idées" not in text(anonymous.get("/"))  # a draft only

    preview = text(browser.get(f"{MANAGE}apercu/"))
    assert "Aperçu du brouillon" in preview
    assert '<h1 id="home-block-' in preview and "Votre ville, vos idées</h1>" in preview
    assert 'alt="La place au coucher du soleil"' in preview
    assert 'href="/espaces/budget/"' in preview

    browser.post(f"{MANAGE}publier/")
    page = text(anonymous.get("/"))
    assert "Votre ville, vos idées" in page and "Aperçu du brouillon" not in page
    assert "480w" in page and 'sizes="(min-width: 60rem) 58rem, 100vw"' in page


def test_up_and_down_are_buttons_that_work_without_javascript(browser):
    first = services.block_add(actor=browser.admin, kind="figures", title="Premier")
    second = services.block_add(actor=browser.admin, kind="events", title="Second")
    page = text(browser.get(MANAGE))
    assert 'name="direction" value="down"' in page and 'name="direction" value="up"' in page
    response = browser.post(f"{MANAGE}blocs/{second.pk}/deplacer/", {"direction": "up"})
    assert response.status_code == 302
    assert list(HomeBlock.objects.values_list("pk", flat=True)) == [second.pk, first.pk]
    browser.post(f"{MANAGE}blocs/{first.pk}/retirer/")
    assert list(HomeBlock.objects.values_list("pk", flat=True)) == [second.pk]


def test_a_script_in_a_text_block_is_shown_as_text_and_never_runs(browser, town_a):
    block = services.block_add(
        actor=browser.admin,
        kind="text",
        title="<img src=x onerror=alert(1)>",
        text="Bonjour <script>alert('agora')</script>",
    )
    services.homepage_publish(actor=browser.admin)
    page = logged_in(town_a).get("/").content.decode()
    assert "<script>alert('agora')</script>" not in page
    assert "&lt;script&gt;alert(&#x27;agora&#x27;)&lt;/script&gt;" in page
    assert "<img src=x" not in page
    assert block.text == "Bonjour <script>alert('agora')</script>"  # stored as typed, inert


def test_a_refused_hero_picture_is_said_in_french_on_the_form(browser):
    hero = services.block_add(actor=browser.admin, kind="hero", title="Bienvenue")
    response = browser.post(
        f"{MANAGE}blocs/{hero.pk}/",
        {
            "title": "Bienvenue",
            "image": SimpleUploadedFile("x.svg", b"<svg onload='alert(1)'/>", "image/svg+xml"),
            "image_alt": "Logo",
        },
    )
    assert response.status_code == 400
    assert "« x.svg » n'est pas une image PNG, JPEG ou WebP" in text(response)
    hero.refresh_from_db()
    assert hero.image is None


def test_the_blocks_show_what_runs_now_what_comes_and_the_figures(browser, town_a):
    admin = browser.admin
    now = timezone.now()
    space = SpaceFactory(title="Budget participatif")
    ideas = ComponentFactory(space=space, type_key="ideas", title="Vos idées")
    PhaseFactory(
        component=ideas,
        kind="collect",
        starts_at=now - datetime.timedelta(days=2),
        ends_at=now + datetime.timedelta(days=10),
    )
    budgets = ComponentFactory(space=space, type_key="budgets", title="Le vote")
    PhaseFactory(
        component=budgets,
        kind="vote",
        starts_at=now + datetime.timedelta(days=20),
        ends_at=now + datetime.timedelta(days=40),
    )
    news = ComponentFactory(space=space, type_key="news", title="Actualités")
    NewsPost.objects.create(component=news, title="Le jury s'est réuni", body="…", published_at=now)
    author = ParticipantFactory()
    Proposal.objects.create(
        component=ideas,
        title="Un verger",
        description="…",
        author=author,
        latitude="48.770000",
        longitude="2.030000",
    )
    Proposal.objects.create(component=ideas, title="Sans lieu", description="…", author=author)
    for kind in ("consultations", "events", "figures", "map", "news"):
        services.block_add(actor=admin, kind=kind, title=f"Bloc {kind}")
    page = text(browser.get(f"{MANAGE}apercu/"))

    assert "Vos idées" in page and "jusqu'au" in page  # running now, with its deadline
    assert "Ouverture : Vote" in page  # what comes next
    assert "Le jury s'est réuni" in page  # the news module's block
    figures = page[page.index("Bloc figures") : page.index("Bloc map")]
    assert ">1</p><p>participant<" in figures
    assert ">2</p><p>idées déposées<" in figures
    assert ">0</p><p>vote" in figures  # budgets' figure: no ballot yet
    map_block = page[page.index("Bloc map") :]
    assert "1 lieu sur la carte" in map_block  # the town map of every module's places
    assert "Un verger" in map_block and "Sans lieu" not in map_block
    assert "data-town-map" in map_block
