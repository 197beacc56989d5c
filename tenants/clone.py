"""Cloning the template schema fast: its DDL is read from the catalogue once per process (and per
migration state of the template), then replayed for each new town.

django-tenants' generic ``clone_schema()`` PL/pgSQL function rediscovers the template through
``information_schema`` on every clone (views that scan every schema of the database), which
costs about as much as running the migrations. Here, :func:`template_ddl` reads the template's
tables, columns, identity and other sequences, defaults, constraints, indexes and comments from
``pg_catalog`` with ``search_path`` set to the template alone, so that PostgreSQL's own deparsers
(``pg_get_constraintdef``, ``pg_get_indexdef``, ``pg_get_expr``, ``format_type``) print the
template's own objects unqualified and everything else (``public.django_content_type``...)
qualified. The statements are replayed with ``search_path`` set to the new schema alone; no
schema name is ever substituted in deparsed text (the one rewrite, the table name at the head of
``pg_get_indexdef``'s output, is checked against the exact expected prefix).

The DDL is cached under a digest of the template's ``django_migrations`` rows: applying (or
unapplying) a migration to the template changes the digest and the DDL is read afresh.

The rows of the template (``django_migrations`` and whatever data migrations wrote) are copied
with ``INSERT ... SELECT`` before the constraints are added, and every sequence is set to the
template's value.

Anything the extraction does not know how to reproduce exactly (views, functions, triggers,
custom types, partitions, policies, grants, ...) raises :class:`UnsupportedTemplate`; the caller
then falls back on django-tenants' generic clone.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass

from django.db import connection, transaction

_RELOPTION = re.compile(r"^[a-z_][a-z0-9_.]*=[A-Za-z0-9_.\-]+$")


class UnsupportedTemplate(Exception):
    """The template holds something this clone cannot reproduce exactly; the message says what."""


def ident(name: str) -> str:
    """A PostgreSQL identifier, always quoted (safe for any content)."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A PostgreSQL string literal (standard_conforming_strings is on since PostgreSQL 9.1)."""
    return "'" + text.replace("'", "''") + "'"


@dataclass(frozen=True)
class TemplateDDL:
    state: str
    create: tuple[str, ...]
    """Sequences, tables (columns, defaults, identity, NOT NULL, primary key, unique and check
    constraints), comments: before the rows."""
    finish: tuple[str, ...]
    """Exclusion and NOT VALID constraints, indexes, foreign keys, OWNED BY: after the rows."""
    tables: tuple[tuple[str, str], ...]
    """(quoted table, quoted column list of its non-generated columns) for copying rows."""
    sequences: tuple[str, ...]
    """Quoted names of every sequence (identity or not), to copy their values."""


_cache: dict[tuple[str, str], TemplateDDL] = {}
_lock = threading.Lock()


def forget() -> None:
    """Drop every cached DDL (tests; a template changed by hand without a migration)."""
    with _lock:
        _cache.clear()


def template_state(cursor, template: str) -> str:
    """A digest of the template's applied migrations: what the cached DDL is keyed on."""
    table = f"{ident(template)}.django_migrations"
    rows = "concat_ws(' ', id, app, name, applied)"
    cursor.execute(f"SELECT coalesce(string_agg({rows}, E'\\n' ORDER BY id), '') FROM {table}")  # noqa: S608
    return hashlib.sha256(cursor.fetchone()[0].encode()).hexdigest()


def template_ddl(template: str) -> TemplateDDL:
    """The template's DDL, from the cache when the template's migrations have not changed.

    The extraction runs in a savepoint of its own (``search_path`` is changed locally).
    """
    key = (connection.settings_dict["NAME"], template)
    with connection.cursor() as cursor:
        state = template_state(cursor, template)
    cached = _cache.get(key)
    if cached is not None and cached.state == state:
        return cached
    with transaction.atomic(), connection.cursor() as cursor:
        ddl = _extract(cursor, template, state)
    with _lock:
        _cache[key] = ddl
    return ddl


# --- extraction ----------------------------------------------------------------------------

