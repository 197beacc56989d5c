"""Plans and add-ons: a price is required (service message, database constraint)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from billing.models import AddOn, Plan
from billing.services.catalogue import addon_create, addon_update, plan_create, plan_update
from console.models import AuditEntry
from core.errors import ApplicationError

from .conftest import PlanFactory

PRICE_MESSAGE = "Indiquez un prix annuel supérieur à zéro"


def test_plan_is_created_with_its_modules_and_logged(vendor_staff):
    plan = plan_create(
        actor=vendor_staff,
        code="commune-plus",
        name="Commune plus",
        annual_price_cents=480_000,
        included_modules=["ideas", "polls", "ideas"],
    )

    assert (plan.code, plan.annual_price_cents, plan.included_modules, plan.active) == (
        "commune-plus",
        480_000,
        ["ideas", "polls"],
        True,
    )
    entry = AuditEntry.objects.get(action="billing.plan_create")
    assert entry.actor == vendor_staff
    assert entry.details == {"code": "commune-plus", "price_cents": 480_000}


@pytest.mark.parametrize("price", [None, 0, -100])
def test_plan_without_a_price_is_refused_with_a_clear_message(vendor_staff, price):
    with pytest.raises(ApplicationError, match=PRICE_MESSAGE):
        plan_create(
            actor=vendor_staff, code="sans-prix", name="Sans prix", annual_price_cents=price
        )

    assert not Plan.objects.exists()
    assert not AuditEntry.objects.exists()


def test_plan_update_cannot_remove_the_price(vendor_staff):
    plan = PlanFactory(annual_price_cents=100_000)

    with pytest.raises(ApplicationError, match=PRICE_MESSAGE):
        plan_update(
            actor=vendor_staff,
            plan=plan,
            name=plan.name,
            annual_price_cents=None,
            included_modules=[],
            active=True,
        )

    plan.refresh_from_db()
    assert plan.annual_price_cents == 100_000


def test_the_database_refuses_a_free_plan_or_addon_too(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.create(code="gratuit", name="Gratuit", annual_price_cents=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        AddOn.objects.create(
            code="gratuite", name="Gratuite", kind="extra_module", annual_unit_price_cents=0
        )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"code": "Pas Un Code"}, "minuscules, chiffres et tirets"),
        ({"name": "  "}, "nom est obligatoire"),
        ({"included_modules": ["teleportation"]}, "Module inconnu : teleportation"),
    ],
)
def test_bad_plan_input_is_refused(vendor_staff, fields, message):
    values = {"code": "ok", "name": "Formule", "annual_price_cents": 1000, **fields}
    with pytest.raises(ApplicationError, match=message):
        plan_create(actor=vendor_staff, **values)
    assert not Plan.objects.exists()


def test_taken_code_is_a_message(vendor_staff):
    PlanFactory(code="commune")
    with pytest.raises(ApplicationError, match="« commune » est déjà utilisé"):
        plan_create(actor=vendor_staff, code="commune", name="Doublon", annual_price_cents=1000)
    assert Plan.objects.count() == 1
    assert not AuditEntry.objects.exists()


def test_addon_create_and_update(vendor_staff):
    addon = addon_create(
        actor=vendor_staff,
        code="module-budget",
        name="Budget participatif",
        kind=AddOn.Kind.EXTRA_MODULE,
        annual_unit_price_cents=120_000,
    )
    addon_update(
        actor=vendor_staff,
        addon=addon,
        name="Budget participatif",
        kind=AddOn.Kind.EXTRA_MODULE,
        annual_unit_price_cents=150_000,
        active=False,
    )

    addon.refresh_from_db()
    assert (addon.annual_unit_price_cents, addon.active) == (150_000, False)
    assert [entry.action for entry in AuditEntry.objects.order_by("pk")] == [
        "billing.addon_create",
        "billing.addon_update",
    ]


def test_addon_without_price_or_with_unknown_kind_is_refused(vendor_staff):
    with pytest.raises(ApplicationError, match=PRICE_MESSAGE):
        addon_create(
            actor=vendor_staff,
            code="a",
            name="A",
            kind="extra_module",
            annual_unit_price_cents=None,
        )
    with pytest.raises(ApplicationError, match="Type d'option inconnu"):
        addon_create(
            actor=vendor_staff, code="b", name="B", kind="licorne", annual_unit_price_cents=1
        )
    assert not AddOn.objects.exists()
