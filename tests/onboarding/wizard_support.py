"""Helpers shared by the wizard and offboarding tests."""

from __future__ import annotations

import html
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

from accounts.models import User
from billing.models import Plan, Quote
from console.models import AuditEntry
from onboarding.models import OnboardingJob, TownExport
from tenants.models import Tenant
from tests.conftest import schema_exists
from tests.factories import UserFactory

WIZARD = "/nouvelle-collectivite/"
STAFF_EMAIL = "equipe-mise-en-service@agora.test"


def text(response) -> str:
    return html.unescape(response.content.decode())


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
        "latitude": "48,7715",
        "longitude": "2.0335",
        "map_zoom": "14",
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
    removed afterwards with what it did: its jobs, exports, quotes and audit entries."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = UserFactory(email=STAFF_EMAIL, role=User.Role.VENDOR_STAFF)
    TOTPDevice.objects.create(user=user, name="Téléphone", confirmed=True)
    try:
        yield user
    finally:
        OnboardingJob.objects.filter(requested_by=user).delete()
        TownExport.objects.filter(requested_by=user).delete()
        Quote.objects.filter(created_by=user).delete()
        AuditEntry.objects.filter(actor_email=STAFF_EMAIL).delete()
        TOTPDevice.objects.filter(user=user).delete()
        # Not user.delete(): its collector looks for API tokens, a table of the towns only.
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM accounts_user WHERE id = %s", [user.pk])
