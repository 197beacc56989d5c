"""How `migrate_schemas` migrates the towns: in parallel, skipping the up-to-date schemas, and
keeping the template schema (the one new towns are cloned from) migrated with them.

django-tenants' own executors run Django's full `migrate` in every schema, which costs about
a second each even when nothing is pending: hours at thousands of towns (django-tenants #719,
#1082). Reading each schema's django_migrations table tells in milliseconds which ones have
something to apply.
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django_tenants.migration_executors.base import run_migrations
from django_tenants.migration_executors.multiproc import MultiprocessingExecutor
from django_tenants.utils import get_public_schema_name, schema_exists


def template_schema_name() -> str:
    return settings.TENANT_BASE_SCHEMA


def expected_migrations() -> set[tuple[str, str]]:
    """Every migration on disk: Django records each one in every schema, applied or routed away."""
    return set(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def pending_schemas(schema_names: list[str]) -> list[str]:
    """The schemas, among these, whose django_migrations lacks a migration that is on disk."""
    expected = expected_migrations()
    pending = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_schema FROM information_schema.tables "
            "WHERE table_name = 'django_migrations' AND table_schema = ANY(%s)",
            [schema_names],
        )
        with_table = {row[0] for row in cursor.fetchall()}
        for schema_name in schema_names:
            if schema_name not in with_table:
                pending.append(schema_name)
                continue
            table = f"{connection.ops.quote_name(schema_name)}.django_migrations"
            cursor.execute(f"SELECT app, name FROM {table}")  # noqa: S608 (quoted identifier)
            if not expected <= set(cursor.fetchall()):
                pending.append(schema_name)
    return pending


def ensure_template_schema() -> None:
    name = template_schema_name()
    if not schema_exists(name):
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{name}"')


class TownMigrationExecutor(MultiprocessingExecutor):
    codename = "agora"

    def run_migrations(self, tenants=None):
        tenants = list(tenants or [])
        public = get_public_schema_name()
        if tenants == [public]:  # django-tenants migrates the public schema in a call of its own
            run_migrations(self.args, self.options, self.codename, public)
            return
        if not self.options.get("schema_name"):  # every town, so the template too
            ensure_template_schema()
            tenants.insert(0, template_schema_name())
        if self.is_plain_forward_migration():
            skipped = len(tenants)
            tenants = pending_schemas(tenants)
            skipped -= len(tenants)
            if skipped and int(self.options.get("verbosity", 1)) >= 1:
                sys.stdout.write(f"[agora] {skipped} schéma(s) déjà à jour, ignoré(s).\n")
        if len(tenants) == 1:
            run_migrations(self.args, self.options, self.codename, tenants[0])
        elif tenants:
            super().run_migrations(tenants=tenants)

    def is_plain_forward_migration(self) -> bool:
        return not (
            self.args
            or self.options.get("app_label")
            or self.options.get("migration_name")
            or self.options.get("fake")
            or self.options.get("fake_initial")
            or self.options.get("plan")
            or self.options.get("check_unapplied")
        )


def get_executor(codename=None):
    return TownMigrationExecutor
