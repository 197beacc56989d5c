"""The residents' pages of the engine: home, spaces, following, charter, profile."""

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from participation.models import Profile, Space, SpaceFollow
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.participation.conftest import logged_in
from tests.participation.factories import (
    AdminFactory,
    ComponentFactory,
    NeighbourhoodFactory,
    ParticipantFactory,
    SpaceFactory,
)


def test_home_lists_published_spaces_only(in_town_a, town_a):
    SpaceFactory(title="Budget participatif 2027")
    SpaceFactory(title="Projet secret", status=Space.Status.DRAFT, published_at=None)
    for client in (client_for(town_a), logged_in(town_a, AdminFactory())):
        html = client.get("/").content.decode()
        assert "Budget participatif 2027" in html
        assert "Projet secret" not in html


def test_home_without_spaces_says_so(in_town_a, town_a):
    html = client_for(town_a).get("/").content.decode()
    assert "Aucun espace de participation n'est ouvert pour le moment." in html


def test_a_draft_space_is_a_404_for_residents_and_shown_to_admins(in_town_a, town_a):
    draft = SpaceFactory(title="Projet secret", status=Space.Status.DRAFT, published_at=None)
    url = f"/espaces/{draft.slug}/"
    assert client_for(town_a).get(url).status_code == 404
    assert logged_in(town_a, ParticipantFactory()).get(url).status_code == 404
    page = logged_in(town_a, AdminFactory()).get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Projet secret" in html
    assert "Brouillon" in html


def test_a_published_space_shows_its_components(in_town_a, town_a):
    space = SpaceFactory(title="Place du marché")
    ComponentFactory(space=space, title="Les nouvelles du chantier")
    html = client_for(town_a).get(f"/espaces/{space.slug}/").content.decode()
    assert "Place du marché" in html
    assert "Les nouvelles du chantier" in html
    assert "Brouillon" not in html


def test_an_unknown_space_is_a_404(in_town_a, town_a):
    assert client_for(town_a).get("/espaces/nulle-part/").status_code == 404


def test_a_component_url_of_another_type_is_a_404(in_town_a, town_a):
    news = ComponentFactory(type_key="news")
    client = client_for(town_a)
    assert client.get(f"/espaces/{news.space.slug}/news/{news.pk}/").status_code == 200
    assert client.get(f"/espaces/{news.space.slug}/documents/{news.pk}/").status_code == 404
    other_space = SpaceFactory()
    assert client.get(f"/espaces/{other_space.slug}/news/{news.pk}/").status_code == 404


def test_town_b_cannot_reach_town_as_space(in_town_a, town_a, town_b):
    space = SpaceFactory(title="Réservé à la ville A")
    news = ComponentFactory(space=space)
    assert client_for(town_a).get(f"/espaces/{space.slug}/").status_code == 200
    client_b = client_for(town_b)
    assert client_b.get(f"/espaces/{space.slug}/").status_code == 404
    assert client_b.get(f"/espaces/{space.slug}/news/{news.pk}/").status_code == 404
    assert "Réservé à la ville A" not in client_b.get("/").content.decode()


