"""Creating a town: its row, its host names, its schema (a clone of the template) and its first
administrator, all or nothing; through the service and through `create_town`."""

from io import StringIO

import pytest
from django.contrib.auth.hashers import is_password_usable
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import tenant_context

from accounts.models import User
from core.errors import ApplicationError
from tenants.models import Domain, Tenant
from tenants.services import town_create
from tests.conftest import client_for, on_own_connection, schema_exists, towns_remove
from tests.tenants.conftest import create_towns_concurrently

SLUG = "montigny-test"
SCHEMA = "montigny_test"
HOST = "montigny-test.localhost"


def _schemas() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT schema_name FROM information_schema.schemata")
        return {row[0] for row in cursor.fetchall()}


def _table_exists(schema: str, table: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = %s AND table_name = %s",
            [schema, table],
        )
        return cursor.fetchone() is not None


def _create(**overrides):
    arguments = {
        "slug": SLUG,
        "name": "Montigny (test)",
        "kind": Tenant.Kind.COMMUNE,
        "population": 12_000,
    }
    arguments.update(overrides)
    return town_create(**arguments)


def _assert_nothing_created(slug: str = SLUG, schema: str | None = None, host: str | None = None):
    schema = schema or slug.replace("-", "_")
    assert not Tenant.objects.filter(slug=slug).exists()
    assert not Tenant.objects.filter(schema_name=schema).exists()
    assert not Domain.objects.filter(domain=host or f"{slug}.localhost").exists()
    assert not schema_exists(schema)


# Success --------------------------------------------------------------------------------------


def test_town_create_makes_tenant_domains_and_a_served_schema(db, town_a):
    created = _create(
        insee_code="2A004",
        siren="200054781",
        enabled_modules=["budget"],
        custom_domains=["  Participation.Montigny.FR "],
    )
    tenant = Tenant.objects.get(slug=SLUG)
    assert tenant == created.tenant
    assert tenant.schema_name == SCHEMA
    assert tenant.status == Tenant.Status.TRIAL
    assert (tenant.insee_code, tenant.siren) == ("2A004", "200054781")
    assert tenant.enabled_modules == ["budget"]
    assert created.admin is None

    primary = Domain.objects.get(tenant=tenant, is_primary=True)
    assert primary.domain == HOST
    assert not primary.is_custom
    custom = Domain.objects.get(tenant=tenant, is_custom=True)
    assert custom.domain == "participation.montigny.fr"
    assert custom.verified_at is None

    assert schema_exists(SCHEMA)
    for table in ("accounts_user", "django_session", "theming_sitetheme", "django_migrations"):
        assert _table_exists(SCHEMA, table), table
    with tenant_context(tenant):
        assert User.objects.count() == 0  # the template's tables, none of another town's rows

    response = client_for(tenant).get("/api/v1/town/")
    assert response.status_code == 200
    assert response.json()["slug"] == SLUG


def test_town_create_invites_an_admin_with_a_set_password_link(
    db, town_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        created = _create(admin_email="Maire@Montigny.fr", admin_name="Madame la maire")
    with tenant_context(created.tenant):
        admin = User.objects.get(email="maire@montigny.fr")
        assert admin.role == User.Role.ADMIN
        assert not admin.has_usable_password()
        assert admin.is_email_verified
    assert created.admin.pk == admin.pk
    with tenant_context(town_a):
        assert not User.objects.filter(email="maire@montigny.fr").exists()
    assert not User.objects.filter(email="maire@montigny.fr").exists()  # public schema

    link = created.admin_set_password_url
    assert link.startswith(f"http://{HOST}/compte/mot-de-passe/nouveau/")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["maire@montigny.fr"]
    assert "Montigny (test)" in mail.outbox[0].subject
    assert link in mail.outbox[0].body

    response = client_for(created.tenant).get(link.removeprefix(f"http://{HOST}"), follow=True)
    assert response.status_code == 200
    assert response.context["validlink"] is True


def test_create_town_command_prints_url_and_set_password_link(
    db, django_capture_on_commit_callbacks
):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "create_town",
            f"--slug={SLUG}",
            "--name=Montigny (commande)",
            "--kind=commune",
            "--population=12000",
            "--insee=95428",
            "--admin-email=maire@montigny.fr",
            stdout=out,
        )
    output = out.getvalue()
    assert f"http://{HOST}/" in output
    assert "Administrateur invité : maire@montigny.fr" in output
    assert f"Lien pour choisir son mot de passe : http://{HOST}/compte/mot-de-passe/nouveau/" in (
        output
    )
    tenant = Tenant.objects.get(slug=SLUG)
    assert tenant.insee_code == "95428"
    with tenant_context(tenant):
        admin = User.objects.get(email="maire@montigny.fr")
        assert not is_password_usable(admin.password)
    assert len(mail.outbox) == 1
    link = output.split("Lien pour choisir son mot de passe : ")[1].strip()
    assert link in mail.outbox[0].body


