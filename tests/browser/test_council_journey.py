"""A neighbourhood council's showcase in Chromium on a phone: a visitor opens the council from
its space, sees the next meeting, downloads the last minutes and finds a shop on the council's
map; the admin records a meeting held yesterday (its dates first the wrong way round), is
refused a file that is not a PDF, uploads the minutes and records who came; the public page
then offers those minutes. The council page and the meeting's back-office page pass axe."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import expect

from core.pdf import minimal_pdf
from participation import services
from participation.councils import services as council_services
from participation.councils.models import Attendance, CouncilMember, Meeting
from participation.models import Official, Space
from tests.browser.conftest import open_component
from tests.browser.test_accessibility import _blocking_violations as blocking_violations
from tests.factories import PASSWORD
from tests.participation.factories import AdminFactory

ADMIN = "conseil.mairie@parcours.fr"
SHOP = "Boulangerie du Lac"


@pytest.fixture
def council(committed_town):
    """A published council with its president, referent, a past meeting with minutes, an
    upcoming one, a located shop and a news feed; removed afterwards (the other journeys
    share this town and its map)."""
    admin = AdminFactory(email=ADMIN, display_name="Mairie")
    space = services.space_create(
        actor=admin,
        kind=Space.Kind.NEIGHBOURHOOD_COUNCIL,
        title="Conseil de quartier Pas-du-Lac",
        publish=True,
    )
    component = open_component(admin, space, "councils", "Le conseil de quartier", "publication")
    open_component(admin, space, "news", "Actualités du Pas-du-Lac", "publication")
    official = Official.objects.create(name="Élise Moreau", title="Adjointe au maire")
    joined = timezone.localdate() - datetime.timedelta(days=90)
    seat = {"actor": admin, "component": component, "joined_on": joined}
    council_services.member_add(**seat, role=CouncilMember.Role.PRESIDENT, name="Nadia Benali")
    council_services.member_add(**seat, role=CouncilMember.Role.REFERENT, official=official)
    now = timezone.now()
    past = council_services.meeting_schedule(
        actor=admin,
        component=component,
        title="Séance de septembre",
        starts_at=now - datetime.timedelta(days=30),
        ends_at=now - datetime.timedelta(days=30, hours=-2),
        place="Maison de quartier",
    )
    council_services.meeting_publish_minutes(
        actor=admin,
        meeting=past,
        file=SimpleUploadedFile("cr.pdf", minimal_pdf(["Compte rendu de septembre"])),
    )
    council_services.meeting_schedule(
        actor=admin,
        component=component,
        title="Séance de décembre",
        starts_at=now + datetime.timedelta(days=10),
        ends_at=now + datetime.timedelta(days=10, hours=2),
        place="Salle Jean-Vilar",
        agenda="1. Éclairage du chemin du lac",
    )
    council_services.shop_add(
        actor=admin,
        component=component,
        name=SHOP,
        address="4 place du Pas-du-Lac",
        description="Pain au levain.",
        opening_hours={"tue": "7h-13h, 15h30-19h30", "sun": "7h30-12h30"},
        latitude="48.7715",
        longitude="2.0335",
    )
    try:
        yield {"space": space, "component": component}
    finally:
        space.delete()
        official.delete()
        admin.delete()


@override_settings(MAP_TILES_URL="data:,{z}{x}{y}", MAP_TILES_ATTRIBUTION="Tuiles de test")
def test_council_showcase_journey(page, chromium, town_url, council):
    space, component = council["space"], council["component"]

    # 1. A visitor opens the council from its space and sees the next meeting.
    page.goto(town_url(f"/espaces/{space.slug}/"))
    page.get_by_role("link", name="Le conseil de quartier").click()
    expect(page.locator("h1")).to_have_text("Le conseil de quartier")
    next_meeting = page.locator("section", has=page.locator("#next-meeting"))
    expect(next_meeting).to_contain_text("Séance de décembre")
    expect(next_meeting).to_contain_text("Salle Jean-Vilar")
    expect(page.locator("main")).to_contain_text("Nadia Benali")
    expect(page.locator("main")).to_contain_text("Élise Moreau, Adjointe au maire")
    expect(page.get_by_role("link", name="Actualités du Pas-du-Lac")).to_be_visible()
    assert blocking_violations(page) == []

    # 2. They download the last minutes: a real PDF.
    last = page.locator("section", has=page.locator("#last-minutes"))
    with page.expect_download() as download_info:
        last.get_by_role("link", name="Télécharger le compte rendu").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    # 3. They find the bakery on the council's map and open its page.
    canvas = page.locator("[data-town-map]")
    expect(canvas).to_be_visible()
    canvas.locator(f".leaflet-marker-icon[title='{SHOP}']").click()
    popup = canvas.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Commerce · Conseil de quartier Pas-du-Lac")
    popup.get_by_role("link", name=SHOP).click()
    expect(page.locator("h1")).to_have_text(SHOP)
    expect(page.get_by_role("row", name="Mardi")).to_contain_text("7 h – 13 h, 15 h 30 – 19 h 30")
    expect(page.get_by_role("row", name="Lundi")).to_contain_text("fermé")

    # 4. The admin records yesterday's meeting.
    admin_context = chromium.new_context(viewport={"width": 375, "height": 812}, locale="fr-FR")
    admin_page = admin_context.new_page()
    admin_page.goto(town_url("/compte/connexion/"))
    admin_page.get_by_label("Adresse e-mail").fill(ADMIN)
    admin_page.get_by_label("Mot de passe").fill(PASSWORD)
    admin_page.get_by_role("button", name="Se connecter").click()
    expect(admin_page.locator("header")).to_contain_text("Se déconnecter")
    admin_page.goto(town_url(f"/gestion/espaces/{space.slug}/councils/{component.pk}/"))
    assert admin_page.evaluate("document.documentElement.scrollWidth") <= 375
    admin_page.get_by_role("link", name="Réunions", exact=True).click()
    yesterday = timezone.localtime() - datetime.timedelta(days=1)
    starts = yesterday.replace(hour=19, minute=0)
    admin_page.get_by_label("Titre").fill("Séance extraordinaire")
    admin_page.get_by_label("Début").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    # First typed the wrong way round: refused on the end's field, nothing saved.
    admin_page.get_by_label("Fin").fill(starts.replace(hour=17).strftime("%Y-%m-%dT%H:%M"))
    admin_page.get_by_label("Lieu").fill("Maison de quartier")
    admin_page.get_by_role("button", name="Programmer").click()
    expect(admin_page.locator(".field-invalid")).to_contain_text("La réunion ne peut pas finir")
    assert not Meeting.objects.filter(title="Séance extraordinaire").exists()
    admin_page.get_by_label("Fin").fill(starts.replace(hour=21).strftime("%Y-%m-%dT%H:%M"))
    admin_page.get_by_role("button", name="Programmer").click()
    expect(admin_page.locator("main")).to_contain_text("Réunion programmée.")
    meeting = Meeting.objects.get(title="Séance extraordinaire")
    assert blocking_violations(admin_page) == []
    # Nothing wider than the phone (the tables scroll within themselves).
    assert admin_page.evaluate("document.documentElement.scrollWidth") <= 375

    # 5. A picture named .pdf is refused; the real PDF is published.
    minutes_field = admin_page.get_by_label("Compte rendu (PDF)")
    minutes_field.set_input_files(
        {"name": "compte-rendu.pdf", "mimeType": "application/pdf", "buffer": b"\x89PNG\r\n\x1a\n"}
    )
    admin_page.get_by_role("button", name="Publier le compte rendu").click()
    expect(admin_page.locator(".field-invalid")).to_contain_text("n'est pas un PDF")
    meeting.refresh_from_db()
    assert not meeting.has_minutes
    admin_page.get_by_label("Compte rendu (PDF)").set_input_files(
        {
            "name": "compte-rendu.pdf",
            "mimeType": "application/pdf",
            "buffer": minimal_pdf(["Seance extraordinaire"]),
        }
    )
    admin_page.get_by_role("button", name="Publier le compte rendu").click()
    expect(admin_page.locator("main")).to_contain_text("Compte rendu publié.")

    # 6. The president came, the referent sent word; eight residents too.
    admin_page.get_by_role("group", name="Nadia Benali").get_by_label("Présent").check()
    admin_page.get_by_role("group", name="Élise Moreau").get_by_label("Excusé").check()
    admin_page.get_by_label("Habitants présents en plus des membres").fill("8")
    admin_page.get_by_role("button", name="Enregistrer les présences").click()
    expect(admin_page.locator("main")).to_contain_text("Présences enregistrées.")
    assert sorted(
        Attendance.objects.filter(meeting=meeting).values_list("member__role", "status")
    ) == [("president", "present"), ("referent", "excused")]
    admin_context.close()

    # 7. The public page now offers yesterday's minutes as the last ones.
    page.goto(town_url(f"/espaces/{space.slug}/councils/{component.pk}/"))
    last = page.locator("section", has=page.locator("#last-minutes"))
    expect(last).to_contain_text("Séance extraordinaire")
    expect(last.get_by_role("link", name="Télécharger le compte rendu")).to_be_visible()
