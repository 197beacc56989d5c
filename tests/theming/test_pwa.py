"""Installable on a phone: each town's manifest and icons, its service worker and offline page."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django_tenants.utils import tenant_context
from PIL import Image

from tests.conftest import client_for
from theming.selectors import site_theme_forget
from theming.services import theme_update


def test_manifest_names_the_town_with_its_colours_and_icons(town_a):
    with tenant_context(town_a):
        theme_update(primary_colour="#7a1f3d", accent_colour="#1d4ed8")
    response = client_for(town_a).get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == "Ville A"
    assert manifest["short_name"] == "Ville A"
    assert manifest["theme_color"] == "#7a1f3d"
    assert manifest["start_url"] == "/"
    assert manifest["display"] == "standalone"
    assert [(icon["src"], icon["sizes"]) for icon in manifest["icons"]] == [
        ("/icone-192.png", "192x192"),
        ("/icone-512.png", "512x512"),
    ]


def test_icon_is_a_monogram_in_the_primary_colour_then_the_logo(town_a):
    client = client_for(town_a)
    with tenant_context(town_a):
        theme_update(primary_colour="#7a1f3d", accent_colour="#1d4ed8")
    for size in (192, 512):
        response = client.get(f"/icone-{size}.png")
        assert response["Content-Type"] == "image/png"
        image = Image.open(io.BytesIO(response.content))
        assert image.size == (size, size)
        assert image.getpixel((2, 2)) == (0x7A, 0x1F, 0x3D)
        assert (255, 255, 255) in {colour for _count, colour in image.getcolors(size * size)}

    logo = Image.new("RGB", (300, 100), (0, 128, 0))
    buffer = io.BytesIO()
    logo.save(buffer, format="PNG")
    with tenant_context(town_a):
        theme_update(
            primary_colour="#7a1f3d",
            accent_colour="#1d4ed8",
            logo=SimpleUploadedFile("logo.png", buffer.getvalue(), "image/png"),
        )
        site_theme_forget()
    image = Image.open(io.BytesIO(client.get("/icone-192.png").content))
    assert image.getpixel((2, 2)) == (255, 255, 255)  # margin around the logo
    assert image.getpixel((96, 96)) == (0, 128, 0)

    assert client.get("/icone-64.png").status_code == 404


def test_service_worker_from_the_root_never_caching_private_pages(town_a):
    response = client_for(town_a).get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript; charset=utf-8"
    assert "no-cache" in response["Cache-Control"]
    script = response.content.decode()
    assert 'const OFFLINE_URL = "/hors-ligne/";' in script
    for prefix in ("/gestion/", "/mes-donnees/", "/mon-profil/", "/compte/"):
        assert f'"{prefix}"' in script
    assert 'request.method !== "GET"' in script  # POSTs pass through, never cached
    assert "&quot;" not in script
    version = script.split("const VERSION = ", 1)[1].split(";", 1)[0]
    assert (
        version
        == client_for(town_a)
        .get("/sw.js")
        .content.decode()
        .split("const VERSION = ", 1)[1]
        .split(";", 1)[0]
    )


def test_offline_page_and_the_head_links(town_a):
    html = client_for(town_a).get("/hors-ligne/").content.decode()
    assert "Vous êtes hors ligne" in html
    with tenant_context(town_a):
        head = render_to_string("pwa/head.html", {"town": town_a})
    assert '<link rel="manifest" href="/manifest.webmanifest">' in head
    assert 'data-service-worker="/sw.js"' in head
    assert render_to_string("pwa/head.html", {"town": None}).strip() == ""  # not the console


def test_english_offline_page(town_a):
    html = client_for(town_a).get("/hors-ligne/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You are offline" in html
