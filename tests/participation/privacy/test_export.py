import json

from django_tenants.utils import tenant_context

from participation.models import SpaceFollow
from participation.privacy.services import personal_data
from tests.conftest import client_for
from tests.participation.factories import NeighbourhoodFactory, ParticipantFactory, SpaceFactory

URL = "/mes-donnees/export/"


def test_export_page_needs_login(in_town_a, town_a):
    assert client_for(town_a).get(URL).status_code == 302
    assert client_for(town_a).post(URL).status_code == 302


def test_export_gives_the_residents_data_and_nobody_elses(in_town_a, town_a):
    resident = ParticipantFactory(
        email="manon@exemple.fr",
        display_name="Manon",
        profile__neighbourhood=NeighbourhoodFactory(name="Les Tilleuls"),
        profile__birth_year=1990,
        profile__phone="06 12 34 56 78",
        profile__notify_digest=False,
    )
    neighbour = ParticipantFactory(email="voisin@exemple.fr", display_name="Voisin")
    space = SpaceFactory(title="Parc municipal")
    SpaceFollow.objects.create(user=resident, space=space)
    SpaceFollow.objects.create(user=neighbour, space=space)
    client = client_for(town_a)
    client.force_login(resident)

    page = client.get(URL)
    assert page.status_code == 200
    assert "Télécharger mes données" in page.content.decode()

    response = client.post(URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert (
        response["Content-Disposition"] == 'attachment; filename="agora-ville-a-mes-donnees.json"'
    )
    raw = response.content.decode()
    data = json.loads(raw)
    assert data["account"]["email"] == "manon@exemple.fr"
    assert data["account"]["display_name"] == "Manon"
    assert data["account"]["date_joined"]
    assert data["profile"]["neighbourhood"] == "Les Tilleuls"
    assert data["profile"]["birth_year"] == 1990
    assert data["profile"]["phone"] == "06 12 34 56 78"
    assert data["profile"]["charter_accepted_at"]
    assert data["profile"]["notifications"]["digest"] is False
    assert data["profile"]["notifications"]["phases"] is True
    assert [space["title"] for space in data["followed_spaces"]] == ["Parc municipal"]
    assert "voisin@exemple.fr" not in raw
    assert "Voisin" not in raw


def test_export_includes_every_data_source_with_personal_data(in_town_a):
    from participation.registry import registry

    resident = ParticipantFactory()
    data = personal_data(resident)
    expected = {source.key for source in registry.data_sources() if source.personal_data}
    assert set(data["modules"]) == expected
    json.dumps(data["modules"], default=str)


def test_export_of_town_a_holds_nothing_of_town_b(town_a, town_b):
    with tenant_context(town_b):
        ParticipantFactory(email="habitant-b@exemple.fr")
    with tenant_context(town_a):
        resident = ParticipantFactory()
        client = client_for(town_a)
        client.force_login(resident)
    raw = client.post(URL).content.decode()
    assert "habitant-b@exemple.fr" not in raw
    assert json.loads(raw)["town"]["slug"] == "ville-a"
