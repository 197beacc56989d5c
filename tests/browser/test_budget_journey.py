"""A participatory budget's journey in Chromium: a resident proposes an idea; the admin
analyses it, declares it eligible and puts it to the vote; the admin opens the vote; three
residents vote (one ballot over the envelope is refused, one ballot is changed); the admin
closes the vote and publishes the results; anyone sees the winners, the idea among them,
and the idea's page says it is selected."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from participation import services
from participation.budgets import services as budget_services
from participation.budgets.models import Ballot, Budget, Project
from participation.ideas.models import Proposal, ProposalProject
from participation.models import Phase
from tests.browser.conftest import signed_in
from tests.participation.factories import AdminFactory, ParticipantFactory

ADMIN = "budget.mairie@parcours.fr"
CAMILLE = "camille.tilleuls@exemple.fr"  # proposes the idea, then votes (first refused)
KARIM = "karim.tilleuls@exemple.fr"  # votes, then changes the ballot
NINA = "nina.tilleuls@exemple.fr"  # votes once

AMOUNT = 50_000
PLAYGROUND = "Aire de jeux du square des Tilleuls"  # 30 000 €
FITNESS = "Parcours sportif le long du canal"  # 25 000 €
GARDEN = "Jardin partagé rue Voltaire"  # 15 000 €
IDEA = "Boîte à livres devant l'école des Tilleuls"  # 8 000 € (the services' estimate)


@pytest.fixture
def campaign(committed_town):
    """A published budget campaign: a call for ideas collecting now and a knapsack budget
    of 50 000 € with three projects, no vote phase yet (the admin adds it once the idea is
    a project: no project may join a budget once its vote has started)."""
    admin = AdminFactory(email=ADMIN, display_name="Mairie des Tilleuls")
    people = {
        email: ParticipantFactory(email=email, display_name=name)
        for email, name in ((CAMILLE, "Camille"), (KARIM, "Karim"), (NINA, "Nina"))
    }
    space = services.space_create(
        actor=admin,
        kind="budget_campaign",
        title="Budget participatif des Tilleuls",
        publish=True,
    )
    ideas = services.component_add(
        actor=admin, space=space, type_key="ideas", title="Vos idées pour les Tilleuls"
    )
    now = timezone.now()
    services.phase_add(
        actor=admin,
        component=ideas,
        kind="collect",
        starts_at=now - datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=30),
    )
    votes = services.component_add(
        actor=admin, space=space, type_key="budgets", title="Votez pour les Tilleuls"
    )
    budget = budget_services.budget_create(
        actor=admin,
        component=votes,
        title="Enveloppe des Tilleuls 2026",
        amount=AMOUNT,
        ballot_rule=Budget.BallotRule.KNAPSACK,
        result_rule=Budget.ResultRule.GREEDY,
    )
    for title, cost in ((PLAYGROUND, 30_000), (FITNESS, 25_000), (GARDEN, 15_000)):
        budget_services.project_add(actor=admin, budget=budget, title=title, cost=cost)
    return {
        "admin": admin,
        "people": people,
        "space": space,
        "ideas": ideas,
        "votes": votes,
        "budget": budget,
    }


def _minute(moment: datetime.datetime) -> str:
    """A datetime-local input's value, in the town's time zone."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _project_box(page, title: str):
    return page.get_by_role("checkbox", name=title)


def _choices(voter) -> set[str]:
    ballot = Ballot.objects.get(voter=voter)
    return {choice.project.title for choice in ballot.choices.select_related("project")}


def _result_row(page, title: str):
    return page.locator("tbody tr").filter(has=page.get_by_role("rowheader", name=title))


