"""The town's back office, driven as staff would: plain forms and POST buttons."""

import datetime

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from participation.models import Component, Neighbourhood, Phase, Space
from tests.conftest import client_for
from tests.participation.conftest import logged_in
from tests.participation.factories import (
    AdminFactory,
    ComponentFactory,
    ModeratorFactory,
    NeighbourhoodFactory,
    ParticipantFactory,
    PhaseFactory,
    SpaceFactory,
)


def local(moment: datetime.datetime) -> str:
    """The value a datetime-local input sends."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def phase_form(component, **fields) -> dict:
    """The phase form's fields, named with the component's prefix (one form per component)."""
    return {f"phase-{component.pk}-{name}": value for name, value in fields.items()}


def page_text(response) -> str:
    return response.content.decode()


@pytest.fixture
def admin_client(in_town_a, town_a):
    return logged_in(town_a, AdminFactory())


PAGES = ["/gestion/", "/gestion/espaces/", "/gestion/quartiers/"]


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_is_sent_to_log_in(in_town_a, town_a, url):
    response = client_for(town_a).get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/compte/connexion/?next={url}"


@pytest.mark.parametrize("url", PAGES)
def test_a_citizen_is_refused(in_town_a, town_a, url):
    assert logged_in(town_a, ParticipantFactory()).get(url).status_code == 403


def test_a_citizen_cannot_post_either(in_town_a, town_a):
    space = SpaceFactory(status=Space.Status.DRAFT)
    client = logged_in(town_a, ParticipantFactory())
    assert (
        client.post("/gestion/espaces/", {"kind": "consultation", "title": "X"}).status_code == 403
    )
    assert (
        client.post(f"/gestion/espaces/{space.slug}/publier/", {"publish": "1"}).status_code == 403
    )
    space.refresh_from_db()
    assert space.status == Space.Status.DRAFT
    assert Space.objects.count() == 1


def test_a_moderator_sees_the_dashboard(in_town_a, town_a):
    page = logged_in(town_a, ModeratorFactory()).get("/gestion/")
    assert page.status_code == 200
    assert "Tableau de bord" in page_text(page)


def test_a_moderator_cannot_create_spaces(in_town_a, town_a):
    client = logged_in(town_a, ModeratorFactory())
    page = client.get("/gestion/espaces/")
    assert page.status_code == 200
    assert "Créer l&#x27;espace" not in page_text(page)
    response = client.post("/gestion/espaces/", {"kind": "consultation", "title": "Budget"})
    # Refused by the service (the page has no creation form for them to show the error in).
    assert response.status_code == 400
    assert not Space.objects.exists()


def test_an_admin_builds_a_space_from_scratch(admin_client, town_a):
    client = admin_client
    neighbourhood = NeighbourhoodFactory(name="Les Tilleuls")
    response = client.post(
        "/gestion/espaces/",
        {
            "kind": "neighbourhood_council",
            "title": "Conseil des Tilleuls",
            "summary": "Réunions du quartier",
            "neighbourhood": neighbourhood.pk,
        },
    )
    assert response.status_code == 302
    with tenant_context(town_a):
        space = Space.objects.get()
    assert response["Location"] == f"/gestion/espaces/{space.slug}/"
    assert (space.title, space.status, space.neighbourhood_id) == (
        "Conseil des Tilleuls",
        Space.Status.DRAFT,
        neighbourhood.pk,
    )
    assert client_for(town_a).get(f"/espaces/{space.slug}/").status_code == 404

    published = client.post(
        f"/gestion/espaces/{space.slug}/publier/", {"publish": "1"}, follow=True
    )
    assert "Espace publié." in page_text(published)
    assert client_for(town_a).get(f"/espaces/{space.slug}/").status_code == 200

    added = client.post(
        f"/gestion/espaces/{space.slug}/modules/",
        {"type_key": "news", "title": "Nouvelles du conseil"},
        follow=True,
    )
    assert "Module ajouté." in page_text(added)
    with tenant_context(town_a):
        component = Component.objects.get(space=space)
    assert (component.type_key, component.title) == ("news", "Nouvelles du conseil")
    # The space page links to the module's own back office.
    assert f'href="/gestion/espaces/{space.slug}/news/{component.pk}/"' in page_text(added)

    now = timezone.now().replace(second=0, microsecond=0)
    phased = client.post(
        f"/gestion/espaces/{space.slug}/modules/{component.pk}/phases/",
        phase_form(
            component,
            kind="publication",
            title="",
            starts_at=local(now),
            ends_at=local(now + datetime.timedelta(days=10)),
        ),
        follow=True,
    )
    assert "Phase ajoutée." in page_text(phased)
    with tenant_context(town_a):
        phase = Phase.objects.get(component=component)
    assert phase.starts_at == now
    assert phase.ends_at == now + datetime.timedelta(days=10)

    unpublished = client.post(
        f"/gestion/espaces/{space.slug}/publier/", {"publish": "0"}, follow=True
    )
    assert "Espace repassé en brouillon." in page_text(unpublished)
    with tenant_context(town_a):
        assert Space.objects.get().status == Space.Status.DRAFT


def test_an_admin_edits_a_space(admin_client, town_a):
    space = SpaceFactory(title="Avant")
    response = admin_client.post(
        f"/gestion/espaces/{space.slug}/", {"title": "Après", "summary": "", "description": ""}
    )
    assert response.status_code == 302
    with tenant_context(town_a):
        space.refresh_from_db()
    assert space.title == "Après"


def test_an_empty_title_is_refused_with_a_french_message(admin_client, town_a):
    space = SpaceFactory(title="Avant")
    response = admin_client.post(f"/gestion/espaces/{space.slug}/", {"title": ""})
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in page_text(response)
    with tenant_context(town_a):
        space.refresh_from_db()
    assert space.title == "Avant"


def space_order(town) -> list[int]:
    with tenant_context(town):
        return list(Space.objects.values_list("pk", flat=True))


def test_spaces_move_up_and_down(admin_client, town_a):
    first, second, third = (SpaceFactory(position=i) for i in range(3))
    response = admin_client.post(f"/gestion/espaces/{third.slug}/deplacer/", {"direction": "up"})
    assert response.status_code == 302
    assert response["Location"] == "/gestion/espaces/"
    assert space_order(town_a) == [first.pk, third.pk, second.pk]
    admin_client.post(f"/gestion/espaces/{first.slug}/deplacer/", {"direction": "down"})
    assert space_order(town_a) == [third.pk, first.pk, second.pk]
    # The first cannot go further up, nor the last further down.
    admin_client.post(f"/gestion/espaces/{third.slug}/deplacer/", {"direction": "up"})
    admin_client.post(f"/gestion/espaces/{second.slug}/deplacer/", {"direction": "down"})
    assert space_order(town_a) == [third.pk, first.pk, second.pk]


def test_moderators_do_not_reorder_spaces(in_town_a, town_a):
    first, second = SpaceFactory(position=0), SpaceFactory(position=1)
    client = logged_in(town_a, ModeratorFactory())
    response = client.post(
        f"/gestion/espaces/{second.slug}/deplacer/", {"direction": "up"}, follow=True
    )
    assert "Vous n&#x27;avez pas les droits nécessaires" in page_text(response)
    assert space_order(town_a) == [first.pk, second.pk]


def test_components_move_up_and_down(admin_client, town_a):
    space = SpaceFactory()
    first, second = (
        ComponentFactory(space=space, position=0),
        ComponentFactory(space=space, position=1),
    )
    url = f"/gestion/espaces/{space.slug}/modules/{second.pk}/deplacer/"
    response = admin_client.post(url, {"direction": "up"}, follow=True)
    assert "Ordre enregistré." in page_text(response)
    with tenant_context(town_a):
        assert list(space.components.values_list("pk", flat=True)) == [second.pk, first.pk]
    admin_client.post(url, {"direction": "down"})
    with tenant_context(town_a):
        assert list(space.components.values_list("pk", flat=True)) == [first.pk, second.pk]


def test_an_admin_adds_a_neighbourhood(admin_client, town_a):
    response = admin_client.post("/gestion/quartiers/", {"name": "Les Tilleuls"})
    assert response.status_code == 302
    page = admin_client.get("/gestion/quartiers/")
    assert "Les Tilleuls" in page_text(page)
    duplicate = admin_client.post("/gestion/quartiers/", {"name": "Les Tilleuls"})
    assert "Le quartier « Les Tilleuls » existe déjà." in page_text(duplicate)
    with tenant_context(town_a):
        assert Neighbourhood.objects.count() == 1


def test_moderators_do_not_add_neighbourhoods(in_town_a, town_a):
    client = logged_in(town_a, ModeratorFactory())
    assert client.get("/gestion/quartiers/").status_code == 200
    assert client.post("/gestion/quartiers/", {"name": "Les Tilleuls"}).status_code == 403
    with tenant_context(town_a):
        assert not Neighbourhood.objects.exists()


# Bad input: a French message, nothing changed.


def test_an_overlapping_phase_is_refused(admin_client, town_a):
    existing = PhaseFactory(title="Première phase")
    space = existing.component.space
    response = admin_client.post(
        f"/gestion/espaces/{space.slug}/modules/{existing.component.pk}/phases/",
        phase_form(
            existing.component,
            kind="publication",
            starts_at=local(existing.starts_at + datetime.timedelta(days=2)),
            ends_at=local(existing.ends_at + datetime.timedelta(days=2)),
        ),
        follow=True,
    )
    assert "Cette phase chevauche « Première phase »." in page_text(response)
    with tenant_context(town_a):
        assert Phase.objects.count() == 1


def test_a_phase_ending_before_it_starts_is_refused(admin_client, town_a):
    component = ComponentFactory()
    now = timezone.now()
    response = admin_client.post(
        f"/gestion/espaces/{component.space.slug}/modules/{component.pk}/phases/",
        phase_form(
            component,
            kind="publication",
            starts_at=local(now + datetime.timedelta(days=3)),
            ends_at=local(now),
        ),
        follow=True,
    )
    assert "La fin d&#x27;une phase doit venir après son début." in page_text(response)
    with tenant_context(town_a):
        assert not Phase.objects.exists()


def test_a_phase_without_dates_is_refused(admin_client, town_a):
    component = ComponentFactory()
    response = admin_client.post(
        f"/gestion/espaces/{component.space.slug}/modules/{component.pk}/phases/",
        phase_form(component, kind="publication", starts_at="", ends_at="demain"),
        follow=True,
    )
    html = page_text(response)
    assert "Début : Ce champ est obligatoire." in html
    assert "Fin : Saisissez une date et une heure valides." in html
    with tenant_context(town_a):
        assert not Phase.objects.exists()


@pytest.mark.parametrize("type_key", ["tombola", ""])
def test_an_unknown_module_posted_by_hand_is_refused(admin_client, town_a, type_key):
    space = SpaceFactory()
    response = admin_client.post(
        f"/gestion/espaces/{space.slug}/modules/",
        {"type_key": type_key, "title": "Tombola"},
        follow=True,
    )
    assert "Choisissez un module et donnez-lui un titre." in page_text(response)
    with tenant_context(town_a):
        assert not Component.objects.exists()


def test_a_module_outside_the_subscription_posted_by_hand_is_refused(in_town_a, town_a):
    town_a.enabled_modules = ["documents"]
    town_a.save(update_fields=["enabled_modules"])
    space = SpaceFactory()
    client = logged_in(town_a, AdminFactory())
    page = client.get(f"/gestion/espaces/{space.slug}/")
    assert 'value="news"' not in page_text(page)
    assert 'value="documents"' in page_text(page)
    response = client.post(
        f"/gestion/espaces/{space.slug}/modules/", {"type_key": "news", "title": "A"}, follow=True
    )
    assert "Choisissez un module et donnez-lui un titre." in page_text(response)
    with tenant_context(town_a):
        assert not Component.objects.exists()


def test_a_space_of_another_town_is_a_404_in_the_back_office(in_town_a, town_a, town_b):
    space = SpaceFactory()
    with tenant_context(town_b):
        admin_b = AdminFactory()
    assert logged_in(town_b, admin_b).get(f"/gestion/espaces/{space.slug}/").status_code == 404


def test_an_admin_closes_a_running_phase_from_the_space_page(admin_client, town_a):
    running = PhaseFactory()
    future = PhaseFactory(
        component=running.component,
        starts_at=running.ends_at,
        ends_at=running.ends_at + datetime.timedelta(days=7),
    )
    space = running.component.space
    page = page_text(admin_client.get(f"/gestion/espaces/{space.slug}/"))
    assert f"/gestion/espaces/{space.slug}/phases/{running.pk}/clore/" in page
    assert f"/phases/{future.pk}/clore/" not in page  # only the running phase has the button

    response = admin_client.post(f"/gestion/espaces/{space.slug}/phases/{running.pk}/clore/")
    assert response.status_code == 302
    assert Phase.objects.get(pk=running.pk).ends_at <= timezone.now()

    refused = admin_client.post(
        f"/gestion/espaces/{space.slug}/phases/{future.pk}/clore/", follow=True
    )
    assert "Seule une phase en cours peut être close." in page_text(refused)
    assert Phase.objects.get(pk=future.pk).ends_at == future.ends_at


def test_a_phase_is_closed_only_through_its_own_space(admin_client, town_a):
    phase = PhaseFactory()
    other_space = SpaceFactory()
    response = admin_client.post(f"/gestion/espaces/{other_space.slug}/phases/{phase.pk}/clore/")
    assert response.status_code == 404
    assert Phase.objects.get(pk=phase.pk).ends_at == phase.ends_at


def test_a_citizen_cannot_close_a_phase(in_town_a, town_a):
    phase = PhaseFactory()
    client = logged_in(town_a, ParticipantFactory())
    response = client.post(
        f"/gestion/espaces/{phase.component.space.slug}/phases/{phase.pk}/clore/"
    )
    assert response.status_code == 403
    assert Phase.objects.get(pk=phase.pk).ends_at == phase.ends_at