# Refusals: nothing half-created ---------------------------------------------------------------


def test_duplicate_slug_is_refused(town_a):
    with pytest.raises(ApplicationError, match="déjà pris"):
        _create(slug="ville-a")
    assert Tenant.objects.filter(slug="ville-a").count() == 1


def test_slug_of_an_existing_schema_is_refused(db):
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{SCHEMA}"')
    with pytest.raises(ApplicationError, match="déjà pris"):
        _create()
    assert not Tenant.objects.filter(slug=SLUG).exists()


@pytest.mark.parametrize(
    ("taken", "message"),
    [
        ("ville-a.localhost", "appartient à la plateforme"),
        ("participation.ville-b.fr", "déjà utilisé"),
    ],
)
def test_domain_of_another_town_is_refused(town_b, taken, message):
    Domain.objects.get_or_create(
        domain="participation.ville-b.fr", defaults={"tenant": town_b, "is_custom": True}
    )
    with pytest.raises(ApplicationError, match=message):
        _create(custom_domains=[taken])
    _assert_nothing_created()
    assert Domain.objects.get(domain=taken).tenant.slug in ("ville-a", "ville-b")


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("../x", "n'est pas valide"),
        ("Montigny", "n'est pas valide"),
        ("a" * 80, "trop long"),
        ("-abc", "n'est pas valide"),
        ("abc-", "n'est pas valide"),
        ("ville_a", "n'est pas valide"),
        ("mon tigny", "n'est pas valide"),
        ("montigny'; drop schema public; --", "n'est pas valide"),
        ("", "n'est pas valide"),
        ("www", "réservé"),
        ("public", "réservé"),
        ("pg-toast", "réservé"),
        ("agora-template", "réservé"),
    ],
)
def test_invalid_slug_is_refused_and_nothing_is_created(db, slug, message):
    before = Tenant.objects.count(), Domain.objects.count(), _schemas()
    with pytest.raises(ApplicationError, match=message):
        _create(slug=slug)
    assert (Tenant.objects.count(), Domain.objects.count(), _schemas()) == before


def test_agora_template_slug_leaves_template_schema_alone(db):
    with pytest.raises(ApplicationError):
        _create(slug="agora-template")
    assert not Tenant.objects.filter(schema_name="agora_template").exists()
    assert _table_exists("agora_template", "accounts_user")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"insee_code": "1234"}, "code INSEE"),
        ({"insee_code": "ABCDE"}, "code INSEE"),
        ({"insee_code": "2C004"}, "code INSEE"),
        ({"siren": "123456789"}, "SIREN"),  # nine digits, wrong Luhn key
        ({"siren": "55210055"}, "SIREN"),
        ({"siren": "55210055A"}, "SIREN"),
        ({"population": -1}, "négative"),
        ({"kind": "village"}, "Type de collectivité inconnu"),
        ({"kind": Tenant.Kind.PLATFORM}, "Type de collectivité inconnu"),
        ({"status": "ferme"}, "Statut inconnu"),
        ({"name": "   "}, "nom"),
        ({"custom_domains": ["pas un domaine"]}, "nom de domaine"),
    ],
)
def test_invalid_town_data_is_refused_and_nothing_is_created(db, arguments, message):
    with pytest.raises(ApplicationError, match=message):
        _create(**arguments)
    _assert_nothing_created()


