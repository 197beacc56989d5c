"""The town's team in Chromium: Montigny's admin invites a colleague as moderator from
/gestion/equipe/; the colleague opens the e-mailed link, makes their account, and hides a
resident's comment from the moderation queue; the journal shows both actions."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from participation import services
from participation.comments.models import Comment
from participation.news.models import NewsPost
from participation.team.models import AuditEntry, Invitation
from tests.accounts.helpers import only_link_in_last_email, path_of
from tests.factories import PASSWORD
from tests.participation.factories import AdminFactory, ParticipantFactory

ADMIN = "equipe.mairie@montigny.fr"
COLLEAGUE = "claire.moderation@montigny.fr"
COMMENT = "Un commentaire hors charte sur les travaux"


@pytest.fixture
def montigny(committed_town):
    admin = AdminFactory(email=ADMIN, display_name="Mairie de Montigny")
    resident = ParticipantFactory(display_name="Paul")
    space = services.space_create(
        actor=admin, kind="consultation", title="Travaux du centre de Montigny", publish=True
    )
    news = services.component_add(actor=admin, space=space, type_key="news", title="Actualités")
    post = NewsPost.objects.create(
        component=news, title="Début des travaux", body="Lundi.", published_at=timezone.now()
    )
    comment = Comment.objects.create(
        component=news,
        content_type=ContentType.objects.get_for_model(NewsPost),
        object_id=post.pk,
        author=resident,
        body=COMMENT,
    )
    yield {"admin": admin, "comment": comment}
    AuditEntry.objects.all().delete()
    Invitation.objects.all().delete()
    space.delete()
    User.objects.filter(email__in=[ADMIN, COLLEAGUE, resident.email]).delete()


def test_an_admin_invites_a_moderator_who_accepts_and_moderates(chromium, town_url, montigny):
    admin = chromium.new_context(viewport={"width": 375, "height": 812}, locale="fr-FR")
    admin_page = admin.new_page()
    admin_page.goto(town_url("/compte/connexion/"))
    admin_page.get_by_label("Adresse e-mail").fill(ADMIN)
    admin_page.get_by_label("Mot de passe").fill(PASSWORD)
    admin_page.get_by_role("button", name="Se connecter").click()
    expect(admin_page.locator("header")).to_contain_text("Se déconnecter")

    mail.outbox.clear()
    admin_page.goto(town_url("/gestion/equipe/"))
    admin_page.get_by_label("Adresse e-mail").fill(COLLEAGUE)
    admin_page.get_by_label("Modérateur", exact=True).check()
    admin_page.get_by_role("button", name="Envoyer l'invitation").click()
    expect(admin_page.get_by_text("Invitation envoyée.")).to_be_visible()
    expect(admin_page.get_by_text("Invitations en attente")).to_be_visible()
    link = path_of(only_link_in_last_email())

    colleague = chromium.new_context(viewport={"width": 375, "height": 812}, locale="fr-FR")
    page = colleague.new_page()
    page.goto(town_url(link))
    expect(page.get_by_role("heading", name="Rejoindre l'équipe")).to_be_visible()
    page.get_by_label("Votre nom").fill("Claire")
    page.get_by_label("Mot de passe").fill("Une-phrase-secrete-2026")
    page.get_by_role("button", name="Créer mon compte et rejoindre l'équipe").click()
    expect(page.get_by_text("Bienvenue dans l'équipe !")).to_be_visible()

    page.get_by_role("link", name="Modération").click()
    card = page.locator("article.card", has_text=COMMENT)
    card.get_by_label("Motif du masquage (affiché publiquement)").fill("Propos injurieux")
    card.get_by_role("button", name="Masquer").click()
    expect(page.get_by_text("Le commentaire est masqué.")).to_be_visible()

    comment = Comment.objects.get(pk=montigny["comment"].pk)
    assert comment.hidden_by.email == COLLEAGUE
    # The link served once: opened again, it is refused.
    page.goto(town_url(link))
    expect(page.get_by_text(re.compile("déjà servi"))).to_be_visible()

    admin_page.goto(town_url("/gestion/journal/"))
    expect(admin_page.locator("table")).to_contain_text("participation:comments_admin:hide")
    expect(admin_page.locator("table")).to_contain_text(COLLEAGUE)
    expect(admin_page.locator("table")).to_contain_text("team:team")
    admin.close()
    colleague.close()
