"""A town's data as spreadsheets, in its export: one CSV per table of its schema (UTF-8 with a
BOM, ``;`` between cells: what French spreadsheets open as is), under ``donnees/<app>/``, and
an index a person can open in a browser, without a server. The SQL dump stays the complete,
restorable copy; these files are what a town's staff can read.

Left out: sessions, and the columns that hold secrets (password hashes, API key hashes,
second-factor keys): of no use to the town, and dangerous in a file passed around."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone

from core.exports import csv_file_write
from tenants.models import Tenant

DATA_FOLDER = "donnees"
INDEX_NAME = "index.html"
EXCLUDED_APPS = frozenset({"sessions"})
SECRET_FIELD_NAMES = frozenset({"password", "key", "secret"})
SECRET_FIELD_PARTS = ("hash", "token")
CHUNK_ROWS = 2000


@dataclass(frozen=True)
class TableFile:
    path: str
    app: str
    title: str
    rows: int


def town_models() -> list[type[models.Model]]:
    """The models whose tables live in each town's schema (M2M tables included)."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_config.name in settings.TENANT_APPS
        and model._meta.app_label not in EXCLUDED_APPS
        and model._meta.managed
        and not model._meta.proxy
    ]


def _readable_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if field.name not in SECRET_FIELD_NAMES
        and not any(part in field.name for part in SECRET_FIELD_PARTS)
    ]


def _rows(model: type[models.Model], fields: list[models.Field]):
    yield [f"{field.verbose_name} ({field.attname})" for field in fields]
    yield from (
        model._base_manager.order_by("pk")
        .values_list(*(field.attname for field in fields))
        .iterator(chunk_size=CHUNK_ROWS)
    )


def town_tables_write(folder: Path) -> list[TableFile]:
    """Write every table of the current schema under ``folder/donnees/``: what was written,
    sorted by app and table."""
    written = []
    for model in sorted(town_models(), key=lambda m: (m._meta.app_label, m._meta.model_name)):
        meta = model._meta
        relative = f"{DATA_FOLDER}/{meta.app_label}/{meta.model_name}.csv"
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        rows = csv_file_write(target, _rows(model, _readable_fields(model))) - 1
        written.append(
            TableFile(
                path=relative,
                app=str(meta.app_config.verbose_name),
                title=str(meta.verbose_name_plural),
                rows=rows,
            )
        )
    return written


def export_index_write(
    folder: Path, *, tenant: Tenant, tables: list[TableFile], media_files: int
) -> None:
    """The archive's front page: what each file holds, with links."""
    (folder / INDEX_NAME).write_text(
        render_to_string(
            "onboarding/offboarding_export_index.html",
            {
                "tenant": tenant,
                "tables": tables,
                "media_files": media_files,
                "at": timezone.now(),
                "lang": settings.LANGUAGE_CODE,
            },
        ),
        encoding="utf-8",
    )
