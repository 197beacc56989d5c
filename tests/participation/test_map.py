"""The town's map: its places (ideas, projects) as GeoJSON and as a list, public data only,
each town its own; the map opens on the town's centre, which its administrators set."""

from decimal import Decimal

import pytest
from django.test import override_settings
from django_tenants.utils import tenant_context

from participation.budgets import services as budget_services
from participation.budgets.models import Project
from participation.ideas.models import Proposal
from participation.models import Space
from tenants.models import Tenant
from tests.conftest import client_for
from tests.participation.factories import (
    AdminFactory,
    ComponentFactory,
    ParticipantFactory,
    SpaceFactory,
)

POINTS = "/carte/lieux.geojson"


def _idea(component, title, *, latitude=None, longitude=None, **fields) -> Proposal:
    return Proposal.objects.create(
        component=component,
        title=title,
        description="Une description.",
        author=ParticipantFactory(email=f"{title.split()[0].lower()}@exemple.fr"),
        latitude=latitude,
        longitude=longitude,
        **fields,
    )


@pytest.fixture
def places(in_town_a):
    """In town A: a published space with located, unlocated and merged ideas and a located
    project; a draft space with a located idea."""
    space = SpaceFactory(title="Budget participatif 2027", kind=Space.Kind.BUDGET_CAMPAIGN)
    ideas = ComponentFactory(space=space, type_key="ideas")
    kept = _idea(ideas, "Banc place du marché", latitude="48.771500", longitude="2.033500")
    _idea(ideas, "Nulle part idée", feasibility_note="Note interne des services")
    _idea(
        ideas,
        "Doublon du banc",
        latitude="48.7716",
        longitude="2.0336",
        merged_into=kept,
    )
    budget = budget_services.budget_create(
        actor=AdminFactory(),
        component=ComponentFactory(space=space, type_key="budgets"),
        title="Enveloppe 2027",
        amount=100_000,
    )
    Project.objects.create(
        budget=budget, title="Aire de jeux", cost=30_000, latitude="48.7800", longitude="2.0400"
    )
    Project.objects.create(budget=budget, title="Projet sans lieu", cost=5_000)
    draft = SpaceFactory(title="Brouillon", status=Space.Status.DRAFT, published_at=None)
    _idea(
        ComponentFactory(space=draft, type_key="ideas"),
        "Secret idée",
        latitude="48.7",
        longitude="2.0",
    )
    return {"kept": kept, "budget": budget}


def test_the_geojson_has_the_located_public_places_only(places, town_a):
    response = client_for(town_a).get(POINTS)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    data = response.json()
    assert data["type"] == "FeatureCollection"
    features = {f["properties"]["title"]: f for f in data["features"]}
    # Not the unlocated ones, nor the merged duplicate, nor the draft space's idea.
    assert set(features) == {"Banc place du marché", "Aire de jeux"}
    bench = features["Banc place du marché"]
    assert bench["geometry"] == {"type": "Point", "coordinates": [2.0335, 48.7715]}
    assert bench["properties"] == {
        "kind": "idea",
        "kind_label": "Idée",
        "title": "Banc place du marché",
        "url": f"/espaces/{places['kept'].component.space.slug}/ideas/"
        f"{places['kept'].component_id}/{places['kept'].pk}/",
        "space": "Budget participatif 2027",
        "status": "Déposée",
    }
    playground = features["Aire de jeux"]["properties"]
    assert (playground["kind"], playground["status"]) == (
        "project",
        "Soumis au vote · Enveloppe 2027",
    )
    assert playground["url"].endswith(f"#budget-{places['budget'].pk}")
    # Nothing about people or the services' internal notes.
    body = response.content.decode()
    for private in ("@exemple.fr", "Note interne", "author"):
        assert private not in body


def test_town_b_host_never_shows_town_a_places(places, town_a, town_b):
    assert client_for(town_b).get(POINTS).json() == {"type": "FeatureCollection", "features": []}
    page = client_for(town_b).get("/carte/").content.decode()
    assert "Banc place du marché" not in page
    assert "Aucune idée ni aucun projet situé sur la carte pour le moment." in page


