"""A resident's journey in Chromium: sign up, verify the e-mail (read from the test outbox),
answer the survey and the poll, comment; the admin hides the comment from the moderation
queue; the resident sees it hidden."""

import re
from urllib.parse import urlsplit

from django.core import mail
from playwright.sync_api import expect

from participation.comments.models import Comment
from participation.polls.models import Answer
from participation.surveys.models import Response
from tests.browser.conftest import ADMIN_EMAIL
from tests.factories import PASSWORD

EMAIL = "lea.martin@exemple.fr"


def _verification_link(town_url) -> str:
    message = next(m for m in reversed(mail.outbox) if EMAIL in m.to)
    link = re.search(r"https?://\S+/compte/confirmer/\S+/", message.body).group(0)
    return town_url(urlsplit(link).path)


def test_resident_journey_then_moderation(page, chromium, town_url, consultation, committed_town):
    survey, poll, post = consultation["survey"], consultation["poll"], consultation["post"]
    survey_url = town_url(
        f"/espaces/{survey.component.space.slug}/surveys/{survey.component_id}/{survey.pk}/"
    )
    poll_url = town_url(f"/espaces/{poll.component.space.slug}/polls/{poll.component_id}/")
    post_url = town_url(post.get_absolute_url())

    page.goto(town_url("/compte/inscription/"))
    page.get_by_label("Nom affiché").fill("Léa")
    page.get_by_label("Adresse e-mail").fill(EMAIL)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.locator("main")).to_contain_text("Un e-mail de confirmation vient de vous")

    page.goto(_verification_link(town_url))
    expect(page.locator("main")).to_contain_text("Votre adresse e-mail est confirmée")

    page.goto(town_url("/charte/"))
    page.get_by_label("J'ai lu la charte de participation et je l'accepte.").check()
    page.get_by_role("button", name="Accepter la charte").click()
    expect(page.locator("main")).to_contain_text("Vous pouvez maintenant participer")

    page.goto(survey_url)
    page.get_by_label("À vélo").check()
    page.get_by_label("Que faudrait-il changer ?").fill("Plus d'arceaux à vélo.")
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.locator("main")).to_contain_text("Merci")
    assert Response.objects.filter(survey=survey, user__email=EMAIL).count() == 1

    page.goto(poll_url)
    page.get_by_label("Oui").check()
    page.get_by_role("button", name="Envoyer ma réponse").click()
    expect(page.locator("main")).to_contain_text("Vous avez répondu à ce sondage")
    assert Answer.objects.filter(poll=poll, user__email=EMAIL).count() == 1

    page.goto(post_url)
    page.locator("#comment-body-new").fill("Je viendrai avec mes voisins.")
    page.get_by_role("button", name="Publier le commentaire").click()
    expect(page.locator("main")).to_contain_text("Je viendrai avec mes voisins.")
    comment = Comment.objects.get(author__email=EMAIL)

    # htmx swaps the support button in place (the page is not reloaded: the marker stays).
    page.evaluate("document.body.dataset.marker = 'same-page'")
    page.get_by_role("button", name="Je soutiens").click()
    expect(page.locator(".support")).to_contain_text("1 soutien")
    assert page.evaluate("document.body.dataset.marker") == "same-page"

    admin_context = chromium.new_context(viewport={"width": 375, "height": 812}, locale="fr-FR")
    admin_page = admin_context.new_page()
    admin_page.goto(town_url("/compte/connexion/"))
    admin_page.get_by_label("Adresse e-mail").fill(ADMIN_EMAIL)
    admin_page.get_by_label("Mot de passe").fill(PASSWORD)
    admin_page.get_by_role("button", name="Se connecter").click()
    expect(admin_page.locator("header")).to_contain_text("Se déconnecter")
    admin_page.goto(town_url("/gestion/moderation/"))
    admin_page.locator(f"#hide-reason-{comment.pk}").fill("Hors sujet")
    admin_page.locator(f"#hide-reason-{comment.pk}").press("Enter")
    expect(admin_page.locator("main")).to_contain_text("Hors sujet")
    admin_context.close()
    comment.refresh_from_db()
    assert comment.status == Comment.Status.HIDDEN

    page.goto(post_url)
    main = page.locator("main")
    expect(main).to_contain_text("Commentaire masqué par la modération : Hors sujet")
    expect(main).not_to_contain_text("Je viendrai avec mes voisins.")
