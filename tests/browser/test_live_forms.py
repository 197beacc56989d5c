"""Forms that answer as one fills them, in Chromium on a phone: a budget ballot's summary
(count, cost, envelope left; ranks; points) recounted as one ticks and kept in view at the
bottom of the screen, and a survey's conditional question shown only when its condition
holds. The server stays the judge: what the scripts show is never what decides."""

import datetime

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context
from playwright.sync_api import expect

from participation import services
from participation.budgets import services as budget_services
from participation.budgets.models import Budget
from participation.surveys.models import Question, Response
from participation.surveys.services import question_add, section_add, survey_create
from tests.browser.conftest import open_component
from tests.factories import PASSWORD
from tests.participation.factories import AdminFactory, ParticipantFactory

ADMIN = "direct.mairie@parcours.fr"
VOTER = "direct.votante@parcours.fr"
PROJECTS = (("Fontaine du parc", 30_000), ("Bancs de la promenade", 15_000), ("Kiosque", 10_000))


@pytest.fixture(scope="module")
def in_browser_town(browser_town, django_db_blocker):
    """The module's data, made once and committed in the browser town (the server thread
    must see it); the session drops the town at the end."""
    with django_db_blocker.unblock():
        yield browser_town


@pytest.fixture(scope="module")
def people(in_browser_town):
    with tenant_context(in_browser_town):
        return AdminFactory(email=ADMIN), ParticipantFactory(email=VOTER, display_name="Léa")


@pytest.fixture(scope="module")
def ballots(people, in_browser_town):
    """Three budgets of one campaign, one per way of counting, with the same projects."""
    with tenant_context(in_browser_town):
        return _ballots(people[0])


def _ballots(admin) -> dict[str, str]:
    space = services.space_create(
        actor=admin, kind="budget_campaign", title="Budget en direct", publish=True
    )
    component = services.component_add(
        actor=admin, space=space, type_key="budgets", title="Votez en direct"
    )
    made = {}
    for key, rule, extra in (
        ("knapsack", Budget.BallotRule.KNAPSACK, {}),
        ("ranked", Budget.BallotRule.RANKED, {"max_projects": 2}),
        ("points", Budget.BallotRule.CUMULATIVE, {"max_points": 5, "max_points_per_project": 3}),
    ):
        budget = budget_services.budget_create(
            actor=admin,
            component=component,
            title=f"Enveloppe {key}",
            amount=50_000,
            ballot_rule=rule,
            **extra,
        )
        for title, cost in PROJECTS:
            budget_services.project_add(
                actor=admin,
                budget=budget,
                title=title,
                cost=cost,
                description="Un projet proposé par les habitants du quartier, chiffré par les "
                "services techniques de la ville, à réaliser l'année prochaine.",
            )
        made[key] = f"/espaces/{space.slug}/budgets/{component.pk}/{budget.pk}/vote/"
    services.phase_add(
        actor=admin,
        component=component,
        kind="vote",
        starts_at=timezone.now() - datetime.timedelta(minutes=1),
        ends_at=timezone.now() + datetime.timedelta(days=1),
    )
    return made


def _signed_in(chromium, town_url, *, height: int = 812):
    context = chromium.new_context(viewport={"width": 375, "height": height}, locale="fr-FR")
    page = context.new_page()
    page.goto(town_url("/compte/connexion/"))
    page.get_by_label("Adresse e-mail").fill(VOTER)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator("header")).to_contain_text("Se déconnecter")
    return context, page


def _summary_text(page) -> str:
    return " ".join(page.locator("#ballot-summary").inner_text().replace("\xa0", " ").split())


def test_the_ballot_summary_counts_as_one_ticks_and_stays_in_view(chromium, town_url, ballots):
    # A short screen: the projects do not fit, the summary must stay in view all the same.
    context, page = _signed_in(chromium, town_url, height=480)
    page.goto(town_url(ballots["knapsack"]))
    summary = page.locator("#ballot-summary")
    expect(summary).to_contain_text("Projets choisis : 0")
    expect(summary).to_contain_text("Reste de l'enveloppe : 50\xa0000 €")

    page.get_by_role("checkbox", name="Fontaine du parc").check()
    page.get_by_role("checkbox", name="Bancs de la promenade").check()
    expect(summary).to_contain_text("Projets choisis : 2")
    assert _summary_text(page) == (
        "Projets choisis : 2 Total de votre sélection : 45 000 € sur 50 000 € "
        "Reste de l'enveloppe : 5 000 €"
    )
    over = page.get_by_text("Votre sélection dépasse l'enveloppe.")
    expect(over).to_be_hidden()
    page.get_by_role("checkbox", name="Kiosque").check()
    expect(summary).to_contain_text("Reste de l'enveloppe : -5\xa0000 €")
    expect(over).to_be_visible()

    # Sticky at the bottom of the screen while the list scrolls under it.
    page.evaluate("window.scrollTo(0, 250)")
    box = summary.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 480 + 1, box
    # ...where, left to flow, it would stand below the screen.
    assert (
        page.evaluate(
            "(() => { const s = document.getElementById('ballot-summary');"
            " s.style.position = 'static'; const bottom = s.getBoundingClientRect().bottom;"
            " s.style.position = ''; return bottom; })()"
        )
        > 480
    )

    # The script shows; the service judges (the same refusal as without JavaScript).
    page.get_by_role("button", name="Voter", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Votre sélection coûte 55\xa0000\xa0€ pour une enveloppe de 50\xa0000\xa0€."
    )
    page.get_by_role("checkbox", name="Fontaine du parc").uncheck()
    expect(over).to_be_hidden()
    expect(summary).to_contain_text("Total de votre sélection : 25\xa0000 €")
    context.close()


