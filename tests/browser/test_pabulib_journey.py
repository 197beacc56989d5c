"""Pabulib and paper ballots in Chromium: the admin uploads a real pabulib file into an empty
budget, previews it, imports it and opens the vote; two agents type a paper ballot twice and
their entries differ; the ballot is flagged to both and counts for nothing; the admin keeps
the second entry; the ballot counts once."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import TeamRole
from accounts.services import team_roles_set
from participation import services
from participation.budgets import services as budget_services
from participation.budgets.models import Ballot, Budget, PaperBallot
from tests.browser.conftest import signed_in
from tests.participation.factories import AdminFactory, ParticipantFactory

PABULIB = Path(settings.BASE_DIR).resolve().parent / "shared" / "pabulib"
SAINT_CYPRIEN = PABULIB / "France_Toulouse_2022_6_-_Saint-Cyprien.pb"
ADMIN = "pabulib.mairie@parcours.fr"
LINA = "lina.bureau@parcours.fr"  # first entry
OMAR = "omar.bureau@parcours.fr"  # second entry, different
ROGUET = "Végétalisation massive de la place Roguet/ St Cyprien"
FITTE = "Réaménagement piéton, vélos et végétalisation allées Charles de Fitte"
TOILETS = "Installation des toilettes publiques entre la gare d'Arènes et le Carrefour Lombez"


@pytest.fixture
def empty_budget(committed_town):
    admin = AdminFactory(email=ADMIN, display_name="Mairie (pabulib)")
    for email, name in ((LINA, "Lina"), (OMAR, "Omar")):
        agent = ParticipantFactory(email=email, display_name=name)
        team_roles_set(user=agent, kinds={TeamRole.Kind.PAPER_AGENT})
    space = services.space_create(
        actor=admin, kind="budget_campaign", title="Budget Saint-Cyprien", publish=True
    )
    votes = services.component_add(
        actor=admin, space=space, type_key="budgets", title="Votez à Saint-Cyprien"
    )
    return budget_services.budget_create(
        actor=admin,
        component=votes,
        title="Saint-Cyprien 2022",
        amount=1,
        ballot_rule=Budget.BallotRule.APPROVAL,
        result_rule=Budget.ResultRule.GREEDY,
    )


def test_pabulib_import_then_paper_double_entry(chromium, town_url, empty_budget):
    budget = empty_budget
    space, votes = budget.component.space, budget.component
    budget_admin = town_url(f"/gestion/espaces/{space.slug}/budgets/{votes.pk}/{budget.pk}/")

    # 1. The admin uploads the file, sees its preview, and imports it.
    admin_context, admin = signed_in(chromium, town_url, ADMIN)
    admin.goto(budget_admin)
    admin.get_by_label("Fichier pabulib (.pb)").set_input_files(str(SAINT_CYPRIEN))
    admin.get_by_role("button", name="Voir l'aperçu").click()
    expect(admin.locator("h1")).to_have_text("Aperçu de l'import")
    main = admin.locator("main")
    expect(main).to_contain_text("436")
    expect(main).to_contain_text("approval")
    expect(main).to_contain_text(ROGUET)
    assert not Ballot.objects.filter(budget=budget).exists()
    admin.get_by_role("button", name="Confirmer l'import").click()
    expect(main).to_contain_text("Fichier importé : 10 projets, 436 bulletins.")
    expect(main).to_contain_text("436 bulletins")
    budget.refresh_from_db()
    assert (budget.amount, budget.max_projects) == (400_000, 3)

    # 2. The admin opens the vote from the space's back office.
    admin.goto(town_url(f"/gestion/espaces/{space.slug}/"))
    section = admin.locator("section").filter(has=admin.locator(f"#component-admin-{votes.pk}"))
    now = timezone.localtime()
    section.get_by_label("Étape").select_option(label="Vote")
    section.get_by_label("Début").fill(
        (now - datetime.timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M")
    )
    section.get_by_label("Fin", exact=True).fill(
        (now + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    )
    section.get_by_role("button", name="Ajouter la phase").click()
    expect(admin.locator("main")).to_contain_text("Phase ajoutée.")

    # 3. Lina types a paper ballot: Roguet and Fitte.
    lina_context, lina = signed_in(chromium, town_url, LINA)
    lina.goto(budget_admin)
    lina.get_by_label("Bureau de vote").fill("École Château-d'eau")
    lina.get_by_role("checkbox", name=ROGUET).check()
    lina.get_by_role("checkbox", name=FITTE).check()
    lina.get_by_role("button", name="Saisir le bulletin").click()
    expect(lina.locator("main")).to_contain_text("un autre agent doit le retaper")
    paper = PaperBallot.objects.get(budget=budget)
    expect(lina.get_by_role("link", name=f"Retaper le bulletin n° {paper.pk}")).to_have_count(0)

    # 4. Omar types it again on an empty form, and reads Roguet and the toilets.
    omar_context, omar = signed_in(chromium, town_url, OMAR)
    omar.goto(budget_admin)
    expect(omar.locator("main")).not_to_contain_text("2 choix")
    omar.get_by_role("link", name=f"Retaper le bulletin n° {paper.pk}").click()
    expect(omar.locator("h1")).to_contain_text("seconde saisie")
    for title in (ROGUET, FITTE, TOILETS):
        expect(omar.get_by_role("checkbox", name=title)).not_to_be_checked()
    omar.get_by_role("checkbox", name=ROGUET).check()
    omar.get_by_role("checkbox", name=TOILETS).check()
    omar.get_by_role("button", name="Enregistrer la seconde saisie").click()
    expect(omar.locator("main")).to_contain_text("Les deux saisies diffèrent")
    flagged = omar.locator(f"#paper-{paper.pk}")
    expect(flagged).to_contain_text("saisies différentes")
    expect(flagged.locator("mark")).to_have_count(2)  # Fitte and the toilets differ
    expect(flagged.get_by_role("button", name="Retenir la saisie 2")).to_have_count(0)
    assert Ballot.objects.filter(budget=budget).count() == 436

    # 5. Lina sees it flagged too.
    lina.goto(budget_admin)
    expect(lina.locator(f"#paper-{paper.pk}")).to_contain_text("saisies différentes")
    lina_context.close()
    omar_context.close()

    # 6. The admin keeps the second entry: the ballot counts, once.
    admin.goto(budget_admin)
    admin.locator(f"#paper-{paper.pk}").get_by_role("button", name="Retenir la saisie 2").click()
    expect(admin.locator("main")).to_contain_text("Bulletin arbitré : il est compté.")
    expect(admin.locator("main")).to_contain_text("437 bulletins")
    expect(admin.locator(f"#paper-{paper.pk}")).to_have_count(0)
    admin_context.close()
    paper.refresh_from_db()
    assert paper.status == PaperBallot.Status.COUNTED
    counted = Ballot.objects.get(budget=budget, source=Ballot.Source.PAPER)
    assert {c.project.title for c in counted.choices.select_related("project")} == {
        ROGUET,
        TOILETS,
    }
    assert Ballot.objects.filter(budget=budget).count() == 437
