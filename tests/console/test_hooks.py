"""What the apps above the console add to its town pages goes through console.hooks: what is
registered shows, in its place, and the pages stand without billing's or onboarding's parts."""

from __future__ import annotations

import html

import pytest

from console import hooks
from console.hooks import TownListColumns, TownPagePart


def _text(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _row(text: str, name: str) -> str:
    _before, found, after = text.partition(f">{name}</a>")
    assert found, name
    return after.split("</tr>", 1)[0]


@pytest.fixture
def registered(monkeypatch):
    """Register on a hook for one test (the registry is put back afterwards)."""

    def register(registry: dict, key: str, entry) -> None:
        monkeypatch.setitem(registry, key, entry)

    return register


def test_registered_columns_show_each_towns_values_read_once_per_page(
    console_client, town_a, town_b, registered, extra_templates
):
    extra_templates({"hooked/cells.html": "<td>essai={{ essai|default:'rien' }}</td>"})
    calls = []

    def values(towns):
        calls.append(sorted(town.slug for town in towns))
        return {town_a.pk: {"essai": "A!"}}

    registered(
        hooks._columns,
        "essai",
        TownListColumns(headers=("Colonne d'essai",), template="hooked/cells.html", values=values),
    )

    text = _text(console_client.get("/"))

    assert '<th scope="col">Colonne d\'essai</th>' in text
    assert "<td>essai=A!</td>" in _row(text, "Ville A")
    assert "<td>essai=rien</td>" in _row(text, "Ville B")
    assert calls == [sorted([town_a.slug, town_b.slug])]


def test_registered_facts_and_sections_show_on_the_town_page_in_order(
    console_client, town_a, registered, extra_templates
):
    extra_templates(
        {
            "hooked/fact.html": "<dt>Fait d'essai</dt><dd>{{ fait }} de {{ tenant.slug }}</dd>",
            "hooked/late.html": "<section>tardive {{ tenant.name }}</section>",
            "hooked/early.html": "<section>précoce {{ number }}</section>",
        }
    )
    registered(
        hooks._facts,
        "essai",
        TownPagePart(template="hooked/fact.html", context=lambda town: {"fait": town.name}),
    )
    registered(
        hooks._sections,
        "late",
        TownPagePart(template="hooked/late.html", context=lambda town: {}, order=99),
    )
    registered(
        hooks._sections,
        "early",
        TownPagePart(
            template="hooked/early.html", context=lambda town: {"number": town.pk}, order=1
        ),
    )

    text = _text(console_client.get(f"/collectivites/{town_a.slug}/"))

    # The part's own context and the page's (the town shown) are both there.
    assert "<dt>Fait d'essai</dt><dd>Ville A de ville-a</dd>" in text
    assert f"<section>précoce {town_a.pk}</section>" in text
    early = text.index("<section>précoce")
    assert early < text.index("Avant l'ouverture du site")  # the checklist: order 10
    assert text.index("<section>tardive Ville A</section>") > text.index("Fin de service")
    # Hooked sections come before the console's own.
    assert text.index("<section>tardive") < text.index('id="usage-title"')


def test_without_the_upper_apps_parts_the_console_pages_still_work(
    console_client, town_a, monkeypatch
):
    monkeypatch.setattr(hooks, "_columns", {})
    monkeypatch.setattr(hooks, "_facts", {})
    monkeypatch.setattr(hooks, "_sections", {})

    towns = _text(console_client.get("/"))
    page = _text(console_client.get(f"/collectivites/{town_a.slug}/"))

    assert "Ville A" in towns
    assert "Montant dû" not in towns
    assert "sans abonnement" not in towns
    assert "Ville A" in page
    assert "Abonnement" not in page
    assert "Avant l'ouverture du site" not in page
    assert "Fin de service" not in page
    assert "Fréquentation" in page
    assert "Journal" in page


def test_billing_and_onboarding_register_their_parts_on_start_up():
    assert [columns.headers for columns in hooks.town_list_columns()] == [
        ("Renouvellement", "Montant dû")
    ]
    assert set(hooks._facts) == {"billing"}
    assert sorted(hooks._sections, key=lambda key: hooks._sections[key].order) == [
        "golive_checklist",
        "training",
        "offboarding",
    ]