def test_budget_journey_from_idea_to_winners(page, chromium, town_url, campaign):
    space, ideas, votes, budget = (
        campaign["space"],
        campaign["ideas"],
        campaign["votes"],
        campaign["budget"],
    )
    camille, karim, nina = (campaign["people"][email] for email in (CAMILLE, KARIM, NINA))
    ideas_url = town_url(f"/espaces/{space.slug}/ideas/{ideas.pk}/")
    ideas_admin_url = town_url(f"/gestion/espaces/{space.slug}/ideas/{ideas.pk}/")
    votes_url = town_url(f"/espaces/{space.slug}/budgets/{votes.pk}/")
    ballot_url = town_url(f"/espaces/{space.slug}/budgets/{votes.pk}/{budget.pk}/vote/")
    budget_admin_url = town_url(f"/gestion/espaces/{space.slug}/budgets/{votes.pk}/{budget.pk}/")
    results_url = town_url(f"/espaces/{space.slug}/budgets/{votes.pk}/{budget.pk}/resultats/")

    # 1. Camille proposes an idea through the submission form.
    camille_context, camille_page = signed_in(chromium, town_url, CAMILLE)
    camille_page.goto(ideas_url)
    camille_page.get_by_role("link", name="Déposer une idée").click()
    expect(camille_page.locator("h1")).to_contain_text("Déposer une idée")
    camille_page.get_by_label("Titre", exact=True).fill(IDEA)
    camille_page.get_by_label("Description").fill(
        "Une boîte en bois où chacun dépose et emprunte des livres, à la sortie de l'école."
    )
    camille_page.get_by_label("Adresse ou lieu").fill("Devant l'école des Tilleuls")
    camille_page.get_by_label("Coût estimé en euros (facultatif)").fill("5000")
    camille_page.get_by_role("button", name="Déposer mon idée").click()
    expect(camille_page.locator("main")).to_contain_text("Merci, votre idée est déposée.")
    expect(camille_page.locator("h1")).to_contain_text(IDEA)
    proposal = Proposal.objects.get(component=ideas, author=camille)
    assert proposal.title == IDEA
    assert proposal.status == Proposal.Status.SUBMITTED
    assert proposal.estimated_cost == Decimal("5000.00")

    # 2. The admin analyses it (services' cost estimate), declares it eligible and puts it
    #    to the vote in the budget: it becomes a project.
    admin_context, admin_page = signed_in(chromium, town_url, ADMIN)
    admin_page.goto(ideas_admin_url)
    expect(admin_page.locator("main")).to_contain_text("File d'analyse")
    admin_page.get_by_role("link", name=IDEA).click()
    expect(admin_page.locator("h1")).to_contain_text(IDEA)
    admin_page.get_by_label("Note de faisabilité (interne)").fill(
        "Faisable par les services techniques ; pose par la régie bâtiments."
    )
    admin_page.get_by_label("Coût estimé par les services (€)").fill("8000")
    admin_page.get_by_role("button", name="Enregistrer l'analyse").click()
    expect(admin_page.locator("main")).to_contain_text("Analyse enregistrée.")
    expect(admin_page.locator("main .badge").first).to_have_text("En analyse")
    admin_page.locator("#eligible-reason").fill("Idée d'intérêt général, sur le domaine public.")
    admin_page.get_by_role("button", name="Déclarer recevable").click()
    expect(admin_page.locator("main")).to_contain_text(
        "L'idée est recevable ; son auteur est prévenu."
    )
    expect(admin_page.locator("main .badge").first).to_have_text("Recevable")
    admin_page.get_by_label("Budget participatif").select_option(label=budget.title)
    admin_page.get_by_role("button", name="Créer le projet soumis au vote").click()
    expect(admin_page.locator("main")).to_contain_text("L'idée est soumise au vote.")
    expect(admin_page.locator("main .badge").first).to_have_text("Soumise au vote")
    link = ProposalProject.objects.get(proposal=proposal)
    idea_project = Project.objects.get(pk=link.project_id)
    assert (idea_project.budget_id, idea_project.title) == (budget.pk, IDEA)
    assert (idea_project.cost, idea_project.proposal_id) == (8_000, proposal.pk)

    # 3. The admin opens the vote: a vote phase added in the space's back office, from the
    #    minute before now to tomorrow.
    admin_page.goto(town_url(f"/gestion/espaces/{space.slug}/"))
    votes_section = admin_page.locator("section").filter(
        has=admin_page.locator(f"#component-admin-{votes.pk}")
    )
    now = timezone.now()
    votes_section.get_by_label("Étape").select_option(label="Vote")
    votes_section.get_by_label("Début").fill(_minute(now - datetime.timedelta(minutes=1)))
    votes_section.get_by_label("Fin", exact=True).fill(_minute(now + datetime.timedelta(days=1)))
    votes_section.get_by_role("button", name="Ajouter la phase").click()
    expect(admin_page.locator("main")).to_contain_text("Phase ajoutée.")
    vote_phase = Phase.objects.get(component=votes, kind="vote")
    assert vote_phase.starts_at <= timezone.now() < vote_phase.ends_at

    # 4. Camille votes: a selection over the envelope is refused, naming the amounts, and
    #    nothing is stored; then a valid ballot.
    camille_page.goto(votes_url)
    expect(camille_page.locator("main")).to_contain_text(IDEA)
    camille_page.get_by_role("link", name="Voter", exact=True).click()
    expect(camille_page.locator("h1")).to_contain_text(budget.title)
    for title in (PLAYGROUND, FITNESS, IDEA):
        _project_box(camille_page, title).check()
    camille_page.get_by_role("button", name="Voter", exact=True).click()
    expect(camille_page.locator("#ballot-error")).to_have_text(
        "Votre sélection coûte 63 000 € pour une enveloppe de 50 000 €."
    )
    for title in (PLAYGROUND, FITNESS, IDEA):  # the refused selection is kept, to be fixed
        expect(_project_box(camille_page, title)).to_be_checked()
    assert not Ballot.objects.filter(budget=budget, voter=camille).exists()
    _project_box(camille_page, FITNESS).uncheck()
    camille_page.get_by_role("button", name="Voter", exact=True).click()
    expect(camille_page.locator("main")).to_contain_text("Votre vote est enregistré.")
    expect(camille_page.get_by_role("button", name="Modifier mon vote")).to_be_visible()
    assert _choices(camille) == {PLAYGROUND, IDEA}
    camille_context.close()

    # 5. Karim votes, then changes his ballot: one ballot, with the new choices.
    karim_context, karim_page = signed_in(chromium, town_url, KARIM)
    karim_page.goto(ballot_url)
    _project_box(karim_page, PLAYGROUND).check()
    _project_box(karim_page, GARDEN).check()
    karim_page.get_by_role("button", name="Voter", exact=True).click()
    expect(karim_page.locator("main")).to_contain_text("Votre vote est enregistré.")
    first_receipt = Ballot.objects.get(budget=budget, voter=karim).receipt
    karim_page.goto(ballot_url)
    expect(_project_box(karim_page, PLAYGROUND)).to_be_checked()
    expect(_project_box(karim_page, GARDEN)).to_be_checked()
    _project_box(karim_page, PLAYGROUND).uncheck()
    _project_box(karim_page, GARDEN).uncheck()
    _project_box(karim_page, FITNESS).check()
    _project_box(karim_page, IDEA).check()
    karim_page.get_by_role("button", name="Modifier mon vote").click()
    expect(karim_page.locator("main")).to_contain_text("Votre vote est enregistré.")
    assert Ballot.objects.filter(budget=budget, voter=karim).count() == 1
    assert _choices(karim) == {FITNESS, IDEA}
    assert Ballot.objects.get(budget=budget, voter=karim).receipt != first_receipt
    karim_context.close()

    # 6. Nina votes once.
    nina_context, nina_page = signed_in(chromium, town_url, NINA)
    nina_page.goto(ballot_url)
    _project_box(nina_page, PLAYGROUND).check()
    _project_box(nina_page, IDEA).check()
    nina_page.get_by_role("button", name="Voter", exact=True).click()
    expect(nina_page.locator("main")).to_contain_text("Votre vote est enregistré.")
    assert _choices(nina) == {PLAYGROUND, IDEA}
    nina_context.close()
    assert Ballot.objects.filter(budget=budget).count() == 3

    # 7. Results cannot be published while the vote is open.
    admin_page.goto(budget_admin_url)
    expect(admin_page.locator("main")).to_contain_text("3 bulletins")
    admin_page.get_by_role("button", name="Publier les résultats").click()
    expect(admin_page.get_by_role("alert")).to_contain_text(
        "Les résultats se publient une fois le vote clos."
    )
    assert Budget.objects.get(pk=budget.pk).results_published_at is None

    # 8. The admin closes the vote from the space's back office.
    admin_page.goto(town_url(f"/gestion/espaces/{space.slug}/"))
    admin_page.get_by_role("button", name="Clore « Vote » maintenant").click()
    expect(admin_page.locator("main")).to_contain_text("Phase close.")
    vote_phase.refresh_from_db()
    assert vote_phase.ends_at <= timezone.now()
    nina_context, nina_page = signed_in(chromium, town_url, NINA)
    nina_page.goto(ballot_url)
    # The page says the service's own reason (budgets.vote_budget's), with the closing date.
    expect(nina_page.locator("main")).to_contain_text("Le vote est clos depuis le")
    expect(nina_page.get_by_role("button", name="Modifier mon vote")).to_have_count(0)
    nina_context.close()

    # 9. The admin publishes the results from the budget's back office.
    admin_page.goto(budget_admin_url)
    admin_page.get_by_role("button", name="Publier les résultats").click()
    expect(admin_page.locator("main")).to_contain_text("Résultats publiés.")
    expect(admin_page.locator("main")).to_contain_text("résultats publiés le")
    expect(admin_page.get_by_role("button", name="Publier les résultats")).to_have_count(0)
    admin_context.close()
    budget.refresh_from_db()
    assert budget.results_published_at is not None
    assert set(budget.published_selection) == {
        idea_project.pk,
        Project.objects.get(budget=budget, title=PLAYGROUND).pk,
    }

    # 10. Anyone sees the winners: the idea (3 votes, 8 000 €) then the playground (2 votes,
    #     30 000 €); 12 000 € are left, too little for the fitness trail (25 000 €).
    page.goto(results_url)
    main = page.locator("main")
    expect(page.locator("h1")).to_contain_text(f"Résultats : {budget.title}")
    expect(main).not_to_contain_text("Résultats provisoires")
    expect(main).to_contain_text("3 bulletins")
    expect(main).to_contain_text("38 000 € retenus sur 50 000 € (76 %)")
    for title, ballots, selected in (
        (IDEA, "3", "oui"),
        (PLAYGROUND, "2", "oui"),
        (FITNESS, "1", "non"),
        (GARDEN, "0", "non"),
    ):
        cells = _result_row(page, title).locator("td")
        expect(cells.nth(1)).to_have_text(ballots)
        expect(cells.nth(3)).to_have_text(selected)

    # 11. The idea follows the results: its page says it is selected, its author is told.
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SELECTED
    page.goto(town_url(proposal.get_absolute_url()))
    expect(page.locator("h1")).to_contain_text(IDEA)
    expect(page.locator("main .badge").first).to_have_text("Retenue")
    expect(page.locator(".timeline")).to_contain_text("Soumise au vote")
    expect(page.locator(".timeline")).to_contain_text("Retenue")
    assert any(
        CAMILLE in message.to and "« retenue »" in message.subject for message in mail.outbox
    )