_UNSUPPORTED = r"""
SELECT 'relation ' || relname || ' of kind ' || relkind::text FROM pg_class
 WHERE relnamespace = %(ns)s AND relkind NOT IN ('r', 'S', 'i')
UNION ALL SELECT 'inheritance or partition: ' || c.relname FROM pg_inherits i
  JOIN pg_class c ON c.oid = i.inhrelid OR c.oid = i.inhparent WHERE c.relnamespace = %(ns)s
UNION ALL SELECT 'tablespace, grants, row security or replica identity on ' || relname
  FROM pg_class WHERE relnamespace = %(ns)s AND (reltablespace <> 0 OR relacl IS NOT NULL
  OR relrowsecurity OR (relkind = 'r' AND relreplident <> 'd') OR relpersistence = 't')
UNION ALL SELECT 'type ' || typname FROM pg_type t WHERE typnamespace = %(ns)s AND typrelid = 0
  AND NOT EXISTS (SELECT 1 FROM pg_type e WHERE e.oid = t.typelem AND e.typrelid <> 0)
UNION ALL SELECT 'function ' || proname FROM pg_proc WHERE pronamespace = %(ns)s
UNION ALL SELECT 'trigger ' || tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
 WHERE c.relnamespace = %(ns)s AND NOT t.tgisinternal
UNION ALL SELECT 'rule ' || rulename FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class
 WHERE c.relnamespace = %(ns)s
UNION ALL SELECT 'policy ' || polname FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
 WHERE c.relnamespace = %(ns)s
UNION ALL SELECT 'statistics ' || stxname FROM pg_statistic_ext WHERE stxnamespace = %(ns)s
UNION ALL SELECT 'collation ' || collname FROM pg_collation WHERE collnamespace = %(ns)s
UNION ALL SELECT 'conversion ' || conname FROM pg_conversion WHERE connamespace = %(ns)s
UNION ALL SELECT 'operator ' || oprname FROM pg_operator WHERE oprnamespace = %(ns)s
UNION ALL SELECT 'operator class ' || opcname FROM pg_opclass WHERE opcnamespace = %(ns)s
UNION ALL SELECT 'operator family ' || opfname FROM pg_opfamily WHERE opfnamespace = %(ns)s
UNION ALL SELECT 'text search configuration ' || cfgname FROM pg_ts_config
 WHERE cfgnamespace = %(ns)s
UNION ALL SELECT 'text search dictionary ' || dictname FROM pg_ts_dict
 WHERE dictnamespace = %(ns)s
UNION ALL SELECT 'text search parser ' || prsname FROM pg_ts_parser WHERE prsnamespace = %(ns)s
UNION ALL SELECT 'text search template ' || tmplname FROM pg_ts_template
 WHERE tmplnamespace = %(ns)s
UNION ALL SELECT 'extension ' || extname FROM pg_extension WHERE extnamespace = %(ns)s
UNION ALL SELECT 'constraint ' || conname || ' of type ' || contype::text FROM pg_constraint
 WHERE connamespace = %(ns)s AND (contype NOT IN ('p', 'u', 'c', 'f', 'x', 'n')
  OR NOT conislocal OR (contype = 'n' AND (NOT convalidated OR connoinherit)))
UNION ALL SELECT 'comment on constraint ' || k.conname FROM pg_description d
  JOIN pg_constraint k ON d.classoid = 'pg_constraint'::regclass AND d.objoid = k.oid
 WHERE k.connamespace = %(ns)s
UNION ALL SELECT 'column options on ' || c.relname || '.' || a.attname FROM pg_attribute a
  JOIN pg_class c ON c.oid = a.attrelid JOIN pg_type t ON t.oid = a.atttypid
 WHERE c.relnamespace = %(ns)s AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
  -- Some server builds stamp every new column with a pg_attver option of their own: the
  -- clone's columns get it from the server too, so it is not an option to copy.
  AND (EXISTS (SELECT FROM unnest(a.attoptions) AS option WHERE option NOT LIKE 'pg\_attver=%%')
   OR a.attacl IS NOT NULL OR a.attfdwoptions IS NOT NULL
   OR coalesce(a.attstattarget::int, -1) <> -1 OR a.attstorage <> t.typstorage
   OR a.attcompression IN ('p', 'l'))
UNION ALL SELECT 'index state of ' || c.relname FROM pg_index i
  JOIN pg_class c ON c.oid = i.indexrelid
 WHERE c.relnamespace = %(ns)s AND (NOT i.indisvalid OR NOT i.indisready OR i.indisclustered
  OR i.indisreplident)
UNION ALL SELECT 'sequence ' || c.relname || ' owned by a table of another schema'
  FROM pg_class c JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
  AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
  JOIN pg_class t ON t.oid = d.refobjid
 WHERE c.relnamespace = %(ns)s AND c.relkind = 'S' AND t.relnamespace <> %(ns)s
"""

