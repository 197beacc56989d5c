"""An association's logo, uploaded with its registration or on its page, is checked and
re-encoded like every image (a file that is not one is refused, nothing saved); the directory
and the agenda export as XLSX for the town's back office, without a volunteer's address."""

import io

import openpyxl
from django.urls import reverse

from participation.models import Image
from participation.volunteering.models import Association
from tests.conftest import client_for
from tests.participation.factories import ParticipantFactory
from tests.participation.ideas.conftest import image_upload

from .conftest import VOLUNTEER_EMAIL, VOLUNTEER_PHONE
from .factories import HubFactory


def registration(hub, **extra):
    return {
        "name": "Les Amis du Lac",
        "description": "Nettoyage des berges.",
        "categories": ["environnement"],
        **extra,
    }


def test_a_logo_is_re_encoded_shown_replaced_and_removed(in_town_a, town_a, media_root):
    hub = HubFactory()
    manager = ParticipantFactory()
    client = client_for(town_a)
    client.force_login(manager)
    url = reverse("volunteering:association_register", args=[hub.space.slug, hub.pk])
    sent = image_upload("JPEG", "logo.jpg")
    made = client.post(url, registration(hub, image=sent, image_alt="Un héron bleu"))
    assert made.status_code == 302, made.content.decode()[:2000]
    association = Association.objects.get()
    logo = association.logo
    assert logo is not None and logo.alt == "Un héron bleu"
    stored = Image.objects.get(pk=logo.pk)
    assert stored.widths  # renditions written by the image service
    association.status = Association.Status.VALIDATED
    association.validated_at = association.created_at
    association.save()
    page = client.get(
        reverse("volunteering:association", args=[hub.space.slug, hub.pk, association.slug])
    ).content.decode()
    assert "Un héron bleu" in page and "<img" in page
    edit = reverse("volunteering:association_edit", args=[hub.space.slug, hub.pk, association.slug])
    assert client.get(edit).status_code == 200
    fields = registration(hub, image=image_upload("PNG", "nouveau.png"), image_alt="Un héron")
    assert client.post(edit, fields).status_code == 302
    association.refresh_from_db()
    assert association.logo_id != logo.pk and association.logo.alt == "Un héron"
    assert not Image.objects.filter(pk=logo.pk).exists()
    assert client.post(edit, registration(hub, remove_image="on")).status_code == 302
    association.refresh_from_db()
    assert association.logo is None


def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_saved(in_town_a, town_a):
    hub = HubFactory()
    client = client_for(town_a)
    client.force_login(ParticipantFactory())
    url = reverse("volunteering:association_register", args=[hub.space.slug, hub.pk])
    fake = io.BytesIO(b"%PDF-1.4 not a picture")
    fake.name = "logo.png"
    page = client.post(url, registration(hub, image=fake, image_alt="Logo"))
    assert page.status_code == 400
    assert not Association.objects.exists()
    assert not Image.objects.exists()


def test_the_directory_and_the_agenda_export_as_xlsx_without_a_volunteers_address(
    hub_world, town_a
):
    hub = hub_world["hub"]
    client = client_for(town_a)
    client.force_login(hub_world["admin"])
    sheets = {}
    for name in ("associations-xlsx", "agenda-xlsx"):
        response = client.get(
            reverse("volunteering_admin:export", args=[hub.space.slug, hub.pk, name])
        )
        assert response.status_code == 200
        assert response["Content-Disposition"].endswith('.xlsx"')
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        sheets[name] = [list(row) for row in book.active.iter_rows(values_only=True)]
    directory, agenda = sheets["associations-xlsx"], sheets["agenda-xlsx"]
    assert directory[0][0] == "nom" and agenda[0][:3] == ["type", "titre", "début"]
    assert hub_world["association"].name in {row[0] for row in directory[1:]}
    titles = {row[1] for row in agenda[1:]}
    assert {"Portes ouvertes", hub_world["mission"].title} <= titles
    cells = " ".join(str(cell) for sheet in sheets.values() for row in sheet for cell in row)
    assert VOLUNTEER_EMAIL not in cells and VOLUNTEER_PHONE not in cells
    page = client.get(reverse("volunteering_admin:index", args=[hub.space.slug, hub.pk]))
    assert "associations-xlsx" in page.content.decode()
    assert client_for(town_a).get(
        reverse("volunteering_admin:export", args=[hub.space.slug, hub.pk, "agenda-xlsx"])
    ).status_code in (302, 403)
