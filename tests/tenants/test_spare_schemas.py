"""Spare schemas (tenants.spares): a town created while an up-to-date spare exists gets it by
``ALTER SCHEMA ... RENAME``, all or nothing; outdated spares are never used and are dropped by the
refill; two concurrent creations take different spares; spares are invisible as towns."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from core.errors import ApplicationError
from tenants.migration import pending_schemas, template_schema_name
from tenants.models import Tenant
from tenants.selectors import served_towns, towns
from tenants.services import spare_schemas_refill, town_create
from tenants.spares import SPARE_SCHEMA_PREFIX, is_spare_schema
from tenants.validators import validate_town_slug
from tests.conftest import on_own_connection, towns_remove
from tests.tenants.conftest import create_towns_concurrently, schema_catalogue

TEMPLATE = "agora_template"


def _rows(sql: str, params=None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def _schema_oid(name: str) -> int | None:
    rows = _rows("SELECT oid FROM pg_namespace WHERE nspname = %s", [name])
    return rows[0][0] if rows else None


def _spares() -> list[str]:
    """The spares' rows (the public table), oldest first."""
    rows = _rows("SELECT schema_name FROM public.tenants_spareschema ORDER BY created_at, id")
    return [name for (name,) in rows]


def _spare_schemas() -> set[str]:
    """The spare schemas that exist in the database, rows or not."""
    rows = _rows("SELECT nspname FROM pg_namespace WHERE left(nspname, 12) = %s", ["agora_spare_"])
    return {name for (name,) in rows}


def _create(slug: str, **overrides) -> Tenant:
    arguments = {"slug": slug, "name": slug, "kind": Tenant.Kind.COMMUNE, "population": 1_000}
    arguments.update(overrides)
    return town_create(**arguments).tenant


@pytest.fixture
def empty_pool(db):
    """No spare at the start (the session's towns' creations may have refilled the pool):
    dropped in the test's transaction, so they come back afterwards."""
    spare_schemas_refill(0)
    assert _spares() == [] and _spare_schemas() == set()


# Taking a spare ------------------------------------------------------------------------------


def test_a_town_created_with_a_spare_available_renames_it(empty_pool):
    assert spare_schemas_refill(1).created == 1
    (spare,) = _spares()
    assert is_spare_schema(spare) and len(spare) == len(SPARE_SCHEMA_PREFIX) + 12
    spare_oid = _schema_oid(spare)

    tenant = _create("par-reserve")

    assert _spares() == [] and _schema_oid(spare) is None
    assert _schema_oid(tenant.schema_name) == spare_oid  # renamed, not cloned again
    cloned = _create("par-clone").schema_name  # no spare left: cloned as before
    assert (
        schema_catalogue(tenant.schema_name)
        == schema_catalogue(cloned)
        == schema_catalogue(TEMPLATE)
    )


def test_a_failure_after_the_rename_gives_the_spare_back_and_creates_nothing(empty_pool):
    spare_schemas_refill(1)
    (spare,) = _spares()
    spare_oid = _schema_oid(spare)
    # The admin's display name is checked by the invitation, after the schema is in place.
    with pytest.raises(ApplicationError, match="Le nom affiché"):
        _create("reserve-annulee", admin_email="maire@exemple.fr", admin_name="x" * 200)
    assert _spares() == [spare] and _schema_oid(spare) == spare_oid
    assert _schema_oid("reserve_annulee") is None
    assert not Tenant.objects.filter(slug="reserve-annulee").exists()
    assert _create("reserve-reprise").schema_name == "reserve_reprise"
    assert _schema_oid("reserve_reprise") == spare_oid


# Outdated spares and the refill ---------------------------------------------------------------


def test_an_outdated_spare_is_not_used_and_the_refill_drops_it(empty_pool):
    spare_schemas_refill(1)
    (outdated,) = _spares()
    _rows("UPDATE public.tenants_spareschema SET migration_state = repeat('0', 64)")

    tenant = _create("sans-reserve")

    assert _spares() == [outdated] and _schema_oid(outdated) is not None
    assert _schema_oid(tenant.schema_name) not in (None, _schema_oid(outdated))
    result = spare_schemas_refill(1)
    assert (result.created, result.dropped, result.available) == (1, 1, 1)
    assert _schema_oid(outdated) is None
    assert outdated not in _spares() and len(_spares()) == 1


def test_migrate_schemas_drops_the_outdated_spares(empty_pool):
    spare_schemas_refill(2)
    outdated, current = _spares()
    _rows(
        "UPDATE public.tenants_spareschema SET migration_state = 'avant' WHERE schema_name = %s",
        [outdated],
    )
    call_command("migrate_schemas", interactive=False, verbosity=0)
    connection.set_schema_to_public()
    assert _spares() == [current]
    assert _spare_schemas() == {current}