_SEQUENCES = """
SELECT c.oid, quote_ident(c.relname), format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement,
       s.seqmin, s.seqmax, s.seqcache, s.seqcycle, c.relpersistence, d.deptype,
       quote_ident(t.relname), quote_ident(a.attname), d.refobjid, d.refobjsubid
  FROM pg_class c JOIN pg_sequence s ON s.seqrelid = c.oid
  LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
   AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0
  LEFT JOIN pg_class t ON t.oid = d.refobjid
  LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
 WHERE c.relnamespace = %(ns)s AND c.relkind = 'S'
 ORDER BY c.oid
"""

_TABLES = """
SELECT c.oid, quote_ident(c.relname), c.relpersistence, c.reloptions
  FROM pg_class c WHERE c.relnamespace = %(ns)s AND c.relkind = 'r' ORDER BY c.oid
"""

_COLUMNS = """
SELECT a.attrelid, a.attnum, quote_ident(a.attname), format_type(a.atttypid, a.atttypmod),
       a.attnotnull, a.attidentity, a.attgenerated, pg_get_expr(ad.adbin, ad.adrelid),
       CASE WHEN a.attcollation <> t.typcollation
            THEN quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END,
       (SELECT quote_ident(k.conname) FROM pg_constraint k
         WHERE k.conrelid = a.attrelid AND k.contype = 'n' AND k.conkey[1] = a.attnum)
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_type t ON t.oid = a.atttypid
  LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
  LEFT JOIN pg_collation co ON co.oid = a.attcollation
  LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
 WHERE c.relnamespace = %(ns)s AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
 ORDER BY c.oid, a.attnum
"""

_CONSTRAINTS = """
SELECT quote_ident(c.relname), quote_ident(k.conname), k.contype, pg_get_constraintdef(k.oid)
  FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
 WHERE c.relnamespace = %(ns)s AND k.contype IN ('p', 'u', 'c', 'x', 'f')
 ORDER BY CASE k.contype WHEN 'p' THEN 0 WHEN 'u' THEN 1 WHEN 'x' THEN 2 WHEN 'c' THEN 3
          ELSE 4 END, k.oid
"""

_INDEXES = """
SELECT quote_ident(ic.relname), quote_ident(tc.relname), quote_ident(n.nspname), i.indisunique,
       pg_get_indexdef(i.indexrelid)
  FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class tc ON tc.oid = i.indrelid
  JOIN pg_namespace n ON n.oid = tc.relnamespace
 WHERE ic.relnamespace = %(ns)s AND NOT EXISTS (
       SELECT 1 FROM pg_constraint k
        WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x'))
 ORDER BY ic.oid
"""

_COMMENTS = """
SELECT c.relkind, quote_ident(c.relname), quote_ident(a.attname), quote_literal(d.description)
  FROM pg_description d JOIN pg_class c ON d.classoid = 'pg_class'::regclass AND c.oid = d.objoid
  LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid AND d.objsubid > 0
 WHERE c.relnamespace = %(ns)s
 ORDER BY c.oid, d.objsubid
"""


def _sequence_options(start, increment, minimum, maximum, cache, cycle) -> str:
    return (
        f"INCREMENT BY {int(increment)} MINVALUE {int(minimum)} MAXVALUE {int(maximum)} "
        f"START WITH {int(start)} CACHE {int(cache)} {'CYCLE' if cycle else 'NO CYCLE'}"
    )


