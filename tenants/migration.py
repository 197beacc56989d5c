"""How `migrate_schemas` migrates the towns: in parallel, skipping the up-to-date schemas, and
keeping the template schema (the one new towns are cloned from) migrated with them.

django-tenants' own executors run Django's full `migrate` in every schema, which costs about
a second each even when nothing is pending: hours at thousands of towns (django-tenants #719,
#1082). Reading each schema's django_migrations table tells in milliseconds which ones have
something to apply.

Spare schemas (tenants.spares) are never migrated, even when named: once the template has
moved on, they are outdated and dropped (here, after a full run) then cloned again by
``spare_schemas_refill``.
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
    """The schemas, among these, whose django_migrations lacks a migration that is on disk
    (spare schemas left out)."""
    from .spares import is_spare_schema

    schema_names = [name for name in schema_names if not is_spare_schema(name)]
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
        from .spares import is_spare_schema

        tenants = [name for name in tenants or [] if not is_spare_schema(name)]
        public = get_public_schema_name()
        if tenants == [public]:  # django-tenants migrates the public schema in a call of its own
            run_migrations(self.args, self.options, self.codename, public)
            return
        every_town = not self.options.get("schema_name")
        if every_town:  # so the template too
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
        if every_town:
            self.drop_outdated_spares()

    def drop_outdated_spares(self) -> None:
        """Spares cloned before the template's migrations would give new towns an old schema;
        town_create already ignores them, drop them now (spare_schemas_refill clones anew)."""
        from django.db import transaction

        from .spares import spare_schemas_drop_outdated

        connection.set_schema_to_public()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT to_regclass('public.tenants_spareschema') IS NOT NULL "
                "AND to_regclass(%s) IS NOT NULL",
                [f"{connection.ops.quote_name(template_schema_name())}.django_migrations"],
            )
            if not cursor.fetchone()[0]:  # before the first migrations
                return
        with transaction.atomic():
            dropped = spare_schemas_drop_outdated()
        if dropped and int(self.options.get("verbosity", 1)) >= 1:
            sys.stdout.write(f"[agora] {dropped} schéma(s) de réserve dépassé(s) supprimé(s).\n")

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
