"""The template library's journey in Chromium, on a phone: Montigny has published its
« Mobilités douces » consultation; Saint-Dizier's admin (the browser town) finds it in the
library by its tag, previews what the copy will create, copies it into a draft space from a
start date, lands on that space's back-office page, and rates the template. The library's
pages pass the axe rules."""

import datetime

import pytest
from django.db import connection
from django_tenants.utils import get_public_schema_name, schema_context, tenant_context
from playwright.sync_api import expect

from accounts.models import User
from network.library.models import SpaceTemplate, TemplateRating, TemplateReuse
from network.library.services import template_publish
from participation.models import Space
from tenants.models import Tenant
from tenants.services import town_create
from tests.browser.conftest import ADMIN_EMAIL, _consultation, signed_in, town_drop
from tests.browser.test_accessibility import _blocking_violations
from tests.participation.factories import AdminFactory

SAINT_DIZIER_ADMIN = "mairie.modeles@parcours.fr"


def _montigny_consultation() -> Space:
    """The browser towns' consultation (a survey, a poll, news), published as a template."""
    space = _consultation()["space"]
    template_publish(
        actor=User.objects.get(email=ADMIN_EMAIL),
        space_id=space.pk,
        title="Mobilités douces",
        description="Un questionnaire et un sondage sur la place, ouverts un mois.",
        tags="mobilité, vélo",
    )
    return space


@pytest.fixture
def montigny_template(browser_town, django_db_blocker):
    """A committed source town with its published template; all gone afterwards."""
    with django_db_blocker.unblock():
        montigny = town_create(
            slug="montigny-parcours",
            name="Montigny (parcours)",
            kind=Tenant.Kind.COMMUNE,
            population=33_000,
            status=Tenant.Status.ACTIVE,
        ).tenant
        try:
            with tenant_context(montigny):
                _montigny_consultation()
            with tenant_context(browser_town):
                AdminFactory(email=SAINT_DIZIER_ADMIN)
            connection.set_schema_to_public()
            yield SpaceTemplate.objects.get(source_tenant=montigny)
        finally:
            with tenant_context(browser_town):
                copies = TemplateReuse.objects.filter(version__template__source_tenant=montigny)
                Space.objects.filter(
                    pk__in=list(copies.values_list("created_space_id", flat=True))
                ).delete()
                User.objects.filter(email=SAINT_DIZIER_ADMIN).delete()
            with schema_context(get_public_schema_name()):
                SpaceTemplate.objects.filter(source_tenant=montigny).delete()
            town_drop(montigny)


def test_saint_dizier_copies_montignys_template_into_a_draft_space(
    chromium, town_url, browser_town, montigny_template, django_db_blocker
):
    context, page = signed_in(chromium, town_url, SAINT_DIZIER_ADMIN)

    page.goto(town_url("/gestion/modeles/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Bibliothèque de modèles")
    assert _blocking_violations(page) == []
    page.get_by_label("Mot-clé").select_option("vélo")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("link", name="Mobilités douces").click()

    preview = page.get_by_role("region", name="Ce que la copie créera chez vous")
    expect(preview).to_contain_text("Questionnaire")
    expect(preview).to_contain_text("Faut-il piétonniser la place le samedi ?")
    assert _blocking_violations(page) == []

    page.get_by_label("Date de début des phases").fill("2027-03-01")
    page.get_by_role("button", name="Copier dans un nouvel espace en brouillon").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Place du marché")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Brouillon")
    expect(page.get_by_text("Modèle copié")).to_be_visible()
    expect(page.get_by_role("heading", name="Sondage Sondages")).to_be_visible()

    page.go_back()
    page.reload()
    page.get_by_label("5").check()
    page.get_by_role("button", name="Enregistrer ma note").click()
    expect(page.get_by_text("Merci, votre note est enregistrée.")).to_be_visible()
    expect(page.get_by_text("Réutilisé par 1 collectivité")).to_be_visible()

    with django_db_blocker.unblock():
        with tenant_context(browser_town):
            reuse = TemplateReuse.objects.get(version__template=montigny_template)
            copy = Space.objects.get(pk=reuse.created_space_id)
            assert copy.status == Space.Status.DRAFT
            first = min(p.starts_at for c in copy.components.all() for p in c.phases.all())
            assert first.date() in {datetime.date(2027, 2, 28), datetime.date(2027, 3, 1)}
        connection.set_schema_to_public()
        assert reuse.target_tenant_id == browser_town.pk
        assert TemplateRating.objects.get(template=montigny_template).stars == 5
    context.close()
