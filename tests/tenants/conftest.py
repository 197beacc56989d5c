"""Helpers the tenants tests share: towns created at once, and a schema's catalogue."""

import functools

from django.db import connection

from tenants.models import Tenant
from tenants.services import town_create
from tests.conftest import run_concurrently


def create_towns_concurrently(slugs: list[str]) -> list[object]:
    """town_create for each slug, all released at once; the results in the same order."""
    return run_concurrently(
        *(
            functools.partial(
                town_create, slug=slug, name=slug, kind=Tenant.Kind.COMMUNE, population=12_000
            )
            for slug in slugs
        )
    )


def schema_catalogue(schema: str) -> dict[str, object]:
    """Everything that makes up a schema, with the schema's own name neutralised: read with the
    schema alone on the search path (its own objects then print unqualified), and the table name
    that pg_get_indexdef always qualifies replaced."""
    # One cursor: django-tenants sets the search path again on every new cursor.
    with connection.cursor() as cursor:

        def _rows(sql: str, params=None) -> list[tuple]:
            cursor.execute(sql, params)
            return cursor.fetchall()

        (saved,) = _rows("SELECT current_setting('search_path')")[0]
        _rows("SELECT set_config('search_path', quote_ident(%s), true)", [schema])
        ns = {"ns": schema}
        relations = _rows(
            "SELECT relname, relkind, relpersistence, reloptions FROM pg_class "
            "WHERE relnamespace = %(ns)s::regnamespace ORDER BY relname",
            ns,
        )
        columns = _rows(
            "SELECT table_name, column_name, data_type, character_maximum_length, "
            "numeric_precision, is_nullable, column_default, is_identity, identity_generation, "
            "identity_start, identity_increment, identity_maximum, identity_minimum, "
            "identity_cycle, is_generated, generation_expression, collation_name "
            "FROM information_schema.columns WHERE table_schema = %(ns)s "
            "ORDER BY table_name, ordinal_position",
            ns,
        )
        attributes = _rows(
            "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
            "a.attidentity, a.attgenerated, pg_get_expr(d.adbin, d.adrelid), a.attcollation, "
            "replace(pg_get_serial_sequence(format('%%I.%%I', %(ns)s, c.relname), a.attname), "
            "%(ns)s || '.', 'SCHEMA.') "
            "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
            "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
            "WHERE c.relnamespace = %(ns)s::regnamespace AND c.relkind = 'r' AND a.attnum > 0 "
            "AND NOT a.attisdropped ORDER BY c.relname, a.attnum",
            ns,
        )
        constraints = _rows(
            "SELECT c.relname, k.conname, k.contype, pg_get_constraintdef(k.oid), "
            "k.condeferrable, k.condeferred, k.convalidated, i.relname "
            "FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid "
            "LEFT JOIN pg_class i ON i.oid = k.conindid "
            "WHERE k.connamespace = %(ns)s::regnamespace ORDER BY c.relname, k.conname",
            ns,
        )
        indexes = [
            (name, table, definition.replace(f" ON {schema}.", " ON SCHEMA."))
            for name, table, definition in _rows(
                "SELECT i.relname, t.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
                "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
                "WHERE i.relnamespace = %(ns)s::regnamespace ORDER BY i.relname",
                ns,
            )
        ]
        sequences = _rows(
            "SELECT sequencename, data_type::text, start_value, min_value, max_value, "
            "increment_by, cycle, cache_size FROM pg_sequences "
            "WHERE schemaname = %(ns)s ORDER BY sequencename",
            ns,
        )
        # Not transactional: what earlier tests drew from the template's sequences stays drawn.
        sequence_values = _rows(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = %(ns)s "
            "ORDER BY sequencename",
            ns,
        )
        comments = _rows(
            "SELECT c.relname, d.objsubid, d.description FROM pg_description d "
            "JOIN pg_class c ON d.classoid = 'pg_class'::regclass AND c.oid = d.objoid "
            "WHERE c.relnamespace = %(ns)s::regnamespace ORDER BY 1, 2",
            ns,
        )
        migrations = _rows(f'SELECT id, app, name FROM "{schema}".django_migrations ORDER BY id')
        _rows("SELECT set_config('search_path', %s, true)", [saved])
    return {
        "relations": relations,
        "columns": columns,
        "attributes": attributes,
        "constraints": constraints,
        "indexes": indexes,
        "sequences": sequences,
        "sequence_values": sequence_values,
        "comments": comments,
        "django_migrations": migrations,
    }
