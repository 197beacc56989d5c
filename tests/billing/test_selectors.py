"""What the console's towns list shows of billing, in one query."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from billing.selectors import billing_summaries
from billing.services.invoices import invoice_mark_paid
from billing.services.subscriptions import addon_add, subscription_start

pytestmark = pytest.mark.usefixtures("manual_mode", "billing_details")


def test_billing_summaries_in_one_query(
    town_a, town_b, platform, plan, addon, vendor_staff, django_assert_num_queries
):
    with time_machine.travel(datetime.datetime(2026, 1, 15, 9, tzinfo=datetime.UTC)):
        late = subscription_start(
            actor=vendor_staff, tenant=town_a, plan=plan, billing_email="a@ville-a.fr"
        )
        paid = subscription_start(
            actor=vendor_staff, tenant=town_b, plan=plan, billing_email="b@ville-b.fr"
        )
        invoice_mark_paid(actor=vendor_staff, invoice=paid.invoices.get())
    with time_machine.travel(datetime.datetime(2026, 7, 16, 9, tzinfo=datetime.UTC)):
        addon_add(actor=vendor_staff, subscription=paid, addon=addon, quantity=1)
        late.restricted_by_billing = True
        late.save()

        with django_assert_num_queries(1):
            summaries = billing_summaries([town_a.pk, town_b.pk, platform.pk])

    assert set(summaries) == {town_a.pk, town_b.pk}  # the platform has no subscription
    a, b = summaries[town_a.pk], summaries[town_b.pk]
    assert (a.plan_name, a.renewal_date, a.amount_due_cents, a.overdue) == (
        "Commune standard",
        datetime.date(2027, 1, 15),
        438_000,  # 3 650 € + 20 % VAT
        True,  # due 14 February, still open in July
    )
    assert a.restricted_by_billing
    assert (b.amount_due_cents, b.overdue, b.mode) == (43_920, False, "manual")


def test_billing_summaries_of_no_town(db, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        assert billing_summaries([]) == {}
