"""The library's pages in a town's back office, driven as staff would: plain forms and POST
buttons, without JavaScript."""

import pytest
from django.urls import reverse
from django_tenants.utils import tenant_context

from network.library.models import SpaceTemplate, TemplateRating, TemplateReuse
from participation.models import Space
from tests.participation.conftest import logged_in
from tests.participation.factories import ModeratorFactory, ParticipantFactory

pytestmark = pytest.mark.usefixtures("media_root")


def _publish_page(town, admin, space):
    with tenant_context(town):
        client = logged_in(town, admin)
        return client, client.post(
            reverse("template_library:publish"),
            {
                "space_id": space.pk,
                "title": "Mobilités douces",
                "description": "Un sondage sur le vélo.",
                "tags": "mobilité, vélo",
            },
        )


def test_an_admin_publishes_then_another_town_browses_previews_copies_and_rates(
    town_a, town_b, source, target_admin
):
    admin, space = source
    _client, response = _publish_page(town_a, admin, space)
    template = SpaceTemplate.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("template_library:detail", args=[template.pk])

    with tenant_context(town_b):
        client = logged_in(town_b, target_admin)
        listing = client.get(reverse("template_library:list"), {"tag": "vélo"})
        assert "Mobilités douces" in listing.content.decode()
        assert "Ville A" in listing.content.decode()
        none = client.get(reverse("template_library:list"), {"q": "piscine"})
        assert "Aucun modèle ne correspond" in none.content.decode()

        detail = client.get(reverse("template_library:detail", args=[template.pk]))
        page = detail.content.decode()
        assert "Ce que la copie créera chez vous" in page
        assert "Venez-vous à vélo ?" in page and "Sondage express" in page

        copied = client.post(
            reverse("template_library:copy", args=[template.pk]), {"start": "2027-03-01"}
        )
        copy = Space.objects.get(title="Mobilités douces")
        assert copied["Location"] == reverse("backoffice:space", kwargs={"slug": copy.slug})
        assert copy.status == Space.Status.DRAFT

        rated = client.post(reverse("template_library:rate", args=[template.pk]), {"stars": 4})
        assert rated.status_code == 302
        again = client.get(reverse("template_library:detail", args=[template.pk]))
        assert "Réutilisé par 1 collectivité" in again.content.decode()
    assert TemplateReuse.objects.get().target_tenant == town_b
    assert TemplateRating.objects.get().stars == 4


def test_copying_a_withdrawn_template_shows_a_message_and_the_library(
    town_a, town_b, source, target_admin
):
    admin, space = source
    _publish_page(town_a, admin, space)
    pk = SpaceTemplate.objects.get().pk
    SpaceTemplate.objects.filter(pk=pk).delete()
    with tenant_context(town_b):
        client = logged_in(town_b, target_admin)
        before = Space.objects.count()
        response = client.post(
            reverse("template_library:copy", args=[pk]),
            {"start": "2027-03-01"},
            follow=True,
        )
        assert response.status_code == 200
        assert "retiré de la bibliothèque" in response.content.decode()
        assert Space.objects.count() == before
        assert client.get(reverse("template_library:detail", args=[pk])).status_code == 404


def test_publishing_without_a_title_shows_the_form_again(town_a, source):
    admin, space = source
    with tenant_context(town_a):
        client = logged_in(town_a, admin)
        response = client.post(
            reverse("template_library:publish"),
            {"space_id": space.pk, "title": "", "description": "x"},
        )
    assert response.status_code == 400
    assert not SpaceTemplate.objects.exists()


def test_residents_are_refused_and_moderators_only_browse(town_a, source):
    admin, space = source
    _publish_page(town_a, admin, space)
    template = SpaceTemplate.objects.get()
    with tenant_context(town_a):
        resident = logged_in(town_a, ParticipantFactory())
        assert resident.get(reverse("template_library:list")).status_code == 403
        moderator = logged_in(town_a, ModeratorFactory())
        assert moderator.get(reverse("template_library:list")).status_code == 200
        assert moderator.get(reverse("template_library:publish")).status_code == 403
        response = moderator.post(
            reverse("template_library:copy", args=[template.pk]), {"start": "2027-03-01"}
        )
        assert response.status_code == 403


def test_the_dashboard_leads_to_the_library(town_a, source):
    admin, _space = source
    with tenant_context(town_a):
        client = logged_in(town_a, admin)
        page = client.get(reverse("backoffice:dashboard")).content.decode()
    assert reverse("template_library:list") in page
