"""Helpers shared by the wizard and offboarding tests."""

from __future__ import annotations

import html
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import connection

from accounts.models import User
from billing.models import Plan
from console.models import AuditEntry
from onboarding.models import OnboardingJob, TownExport
from tenants.models import Tenant
from tests.factories import UserFactory

WIZARD = "/nouvelle-collectivite/"
STAFF_EMAIL = "equipe-mise-en-service@agora.test"


def text(response) -> str:
    return html.unescape(response.content.decode())


def schema_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [name])
        return cursor.fetchone() is not None


def plan_create(code: str = "essentiel", **fields) -> Plan:
    return Plan.objects.create(
        **{
            "code": code,
            "name": code.capitalize(),
            "annual_price_cents": 240_000,
            "included_modules": ["news", "ideas"],
            **fields,
        }
    )


def wizard_data(**overrides) -> dict:
    return {
        "name": "Montigny-le-Test",
        "kind": Tenant.Kind.COMMUNE,
        "slug": "montigny-le-test",
        "custom_domain": "",
        "insee_code": "78423",
        "siren": "",
        "population": "12000",
        "plan": "essentiel",
        "theme_preset": "vert",
        "admin_name": "Camille Maire",
        "admin_email": "camille@montigny.fr",
        **overrides,
    }


def nothing_created(slug: str) -> bool:
    return not (
        OnboardingJob.objects.filter(slug=slug).exists()
        or Tenant.objects.filter(slug=slug).exists()
        or schema_exists(slug.replace("-", "_"))
    )


@contextmanager
def committed_staff() -> Iterator[User]:
    """A vendor staff account committed for other connections to see (threads, pg_dump),
    removed afterwards with what it did: its jobs, exports and audit entries."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = UserFactory(email=STAFF_EMAIL, role=User.Role.VENDOR_STAFF)
    TOTPDevice.objects.create(user=user, name="Téléphone", confirmed=True)
    try:
        yield user
    finally:
        OnboardingJob.objects.filter(requested_by=user).delete()
        TownExport.objects.filter(requested_by=user).delete()
        AuditEntry.objects.filter(actor_email=STAFF_EMAIL).delete()
        TOTPDevice.objects.filter(user=user).delete()
        # Not user.delete(): its collector looks for API tokens, a table of the towns only.
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM accounts_user WHERE id = %s", [user.pk])


def towns_remove(slugs: list[str]) -> None:
    """Committed towns made by a test, gone again (not through the code under test)."""
    with connection.cursor() as cursor:
        for slug in slugs:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{slug.replace("-", "_")}" CASCADE')
    Tenant.objects.filter(slug__in=slugs).delete()


def run_concurrently(*calls: Callable[[], object]) -> list[object]:
    """Run each call in a thread of its own (with its own connection, so it commits), all
    released at once; their results (or exceptions) in the same order."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as exc:  # asserted on by the caller
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return results