def test_refill_creates_up_to_the_target_and_is_idempotent(empty_pool, settings):
    result = spare_schemas_refill(2)
    assert (result.created, result.dropped, result.available) == (2, 0, 2)
    assert set(_spares()) == _spare_schemas() and len(_spares()) == 2
    before = _spares()
    assert spare_schemas_refill(2).created == 0
    assert _spares() == before
    settings.TENANT_SPARE_SCHEMAS = 3  # the default target
    assert spare_schemas_refill().created == 1
    result = spare_schemas_refill(1)  # a lower target drops the newest
    assert (result.created, result.dropped, result.available) == (0, 2, 1)
    assert _spares() == before[:1] and _spare_schemas() == set(before[:1])
    for spare in before:  # a spare is a full copy of the template
        if _schema_oid(spare):
            assert schema_catalogue(spare) == schema_catalogue(TEMPLATE)


def test_the_refill_command_reports_what_it_did(empty_pool):
    out = StringIO()
    call_command("spare_schemas_refill", "--target", "1", stdout=out)
    assert out.getvalue().strip() == (
        "Schémas de réserve : 1 créé(s), 0 supprimé(s), 1 disponible(s)."
    )
    assert len(_spares()) == 1


# Invisible as towns ---------------------------------------------------------------------------


def test_spares_are_not_towns_not_pending_and_never_migrated(empty_pool):
    spare_schemas_refill(2)
    spares = _spares()
    assert not Tenant.objects.filter(schema_name__in=spares).exists()
    assert not towns().filter(schema_name__startswith="agora_spare").exists()
    assert not served_towns().filter(schema_name__startswith="agora_spare").exists()
    # Even with a migration missing, a spare is neither pending nor migrated when named.
    migrations = f'"{spares[0]}".django_migrations'
    _rows(f"DELETE FROM {migrations} WHERE app = %s", ["accounts"])
    assert pending_schemas([template_schema_name(), *spares]) == []
    call_command("migrate_schemas", schema_name=spares[0], interactive=False, verbosity=0)
    connection.set_schema_to_public()
    accounts = _rows(f"SELECT count(*) FROM {migrations} WHERE app = %s", ["accounts"])
    assert accounts == [(0,)]


@pytest.mark.parametrize("slug", ["agora-spare-x", "agora-spare", "agora-spare-0123456789ab"])
def test_no_town_slug_can_name_a_spare_schema(db, slug):
    with pytest.raises(Exception, match="réservé"):
        validate_town_slug(slug)
    with pytest.raises(ApplicationError, match="réservé"):
        _create(slug)
    assert not Tenant.objects.filter(slug=slug).exists()


# Committed: concurrency and the refill after a creation -------------------------------------
# On connections of their own (committed), as in test_town_create.py; everything made is
# removed in the finally clause, the pool emptied.


def test_concurrent_creations_take_different_spares(db, committed_db, monkeypatch):
    # No refill after each commit here: only the two spares made below can be taken.
    monkeypatch.setattr("tenants.services._spare_schemas_refill_enqueue", lambda: None)
    slugs = ["reserve-est", "reserve-ouest"]
    try:
        on_own_connection(spare_schemas_refill, 2)
        spare_oids = on_own_connection(lambda: {_schema_oid(name) for name in _spares()} - {None})
        assert len(spare_oids) == 2
        results = create_towns_concurrently(slugs)
        assert [repr(r) for r in results if isinstance(r, Exception)] == []
        town_oids = on_own_connection(
            lambda: {_schema_oid(slug.replace("-", "_")) for slug in slugs}
        )
        assert town_oids == spare_oids  # each took one, not the same one
        assert on_own_connection(_spares) == []
    finally:
        on_own_connection(towns_remove, slugs)
        on_own_connection(spare_schemas_refill, 0)
    assert not Tenant.objects.filter(slug__in=slugs).exists()
    assert on_own_connection(_spare_schemas) == set()


def test_a_committed_creation_refills_the_pool(db, committed_db, settings):
    # The refill task is enqueued on commit; the test settings run tasks eagerly.
    settings.TENANT_SPARE_SCHEMAS = 2
    slug = "reserve-remplie"
    try:
        on_own_connection(spare_schemas_refill, 2)
        before = set(on_own_connection(_spares))
        on_own_connection(_create, slug)
        after = set(on_own_connection(_spares))
        assert len(before) == len(after) == 2
        assert len(before - after) == 1  # one taken, one cloned to replace it
        assert on_own_connection(_spare_schemas) == after
    finally:
        on_own_connection(towns_remove, [slug])
        on_own_connection(spare_schemas_refill, 0)
    assert on_own_connection(_spare_schemas) == set()
