"""The theme's design tokens (font, corners, colours) served as a stylesheet, the town's icon,
the meta description, and the back office's style guide."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from core.errors import Invalid
from participation.templatetags.participation_tags import phase_steps
from tests.conftest import client_for, console_client_for
from tests.participation.conftest import logged_in, make_user
from tests.participation.factories import ComponentFactory, PhaseFactory, SpaceFactory
from tests.theming.files import PNG, upload
from theming.models import SiteTheme
from theming.presets import PRESETS
from theming.services import theme_apply_preset, theme_update

COLOURS = {"primary_colour": "#0b5394", "accent_colour": "#a14400"}


@pytest.fixture(autouse=True)
def no_cached_pages():
    """Anonymous pages are cached (core.caching): each test reads fresh ones."""
    cache.clear()


# The theme's font and corners


def test_font_and_corners_are_saved_and_kept_when_not_given(in_town_a):
    theme_update(**COLOURS, font="atkinson", radius="round")
    theme = theme_update(**COLOURS, tagline="Ensemble")
    assert (theme.font, theme.radius) == ("atkinson", "round")


@pytest.mark.parametrize(("field", "value"), [("font", "comic-sans"), ("radius", "pointy")])
def test_a_font_or_corner_not_offered_is_refused_in_words(in_town_a, field, value):
    with pytest.raises(Invalid) as refused:
        theme_update(**COLOURS, **{field: value})
    assert refused.value.field == field
    assert value in str(refused.value)
    assert not SiteTheme.objects.exists()


def test_a_preset_gives_its_font_and_corners(in_town_a):
    theme = theme_apply_preset(key="vert")
    assert (theme.font, theme.radius) == (PRESETS["vert"].font, PRESETS["vert"].radius)


def test_the_theme_form_saves_the_font_and_corners(in_town_a, town_a):
    from tests.participation.factories import AdminFactory

    client = logged_in(town_a, AdminFactory())
    response = client.post(
        "/gestion/site/theme/", {**COLOURS, "font": "lexend", "radius": "square"}
    )
    assert response.status_code == 302
    theme = SiteTheme.objects.get()
    assert (theme.font, theme.radius) == ("lexend", "square")


# The stylesheet of tokens


def test_the_town_stylesheet_carries_its_tokens_and_is_cached_by_version(in_town_a, town_a):
    theme = theme_update(**COLOURS, font="atkinson", radius="square")
    page = client_for(town_a).get("/").content.decode()
    version = int(theme.updated_at.timestamp())
    assert f'href="/theme.css?v={version}"' in page
    assert "<style" not in page

    response = client_for(town_a).get(f"/theme.css?v={version}")
    css = response.content.decode()
    assert response["Content-Type"].startswith("text/css")
    assert "--primary: #0b5394;" in css and "--accent: #a14400;" in css
    assert '--font: "Atkinson Hyperlegible"' in css and "--radius: 0;" in css
    assert "max-age=31536000" in response["Cache-Control"]
    assert "max-age=300" in client_for(town_a).get("/theme.css")["Cache-Control"]


def test_a_town_without_a_saved_theme_uses_the_stylesheet_defaults(in_town_a, town_a):
    page = client_for(town_a).get("/").content.decode()
    assert "/theme.css" not in page


# Icons


def test_the_town_icon_is_its_initial_on_its_colour_until_it_has_a_logo(in_town_a, town_a):
    theme_update(**COLOURS)
    for path in ("/favicon.svg", "/favicon.ico"):
        response = client_for(town_a).get(path)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/svg+xml"
        svg = response.content.decode()
        assert 'fill="#0b5394"' in svg and f">{town_a.name[0].upper()}</text>" in svg

    theme = theme_update(**COLOURS, logo=upload("logo.png", PNG))
    response = client_for(town_a).get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == theme.logo.url
    home = client_for(town_a).get("/").content.decode()
    assert f'<link rel="icon" href="{theme.logo.url}">' in home


def test_the_console_has_an_icon_too(platform, vendor_staff):
    response = console_client_for(vendor_staff).get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/favicon.svg"
    assert "/static/favicon.svg" in console_client_for(vendor_staff).get("/").content.decode()


# Meta description


def test_pages_describe_themselves(in_town_a, town_a):
    theme_update(**COLOURS, tagline="Votre ville, vos idées")
    space = SpaceFactory(summary="Comment voulez-vous vous déplacer demain ?")
    home = client_for(town_a).get("/").content.decode()
    assert '<meta name="description" content="Votre ville, vos idées">' in home
    page = client_for(town_a).get(f"/espaces/{space.slug}/").content.decode()
    assert '<meta name="description" content="Comment voulez-vous vous déplacer demain ?">' in page


# Phase timeline


def test_the_timeline_tells_past_current_and_next_phases(in_town_a):
    component = ComponentFactory()
    now = timezone.now()
    day = datetime.timedelta(days=1)
    for start, end in ((-20, -10), (-10, 5), (5, 30)):
        PhaseFactory(component=component, starts_at=now + start * day, ends_at=now + end * day)
    assert [step.state for step in phase_steps(component)] == ["past", "current", "next"]


# Style guide


@pytest.mark.parametrize(("role", "status"), [("anonymous", 302), ("citizen", 403)])
def test_the_style_guide_is_for_staff_only(in_town_a, town_a, role, status):
    client = client_for(town_a) if role == "anonymous" else logged_in(town_a, make_user(role))
    assert client.get("/gestion/style/").status_code == status


def test_the_style_guide_shows_every_component_in_the_town_theme(in_town_a, town_a):
    theme = theme_update(**COLOURS)
    response = logged_in(town_a, make_user("moderator")).get("/gestion/style/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"/theme.css?v={int(theme.updated_at.timestamp())}" in html
    for marker in (
        'class="button"',
        'class="danger"',
        "disabled",
        'class="card-media"',
        "badge-running",
        'aria-current="step"',
        'class="progress"',
        "alert-error",
        'class="tabs"',
        'class="pagination"',
        'class="table-scroll"',
        'type="radio"',
        'type="checkbox"',
        'class="icon"',
    ):
        assert marker in html, marker
