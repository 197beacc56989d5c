"""The local setup's e-mails: kept, listed at /courriels/ on every host with their links
clickable; no such page with the test or production settings."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core import mail

from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def local_mail(settings, tmp_path):
    settings.EMAIL_BACKEND = "core.local_mail.KeepingEmailBackend"
    settings.LOCAL_MAIL_DIR = tmp_path / "mail"
    return settings.LOCAL_MAIL_DIR


def test_sent_mails_are_listed_with_clickable_links(local_mail, town_a, platform, capsys):
    link = "http://montigny.agora.localhost:8000/compte/verification/abc/"
    mail.send_mail("Confirmez votre adresse", f"Bonjour,\n\nCliquez : {link}\n", None, ["a@b.fr"])
    mail.send_mail("Un second", "Rien à cliquer.", None, ["c@d.fr"])
    assert len(list(local_mail.glob("*.eml"))) == 2
    assert "Confirmez votre adresse" in capsys.readouterr().out  # still in the worker's log

    for tenant in (town_a, platform):
        page = client_for(tenant).get("/courriels/").content.decode()
        assert page.index("Un second") < page.index("Confirmez votre adresse")  # newest first
        assert f'<a href="{link}"' in page
        assert "a@b.fr" in page


def test_no_mail_page_without_the_local_directory(town_a, platform):
    assert getattr(settings, "LOCAL_MAIL_DIR", None) is None
    for tenant in (town_a, platform):
        assert client_for(tenant).get("/courriels/").status_code == 404


def test_production_settings_keep_no_mail():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(getattr(settings, 'LOCAL_MAIL_DIR', None), settings.EMAIL_BACKEND)"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "0123456789abcdefghij" * 3,  # production refuses a weak key
    }
    env.pop("EMAIL_BACKEND", None)
    env.pop("LOCAL_MAIL_DIR", None)
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["None", "django.core.mail.backends.smtp.EmailBackend"]