def test_the_map_page_lists_the_same_places_without_javascript(places, town_a):
    Tenant.objects.filter(pk=town_a.pk).update(
        latitude=Decimal("48.7715"), longitude=Decimal("2.0335"), map_zoom=14
    )
    response = client_for(town_a).get("/carte/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "2 lieux sur la carte" in html
    assert ">Banc place du marché</a>" in html and ">Aire de jeux</a>" in html
    assert "Secret idée" not in html and "Nulle part idée" not in html
    assert 'data-url="/carte/lieux.geojson"' in html
    assert 'data-center-lat="48.7715" data-center-lng="2.0335" data-zoom="14" data-located="1"' in (
        html
    )
    assert "vendor/leaflet.markercluster/leaflet.markercluster.js" in html
    assert "<script>" not in html  # static scripts only: the coming CSP forbids inline ones


@override_settings(
    MAP_TILES_URL="https://tuiles.example.fr/{z}/{x}/{y}.png",
    MAP_TILES_ATTRIBUTION='&copy; <a href="https://tuiles.example.fr/">Tuiles</a>',
)
def test_tiles_come_from_the_configured_server_and_a_town_without_centre_opens_on_france(
    in_town_a, town_a
):
    html = client_for(town_a).get("/carte/").content.decode()

    assert 'data-tiles="https://tuiles.example.fr/{z}/{x}/{y}.png"' in html
    assert 'data-attribution="&amp;copy; &lt;a href=&quot;https://tuiles.example.fr/&quot;' in html
    assert 'data-center-lat="46.6" data-center-lng="2.4" data-zoom="6" data-located=""' in html
    assert "tile.openstreetmap.org" not in html


# The town's centre, set by its administrators


def _admin_client(town):
    client = client_for(town)
    with tenant_context(town):
        client.force_login(AdminFactory())
    return client


def test_an_administrator_sets_the_map_centre(town_a):
    client = _admin_client(town_a)
    page = client.get("/gestion/site/carte/")
    assert page.status_code == 200
    assert "Latitude du centre de la carte" in page.content.decode()

    response = client.post(
        "/gestion/site/carte/", {"latitude": "43,2130", "longitude": "2.3491", "map_zoom": "12"}
    )

    assert response.status_code == 302
    town_a.refresh_from_db()
    assert (town_a.latitude, town_a.longitude, town_a.map_zoom) == (
        Decimal("43.213000"),
        Decimal("2.349100"),
        12,
    )
    overview = client.get("/gestion/site/").content.decode()
    assert "Les cartes du site s'ouvrent sur 43.213000, 2.349100 (zoom 12)." in overview
    # Both emptied: the maps open on France again.
    client.post("/gestion/site/carte/", {"latitude": "", "longitude": "", "map_zoom": "12"})
    town_a.refresh_from_db()
    assert town_a.latitude is None and town_a.longitude is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"latitude": "quarante-huit", "longitude": "2"}, "La latitude est un nombre en degrés"),
        ({"latitude": "91", "longitude": "2"}, "La latitude va de -90 à 90 degrés."),
        ({"latitude": "48", "longitude": "181"}, "La longitude va de -180 à 180 degrés."),
        ({"latitude": "48", "longitude": ""}, "Indiquez la latitude et la longitude"),
        ({"latitude": "48", "longitude": "2", "map_zoom": "0"}, "Le zoom est un nombre entier"),
    ],
)
def test_bad_coordinates_are_refused_in_french_next_to_the_field(town_a, data, message):
    client = _admin_client(town_a)

    response = client.post("/gestion/site/carte/", {"map_zoom": "13", **data})

    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    town_a.refresh_from_db()
    assert town_a.latitude is None


def test_only_administrators_set_the_map_centre(town_a):
    client = client_for(town_a)
    with tenant_context(town_a):
        client.force_login(ParticipantFactory())
    response = client.post("/gestion/site/carte/", {"latitude": "1", "longitude": "1"})
    assert response.status_code == 403
    town_a.refresh_from_db()
    assert town_a.latitude is None
