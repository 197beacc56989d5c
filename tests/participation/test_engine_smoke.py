from participation.models import Component
from tests.conftest import client_for
from tests.participation.factories import PhaseFactory, SpaceFactory


def test_published_space_lists_its_components(in_town_a, town_a):
    space = SpaceFactory(title="Conseil de quartier Centre")
    PhaseFactory(component__space=space, component__title="Actualités du conseil")
    assert Component.objects.filter(space=space).count() == 1
    page = client_for(town_a).get(f"/espaces/{space.slug}/")
    assert page.status_code == 200
    assert "Actualités du conseil" in page.content.decode()
