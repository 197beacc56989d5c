"""Spare schemas: clones of the template made in advance, so that creating a town costs an
``ALTER SCHEMA ... RENAME`` instead of replaying the template's DDL.

A spare is a schema named ``agora_spare_<12 hex>`` with a row in the public table
``tenants_spareschema`` that records the template's migration state it was cloned at
(:func:`tenants.clone.template_state`). It has no Tenant row, so it is never served, migrated
(:mod:`tenants.migration` leaves it out even when named) nor listed; no slug can produce its
name (``agora-spare*`` is reserved). Row and schema are created, renamed and dropped in the same
transaction, so they never part.

:func:`spare_take` runs inside ``town_create``'s transaction: it locks one up-to-date row with
``FOR UPDATE SKIP LOCKED`` (two concurrent creations never get the same one), deletes it and
renames the schema; a rollback gives the spare back intact. The pool is topped up by
``tenants.services.spare_schemas_refill`` (after each creation, every 5 minutes by beat, after
``migrate_schemas`` in ``./agora up``).
"""

from __future__ import annotations

import secrets

from django.db import connection

from .clone import ident, template_state
from .migration import template_schema_name
from .models import SpareSchema

SPARE_SCHEMA_PREFIX = "agora_spare_"
# pg_advisory_xact_lock key serialising refills ("agora spare" in a bigint).
REFILL_LOCK = 0x61676F7261_7370


def is_spare_schema(schema_name: str) -> bool:
    return schema_name.startswith(SPARE_SCHEMA_PREFIX)


def spare_schema_name_new() -> str:
    return SPARE_SCHEMA_PREFIX + secrets.token_hex(6)


def current_state() -> str:
    with connection.cursor() as cursor:
        return template_state(cursor, template_schema_name())


def spare_take(schema_name: str) -> str | None:
    """Rename an up-to-date spare into ``schema_name``, in the caller's transaction; the spare's
    former name, or None when there is none free (the caller then clones)."""
    spare = (
        SpareSchema.objects.select_for_update(skip_locked=True)
        .filter(migration_state=current_state())
        .order_by("created_at", "pk")
        .first()
    )
    if spare is None:
        return None
    spare.delete()
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER SCHEMA {ident(spare.schema_name)} RENAME TO {ident(schema_name)}")
    return spare.schema_name


def spare_drop(spare: SpareSchema) -> None:
    """Drop a spare (row and schema) whose row the caller has locked, in its transaction."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {ident(spare.schema_name)} CASCADE")
    spare.delete()


def spare_schemas_drop_outdated(state: str | None = None) -> int:
    """Drop the spares cloned at another migration state of the template than ``state`` (the
    current one by default), in the caller's transaction; how many. Rows being taken by a
    creation right now are locked and skipped."""
    state = state if state is not None else current_state()
    outdated = list(
        SpareSchema.objects.select_for_update(skip_locked=True).exclude(migration_state=state)
    )
    for spare in outdated:
        spare_drop(spare)
    return len(outdated)