def test_ranked_and_points_ballots_count_ranks_and_points_not_euros(chromium, town_url, ballots):
    context, page = _signed_in(chromium, town_url)
    page.goto(town_url(ballots["ranked"]))
    summary = page.locator("#ballot-summary")
    expect(summary).to_contain_text("Projets classés : 0 sur 2 au plus")
    page.get_by_label("Fontaine du parc").select_option("1")
    expect(summary).to_contain_text("Projets classés : 1 sur 2 au plus")
    same_rank = page.get_by_text("Un même rang est donné à plusieurs projets.")
    expect(same_rank).to_be_hidden()
    page.get_by_label("Kiosque").select_option("1")
    expect(summary).to_contain_text("Projets classés : 2 sur 2 au plus")
    expect(same_rank).to_be_visible()
    page.get_by_label("Kiosque").select_option("2")
    expect(same_rank).to_be_hidden()
    assert "€" not in _summary_text(page)

    page.goto(town_url(ballots["points"]))
    summary = page.locator("#ballot-summary")
    expect(summary).to_contain_text("Points attribués : 0 sur 5")
    page.get_by_label("Fontaine du parc").fill("3")
    page.get_by_label("Bancs de la promenade").fill("1")
    expect(summary).to_contain_text("Points attribués : 4 sur 5")
    expect(summary).to_contain_text("Points restants : 1")
    expect(summary).to_contain_text("Projets soutenus : 2")
    too_many = page.get_by_text("Vous disposez de 5 points au plus.")
    expect(too_many).to_be_hidden()
    page.get_by_label("Kiosque").fill("2")
    expect(summary).to_contain_text("Points restants : -1")
    expect(too_many).to_be_visible()
    assert "€" not in _summary_text(page)
    context.close()


@pytest.fixture(scope="module")
def conditional_survey(people, in_browser_town):
    with tenant_context(in_browser_town):
        return _conditional_survey(people[0])


def _conditional_survey(admin) -> dict:
    space = services.space_create(
        actor=admin, kind="consultation", title="Vélo en ville (direct)", publish=True
    )
    survey = survey_create(
        actor=admin,
        component=open_component(admin, space, "surveys", "Questionnaire vélo", "answer"),
        title="Vos trajets à vélo",
    )
    section = section_add(actor=admin, survey=survey, title="Vos trajets")
    mode = question_add(
        actor=admin,
        section=section,
        kind=Question.Kind.SINGLE_CHOICE,
        label="Comment venez-vous en ville ?",
        required=True,
        options=["À pied", "À vélo"],
    )
    bike = mode.options.get(label="À vélo")
    safety = question_add(
        actor=admin,
        section=section,
        kind=Question.Kind.SINGLE_CHOICE,
        label="Vous sentez-vous en sécurité à vélo ?",
        required=True,
        options=["Oui", "Non"],
        condition_question=mode,
        condition_option=bike,
    )
    parking = question_add(
        actor=admin,
        section=section,
        kind=Question.Kind.SHORT_TEXT,
        label="Où manque-t-il un arceau ?",
        condition_question=safety,
        condition_option=safety.options.get(label="Non"),
    )
    url = f"/espaces/{space.slug}/surveys/{survey.component_id}/{survey.pk}/"
    return {"survey": survey, "url": url, "safety": safety, "parking": parking}


def test_a_conditional_question_shows_only_when_its_answer_is_chosen(
    chromium, town_url, conditional_survey, committed_town
):
    context, page = _signed_in(chromium, town_url)
    page.goto(town_url(conditional_survey["url"]))
    safety = page.get_by_role("group", name="Vous sentez-vous en sécurité à vélo ?")
    parking = page.get_by_label("Où manque-t-il un arceau ?")
    expect(page.get_by_role("group", name="Comment venez-vous en ville ?")).to_be_visible()
    expect(safety).to_be_hidden()
    expect(parking).to_be_hidden()

    page.get_by_label("À vélo").check()
    expect(safety).to_be_visible()
    expect(parking).to_be_hidden()
    safety.get_by_label("Non").check()
    expect(parking).to_be_visible()
    parking.fill("Devant la médiathèque")

    # Back on foot: the bicycle questions go, and so does the one that depended on them.
    page.get_by_label("À pied").check()
    expect(safety).to_be_hidden()
    expect(parking).to_be_hidden()
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.locator("main")).to_contain_text("Merci pour vos réponses")

    # The hidden answers were sent with the form: the server, judge of the conditions,
    # dropped them (the first question was not answered « À vélo »).
    response = Response.objects.get(survey=conditional_survey["survey"])
    assert list(response.values.values_list("question__label", flat=True)) == [
        "Comment venez-vous en ville ?"
    ]
    context.close()
