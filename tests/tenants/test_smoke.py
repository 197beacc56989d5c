from tests.conftest import client_for


def test_town_home_is_served_on_its_subdomain(town_a):
    response = client_for(town_a).get("/")
    assert response.status_code == 200
    assert "Ville A" in response.content.decode()
