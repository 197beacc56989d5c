"""Anonymous pages come from the cache for a short while; signed-in users always get them fresh;
each town and each language has its own copies."""

from participation.models import Space
from tests.conftest import client_for
from tests.participation.factories import ParticipantFactory, SpaceFactory


def test_an_anonymous_page_is_served_from_the_cache(page_cache, in_town_a, town_a):
    space = SpaceFactory(title="Budget participatif 2027")
    url = f"/espaces/{space.slug}/"
    first = client_for(town_a).get(url)
    assert "Budget participatif 2027" in first.content.decode()
    Space.objects.filter(pk=space.pk).update(title="Titre changé")
    again = client_for(town_a).get(url)
    assert "Budget participatif 2027" in again.content.decode()
    assert "csrfmiddlewaretoken" not in again.content.decode()


def test_a_signed_in_user_gets_the_page_fresh(page_cache, in_town_a, town_a):
    space = SpaceFactory(title="Avant")
    url = f"/espaces/{space.slug}/"
    client_for(town_a).get(url)
    Space.objects.filter(pk=space.pk).update(title="Après")
    client = client_for(town_a)
    client.force_login(ParticipantFactory())
    assert "Après" in client.get(url).content.decode()


def test_each_town_and_language_has_its_own_copy(page_cache, town_a, town_b):
    french_a = client_for(town_a).get("/").content.decode()
    english_a = client_for(town_a).get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    home_b = client_for(town_b).get("/").content.decode()
    assert "Ville A" in french_a and 'lang="fr"' in french_a
    assert 'lang="en"' in english_a
    assert "Ville B" in home_b and "Ville A" not in home_b


def test_the_language_links_switch_without_a_form(town_a):
    client = client_for(town_a)
    response = client.get("/langue/en/?next=/compte/inscription/")
    assert response.status_code == 302
    assert response["Location"] == "/compte/inscription/"
    assert 'lang="en"' in client.get("/compte/inscription/").content.decode()
    assert client.get("/langue/xx/").status_code == 404
    assert client.get("/langue/fr/?next=https://pirate.example/")["Location"] == "/"
