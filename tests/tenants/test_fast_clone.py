"""The fast clone of the template (tenants.clone): a town created by it is the same, object for
object, as a town created by running the migrations; it is all or nothing; a new migration of
the template is picked up; towns stay isolated; the generic clone remains the fallback."""

from __future__ import annotations

import logging

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django_tenants.utils import tenant_context

from accounts.models import User
from tenants.clone import UnsupportedTemplate, clone_template, template_ddl
from tenants.migration import template_schema_name
from tenants.models import Tenant
from tenants.services import TemplateClone, spare_schemas_refill, town_create
from tests.conftest import schema_exists
from tests.factories import UserFactory
from tests.tenants.conftest import schema_catalogue

TEMPLATE = "agora_template"


def _create(slug: str) -> Tenant:
    return town_create(slug=slug, name=slug, kind=Tenant.Kind.COMMUNE, population=1_000).tenant


def _rows(sql: str, params=None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


@pytest.fixture(autouse=True)
def no_spare_schema(db):
    """These tests are about the clone: no spare schema (tenants.spares) for town_create to
    take instead; dropped in the test's transaction (rolled back after it)."""
    spare_schemas_refill(0)


@pytest.fixture
def no_generic_clone(monkeypatch):
    """Fail if django-tenants' generic clone is called: the fast path must do the work."""

    def refuse(*args, **kwargs):
        raise AssertionError("generic clone_schema() called")

    monkeypatch.setattr(TemplateClone, "clone_schema", refuse)


def test_fast_clone_is_identical_to_a_migrated_schema(db, no_generic_clone):
    cloned = _create("par-clone").schema_name
    _rows('CREATE SCHEMA "par_migrations"')
    call_command("migrate_schemas", schema_name="par_migrations", interactive=False, verbosity=0)
    connection.set_schema_to_public()

    by_clone, by_migrations = schema_catalogue(cloned), schema_catalogue("par_migrations")
    assert by_clone["django_migrations"], "the template's django_migrations rows are copied"
    # PostgreSQL 18 records NOT NULL as named constraints ("n"); older servers as a column flag.
    named_not_null = {"n"} if connection.pg_version >= 180000 else set()
    assert {row[2] for row in by_clone["constraints"]} >= {"p", "u", "c", "f", *named_not_null}
    assert any("varchar_pattern_ops" in row[2] for row in by_clone["indexes"])
    for part, migrated in by_migrations.items():
        if part != "sequence_values":  # the clone's follow the template's (next test)
            assert by_clone[part] == migrated, part
    assert by_clone == schema_catalogue(TEMPLATE)


def test_fast_clone_copies_the_template_rows_and_sequence_values(db, no_generic_clone):
    _rows(
        f"INSERT INTO {TEMPLATE}.accounts_user (password, email, display_name, role, is_active, "
        "date_joined) VALUES ('!', 'modele@exemple.fr', 'Modèle', 'citizen', true, now())"
    )
    _rows(  # a row that refers to another one: the foreign keys are added after the copy
        f"INSERT INTO {TEMPLATE}.accounts_apitoken (name, prefix, key_hash, created_at, "
        f"expires_at, user_id) SELECT '', 'k-modele', 'k-modele', now(), now(), id "
        f"FROM {TEMPLATE}.accounts_user"
    )
    tenant = _create("avec-lignes")
    with tenant_context(tenant):
        user = User.objects.get()
        assert user.email == "modele@exemple.fr"
        assert user.api_tokens.get().key_hash == "k-modele"
    values = schema_catalogue(tenant.schema_name)["sequence_values"]
    assert values == schema_catalogue(TEMPLATE)["sequence_values"]
    assert ("accounts_user_id_seq", user.pk) in values
    with tenant_context(tenant):
        assert UserFactory().pk == user.pk + 1  # the identity continues after the template's


def test_a_creation_rolled_back_leaves_no_schema(db, no_generic_clone):
    with pytest.raises(RuntimeError), transaction.atomic():
        clone_template(template_schema_name(), "annulee")
        assert schema_exists("annulee")
        raise RuntimeError("failure after the clone")
    assert not schema_exists("annulee")
    assert _rows("SELECT current_setting('search_path')")[0][0] in ("public", '"public"')


def test_a_new_migration_of_the_template_refreshes_the_ddl(db, no_generic_clone):
    before = template_ddl(TEMPLATE)
    assert template_ddl(TEMPLATE) is before  # cached while the migrations do not change
    _create("avant-migration")

    # What a new migration does to the template: a column, an index, a django_migrations row.
    _rows(f"ALTER TABLE {TEMPLATE}.theming_sitetheme ADD COLUMN devise varchar(60) DEFAULT ''")
    _rows(f"CREATE INDEX theming_sitetheme_devise_idx ON {TEMPLATE}.theming_sitetheme (devise)")
    _rows(
        f"INSERT INTO {TEMPLATE}.django_migrations (app, name, applied) "
        "VALUES ('theming', '9999_devise', now())"
    )
    after = template_ddl(TEMPLATE)
    assert after is not before and after.state != before.state
    tenant = _create("apres-migration")
    catalogue = schema_catalogue(tenant.schema_name)
    assert ("theming_sitetheme", "devise") in {row[:2] for row in catalogue["attributes"]}
    assert "theming_sitetheme_devise_idx" in {row[0] for row in catalogue["indexes"]}
    assert (("theming", "9999_devise")) in {row[1:] for row in catalogue["django_migrations"]}
    assert catalogue == schema_catalogue(TEMPLATE)
    assert "devise" not in {row[1] for row in schema_catalogue("avant_migration")["attributes"]}


def test_towns_created_by_the_fast_clone_are_isolated(db, town_a, no_generic_clone):
    town_c = _create("ville-c")
    with tenant_context(town_a):
        in_a = UserFactory(email="seulement.a@exemple.fr")
    a_values = schema_catalogue("ville_a")["sequence_values"]
    with tenant_context(town_c):
        assert not User.objects.filter(email="seulement.a@exemple.fr").exists()
        UserFactory(email="seulement.c@exemple.fr")
    assert schema_catalogue("ville_a")["sequence_values"] == a_values  # sequences of its own
    with tenant_context(town_a):
        assert not User.objects.filter(email="seulement.c@exemple.fr").exists()
        assert User.objects.filter(pk=in_a.pk, email="seulement.a@exemple.fr").exists()
    # No object of town C refers to another town's schema.
    assert not _rows(
        "SELECT conname FROM pg_constraint WHERE connamespace = 'ville_c'::regnamespace "
        "AND confrelid <> 0 AND (SELECT relnamespace FROM pg_class WHERE oid = confrelid) "
        "NOT IN ('ville_c'::regnamespace, 'public'::regnamespace)"
    )


def test_a_template_the_fast_clone_cannot_reproduce_falls_back_on_the_generic_clone(db, caplog):
    _rows(f"CREATE VIEW {TEMPLATE}.vue_test AS SELECT 1 AS un")
    _rows(
        f"INSERT INTO {TEMPLATE}.django_migrations (app, name, applied) "
        "VALUES ('theming', '9999_vue', now())"
    )
    with pytest.raises(UnsupportedTemplate, match="vue_test"):
        template_ddl(TEMPLATE)
    with caplog.at_level(logging.WARNING, logger="tenants.services"):
        tenant = _create("par-repli")
    assert "Clone rapide impossible" in caplog.text
    assert "vue_test" in caplog.text
    assert _rows(f'SELECT un FROM "{tenant.schema_name}".vue_test') == [(1,)]
    assert _rows(f'SELECT count(*) FROM "{tenant.schema_name}".django_migrations')[0][0] > 0


def test_what_future_migrations_may_create_is_reproduced(db, no_generic_clone):
    """Objects today's town apps do not have but other apps' migrations create: a serial column
    with its owned sequence, a standalone sequence, collations, a stored generated column,
    db_default, comments, partial, expression and covering indexes, a deferrable unique
    constraint with NULLS NOT DISTINCT, a foreign key to a public table, an unlogged table."""
    for statement in (
        f"CREATE SEQUENCE {TEMPLATE}.numero_seq AS integer START WITH 100 INCREMENT BY 5",
        f"""CREATE TABLE {TEMPLATE}.module_idee (
            id serial PRIMARY KEY,
            titre varchar(200) COLLATE "C" NOT NULL,
            slug varchar(50) NOT NULL DEFAULT '',
            votes integer NOT NULL DEFAULT 0 CHECK (votes >= 0),
            score integer GENERATED ALWAYS AS (votes * 2) STORED,
            numero integer DEFAULT nextval('{TEMPLATE}.numero_seq'),
            type_id integer REFERENCES public.django_content_type (id)
                DEFERRABLE INITIALLY DEFERRED,
            auteur_id bigint REFERENCES {TEMPLATE}.accounts_user (id),
            CONSTRAINT idee_slug_unique UNIQUE NULLS NOT DISTINCT (slug, type_id)
                DEFERRABLE INITIALLY DEFERRED
        ) WITH (fillfactor = 90)""",
        f"CREATE INDEX idee_votes_partial ON {TEMPLATE}.module_idee (votes) WHERE votes > 10",
        f"CREATE INDEX idee_titre_lower ON {TEMPLATE}.module_idee (lower(titre)) INCLUDE (slug)",
        f"CREATE INDEX idee_titre_like ON {TEMPLATE}.module_idee (titre varchar_pattern_ops)",
        f"COMMENT ON TABLE {TEMPLATE}.module_idee IS 'Les idées d''habitants'",
        f"COMMENT ON COLUMN {TEMPLATE}.module_idee.votes IS 'Nombre de votes'",
        f"COMMENT ON INDEX {TEMPLATE}.idee_votes_partial IS 'Les idées populaires'",
        f"CREATE UNLOGGED TABLE {TEMPLATE}.module_cache (cle text PRIMARY KEY, valeur jsonb)",
        f"INSERT INTO {TEMPLATE}.module_idee (titre, slug, votes) VALUES ('Un banc', 'banc', 12)",
        f"INSERT INTO {TEMPLATE}.django_migrations (app, name, applied) "
        "VALUES ('module', '0001_initial', now())",
    ):
        _rows(statement)
    tenant = _create("avec-module")
    assert schema_catalogue(tenant.schema_name) == schema_catalogue(TEMPLATE)
    rows = _rows(f'SELECT id, titre, score, numero FROM "{tenant.schema_name}".module_idee')
    assert rows == _rows(f"SELECT id, titre, score, numero FROM {TEMPLATE}.module_idee")
    persistence = _rows(
        "SELECT relpersistence FROM pg_class WHERE oid = %s::regclass",
        [f"{tenant.schema_name}.module_cache"],
    )
    assert persistence == [("u",)]
