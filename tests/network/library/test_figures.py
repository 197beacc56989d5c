"""Network figures: opt-in per town, gathered from the towns' usage snapshots, shown as the
quartiles of the towns of the same size band, never below five towns, never naming one."""

import datetime
import itertools

import pytest
from django.urls import reverse
from django_tenants.utils import tenant_context

from core.errors import NotAllowed
from network.library.figures import (
    band_of,
    figures_gather,
    figures_opt_in,
    network_comparison,
)
from network.library.models import TownFigures
from participation.usage.models import UsageSnapshot
from tenants.models import Tenant
from tests.participation.conftest import logged_in
from tests.participation.factories import AdminFactory, ModeratorFactory

_numbers = itertools.count()


def _peers(count: int, *, population: int = 20_000) -> list[Tenant]:
    """Towns of the band with shared figures (rows only: no schema is needed for them)."""
    numbers = [next(_numbers) for _ in range(count)]
    towns = Tenant.objects.bulk_create(
        Tenant(
            schema_name=f"pair_{n}",
            slug=f"pair-{n}",
            name=f"Commune secrète {n}",
            kind=Tenant.Kind.COMMUNE,
            population=population,
        )
        for n in numbers
    )
    TownFigures.objects.bulk_create(
        TownFigures(
            tenant=town,
            opted_in=True,
            population=population,
            registered_share=0.02 * (n + 1),
            contributions_per_1000=10.0 * (n + 1),
            answer_days=5.0 * (n + 1),
            computed_on=datetime.date(2026, 12, 1),
        )
        for n, town in enumerate(towns)
    )
    return towns


def _snapshot(town, *, registered=1_000, contributions=300, answer_days=None):
    with tenant_context(town):
        UsageSnapshot.objects.create(
            day=datetime.date(2026, 12, 6),
            registered_citizens=registered,
            verified_citizens=registered,
            population=town.population,
            contributions_30d=contributions,
            module_figures={"answer_days": answer_days},
        )


def test_population_bands():
    assert [band_of(p) for p in (0, 1_999, 2_000, 20_000, 99_999, 250_000)] == [0, 0, 1, 2, 3, 4]


def test_opting_in_shares_the_towns_figures_from_its_last_snapshot(town_a, town_b):
    _snapshot(town_a, answer_days=9.5)
    _snapshot(town_b)
    with tenant_context(town_a):
        row = figures_opt_in(actor=AdminFactory(), town=town_a, opted_in=True)
    assert row.registered_share == pytest.approx(1_000 / 20_000)
    assert row.contributions_per_1000 == pytest.approx(15.0)
    assert row.answer_days == pytest.approx(9.5)

    assert figures_gather() == 1
    assert not TownFigures.objects.filter(tenant=town_b).exists()

    with tenant_context(town_a):
        figures_opt_in(actor=AdminFactory(), town=town_a, opted_in=False)
    figures_gather()
    row.refresh_from_db()
    assert (row.registered_share, row.contributions_per_1000, row.answer_days) == (None, None, None)


def test_only_town_admins_choose_to_share(town_a):
    with tenant_context(town_a), pytest.raises(NotAllowed):
        figures_opt_in(actor=ModeratorFactory(), town=town_a, opted_in=True)


def test_no_distribution_below_five_towns_then_quartiles(town_a):
    _snapshot(town_a)
    with tenant_context(town_a):
        figures_opt_in(actor=AdminFactory(), town=town_a, opted_in=True)
    _peers(3)
    _peers(4, population=500)  # another band: not counted
    few = network_comparison(town_a)
    assert (few.town_count, few.enough_towns) == (4, False)
    assert all(f.quartiles is None for f in few.figures)

    Tenant.objects.filter(slug__startswith="pair-").delete()
    _peers(5)
    many = network_comparison(town_a)
    assert (many.town_count, many.enough_towns) == (6, True)
    registered = many.figures[0]
    assert registered.own == pytest.approx(5.0)
    # Shares 2, 4, 6, 8, 10 % and the town's 5 %.
    assert registered.quartiles == pytest.approx((4.25, 5.5, 7.5))
    # Days to answer 5, 10, 15, 20, 25 (the town has no answered question yet).
    answer = many.figures[2]
    assert answer.own is None
    assert answer.quartiles == pytest.approx((10.0, 15.0, 20.0))


def test_the_page_names_no_other_town(town_a):
    _snapshot(town_a)
    _peers(6)
    with tenant_context(town_a):
        admin = AdminFactory()
        client = logged_in(town_a, admin)
        client.post(reverse("network_figures:opt_in"), {"share": "1"})
        page = client.get(reverse("network_figures:comparison")).content.decode()
    assert TownFigures.objects.get(tenant=town_a).opted_in
    assert "Médiane" in page and "Commune secrète" not in page
    assert "7 collectivités de votre taille" in page


def test_a_town_that_does_not_share_sees_no_distribution(town_a):
    _peers(6)
    with tenant_context(town_a):
        page = logged_in(town_a, AdminFactory()).get(reverse("network_figures:comparison"))
    assert "Partager nos chiffres avec le réseau" in page.content.decode()
    assert "Médiane" not in page.content.decode()
