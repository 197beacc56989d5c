"""Security headers on every answer (the unknown host's 404 included), no-store on private
pages, nosniff on media, and production settings that pass `check --deploy` and are chosen
when DJANGO_SETTINGS_MODULE is missing."""

import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django_tenants.utils import tenant_context

from tests.conftest import client_for, console_client_for
from tests.participation.factories import AdminFactory, ParticipantFactory
from theming.services import theme_update

LONG_KEY = "k3y-" + "abcdefghij" * 6


def _directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def test_town_pages_get_a_strict_csp_and_no_inline_script_or_style(town_a):
    with tenant_context(town_a):
        theme_update(primary_colour="#1d4ed8", accent_colour="#b45309")
    response = client_for(town_a).get("/")
    assert response.status_code == 200
    directives = _directives(response)
    assert directives["script-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["style-src"][0] == "'self'"
    html = response.content.decode()
    # The theme's tokens come as a stylesheet of our own origin, not an inline <style>.
    assert '<link rel="stylesheet" href="/theme.css?v=' in html
    assert "<style" not in html
    # No inline script: every <script> names its file.
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", html))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_the_map_tiles_server_is_allowed_for_images_when_set():
    from config.settings.base import _origin

    assert _origin("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png") == [
        "https://*.tile.openstreetmap.org"
    ]
    assert _origin("") == []


@pytest.mark.parametrize("host", ["inconnue.example.org", "ville-zz.localhost"])
def test_the_unknown_host_404_carries_the_security_headers(db, host):
    response = Client(HTTP_HOST=host).get("/")
    assert response.status_code == 404
    assert _directives(response)["script-src"] == ["'self'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_private_pages_and_exports_are_not_stored(town_a, vendor_staff):
    console = console_client_for(vendor_staff)  # first: the town's requests leave its schema on
    with tenant_context(town_a):
        resident, admin = ParticipantFactory(), AdminFactory()
    page, back_office = client_for(town_a), client_for(town_a)
    with tenant_context(town_a):
        page.force_login(resident)
        back_office.force_login(admin)
    for path in ("/mes-donnees/", "/mes-donnees/export/", "/mon-profil/", "/compte/"):
        response = page.get(path)
        assert response.status_code == 200, path
        assert "no-store" in response["Cache-Control"], path
    assert "no-store" in back_office.get("/gestion/")["Cache-Control"]
    assert "no-store" in console.get("/")["Cache-Control"]
    # Public pages stay cacheable by the browser.
    assert "no-store" not in page.get("/").get("Cache-Control", "")


def test_media_files_are_served_with_nosniff(town_a):
    with tenant_context(town_a):
        name = default_storage.save("documents/note.txt", ContentFile(b"<html>pas du HTML</html>"))
    try:
        response = client_for(town_a).get(f"/media/{town_a.schema_name}/{name}")
        assert response.status_code == 200
        assert response["X-Content-Type-Options"] == "nosniff"
    finally:
        with tenant_context(town_a):
            default_storage.delete(name)


def test_nginx_serves_media_with_nosniff():
    conf = (settings.BASE_DIR / "deploy" / "nginx" / "agora.conf").read_text()
    media = conf[conf.index("location /media/") :]
    media = media[: media.index("}")]
    assert re.search(r"add_header\s+X-Content-Type-Options\s+nosniff\s+always;", media)


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Not the test run's settings module, nor the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE
    # (which check --deploy rightly refuses).
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**environment, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_production_settings():
    done = _manage(
        "check",
        "--deploy",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=LONG_KEY,
    )
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout


@pytest.mark.parametrize("key", ["court", "a" * 60, "django-insecure-" + "x1y2z3" * 10])
def test_production_refuses_a_weak_secret_key(key):
    done = _manage("check", DJANGO_SETTINGS_MODULE="config.settings.production", SECRET_KEY=key)
    assert done.returncode != 0
    assert "SECRET_KEY must be at least 50 characters" in done.stderr


def test_no_settings_module_means_production():
    shown = "from django.conf import settings as s; print(s.SETTINGS_MODULE, s.DEBUG)"
    done = _manage("shell", "-c", shown, SECRET_KEY=LONG_KEY)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "config.settings.production False"
    without_key = _manage("check", SECRET_KEY="")
    assert without_key.returncode != 0