def test_follow_then_unfollow(in_town_a, town_a):
    space, resident = SpaceFactory(), ParticipantFactory()
    client = logged_in(town_a, resident)
    url = f"/espaces/{space.slug}/suivre/"
    response = client.post(url, {"follow": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"/espaces/{space.slug}/"
    with tenant_context(town_a):
        assert SpaceFollow.objects.filter(user=resident, space=space).exists()
    page = client.get(f"/espaces/{space.slug}/").content.decode()
    assert "Vous suivez cet espace." in page
    assert "Ne plus suivre cet espace" in page
    client.post(url, {"follow": "0"})
    with tenant_context(town_a):
        assert not SpaceFollow.objects.filter(user=resident, space=space).exists()


def test_following_needs_an_account_and_a_post(in_town_a, town_a):
    space = SpaceFactory()
    url = f"/espaces/{space.slug}/suivre/"
    response = client_for(town_a).post(url, {"follow": "1"})
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/")
    assert logged_in(town_a, ParticipantFactory()).get(url).status_code == 405
    with tenant_context(town_a):
        assert not SpaceFollow.objects.exists()


def test_a_draft_cannot_be_followed_by_residents(in_town_a, town_a):
    draft = SpaceFactory(status=Space.Status.DRAFT)
    response = logged_in(town_a, ParticipantFactory()).post(
        f"/espaces/{draft.slug}/suivre/", {"follow": "1"}
    )
    assert response.status_code == 404
    with tenant_context(town_a):
        assert not SpaceFollow.objects.exists()


def test_charter_acceptance_returns_to_where_the_resident_was(in_town_a, town_a):
    user = UserFactory()
    space = SpaceFactory()
    client = logged_in(town_a, user)
    page = client.get(f"/charte/?next=/espaces/{space.slug}/")
    assert page.status_code == 200
    assert f'name="next" value="/espaces/{space.slug}/"' in page.content.decode()
    refused = client.post("/charte/", {"next": f"/espaces/{space.slug}/"})
    assert refused.status_code == 200
    assert "Cochez la case pour accepter la charte." in refused.content.decode()
    with tenant_context(town_a):
        assert not Profile.objects.filter(user=user, charter_accepted_at__isnull=False).exists()
    response = client.post("/charte/", {"accept": "1", "next": f"/espaces/{space.slug}/"})
    assert response.status_code == 302
    assert response["Location"] == f"/espaces/{space.slug}/"
    with tenant_context(town_a):
        assert Profile.objects.get(user=user).charter_accepted_at is not None
    assert "Vous avez accepté la charte le" in client.get("/charte/").content.decode()


def test_charter_acceptance_without_next_goes_home(in_town_a, town_a):
    response = logged_in(town_a, UserFactory()).post("/charte/", {"accept": "1"})
    assert response["Location"] == "/"


@pytest.mark.parametrize(
    "next_url", ["https://pirate.example/", "//pirate.example/", "http://ville-b.example/"]
)
def test_charter_acceptance_never_sends_the_resident_to_another_site(in_town_a, town_a, next_url):
    response = logged_in(town_a, UserFactory()).post("/charte/", {"accept": "1", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_the_charter_page_needs_an_account(in_town_a, town_a):
    response = client_for(town_a).get("/charte/")
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/")


def test_the_profile_saves_neighbourhood_and_birth_year(in_town_a, town_a):
    neighbourhood = NeighbourhoodFactory(name="Les Tilleuls")
    user = ParticipantFactory()
    client = logged_in(town_a, user)
    assert "Les Tilleuls" in client.get("/mon-profil/").content.decode()
    response = client.post(
        "/mon-profil/",
        {"neighbourhood": neighbourhood.pk, "birth_year": "1984", "phone": ""},
    )
    assert response.status_code == 302
    with tenant_context(town_a):
        profile = Profile.objects.get(user=user)
    assert (profile.neighbourhood_id, profile.birth_year) == (neighbourhood.pk, 1984)
    assert "Profil enregistré." in client.get("/mon-profil/").content.decode()


@pytest.mark.parametrize(
    ("birth_year", "message"),
    [
        ("1800", "Assurez-vous que cette valeur est supérieure ou égale à 1900."),
        ("next-year", "L&#x27;année de naissance doit être comprise entre {min} et {max}."),
    ],
)
def test_an_implausible_birth_year_is_refused_in_french(in_town_a, town_a, birth_year, message):
    this_year = timezone.localdate().year
    if birth_year == "next-year":
        birth_year = str(this_year + 1)
    user = ParticipantFactory()
    response = logged_in(town_a, user).post(
        "/mon-profil/", {"neighbourhood": "", "birth_year": birth_year, "phone": ""}
    )
    assert response.status_code == 400
    assert message.format(min=this_year - 120, max=this_year) in response.content.decode()
    with tenant_context(town_a):
        assert Profile.objects.get(user=user).birth_year is None


def test_the_profile_page_needs_an_account(in_town_a, town_a):
    assert client_for(town_a).get("/mon-profil/").status_code == 302


def test_scripts_in_a_space_are_shown_escaped(in_town_a, town_a):
    space = SpaceFactory(
        title="<script>alert('titre')</script>",
        summary="<script>alert('résumé')</script>",
        description="<script>alert('description')</script>\n<img src=x onerror=alert(1)>",
    )
    for url in ("/", f"/espaces/{space.slug}/"):
        html = client_for(town_a).get(url).content.decode()
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert "&lt;script&gt;alert(&#x27;titre&#x27;)&lt;/script&gt;" in html
        assert "&lt;script&gt;alert(&#x27;résumé&#x27;)&lt;/script&gt;" in html
    html = client_for(town_a).get(f"/espaces/{space.slug}/").content.decode()
    assert "&lt;script&gt;alert(&#x27;description&#x27;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
