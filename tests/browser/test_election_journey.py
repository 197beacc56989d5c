"""A neighbourhood council's election in Chromium: a resident applies as a candidate, the
admin puts the neighbourhood's residents on the roll and validates the candidacies, closes
the candidacies, and the vote opens; two residents vote (one first tries too many names) and
note their receipts; the results are hidden until the admin closes the vote, then show the
elected, the chart, the audit and the list of receipts where each voter finds theirs."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from participation import secret_ballots, services
from participation.elections.models import Candidate, Election, Elector, box_name
from participation.models import Neighbourhood, Phase, SecretBallotVoter
from tests.browser.conftest import signed_in
from tests.participation.factories import AdminFactory, ParticipantFactory

ADMIN = "elections.mairie@parcours.fr"
LUCIE = "lucie.pres@exemple.fr"  # applies, then votes
OMAR = "omar.pres@exemple.fr"  # votes
SARAH = "sarah.pres@exemple.fr"  # stands too (candidacy made by the fixture)


@pytest.fixture
def election(committed_town):
    admin = AdminFactory(email=ADMIN, display_name="Mairie")
    place = Neighbourhood.objects.create(name="Les Prés fleuris", slug="les-pres-fleuris")
    people = {}
    for email, name in ((LUCIE, "Lucie"), (OMAR, "Omar"), (SARAH, "Sarah")):
        people[email] = ParticipantFactory(email=email, display_name=name)
        people[email].profile.neighbourhood = place
        people[email].profile.save()
    space = services.space_create(
        actor=admin,
        kind="neighbourhood_council",
        title="Conseil de quartier des Prés fleuris",
        neighbourhood=place,
        publish=True,
    )
    component = services.component_add(
        actor=admin, space=space, type_key="elections", title="Élection du conseil"
    )
    Election.objects.create(component=component, seats=1)
    now = timezone.now()
    services.phase_add(
        actor=admin,
        component=component,
        kind="candidacy",
        starts_at=now - datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=10),
    )
    Elector.objects.create(
        component=component, user=people[SARAH], email=SARAH, source=Elector.Source.RESIDENT
    )
    Candidate.objects.create(
        component=component,
        user=people[SARAH],
        name="Sarah Benali",
        gender="f",
        statement="Des bancs et de l'ombre au square.",
    )
    return {"admin": admin, "space": space, "component": component, "people": people}


def test_election_journey(page, chromium, town_url, election):
    space, component = election["space"], election["component"]
    base = f"/espaces/{space.slug}/elections/{component.pk}/"
    admin_url = town_url(f"/gestion/espaces/{space.slug}/elections/{component.pk}/")

    # 1. The admin puts the neighbourhood's verified residents on the roll.
    admin_context, admin_page = signed_in(chromium, town_url, ADMIN)
    admin_page.goto(admin_url)
    admin_page.get_by_role("button", name="Inscrire les résidents vérifiés du quartier").click()
    expect(admin_page.locator("main")).to_contain_text("résidents ajoutés à la liste")
    assert Elector.objects.filter(component=component).count() == 3

    # 2. Lucie applies, with her statement.
    lucie_context, lucie_page = signed_in(chromium, town_url, LUCIE)
    lucie_page.goto(town_url(base))
    lucie_page.get_by_role("link", name="Se porter candidat").click()
    lucie_page.get_by_label("Nom affiché sur le bulletin").fill("Lucie Martin")
    lucie_page.get_by_label("femme").check()
    lucie_page.get_by_label("Profession de foi").fill("Un marché le samedi sur la place.")
    lucie_page.get_by_role("button", name="Déposer ma candidature").click()
    expect(lucie_page.locator("main")).to_contain_text("votre candidature est enregistrée")
    lucie_page.goto(town_url(base))
    expect(lucie_page.locator("main")).to_contain_text("en attente de validation")
    expect(lucie_page.locator("main")).not_to_contain_text("Un marché le samedi")

    # 3. The admin validates both candidacies, closes them and opens the vote.
    admin_page.goto(admin_url)
    for name in ("Lucie Martin", "Sarah Benali"):
        admin_page.get_by_role("button", name=f"Valider la candidature de {name}").click()
        expect(admin_page.locator("main")).to_contain_text("Candidature validée.")
    admin_page.goto(town_url(f"/gestion/espaces/{space.slug}/"))
    admin_page.get_by_role("button", name="Clore « Dépôt des candidatures » maintenant").click()
    expect(admin_page.locator("main")).to_contain_text("Phase close.")
    # The vote opens the moment the candidacies closed (the back office's phase form counts
    # in minutes; the closing was to the second).
    closed = Phase.objects.get(component=component, kind="candidacy").ends_at
    services.phase_add(
        actor=election["admin"],
        component=component,
        kind="vote",
        starts_at=closed,
        ends_at=closed + datetime.timedelta(days=1),
    )

    # 4. Lucie votes: two names for one seat are refused, then her ballot; her receipt.
    lucie_page.goto(town_url(base))
    expect(lucie_page.locator("main")).to_contain_text("Un marché le samedi")
    lucie_page.get_by_role("link", name="Voter", exact=True).click()
    expect(lucie_page.locator("main")).to_contain_text("ne peut plus être modifié")
    lucie_page.get_by_label("Lucie Martin").check()
    lucie_page.get_by_label("Sarah Benali").check()
    lucie_page.get_by_role("button", name="Déposer mon bulletin").click()
    expect(lucie_page.locator("#ballot-error")).to_contain_text("1 candidat au plus (2 choisis)")
    lucie_page.get_by_label("Lucie Martin").uncheck()
    lucie_page.get_by_role("button", name="Déposer mon bulletin").click()
    expect(lucie_page.locator("h1")).to_contain_text("Votre bulletin est déposé")
    lucie_receipt = lucie_page.locator("#receipt").inner_text()
    lucie_page.goto(town_url(base + "voter/"))
    expect(lucie_page.locator("main")).to_contain_text("Vous avez déjà voté")

    # 5. Omar votes; the results are not shown while the vote is open.
    omar_context, omar_page = signed_in(chromium, town_url, OMAR)
    omar_page.goto(town_url(base + "voter/"))
    omar_page.get_by_label("Sarah Benali").check()
    omar_page.get_by_role("button", name="Déposer mon bulletin").click()
    omar_receipt = omar_page.locator("#receipt").inner_text()
    assert lucie_receipt != omar_receipt
    omar_page.goto(town_url(base + "resultats/"))
    expect(omar_page.locator("h1")).to_have_text("Élection du conseil")
    expect(omar_page.get_by_role("link", name="Résultats")).to_have_count(0)
    box = box_name(component)
    assert SecretBallotVoter.objects.filter(box=box).count() == 2
    assert secret_ballots.box_audit(box=box).ballots == 2

    # 6. The admin closes the vote; everyone sees the results and finds their receipt.
    admin_page.goto(town_url(f"/gestion/espaces/{space.slug}/"))
    admin_page.get_by_role("button", name="Clore « Vote » maintenant").click()
    expect(admin_page.locator("main")).to_contain_text("Phase close.")
    admin_context.close()
    assert Phase.objects.get(component=component, kind="vote").ends_at <= timezone.now()
    for voter_page, receipt in ((lucie_page, lucie_receipt), (omar_page, omar_receipt)):
        voter_page.goto(town_url(base))
        voter_page.get_by_role("link", name="Résultats").click()
        main = voter_page.locator("main")
        expect(voter_page.locator("h1")).to_contain_text("Résultats : Élection du conseil")
        expect(main).to_contain_text("2 bulletins")
        expect(main).to_contain_text("2 votants sur 3 inscrits (66,7 %)")
        expect(main).to_contain_text("les deux nombres sont égaux")
        expect(voter_page.get_by_role("heading", name="Voix par candidat")).to_be_visible()
        sarah_row = (
            main.locator("tbody tr")
            .filter(has=voter_page.get_by_role("rowheader", name="Sarah Benali"))
            .first
        )
        expect(sarah_row).to_contain_text("2")
        expect(sarah_row).to_contain_text("élu")
        expect(voter_page.locator(".receipts")).to_contain_text(receipt)
        assert voter_page.evaluate("document.documentElement.scrollWidth") <= 375
    lucie_context.close()
    omar_context.close()
