"""Questions to officials in Chromium, on a phone: a resident asks a question addressed to an
official; the admin routes it to that official; the official answers from their own account;
the resident sees the public answer (and was told by e-mail)."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from participation import services
from participation.officials.services import municipal_service_save, official_save
from participation.questions.models import Question
from tests.browser.conftest import signed_in
from tests.browser.test_layout_crawl import _axe_blocking
from tests.participation.factories import AdminFactory, ParticipantFactory

ADMIN = "questions.mairie@parcours.fr"
RESIDENT = "lea.questions@exemple.fr"
OFFICIAL = "henri.marty@parcours.fr"
TITLE = "Quand sera réparé l'éclairage de la rue Trivalle ?"
ANSWER = "Les lampadaires seront réparés lundi par la régie."


@pytest.fixture
def questions(committed_town):
    admin = AdminFactory(email=ADMIN, display_name="Mairie")
    resident = ParticipantFactory(email=RESIDENT, display_name="Léa")
    account = ParticipantFactory(email=OFFICIAL, display_name="Henri Marty")
    service = municipal_service_save(actor=admin, name="Voirie du Parcours")
    official = official_save(
        actor=admin,
        name="Henri Marty",
        title="Adjoint aux travaux",
        account=account,
        services=[service],
    )
    space = services.space_create(
        actor=admin, kind="consultation", title="Interpellez vos élus", publish=True
    )
    component = services.component_add(
        actor=admin, space=space, type_key="questions", title="Questions à vos élus"
    )
    now = timezone.now()
    services.phase_add(
        actor=admin,
        component=component,
        kind="questions",
        starts_at=now - datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=30),
    )
    return {"component": component, "official": official, "resident": resident}


def test_a_question_asked_on_a_phone_is_routed_answered_and_read(chromium, town_url, questions):
    component, official = questions["component"], questions["official"]
    slug = component.space.slug
    list_url = town_url(f"/espaces/{slug}/questions/{component.pk}/")
    admin_url = town_url(f"/gestion/espaces/{slug}/questions/{component.pk}/")

    # 1. Léa asks, on her phone; an empty question is refused first, with its reason.
    lea_context, lea = signed_in(chromium, town_url, RESIDENT)
    lea.goto(list_url)
    lea.get_by_role("link", name="Poser une question").click()
    lea.get_by_label("Titre de votre question").fill(TITLE)
    lea.get_by_role("button", name="Envoyer ma question").click()
    expect(lea.locator("main")).to_contain_text("Votre question : ce champ est obligatoire.")
    assert _axe_blocking(lea) == []
    assert not Question.objects.filter(component=component).exists()
    lea.get_by_label("Votre question", exact=True).fill(
        "La moitié des lampadaires sont éteints depuis trois semaines."
    )
    lea.get_by_label("À quel élu ?").select_option(label=str(official))
    lea.locator("#map").click()  # the place, by touching the map: it fills the coordinates
    expect(lea.get_by_label("Latitude")).not_to_have_value("")
    lea.get_by_role("button", name="Envoyer ma question").click()
    expect(lea.locator("main")).to_contain_text("Merci, votre question est posée")
    expect(lea.locator("h1")).to_contain_text(TITLE)
    question = Question.objects.get(component=component)
    assert question.status == Question.Status.RECEIVED and question.addressed_to == official
    assert question.has_coordinates

    # 2. The admin routes it to the official.
    admin_context, admin = signed_in(chromium, town_url, ADMIN)
    admin.goto(admin_url)
    admin.get_by_role("link", name=TITLE).click()
    assert _axe_blocking(admin) == []
    admin.get_by_label("À un élu").select_option(label=str(official))
    admin.get_by_role("button", name="Transmettre la question").click()
    expect(admin.locator("main")).to_contain_text("Question transmise.")
    question.refresh_from_db()
    assert question.status == Question.Status.ROUTED

    # 3. The official answers from their own account.
    official_context, henri = signed_in(chromium, town_url, OFFICIAL)
    henri.goto(admin_url)
    henri.get_by_role("link", name=TITLE).click()
    henri.get_by_label("Réponse publique").fill(ANSWER)
    henri.get_by_role("button", name="Publier la réponse").click()
    expect(henri.locator("main")).to_contain_text("Réponse publiée.")

    # 4. Léa reads the answer on the question's page, and was told at each step.
    lea.goto(town_url(question.get_absolute_url()))
    expect(lea.locator("#answer")).to_contain_text("Réponse de Henri Marty, Adjoint aux travaux")
    expect(lea.locator("#answer")).to_contain_text(ANSWER)
    assert _axe_blocking(lea) == []
    lea.goto(list_url)
    expect(lea.locator("#record-median")).to_contain_text("0 jour")
    assert _axe_blocking(lea) == []
    lea.goto(town_url("/elus/"))
    expect(lea.locator("main")).to_contain_text("Voirie du Parcours")
    assert _axe_blocking(lea) == []
    subjects = [message.subject for message in mail.outbox if RESIDENT in message.to]
    assert any("a reçu sa réponse" in subject for subject in subjects)
    for context in (lea_context, admin_context, official_context):
        context.close()