def _extract(cursor, template: str, state: str) -> TemplateDDL:
    cursor.execute("SELECT current_setting('search_path')")
    saved_search_path = cursor.fetchone()[0]
    # With the template alone on the search path, PostgreSQL's deparsers print the template's
    # own objects unqualified and every other schema's (public) qualified.
    cursor.execute("SELECT set_config('search_path', %s, true)", [ident(template)])
    ddl = _extract_on_search_path(cursor, template, state)
    # (On an error, the caller's savepoint rollback restores the search path.)
    cursor.execute("SELECT set_config('search_path', %s, true)", [saved_search_path])
    return ddl


def _extract_on_search_path(cursor, template: str, state: str) -> TemplateDDL:
    cursor.execute("SELECT oid FROM pg_namespace WHERE nspname = %s", [template])
    row = cursor.fetchone()
    if row is None:
        raise UnsupportedTemplate(f"no schema {template}")
    params = {"ns": row[0]}

    cursor.execute(_UNSUPPORTED, params)
    problems = [problem for (problem,) in cursor.fetchall()]
    if problems:
        raise UnsupportedTemplate("; ".join(sorted(problems)))

    create: list[str] = []
    finish: list[str] = []
    sequences: list[str] = []
    identity: dict[tuple[int, int], str] = {}
    cursor.execute(_SEQUENCES, params)
    for (
        _oid, name, type_name, start, increment, minimum, maximum, cache, cycle,
        persistence, deptype, table, column, table_oid, column_number,
    ) in cursor.fetchall():  # fmt: skip
        sequences.append(name)
        options = _sequence_options(start, increment, minimum, maximum, cache, cycle)
        if deptype == "i":
            identity[(table_oid, column_number)] = f"SEQUENCE NAME {name} {options}"
            continue
        unlogged = "UNLOGGED " if persistence == "u" else ""
        create.append(f"CREATE {unlogged}SEQUENCE {name} AS {type_name} {options}")
        if deptype == "a":
            finish.append(f"ALTER SEQUENCE {name} OWNED BY {table}.{column}")

    cursor.execute(_COLUMNS, params)
    columns: dict[int, list[tuple]] = {}
    for row in cursor.fetchall():
        columns.setdefault(row[0], []).append(row[1:])

    # Primary keys, unique and check constraints go into CREATE TABLE (one statement per table
    # instead of one per constraint); exclusion constraints, constraints marked NOT VALID and
    # foreign keys are added after the rows are copied.
    cursor.execute(_CONSTRAINTS, params)
    inline: dict[str, list[str]] = {}
    foreign_keys = []
    for table, name, contype, definition in cursor.fetchall():
        if contype in ("p", "u", "c") and not definition.endswith("NOT VALID"):
            inline.setdefault(table, []).append(f"CONSTRAINT {name} {definition}")
        else:
            statement = f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}"
            (foreign_keys if contype == "f" else finish).append(statement)

    tables: list[tuple[str, str]] = []
    cursor.execute(_TABLES, params)
    for oid, table, persistence, reloptions in cursor.fetchall():
        definitions, copied = [], []
        for (
            number, column, type_name, not_null, identity_kind, generated, default, collation,
            not_null_name,
        ) in columns.get(oid, []):  # fmt: skip
            parts = [column, type_name]
            if collation:
                parts.append(f"COLLATE {collation}")
            if generated:
                kind = {"s": "STORED", "v": "VIRTUAL"}.get(generated)
                if kind is None or default is None:
                    raise UnsupportedTemplate(f"generated column {table}.{column}")
                parts.append(f"GENERATED ALWAYS AS ({default}) {kind}")
            else:
                copied.append(column)
                if identity_kind:
                    how = {"a": "ALWAYS", "d": "BY DEFAULT"}[identity_kind]
                    parts.append(f"GENERATED {how} AS IDENTITY ({identity[(oid, number)]})")
                elif default is not None:
                    parts.append(f"DEFAULT {default}")
            if not_null:
                parts.append(
                    f"CONSTRAINT {not_null_name} NOT NULL" if not_null_name else "NOT NULL"
                )
            definitions.append(" ".join(parts))
        options = ""
        if reloptions:
            if not all(_RELOPTION.match(option) for option in reloptions):
                raise UnsupportedTemplate(f"storage options of {table}: {reloptions}")
            options = f" WITH ({', '.join(reloptions)})"
        unlogged = "UNLOGGED " if persistence == "u" else ""
        definitions += inline.pop(table, [])
        create.append(f"CREATE {unlogged}TABLE {table} ({', '.join(definitions)}){options}")
        tables.append((table, ", ".join(copied)))

    cursor.execute(_COMMENTS, params)
    what = {"r": "TABLE", "S": "SEQUENCE", "i": "INDEX"}
    for relkind, relation, column, text in cursor.fetchall():
        if column:
            create.append(f"COMMENT ON COLUMN {relation}.{column} IS {text}")
        else:
            create.append(f"COMMENT ON {what[relkind]} {relation} IS {text}")

    cursor.execute(_INDEXES, params)
    for index, table, schema, unique, definition in cursor.fetchall():
        head = f"CREATE {'UNIQUE ' if unique else ''}INDEX {index} ON "
        for qualified in (f"{schema}.{table} USING ", f"{table} USING "):
            if definition.startswith(head + qualified):
                finish.append(f"{head}{table} USING {definition[len(head + qualified) :]}")
                break
        else:
            raise UnsupportedTemplate(f"index definition {definition!r}")

    # Comments on indexes must follow the indexes; move them to the end.
    index_comments = [s for s in create if s.startswith("COMMENT ON INDEX ")]
    create = [s for s in create if not s.startswith("COMMENT ON INDEX ")]
    return TemplateDDL(
        state=state,
        create=tuple(create),
        finish=tuple(finish + foreign_keys + index_comments),
        tables=tuple(tables),
        sequences=tuple(sequences),
    )


