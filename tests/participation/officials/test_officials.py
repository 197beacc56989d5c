"""The town's officials and municipal services: created, edited and ordered by the town's
administrators in the back office, listed on the public page /elus/."""

import pytest
from django_tenants.utils import tenant_context

from core.errors import Conflict, Invalid, NotAllowed
from participation.models import MunicipalService, Official
from participation.officials import services
from tests.participation.conftest import logged_in
from tests.participation.factories import AdminFactory, ModeratorFactory, ParticipantFactory

from .factories import MunicipalServiceFactory, OfficialFactory


@pytest.fixture
def admin(in_town_a):
    return AdminFactory()


def test_an_admin_creates_a_service_and_an_official_answering_through_it(admin, town_a):
    agent = ParticipantFactory(display_name="Agent")
    client = logged_in(town_a, admin)
    response = client.post(
        "/gestion/services/", {"name": "Voirie", "description": "", "members": [agent.pk]}
    )
    assert response.status_code == 302
    with tenant_context(town_a):
        service = MunicipalService.objects.get()
        assert list(service.members.all()) == [agent]
    response = client.post(
        "/gestion/elus/",
        {
            "name": "Inès Bousquet",
            "title": "Vice-présidente",
            "delegations": "Propreté",
            "services": [service.pk],
            "published": "on",
        },
    )
    assert response.status_code == 302
    with tenant_context(town_a):
        official = Official.objects.get()
        assert list(official.services.all()) == [service]
    page = logged_in(town_a).get("/elus/").content.decode()
    assert "Inès Bousquet" in page and "Voirie" in page


def test_a_moderator_and_a_resident_are_refused(town_a, in_town_a):
    for user in (ModeratorFactory(), ParticipantFactory()):
        client = logged_in(town_a, user)
        assert client.get("/gestion/elus/").status_code == 403
        assert client.post("/gestion/services/", {"name": "Piraté"}).status_code == 403
        with pytest.raises(NotAllowed):
            services.municipal_service_save(actor=user, name="Piraté")
    assert not MunicipalService.objects.exists()


def test_bad_input_is_refused_with_its_reason(admin):
    with pytest.raises(Invalid, match="Nom : ce champ est obligatoire"):
        services.official_save(actor=admin, name=" ", title="Maire")
    MunicipalServiceFactory(name="Voirie")
    with pytest.raises(Conflict, match="Un service porte déjà le nom"):
        services.municipal_service_save(actor=admin, name="Voirie")
    account = ParticipantFactory()
    services.official_save(actor=admin, name="A", title="Maire", account=account)
    with pytest.raises(Conflict, match="déjà celui d'un autre élu"):
        services.official_save(actor=admin, name="B", title="Adjoint", account=account)
    assert Official.objects.count() == 1


def test_officials_are_ordered_by_the_buttons(admin, town_a):
    first, second = OfficialFactory(name="Premier"), OfficialFactory(name="Second", position=1)
    client = logged_in(town_a, admin)
    client.post(f"/gestion/elus/{second.pk}/deplacer/", {"direction": "up"})
    with tenant_context(town_a):
        assert list(Official.objects.values_list("name", flat=True)) == ["Second", "Premier"]
    page = logged_in(town_a).get("/elus/").content.decode()
    assert page.index("Second") < page.index("Premier")
    assert first.pk


def test_an_official_is_edited_and_hidden(admin, town_a):
    official = OfficialFactory(name="Claire Fabre")
    client = logged_in(town_a, admin)
    response = client.post(
        f"/gestion/elus/{official.pk}/", {"name": "Claire Fabre", "title": "Présidente"}
    )
    assert response.status_code == 302
    with tenant_context(town_a):
        official.refresh_from_db()
        assert official.title == "Présidente" and not official.published
    assert "Claire Fabre" not in logged_in(town_a).get("/elus/").content.decode()