def test_failure_after_schema_clone_rolls_back_row_domain_and_schema(db):
    # The admin's display name is checked by the invitation, once the schema has been cloned,
    # inside the transaction.
    with pytest.raises(ApplicationError, match="Le nom affiché"):
        _create(
            admin_email="maire@exemple.fr",
            admin_name="x" * 200,
            custom_domains=["participation.montigny.fr"],
        )
    _assert_nothing_created()
    assert not Domain.objects.filter(domain="participation.montigny.fr").exists()


def test_invalid_admin_email_is_refused_before_anything_is_created(db):
    with pytest.raises(ApplicationError):
        _create(admin_email="pas-une-adresse")
    _assert_nothing_created()


@pytest.mark.parametrize("domain", ["ville-c.localhost", "www.ville-c.localhost"])
def test_custom_domain_on_the_platform_domain_is_refused(db, domain):
    with pytest.raises(ApplicationError, match="appartient à la plateforme"):
        _create(custom_domains=[domain])
    _assert_nothing_created()


def test_a_custom_domain_named_twice_is_recorded_once(db):
    created = _create(custom_domains=["participation.montigny.fr", "Participation.Montigny.fr "])
    assert list(
        Domain.objects.filter(tenant=created.tenant, is_custom=True).values_list(
            "domain", flat=True
        )
    ) == ["participation.montigny.fr"]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--slug=ville-a"], "déjà pris"),
        (["--slug=../x"], "n'est pas valide"),
        (["--slug=Montigny"], "n'est pas valide"),
        (["--slug=www"], "réservé"),
        ([f"--slug={SLUG}", "--siren=123456789"], "SIREN"),
        ([f"--slug={SLUG}", "--insee=1234"], "INSEE"),
        ([f"--slug={SLUG}", "--population=-5"], "négative"),
        ([f"--slug={SLUG}", "--domain=ville-b.localhost"], "appartient à la plateforme"),
    ],
)
def test_create_town_command_reports_errors_in_french(town_a, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command(
            "create_town", "--name=Montigny", "--kind=commune", *arguments, stdout=StringIO()
        )
    _assert_nothing_created()


# Concurrent creations ------------------------------------------------------------------------
# Each creation runs in a thread of its own, with its own connection, so it commits. `db` is
# requested too: it makes pytest-django set up the test database even when these tests run
# alone (committed_db alone does not), and the main thread's transaction is then rolled back;
# the clean-up therefore runs on a connection of its own as well.


def test_concurrent_creations_of_one_slug_one_wins_one_gets_a_town_error(db, committed_db):
    slug = "course-concurrente"
    try:
        results = create_towns_concurrently([slug, slug])
        errors = [result for result in results if isinstance(result, Exception)]
        assert len(errors) == 1, results
        assert isinstance(errors[0], ApplicationError), repr(errors[0])
        assert slug in str(errors[0])
        assert Tenant.objects.filter(slug=slug).count() == 1
        assert Domain.objects.filter(domain=f"{slug}.localhost").count() == 1
        assert _table_exists("course_concurrente", "accounts_user")
    finally:
        on_own_connection(towns_remove, [slug])
    assert not schema_exists("course_concurrente")
    assert not Tenant.objects.filter(slug=slug).exists()
    assert not Domain.objects.filter(domain=f"{slug}.localhost").exists()


def test_concurrent_creations_of_two_different_towns_both_succeed(db, committed_db):
    slugs = ["course-est", "course-ouest"]
    try:
        results = create_towns_concurrently(slugs)
        assert [repr(r) for r in results if isinstance(r, Exception)] == []
        for slug in slugs:
            assert _table_exists(slug.replace("-", "_"), "accounts_user")
    finally:
        on_own_connection(towns_remove, slugs)
    assert not Tenant.objects.filter(slug__in=slugs).exists()
    assert not any(schema_exists(slug.replace("-", "_")) for slug in slugs)
