"""`migrate_schemas` skips up-to-date schemas by reading their django_migrations tables."""

import re

from django.core.management import call_command
from django.db import connection

from tenants.migration import expected_migrations, pending_schemas, template_schema_name

TOWN_SCHEMAS = ["ville_a", "ville_b"]


def _execute(sql: str, params=None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_template_and_towns_are_up_to_date(db):
    assert template_schema_name() == "agora_template"
    assert pending_schemas([template_schema_name(), *TOWN_SCHEMAS]) == []


def test_expected_migrations_include_shared_and_town_apps(db):
    apps = {app for app, _name in expected_migrations()}
    assert {"tenants", "accounts", "theming", "sessions"} <= apps


def test_schema_missing_one_migration_is_the_only_one_pending(db):
    _execute(
        "DELETE FROM ville_a.django_migrations "
        "WHERE id = (SELECT max(id) FROM ville_a.django_migrations WHERE app = 'theming')"
    )
    assert pending_schemas([template_schema_name(), *TOWN_SCHEMAS]) == ["ville_a"]


def test_pending_schemas_keeps_the_order_it_was_given(db):
    for schema in ("ville_b", "ville_a"):
        _execute(f"DELETE FROM {schema}.django_migrations WHERE app = 'accounts'")
    assert pending_schemas(["ville_b", template_schema_name(), "ville_a"]) == [
        "ville_b",
        "ville_a",
    ]


def test_schema_without_django_migrations_table_is_pending(db):
    _execute('CREATE SCHEMA "sans_migrations"')
    assert pending_schemas(["ville_a", "sans_migrations", "ville_b"]) == ["sans_migrations"]


def test_no_schema_means_nothing_pending(db):
    assert pending_schemas([]) == []


def test_schema_that_does_not_exist_is_pending(db):
    assert pending_schemas(["schema_absent"]) == ["schema_absent"]


def test_extra_rows_in_django_migrations_do_not_make_a_schema_pending(db):
    _execute(
        "INSERT INTO ville_b.django_migrations (app, name, applied) "
        "VALUES ('ancienne_app', '0001_initial', now())"
    )
    assert pending_schemas(TOWN_SCHEMAS) == []


def test_migrate_schemas_reports_up_to_date_schemas_as_skipped(db, capsys):
    call_command("migrate_schemas", "--noinput")
    out = capsys.readouterr().out
    match = re.search(r"\[agora\] (\d+) schéma\(s\) déjà à jour, ignoré\(s\)", out)
    assert match, out
    assert int(match.group(1)) >= 3  # the template and the two test towns
    assert "ville_a" not in out  # no `migrate` was run in a town's schema
    assert connection.schema_name == "public"


def test_migrate_schemas_migrates_only_the_pending_schema(db, capsys):
    # billing is a public-schema app that no migration depends on: in a town's schema
    # `migrate` only records its migrations again.
    _execute("DELETE FROM ville_a.django_migrations WHERE app = 'billing'")
    assert pending_schemas(TOWN_SCHEMAS) == ["ville_a"]
    call_command("migrate_schemas", "--noinput")
    out = capsys.readouterr().out
    assert re.search(r"\[agora\] \d+ schéma\(s\) déjà à jour", out), out
    assert "ville_a" in out
    assert "ville_b" not in out
    assert pending_schemas(TOWN_SCHEMAS) == []