# --- cloning -------------------------------------------------------------------------------


def clone_template(template: str, new: str) -> None:
    """Create schema ``new`` as a copy of ``template`` (structure and rows), in the current
    transaction (a savepoint of its own: an error leaves nothing behind).

    Raises UnsupportedTemplate, before anything is created, when the template holds something
    the extraction cannot reproduce exactly.
    """
    with transaction.atomic():
        ddl = template_ddl(template)
        source, target = ident(template), ident(new)
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('search_path')")
            saved_search_path = cursor.fetchone()[0]
            cursor.execute(
                ";\n".join(
                    [
                        f"CREATE SCHEMA {target}",
                        f"SET LOCAL search_path TO {target}",
                        *ddl.create,
                    ]
                )
            )
            # Which tables have rows, and the sequences' values, in one query.
            probes = [
                f"SELECT 't', {literal(table)}, NULL::bigint, NULL::boolean "  # noqa: S608
                f"WHERE EXISTS (SELECT 1 FROM {source}.{table})"
                for table, _columns in ddl.tables
            ] + [
                f"SELECT 's', {literal(sequence)}, last_value, is_called "  # noqa: S608
                f"FROM {source}.{sequence}"
                for sequence in ddl.sequences
            ]
            statements = []
            if probes:
                cursor.execute(" UNION ALL ".join(probes))
                columns = dict(ddl.tables)
                for kind, name, value, is_called in cursor.fetchall():
                    if kind == "t":
                        statements.append(
                            f"INSERT INTO {name} ({columns[name]}) OVERRIDING SYSTEM VALUE "  # noqa: S608
                            f"SELECT {columns[name]} FROM {source}.{name}"
                        )
                    elif is_called:
                        statements.append(
                            f"SELECT setval({literal(f'{target}.{name}')}, {int(value)}, true)"
                        )
            statements += ddl.finish
            statements.append(
                f"SELECT set_config('search_path', {literal(saved_search_path)}, true)"
            )
            cursor.execute(";\n".join(statements))
