"""The console's towns list and a town's page: figures read from every town's own schema."""

from __future__ import annotations

import datetime
import html
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import tenant_context

from accounts.models import User
from console.models import AuditEntry
from console.selectors import latest_usage
from participation.usage.models import UsageSnapshot
from participation.usage.services import usage_snapshot_take
from tenants.models import Tenant
from tenants.services import town_set_status
from tests.factories import UserFactory


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _row(text: str, name: str) -> str:
    _before, found, after = text.partition(f">{name}</a>")
    assert found, name
    return after.split("</tr>", 1)[0]


@pytest.fixture
def figures(town_a, town_b):
    """Town A: 3 citizens and an admin seen yesterday; town B: nothing yet."""
    with tenant_context(town_a):
        UserFactory.create_batch(3)
        UserFactory(role=User.Role.ADMIN, last_login=timezone.now() - datetime.timedelta(days=1))
        usage_snapshot_take(day=timezone.localdate() - datetime.timedelta(days=1))
        usage_snapshot_take()
    with tenant_context(town_b):
        usage_snapshot_take()


def test_latest_usage_reads_each_towns_last_snapshot_in_one_query(figures, town_a, town_b):
    with CaptureQueriesContext(connection) as queries:
        usage = latest_usage([town_a, town_b])

    selects = [query["sql"] for query in queries if not query["sql"].startswith("SET ")]
    assert len(selects) == 1, selects
    assert usage[town_a.pk].day == timezone.localdate()
    assert usage[town_a.pk].registered_citizens == 3
    assert usage[town_a.pk].registered_percent == pytest.approx(100 * 3 / 20_000)
    assert usage[town_a.pk].last_admin_login_at is not None
    assert usage[town_b.pk].registered_citizens == 0
    assert usage[town_b.pk].last_admin_login_at is None
    assert latest_usage([]) == {}


def test_towns_list_shows_usage_per_town(console_client, figures, town_a, town_b):
    text = _text(console_client.get("/"))

    row_a = _row(text, "Ville A")
    assert "3 · 0,02\xa0%" in row_a or "3 · 0.02\xa0%" in row_a
    assert "jamais" not in row_a
    assert "ville-a.localhost" in row_a
    assert "jamais" in _row(text, "Ville B")


def test_towns_list_query_count_does_not_grow_with_towns(console_client, figures, town_a):
    with CaptureQueriesContext(connection) as with_two:
        console_client.get("/")
    town_set_status(tenant=town_a, status=Tenant.Status.READ_ONLY)
    with CaptureQueriesContext(connection) as filtered:
        console_client.get("/?statut=read_only")

    assert len(with_two) == len(filtered)
    assert len(with_two) <= 12


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("q=ville-a", "Ville A", "Ville B"),
        ("q=VILLE+B", "Ville B", "Ville A"),
        ("q=ville-b.localhost", "Ville B", "Ville A"),
        ("statut=read_only", "Ville A", "Ville B"),
        ("type=commune&formule=Essentiel", "Ville A", "Ville B"),
    ],
)
def test_towns_list_search_and_filters(console_client, town_a, town_b, query, shown, hidden):
    Tenant.objects.filter(pk=town_a.pk).update(plan="Essentiel")
    town_set_status(tenant=town_a, status=Tenant.Status.READ_ONLY)

    text = _text(console_client.get(f"/?{query}"))

    assert f">{shown}</a>" in text
    assert f">{hidden}</a>" not in text


def test_unknown_filter_values_are_ignored_not_an_error(console_client, town_a, town_b):
    response = console_client.get("/?statut=nimporte&type=%00&page=zz")

    assert response.status_code == 200
    assert ">Ville A</a>" in _text(response)
    assert console_client.get("/?formule=" + "x" * 500).status_code == 200


def test_town_page_shows_figures_over_time_and_refreshes_them(console_client, figures, town_a):
    text = _text(console_client.get(f"/collectivites/{town_a.slug}/"))
    assert "Fréquentation" in text
    assert text.count("<tr><td>") >= 2  # two daily snapshots

    with tenant_context(town_a):
        UserFactory()
    response = console_client.post(f"/collectivites/{town_a.slug}/frequentation/", follow=True)

    assert response.status_code == 200
    with tenant_context(town_a):
        assert UsageSnapshot.objects.get(day=timezone.localdate()).registered_citizens == 4
    entry = AuditEntry.objects.get(action="town.usage_refreshed")
    assert (entry.town, entry.actor_email) == (town_a, "equipe@agora.test")
    assert "Chiffres d'utilisation recalculés" in _text(response)


