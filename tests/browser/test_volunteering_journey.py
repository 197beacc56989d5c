"""Volunteering in Chromium, on a phone: an association signs up and the town validates it;
it posts a mission; a volunteer finds it in the agenda, applies and is accepted; the
association searches volunteers by skill and sends a contact request that the volunteer
accepts; they exchange a message. Nobody ever sees the other's e-mail address."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from participation import services
from participation.volunteering.models import Application, Association, ContactRequest, Mission
from tests.browser.conftest import signed_in
from tests.browser.test_layout_crawl import _problems as layout_problems
from tests.participation.factories import AdminFactory, ParticipantFactory

ADMIN = "benevolat.mairie@parcours.fr"
LEA = "lea.restos@exemple.fr"  # founds the association
SAMI = "sami.benevole@exemple.fr"  # volunteers
NAME = "Les Restos du Parcours"
MISSION = "Distribution de repas du samedi"


@pytest.fixture
def hub(committed_town):
    admin = AdminFactory(email=ADMIN, display_name="Mairie du Parcours")
    ParticipantFactory(email=LEA, display_name="Léa")
    sami = ParticipantFactory(email=SAMI, display_name="Sami")
    sami.profile.birth_year = 1990
    sami.profile.save()
    space = services.space_create(
        actor=admin, kind="volunteering_hub", title="J'aime, je m'engage", publish=True
    )
    component = services.component_add(
        actor=admin, space=space, type_key="volunteering", title="Bénévolat"
    )
    return component


def _minute(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_volunteering_journey(chromium, town_url, hub):
    base = f"/espaces/{hub.space.slug}/volunteering/{hub.pk}/"
    start = timezone.now() + datetime.timedelta(days=2)
    # Each page the journey fills in, checked on the phone: nothing wider than the screen,
    # boxes beside their words, no serious axe violation.
    problems: dict[str, list[str]] = {}

    def check(page) -> None:
        found = layout_problems(page)
        if found:
            problems[page.url] = found

    # 1. Léa signs her association up; it waits for the town.
    lea_context, lea = signed_in(chromium, town_url, LEA)
    lea.goto(town_url(base))
    lea.get_by_role("link", name="Inscrire mon association").first.click()
    check(lea)
    lea.get_by_label("Nom de l'association").fill(NAME)
    lea.get_by_label("Présentation").fill("Repas chauds et colis pour les familles.")
    lea.get_by_label("Solidarité").check()
    lea.get_by_label("Numéro RNA (facultatif)").fill("W123456789")
    lea.get_by_role("button", name="Inscrire l'association").click()
    expect(lea.locator("main")).to_contain_text("la collectivité va la valider")
    expect(lea.locator("main")).to_contain_text("En attente de validation")

    # 2. The town validates it in the back office.
    admin_context, admin = signed_in(chromium, town_url, ADMIN)
    admin.goto(town_url(f"/gestion{base}"))
    card = admin.locator("section.card").filter(has_text=NAME)
    card.get_by_role("button", name="Valider").click()
    expect(admin.locator("main")).to_contain_text("Association validée.")
    assert Association.objects.get(name=NAME).is_validated

    # 3. Léa posts a mission.
    lea.reload()
    check(lea)
    lea.get_by_role("link", name="Publier une mission").click()
    check(lea)
    lea.get_by_label("Titre").fill(MISSION)
    lea.get_by_label("Description").fill("Servir les repas et ranger la salle.")
    lea.get_by_label("Logistique").check()
    lea.get_by_label("Ponctuelle").check()
    lea.get_by_label("Début").fill(_minute(start))
    lea.get_by_label("Fin", exact=True).fill(_minute(start + datetime.timedelta(hours=3)))
    lea.get_by_label("Lieu").fill("Salle Jean-Moulin")
    lea.get_by_label("Nombre de bénévoles recherchés").fill("2")
    lea.get_by_label("Âge minimum").fill("16")
    lea.get_by_role("button", name="Publier la mission").click()
    expect(lea.locator("main")).to_contain_text("Mission publiée.")
    mission = Mission.objects.get(title=MISSION)

    # 4. Sami finds it in the agenda on his phone and applies.
    sami_context, sami = signed_in(chromium, town_url, SAMI)
    sami.goto(town_url(f"{base}agenda/?month={timezone.localtime(start):%Y-%m}"))
    check(sami)
    sami.get_by_role("link", name=MISSION).click()
    check(sami)
    expect(sami.locator("h1")).to_have_text(MISSION)
    sami.get_by_role("button", name="Je candidate").click()
    expect(sami.locator("main")).to_contain_text("Candidature envoyée")
    sami.goto(town_url(f"{base}benevole/"))
    check(sami)
    sami.get_by_label("Logistique").check()
    sami.get_by_label("Samedi matin").check()
    sami.get_by_role("button", name="Enregistrer").click()
    expect(sami.locator("main")).to_contain_text("Profil de bénévole enregistré.")

    # 5. Léa accepts him.
    lea.goto(town_url(f"{base}associations/{mission.association.slug}/gerer/"))
    lea.get_by_role("button", name="Accepter").click()
    expect(lea.locator("main")).to_contain_text("Réponse enregistrée.")
    assert Application.objects.get(mission=mission).status == Application.Status.ACCEPTED

    # 6. Léa searches volunteers by skill and asks to get in touch with Sami.
    lea.get_by_role("link", name="Chercher des bénévoles").click()
    lea.get_by_label("Compétence").select_option(label="Logistique")
    lea.get_by_role("button", name="Filtrer").click()
    found = lea.locator("article.card").filter(has_text="Sami")
    expect(found).to_have_count(1)
    check(lea)
    expect(lea.locator("main")).not_to_contain_text(SAMI)
    found.get_by_label("Votre message au bénévole").fill("Pourriez-vous venir aussi en janvier ?")
    found.get_by_role("button", name="Demander à entrer en contact").click()
    expect(lea.locator("main")).to_contain_text("Demande de contact envoyée")

    # 7. Sami accepts and writes; Léa reads and answers.
    sami.goto(town_url(f"{base}benevole/"))
    sami.get_by_role("link", name=NAME).click()
    sami.get_by_role("button", name="Accepter et ouvrir la conversation").click()
    expect(sami.locator("main")).to_contain_text("vous pouvez échanger des messages")
    sami.get_by_label("Votre message").fill("Avec plaisir, je serai là.")
    sami.get_by_role("button", name="Envoyer").click()
    expect(sami.locator("main")).to_contain_text("Message envoyé.")
    check(sami)

    lea.goto(town_url(f"{base}associations/{mission.association.slug}/gerer/"))
    lea.locator("main").get_by_role("link", name="Sami").click()
    expect(lea.locator("main")).to_contain_text("Avec plaisir, je serai là.")
    expect(lea.locator("main")).not_to_contain_text(SAMI)
    lea.get_by_label("Votre message").fill("Merci Sami, à samedi !")
    lea.get_by_role("button", name="Envoyer").click()
    expect(lea.locator("main")).to_contain_text("Merci Sami, à samedi !")
    contact = ContactRequest.objects.get(association__name=NAME)
    assert contact.status == ContactRequest.Status.ACCEPTED
    assert list(contact.messages.values_list("from_volunteer", flat=True)) == [True, False]
    for context in (lea_context, admin_context, sami_context):
        context.close()
    assert not problems, problems
