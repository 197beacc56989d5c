"""The one door to Stripe, and the periodic work's wiring."""

from __future__ import annotations

import ast
import datetime
from pathlib import Path

import pytest
import time_machine
from django.conf import settings

import billing
from billing import gateway, tasks
from billing.services.subscriptions import billing_mode, subscription_start
from config.celery import app


def _modules_importing_stripe() -> set[str]:
    root = Path(billing.__file__).parent
    importing = set()
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            if any(name == "stripe" or name.startswith("stripe.") for name in names):
                importing.add(str(path.relative_to(root)))
    return importing


def test_only_the_gateway_talks_to_stripe():
    assert _modules_importing_stripe() == {"gateway.py"}


def test_mode_follows_the_secret_key(settings):
    settings.STRIPE_SECRET_KEY = ""
    assert billing_mode() == "manual"
    with pytest.raises(gateway.GatewayError, match="mode manuel"):
        gateway.invoice_retrieve("in_1")
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    assert billing_mode() == "stripe"


def test_wrong_api_key_is_a_message(fake_stripe, settings, town_a, plan, vendor_staff):
    settings.STRIPE_SECRET_KEY = "sk_test_wrong"
    with pytest.raises(gateway.GatewayError, match="Stripe est injoignable ou a refusé"):
        subscription_start(actor=vendor_staff, tenant=town_a, plan=plan, billing_email="a@b.fr")


def test_one_stripe_price_per_plan_and_amount(fake_stripe, town_a, town_b, plan, vendor_staff):
    for town in (town_a, town_b):
        subscription_start(actor=vendor_staff, tenant=town, plan=plan, billing_email="a@b.fr")
    (first,) = fake_stripe.prices  # the second town's found again by its lookup key

    # A new amount is a new price (Stripe prices never change amount).
    second = gateway.price_ensure(
        kind="plan", code=plan.code, name=plan.name, unit_amount_cents=400_000
    )
    assert second != first
    assert fake_stripe.prices[second]["unit_amount"] == 400_000


def test_billing_beat_entries_name_registered_tasks():
    entries = {
        name: entry
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
        if entry["task"].startswith("billing.")
    }
    assert {entry["task"] for entry in entries.values()} == {
        "billing.webhook_events_retry",
        "billing.manual_renewals_run",
        "billing.dunning_run",
        "billing.renewal_reminders_send",
    }
    assert all(entry["task"] in app.tasks for entry in entries.values())


def test_periodic_tasks_run_the_services_through_celery(
    manual_mode, billing_details, town_a, plan, vendor_staff
):
    with time_machine.travel(datetime.datetime(2026, 1, 15, 9, tzinfo=datetime.UTC)):
        subscription_start(actor=vendor_staff, tenant=town_a, plan=plan, billing_email="a@b.fr")

    # A year later, the first invoice never paid. Eager results: .result, not .get() (which
    # refuses to run inside a task's context).
    with time_machine.travel(datetime.datetime(2027, 1, 15, 9, tzinfo=datetime.UTC)):
        assert tasks.manual_renewals_run_task.delay().result == 1
        assert tasks.dunning_run_task.delay().result == {str(town_a.pk): "suspended"}
        assert tasks.renewal_reminders_send_task.delay().result == 0  # a year left
        assert tasks.webhook_events_retry_task.delay().result == 0