def test_unknown_town_page_is_404(console_client):
    assert console_client.get("/collectivites/nulle-part/").status_code == 404
    assert console_client.get("/collectivites/agora/").status_code == 404


def test_audit_log_lists_and_filters_entries(console_client, town_a):
    from console.audit import audit_record

    audit_record(actor=None, action="billing.invoice_paid", town=town_a, details={"n": "F-1"})
    audit_record(actor=None, action="town.created", town=town_a)

    text = _text(console_client.get("/journal/?action=billing"))

    assert "billing.invoice_paid" in text
    assert "town.created" not in text
    assert "n\xa0: F-1" in text


def test_usage_by_month_keeps_the_last_snapshot_of_each_month(town_a):
    from console.selectors import usage_by_month, usage_history

    with tenant_context(town_a):
        for day, registered in (
            (datetime.date(2026, 9, 3), 1),
            (datetime.date(2026, 9, 30), 5),
            (datetime.date(2026, 10, 15), 10),
        ):
            UsageSnapshot.objects.create(
                day=day, registered_citizens=registered, verified_citizens=0, population=100
            )

    with time_machine.travel(datetime.datetime(2026, 11, 1, 12, tzinfo=datetime.UTC)):
        chart = usage_by_month(usage_history(town_a))

    assert [(bar.label, bar.value, bar.share) for bar in chart.registered] == [
        ("09/2026", 5, 0.5),
        ("10/2026", 10, 1.0),
    ]


def test_towns_list_and_page_show_renewal_and_amount_due(
    console_client, vendor_staff, town_a, town_b, settings
):
    from billing.models import BillingDetails, Plan
    from billing.services.subscriptions import subscription_start

    settings.STRIPE_SECRET_KEY = ""
    plan = Plan.objects.create(code="commune", name="Commune", annual_price_cents=1_250_000)
    BillingDetails.objects.create(  # our invoices need the town's SIRET
        tenant=town_a,
        legal_name="Commune A",
        siret="21780000237570",
        address="1 place de la Mairie",
        postal_code="78000",
        city="A",
    )
    with time_machine.travel(datetime.datetime(2026, 1, 10, 9, tzinfo=datetime.UTC)):
        subscription_start(
            actor=vendor_staff, tenant=town_a, plan=plan, billing_email="compta@ville-a.fr"
        )

    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, tzinfo=datetime.UTC)):
        text = _text(console_client.get("/"))
        page = _text(console_client.get(f"/collectivites/{town_a.slug}/"))

    row_a = _row(text, "Ville A")
    assert "<td>commune</td>" in row_a  # the plan paid for
    assert "10/01/2027" in row_a
    assert re.search(r"15\s?000,00\s€", row_a), row_a  # 12 500 € + 20 % VAT
    assert "en retard" in row_a  # 30 days to pay from 10 January
    assert "sans abonnement" in _row(text, "Ville B")
    assert "Commune, renouvellement le 10/01/2027" in page
    assert f"/facturation/collectivites/{town_a.slug}/" in page


def test_audit_entries_read_in_words_in_each_language(console_client, town_a):
    from console.audit import audit_record

    audit_record(actor=None, action="training.material_added", town=town_a)

    assert "Support de formation ajouté" in _text(console_client.get("/journal/"))
    english = _text(console_client.get("/journal/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "Training material added" in english
    assert "training.material_added" not in english


def test_every_audited_action_has_words():
    """Each action the code records (a literal, a catalogue verb, a wizard step) is named."""
    import re
    from pathlib import Path

    from django.conf import settings

    from console.audit import audit_action_label
    from onboarding.wizard import STEPS

    actions = {
        f"billing.{entry}_{verb}" for entry in ("plan", "addon") for verb in ("create", "update")
    } | {f"onboarding.{step.key}" for step in STEPS}
    for package in ("console", "billing", "onboarding", "tenants"):
        for path in (Path(settings.BASE_DIR) / package).rglob("*.py"):
            actions |= set(re.findall(r'action="([a-z_]+\.[a-z_]+)"', path.read_text()))
    assert len(actions) > 25
    assert [action for action in sorted(actions) if audit_action_label(action) == action] == []
