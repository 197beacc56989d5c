"""The town's map in Chromium: its places drawn as clustered markers from the GeoJSON, a
popup linking to the item, and the same places in the list under it."""

from django.test import override_settings
from playwright.sync_api import expect

from participation import services
from participation.ideas.models import Proposal
from participation.models import Space
from tests.participation.factories import AdminFactory, ComponentFactory


@override_settings(MAP_TILES_URL="data:,{z}{x}{y}", MAP_TILES_ATTRIBUTION="Tuiles de test")
def test_the_town_map_clusters_the_places_and_lists_them(page, town_url, committed_town):
    admin = AdminFactory(email="carte.mairie@parcours.fr")
    space = services.space_create(
        actor=admin, kind="consultation", title="Idées sur la carte", publish=True
    )
    ideas = ComponentFactory(space=space, type_key="ideas", title="Vos idées situées")
    for n, (lat, lng) in enumerate(((48.7715, 2.0335), (48.7716, 2.0337), (48.70, 2.10))):
        Proposal.objects.create(
            component=ideas,
            title=f"Idée située {n}",
            description="Ici.",
            latitude=lat,
            longitude=lng,
        )

    # The browser town is shared: the places other journeys left there (a question placed on
    # the map) would join the cluster. Their spaces are unpublished meanwhile, then restored.
    others = list(
        Space.objects.filter(status=Space.Status.PUBLISHED)
        .exclude(pk=space.pk)
        .values_list("pk", flat=True)
    )
    Space.objects.filter(pk__in=others).update(status=Space.Status.DRAFT)
    try:
        page.goto(town_url("/carte/"))
        for n in range(3):
            expect(page.locator(".town-map-list")).to_contain_text(f"Idée située {n}")
        canvas = page.locator("[data-town-map]")
        expect(canvas).to_be_visible()
        expect(canvas).to_contain_text("Tuiles de test")
        # The two ideas a few metres apart make one cluster at the town's zoom; the third apart.
        cluster = canvas.locator(".marker-cluster")
        expect(cluster).to_have_count(1)
        expect(cluster).to_contain_text("2")
        single = canvas.locator(".leaflet-marker-icon[title='Idée située 2']")
        single.click()
        popup = canvas.locator(".leaflet-popup-content")
        expect(popup.get_by_role("link", name="Idée située 2")).to_be_visible()
        expect(popup).to_contain_text("Idée · Idées sur la carte · Déposée")
    finally:
        Space.objects.filter(pk__in=others).update(status=Space.Status.PUBLISHED)
