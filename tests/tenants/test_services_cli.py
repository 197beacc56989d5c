"""`python -m config.services ensure` with a server down: a clear message, exit status 3.
And the validators of what identifies a town."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection

from config.services import UNREACHABLE_EXIT_CODE
from tenants.validators import (
    validate_domain_name,
    validate_insee_code,
    validate_siren,
    validate_town_slug,
)
from tests.conftest import database_url_for

DOWN_DATABASE_URL = "postgresql://agora@127.0.0.1:1/agora"
DOWN_REDIS_URL = "redis://127.0.0.1:1/0"


def _ensure(*, database_url: str, redis_url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url}
    return subprocess.run(
        [sys.executable, "-m", "config.services", "ensure"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_unreachable_exit_code_is_3():
    assert UNREACHABLE_EXIT_CODE == 3


def test_ensure_with_database_down_exits_3_with_a_message(db):
    result = _ensure(database_url=DOWN_DATABASE_URL, redis_url=settings.REDIS_URL)
    assert result.returncode == 3
    assert "injoignable" in result.stderr
    assert "PostgreSQL" in result.stderr
    assert "127.0.0.1:1" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_ensure_with_redis_down_exits_3_with_a_message(db):
    result = _ensure(
        database_url=database_url_for(connection.settings_dict), redis_url=DOWN_REDIS_URL
    )
    assert result.returncode == 3
    assert "injoignable" in result.stderr
    assert "Redis" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_message_never_shows_the_database_password(db):
    result = _ensure(
        database_url="postgresql://agora:motdepasse-secret@127.0.0.1:1/agora",
        redis_url=settings.REDIS_URL,
    )
    assert result.returncode == 3
    assert "motdepasse-secret" not in result.stderr


def test_ensure_with_both_servers_up_prints_exports(db):
    database_url = database_url_for(connection.settings_dict)
    result = _ensure(database_url=database_url, redis_url=settings.REDIS_URL)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith("export DATABASE_URL=")
    assert result.stdout.splitlines()[1].startswith("export REDIS_URL=")
    assert settings.REDIS_URL in result.stdout


# Validators -----------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", ["montigny", "saint-ouen-2", "a", "a1", "x" * 40, "gt-pg"])
def test_valid_slugs(slug):
    validate_town_slug(slug)


@pytest.mark.parametrize(
    ("slug", "code"),
    [
        ("Montigny", "slug_invalid"),
        ("../x", "slug_invalid"),
        ("-abc", "slug_invalid"),
        ("abc-", "slug_invalid"),
        ("a_b", "slug_invalid"),
        ("é", "slug_invalid"),
        ("", "slug_invalid"),
        ("a.b", "slug_invalid"),
        ("x" * 41, "slug_too_long"),
        ("x" * 80, "slug_too_long"),
        ("www", "slug_reserved"),
        ("api", "slug_reserved"),
        ("public", "slug_reserved"),
        ("template", "slug_reserved"),
        ("pg-catalog", "slug_reserved"),
        ("pgtoast", "slug_reserved"),
    ],
)
def test_invalid_slugs(slug, code):
    with pytest.raises(ValidationError) as excinfo:
        validate_town_slug(slug)
    assert excinfo.value.code == code
    assert "identifiant" in excinfo.value.messages[0]


@pytest.mark.parametrize("code", ["", "78423", "2A004", "2B033", "97411"])
def test_valid_insee_codes(code):
    validate_insee_code(code)


@pytest.mark.parametrize("code", ["7842", "784230", "ABCDE", "2C004", "2a004", " 78423"])
def test_invalid_insee_codes(code):
    with pytest.raises(ValidationError, match="INSEE"):
        validate_insee_code(code)


@pytest.mark.parametrize("siren", ["", "552100554", "732829320", "200054781", "123456782"])
def test_valid_sirens(siren):
    validate_siren(siren)


@pytest.mark.parametrize(
    "siren", ["123456789", "552100555", "55210055", "5521005540", "55210055A", "552 100 554"]
)
def test_invalid_sirens(siren):
    with pytest.raises(ValidationError, match="SIREN"):
        validate_siren(siren)


@pytest.mark.parametrize("domain", ["participation.montigny.fr", "ville-a.localhost", "a-b.co"])
def test_valid_domain_names(domain):
    validate_domain_name(domain)


@pytest.mark.parametrize(
    "domain", ["localhost", "pas un domaine", "-x.fr", "x-.fr", "MAJ.fr", "a..fr", "http://x.fr"]
)
def test_invalid_domain_names(domain):
    with pytest.raises(ValidationError, match="nom de domaine"):
        validate_domain_name(domain)
