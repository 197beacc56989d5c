"""The citizens' pages (no JavaScript), the back office and the API of a budgets component."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from participation.budgets import services
from participation.budgets.models import Ballot, Budget, CensusEntry, PaperBallot, ResultOverride
from tests.conftest import client_for
from tests.factories import api_key_for
from tests.participation.budgets.conftest import CUMULATIVE, RANKED, ids, url
from tests.participation.conftest import make_user
from tests.participation.factories import ComponentFactory, ModeratorFactory, ParticipantFactory


def browser_for(town, role="citizen", user=None):
    browser = client_for(town)
    if user is None and role != "anonymous":
        user = make_user(role)
    if user is not None:
        browser.force_login(user)
    browser.user = user
    return browser


def summary(html: str) -> str:
    """The ballot's summary as one reads it (tags dropped, spaces collapsed)."""
    block = html[html.index('id="ballot-summary"') :]
    block = block[: block.index("</div>")]
    shown = re.sub(r'<p class="ballot-warning"[^>]* hidden>.*?</p>', "", block, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", shown.split(">", 1)[1])
    return " ".join(text.replace("\xa0", " ").split())


# Citizens' pages


def test_the_component_page_lists_budgets_and_projects(budget, town_a):
    page = browser_for(town_a, "anonymous").get(url(budget.component, "detail"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Capitole" in html
    assert "Végétaliser la place du Capitole" in html
    assert "200\xa0000\xa0€" in html
    assert url(budget, "ballot") in html


def test_a_script_tag_in_a_project_is_shown_escaped(make_budget, vote_phase, town_a):
    budget = make_budget(projects=[("<script>alert('x')</script>", 1_000)], title="<b>Quartier</b>")
    for page in (url(budget.component, "detail"), url(budget, "ballot")):
        html = browser_for(town_a).get(page).content.decode()
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
        assert "<b>Quartier</b>" not in html


def test_anonymous_sees_the_ballot_and_the_gate(budget, town_a):
    html = browser_for(town_a, "anonymous").get(url(budget, "ballot")).content.decode()
    assert "connectez-vous" in html
    assert "<fieldset" in html and " disabled" in html
    assert "Voter</button>" not in html


def test_approval_ballot_is_checkboxes_and_the_receipt_is_shown(budget, town_a):
    browser = browser_for(town_a)
    html = browser.get(url(budget, "ballot")).content.decode()
    for pk in ids(budget):
        assert f'type="checkbox" id="project-{pk}" name="project" value="{pk}"' in html
        assert f'<label for="project-{pk}">' in html
    assert "Cochez de 1 à 3 projets." in html

    response = browser.post(url(budget, "ballot"), {"project": ids(budget)[1:3]})
    assert response.status_code == 302
    ballot = Ballot.objects.get(budget=budget, voter=browser.user)
    page = browser.get(response["Location"]).content.decode()
    assert f"Votre reçu : {ballot.receipt}" in page
    assert "Vous pouvez le modifier jusqu'à la clôture du vote." in page
    assert f'value="{ids(budget)[1]}" checked' in page
    # 150 000 + 30 000, and no envelope left to count: an approval ballot has none.
    assert summary(page) == (
        "Projets choisis : 2 sur 3 au plus Total de votre sélection : 180 000 € sur 400 000 €"
    )
    assert "Modifier mon vote" in page

    browser.post(url(budget, "ballot"), {"project": ids(budget)[:1]})
    assert Ballot.objects.filter(budget=budget).count() == 1
    assert (
        list(Ballot.objects.get().choices.values_list("project_id", flat=True)) == ids(budget)[:1]
    )


def test_errors_are_named_with_status_400_and_the_choice_kept(make_budget, vote_phase, town_a):
    budget = make_budget(
        ballot_rule="knapsack",
        max_projects=None,
        projects=[("A", 200_000), ("B", 150_000), ("C", 62_000)],
    )
    response = browser_for(town_a).post(url(budget, "ballot"), {"project": ids(budget)})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Votre sélection coûte 412\xa0000\xa0€ pour une enveloppe de 400\xa0000\xa0€." in html
    assert 'role="alert"' in html
    assert f'value="{ids(budget)[2]}" checked' in html
    assert summary(html) == (
        "Projets choisis : 3 Total de votre sélection : 412 000 € sur 400 000 € "
        "Reste de l'enveloppe : -12 000 € Votre sélection dépasse l'enveloppe."
    )
    assert not Ballot.objects.exists()


def test_ranked_ballot_has_rank_selects(make_budget, vote_phase, town_a):
    budget = make_budget(**RANKED)
    browser = browser_for(town_a)
    html = browser.get(url(budget, "ballot")).content.decode()
    first = ids(budget)[0]
    assert f'<select id="rank-{first}" name="rank-{first}">' in html
    assert '<option value="3">3</option>' in html and '<option value="4">' not in html
    assert summary(html) == "Projets classés : 0 sur 3 au plus"
    response = browser.post(url(budget, "ballot"), {f"rank-{first}": "2"})
    assert response.status_code == 400
    assert "il manque le rang 1" in response.content.decode()
    assert summary(response.content.decode()) == "Projets classés : 1 sur 3 au plus"
    same = {f"rank-{first}": "1", f"rank-{ids(budget)[1]}": "1"}
    html = browser.post(url(budget, "ballot"), same).content.decode()
    assert "€" not in summary(html)
    assert summary(html) == (
        "Projets classés : 2 sur 3 au plus Un même rang est donné à plusieurs projets."
    )
    response = browser.post(
        url(budget, "ballot"), {f"rank-{first}": "2", f"rank-{ids(budget)[1]}": "1"}
    )
    assert response.status_code == 302
    ranks = dict(Ballot.objects.get().choices.values_list("project_id", "rank"))
    assert ranks == {first: 2, ids(budget)[1]: 1}


def test_cumulative_ballot_has_point_inputs(make_budget, vote_phase, town_a):
    budget = make_budget(**CUMULATIVE)
    browser = browser_for(town_a)
    html = browser.get(url(budget, "ballot")).content.decode()
    first = ids(budget)[0]
    assert f'type="number" id="points-{first}" name="points-{first}" min="0" max="3"' in html
    assert "Répartissez jusqu'à 7 points, 3 au plus par projet." in html
    response = browser.post(
        url(budget, "ballot"), {f"points-{first}": "3", f"points-{ids(budget)[1]}": "5"}
    )
    assert response.status_code == 400
    assert "3 points au plus par projet (5 pour" in response.content.decode()
    # Points, not euros; a project given 0 points is not chosen.
    assert summary(response.content.decode()) == (
        "Points attribués : 8 sur 7 Points restants : -1 Projets soutenus : 2 "
        "Vous disposez de 7 points au plus."
    )
    zero = {f"points-{first}": "2", f"points-{ids(budget)[1]}": "0"}
    html = browser.post(url(budget, "ballot"), {**zero, f"points-{ids(budget)[2]}": "4"})
    assert summary(html.content.decode()) == (
        "Points attribués : 6 sur 7 Points restants : 1 Projets soutenus : 2"
    )
    response = browser.post(url(budget, "ballot"), {f"points-{first}": "abc"})
    assert response.status_code == 400
    assert "« abc » n&#x27;est pas un nombre entier." in response.content.decode()
    assert browser.post(url(budget, "ballot"), {f"points-{first}": "3"}).status_code == 302


def test_a_refusal_is_403_with_its_reason(budget, town_a):
    browser = browser_for(town_a, "unverified")
    response = browser.post(url(budget, "ballot"), {"project": ids(budget)[:1]})
    assert response.status_code == 403
    assert "Confirmez d&#x27;abord votre adresse e-mail" in response.content.decode()


def test_census_fields_on_the_ballot(make_budget, vote_phase, staff, town_a):
    budget = make_budget(census_required=True)
    services.census_upload(actor=staff, budget=budget, text="Dupont;Jean;02/04/1980\n")
    browser = browser_for(town_a)
    assert 'name="last_name"' in browser.get(url(budget, "ballot")).content.decode()
    data = {"project": ids(budget)[:1], "last_name": "Dupont", "first_name": "Jean"}
    response = browser.post(url(budget, "ballot"), {**data, "birth": "1980"})
    assert response.status_code == 400
    assert "jj/mm/aaaa" in response.content.decode()
    response = browser.post(url(budget, "ballot"), {**data, "birth": "02/04/1980"})
    assert response.status_code == 302


def test_results_page_after_publication(budget, vote_phase, staff, town_a, time_machine):
    services.ballot_cast(voter=ParticipantFactory(), budget=budget, choices=ids(budget)[:2])
    citizen = browser_for(town_a)
    assert citizen.get(url(budget, "results")).status_code == 404
    assert citizen.get(url(budget, "results_csv")).status_code == 404
    moderator = browser_for(town_a, "moderator")
    assert "Résultats provisoires" in moderator.get(url(budget, "results")).content.decode()
    time_machine.move_to(vote_phase.ends_at + datetime.timedelta(hours=1), tick=False)
    services.result_override(
        actor=staff,
        budget=budget,
        project=budget.projects.get(pk=ids(budget)[1]),
        selected=False,
        reason="Travaux déjà prévus par la métropole.",
    )
    services.results_publish(actor=staff, budget=budget)
    page = citizen.get(url(budget, "results"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Voix par projet" in html and "Enveloppe utilisée" in html
    assert '<th scope="row">Végétaliser la place du Capitole</th><td>1</td>' in html
    assert "Décision de la collectivité : Travaux déjà prévus par la métropole." in html
    # The project left out frees its cost: the others that fit are funded.
    assert "295 000 € retenus sur 400 000 € (74 %)" in html.replace("\u202f", " ").replace(
        "\xa0", " "
    )
    csv = citizen.get(url(budget, "results_csv"))
    assert csv["Content-Type"].startswith("text/csv")
    assert "Travaux déjà prévus" in csv.content.decode("utf-8-sig")
    detail = citizen.get(url(budget.component, "detail")).content.decode()
    assert url(budget, "results") in detail


# Back office


def test_residents_may_not_open_the_back_office(budget, town_a):
    assert (
        browser_for(town_a, "citizen").get(url(budget.component, "budgets_admin:index")).status_code
        == 403
    )
    response = browser_for(town_a, "anonymous").get(url(budget.component, "budgets_admin:index"))
    assert response.status_code == 302 and "/compte/" in response["Location"]


def test_staff_create_a_budget_and_add_projects(component, town_a):
    browser = browser_for(town_a, "moderator")
    index = url(component, "budgets_admin:index")
    assert 'name="ballot_rule"' in browser.get(index).content.decode()
    form = {
        "title": "Quartier Nord",
        "amount": "50000",
        "ballot_rule": "knapsack",
        "min_projects": "1",
        "min_spend_percent": "50",
        "result_rule": "mes",
    }
    response = browser.post(index, form)
    assert response.status_code == 302
    budget = Budget.objects.get(component=component)
    assert (budget.ballot_rule, budget.min_spend_percent, budget.result_rule) == (
        "knapsack",
        50,
        "mes",
    )
    budget.component = component
    page = browser.get(url(budget, "budgets_admin:budget")).content.decode()
    assert 'action="' + url(budget, "budgets_admin:project_add") + '"' in page
    assert 'name="result_rule"' in page
    response = browser.post(
        url(budget, "budgets_admin:project_add"),
        {"title": "Bancs", "cost": "4000", "description": "Dix bancs"},
    )
    assert response.status_code == 302
    page = browser.get(response["Location"]).content.decode()
    assert "Projet ajouté." in page and "Bancs" in page
    bad = browser.post(index, {**form, "ballot_rule": "cumulative"})
    assert bad.status_code == 400
    assert "points par projet et le total" in bad.content.decode()


def test_paper_ballot_typed_twice_blind_then_resolved(budget, town_a):
    first, second = ModeratorFactory(), ModeratorFactory()
    projects = ids(budget)
    typist = browser_for(town_a, user=first)
    response = typist.post(
        url(budget, "budgets_admin:paper_enter"),
        {"polling_station": "École Jaurès", "project": projects[:2]},
    )
    assert response.status_code == 302
    paper = PaperBallot.objects.get()
    page = typist.get(response["Location"]).content.decode()
    assert "École Jaurès" in page and "un autre agent doit le retaper" in page
    retype = url(budget, "budgets_admin:paper_retype", paper.pk)
    assert retype not in page  # no link for the agent who typed it
    response = typist.post(retype, {"project": projects[:2]})
    assert response.status_code == 403
    assert "par un autre agent" in response.content.decode()
    # The second agent sees neither the first entry nor how many choices it holds.
    checker = browser_for(town_a, user=second)
    page = checker.get(url(budget, "budgets_admin:budget")).content.decode()
    assert retype in page and "2 choix" not in page
    form = checker.get(retype).content.decode()
    assert not re.search(r"<input[^>]*\bchecked", form) and "Retapez le bulletin" in form
    response = checker.post(retype, {"project": projects[1:3]})
    assert response.status_code == 302
    assert not Ballot.objects.exists()
    # Flagged to both agents, with the differing choices.
    for client in (typist, checker):
        page = client.get(url(budget, "budgets_admin:budget")).content.decode()
        assert "Saisies discordantes" in page and "<mark>" in page
        assert url(budget, "budgets_admin:paper_resolve", paper.pk) not in page
    assert (
        checker.post(
            url(budget, "budgets_admin:paper_resolve", paper.pk), {"version": "second"}
        ).status_code
        == 403
    )
    admin = browser_for(town_a, "admin")
    page = admin.get(url(budget, "budgets_admin:budget")).content.decode()
    assert "Retenir la saisie 2" in page
    response = admin.post(
        url(budget, "budgets_admin:paper_resolve", paper.pk), {"version": "second"}
    )
    assert response.status_code == 302
    ballot = Ballot.objects.get()
    assert sorted(ballot.choices.values_list("project_id", flat=True)) == projects[1:3]
    citizen = browser_for(town_a, "citizen")
    assert citizen.post(url(budget, "budgets_admin:paper_enter"), {}).status_code == 403


def test_census_upload_rule_override_and_publish(budget, vote_phase, town_a, time_machine):
    admin = browser_for(town_a, "admin")
    upload = SimpleUploadedFile(
        "liste.csv", "nom;prénom;naissance\nMartin;Léa;01/02/2003\n".encode()
    )
    response = admin.post(url(budget, "budgets_admin:census"), {"file": upload})
    assert response.status_code == 302
    assert CensusEntry.objects.filter(budget=budget).count() == 1
    bad = SimpleUploadedFile("liste.csv", b"Martin;Lea;hier\n")
    response = admin.post(url(budget, "budgets_admin:census"), {"file": bad})
    assert response.status_code == 400
    assert "Ligne 1 : date de naissance illisible" in response.content.decode()

    response = admin.post(url(budget, "budgets_admin:result_rule"), {"result_rule": "mes"})
    assert response.status_code == 403  # the vote phase refuses it (core.errors.NotAllowed)
    assert "la règle de sélection annoncée ne peut plus changer" in response.content.decode()

    project = budget.projects.first()
    response = admin.post(
        url(budget, "budgets_admin:override"),
        {"project": project.pk, "selected": "0", "reason": ""},
    )
    assert response.status_code == 400
    assert "Motif : ce champ est obligatoire." in response.content.decode()
    response = admin.post(
        url(budget, "budgets_admin:override"),
        {"project": project.pk, "selected": "0", "reason": "Infaisable"},
    )
    assert response.status_code == 302
    assert ResultOverride.objects.get().reason == "Infaisable"

    response = admin.post(url(budget, "budgets_admin:publish"))
    assert response.status_code == 403  # not during the vote (core.errors.NotAllowed)
    assert "une fois le vote clos" in response.content.decode()
    time_machine.move_to(vote_phase.ends_at + datetime.timedelta(hours=1), tick=False)
    moderator = browser_for(town_a, "moderator")
    assert moderator.post(url(budget, "budgets_admin:publish")).status_code == 403
    admin = browser_for(town_a, "admin")  # the first session expired meanwhile
    assert admin.post(url(budget, "budgets_admin:publish")).status_code == 302
    assert Budget.objects.get(pk=budget.pk).results_published_at is not None


# API


def test_api_lists_budgets_and_projects(budget, town_a):
    response = browser_for(town_a, "anonymous").get(url(budget.component, "budgets_api:budgets"))
    assert response.status_code == 200
    [item] = response.json()["results"]
    assert item["title"] == "Capitole" and item["amount"] == 400_000
    assert [p["cost"] for p in item["projects"]] == [200_000, 150_000, 30_000, 3_000, 62_000]
    assert item["can_vote"] is False and item["my_ballot"] is None


def test_api_ballot_uses_the_same_service(budget, town_a):
    api = browser_for(town_a)
    endpoint = url(budget, "budgets_api:ballot")
    response = api.post(
        endpoint,
        {"choices": [{"project": pk} for pk in ids(budget)[:4]]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "Vous pouvez choisir 3 projets au plus (4 choisis)."
    response = api.post(
        endpoint, {"choices": [{"project": ids(budget)[0]}]}, content_type="application/json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["receipt"] == Ballot.objects.get().receipt
    assert body["choices"] == [{"project": ids(budget)[0], "rank": None, "points": None}]
    anonymous = browser_for(town_a, "anonymous")
    response = anonymous.post(
        endpoint, {"choices": [{"project": ids(budget)[0]}]}, content_type="application/json"
    )
    assert response.status_code == 403
    assert Ballot.objects.count() == 1


NOT_A_LIST = 'Un bulletin est une liste de choix : {"choices": [{"project": …}, …]}.'
UNREADABLE = "Ce bulletin contient une valeur illisible."


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({}, NOT_A_LIST),
        ({"choices": "12"}, NOT_A_LIST),
        ({"choices": [12]}, UNREADABLE),
        ({"choices": [{"rank": 1}]}, UNREADABLE),
        ({"choices": [{"project": "12"}]}, UNREADABLE),
        ({"choices": [{"project": 12, "points": 2.5}]}, UNREADABLE),
        ({"choices": [{"project": True}]}, UNREADABLE),
    ],
)
def test_api_refuses_a_malformed_ballot_with_a_message(budget, town_a, body, detail):
    response = browser_for(town_a).post(
        url(budget, "budgets_api:ballot"), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"detail": detail, "code": "invalid"}
    assert not Ballot.objects.exists()


def test_api_census_identity(make_budget, vote_phase, staff, town_a):
    budget = make_budget(census_required=True)
    services.census_upload(actor=staff, budget=budget, text="Dupont;Jean;02/04/1980\n")
    api, endpoint = browser_for(town_a), url(budget, "budgets_api:ballot")
    ballot = {"choices": [{"project": ids(budget)[0]}], "last_name": "Dupont"}

    def post(**fields):
        return api.post(endpoint, {**ballot, **fields}, content_type="application/json")

    response = post(first_name="Jean", birth_date="02/04/1980")
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Date de naissance illisible : attendu AAAA-MM-JJ (« 02/04/1980 »)."
    )
    response = post(birth_date="1980-04-02")
    assert response.json()["detail"] == "Indiquez vos nom et prénom tels qu'inscrits."
    response = post(first_name="Jean", birth_date="1980-04-03")
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Ces nom, prénom et date de naissance ne figurent pas sur la liste des votants."
    )
    assert post(first_name="Jean", birth_date="1980-04-02").status_code == 201
    assert Ballot.objects.get(budget=budget).census_digest


def test_api_token_of_an_inactive_or_profileless_account(budget, town_a):

    from accounts.models import User

    api, endpoint = client_for(town_a), url(budget, "budgets_api:ballot")
    ballot = {"choices": [{"project": ids(budget)[0]}]}

    def post(user):
        key = api_key_for(user)
        return api.post(
            endpoint, ballot, content_type="application/json", HTTP_AUTHORIZATION=f"Token {key}"
        )

    inactive = ParticipantFactory(is_active=False)
    assert post(inactive).status_code == 401
    profileless = User.objects.create_user(
        "sans-profil@exemple.fr", display_name="Sans profil", email_verified_at=timezone.now()
    )
    response = post(profileless)
    assert response.status_code == 403
    assert response.json()["detail"] == "Acceptez la charte de participation pour contribuer."
    assert post(ParticipantFactory()).status_code == 201
    assert Ballot.objects.count() == 1


@pytest.mark.parametrize("rules", [RANKED, CUMULATIVE], ids=["ranked", "cumulative"])
def test_api_vote_answers_what_it_wrote(
    make_budget, vote_phase, town_a, rules, django_assert_num_queries
):
    """The answer is the ballot as the list shows it (``my_ballot``), built from what was
    validated and written, not read back: the first vote and its change alike."""

    budget = make_budget(**rules)
    voter = ParticipantFactory()
    header = {"HTTP_AUTHORIZATION": f"Token {api_key_for(voter)}"}
    api = client_for(town_a)
    endpoint = url(budget, "budgets_api:ballot")
    first, second, third = ids(budget)[:3]
    if rules is RANKED:
        votes = [
            [{"project": second, "rank": 2}, {"project": first, "rank": 1}],
            [{"project": third}, {"project": first}],  # ranked in this order
        ]
    else:
        votes = [
            [{"project": second, "points": 3}, {"project": first, "points": 1}],
            [{"project": third, "points": 2}, {"project": first, "points": 0}],
        ]
    # Middleware (search_path x2, domain), where the component is mounted (the URL guard),
    # the token with user and profile, the budget with its component and space, phases (the
    # guard's and the budget's not in the cache yet: see test_page_cache.py), the ballot with
    # its choices (one INSERT … ON CONFLICT, a transaction of its own, which checks that the
    # projects named are the budget's): never the budget's projects.
    with django_assert_num_queries(8):
        response = api.post(
            endpoint, {"choices": votes[0]}, content_type="application/json", **header
        )
    assert response.status_code == 201
    for choices in votes:
        response = api.post(
            endpoint, {"choices": choices}, content_type="application/json", **header
        )
        assert response.status_code == 201
        body = response.json()
        listed = api.get(url(budget.component, "budgets_api:budgets"), **header).json()
        assert body == listed["results"][0]["my_ballot"]
        assert body["receipt"] == Ballot.objects.get(budget=budget, voter=voter).receipt
    assert Ballot.objects.filter(budget=budget).count() == 1
    expected = (
        [
            {"project": third, "rank": 1, "points": None},
            {"project": first, "rank": 2, "points": None},
        ]
        if rules is RANKED
        else [{"project": third, "rank": None, "points": 2}]
    )
    assert body["choices"] == expected


def test_the_ballot_page_is_404_for_a_budget_of_another_component(budget, town_a, in_town_a):
    other = ComponentFactory(space=budget.component.space, type_key="budgets")
    wrong = reverse("budgets:ballot", args=[budget.component.space.slug, other.pk, budget.pk])
    assert browser_for(town_a).get(wrong).status_code == 404
    api = reverse("budgets_api:ballot", args=[budget.component.space.slug, other.pk, budget.pk])
    assert (
        browser_for(town_a).post(api, {"choices": []}, content_type="application/json").status_code
        == 404
    )
    assert browser_for(town_a).get(url(budget, "ballot")).status_code == 200


@pytest.mark.parametrize("name", ["detail", "budgets_api:budgets"])
def test_a_draft_space_is_hidden(budget, town_a, name):
    budget.component.space.status = "draft"
    budget.component.space.save()
    assert browser_for(town_a).get(url(budget.component, name)).status_code in (403, 404)


def test_amounts_read_in_one_style_per_language(budget, town_a):
    """« 200 000 € » in French, « €200,000 » in English: never both, never « 200,000 € »."""
    browser = browser_for(town_a, "anonymous")
    french = browser.get(url(budget.component, "detail")).content.decode()
    assert "200\xa0000\xa0€" in french
    english = browser.get(url(budget.component, "detail"), HTTP_ACCEPT_LANGUAGE="en")
    english = english.content.decode()
    assert "€200,000" in english
    assert re.search(r"\d\s€", english) is None


def test_back_office_offers_no_project_form_once_the_vote_opened(budget, town_a):
    """The form is not offered, the reason is: the service would refuse it anyway."""
    admin = browser_for(town_a, "admin")
    page = admin.get(url(budget, "budgets_admin:budget")).content.decode()
    assert url(budget, "budgets_admin:project_add") not in page
    assert "Le vote a commencé : la liste des projets ne change plus." in page
    assert 'name="result_rule"' not in page
    assert "la règle de sélection annoncée ne peut plus changer" in page
    response = admin.post(
        url(budget, "budgets_admin:project_add"), {"title": "Bancs", "cost": "4000"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "choice", [{"project": 10**40}, {"project": -(10**19)}, {"project": 1, "points": 2**31}]
)
def test_numbers_past_what_the_columns_hold_are_refused_not_overflowed(
    make_budget, vote_phase, town_a, choice
):
    budget = make_budget(**CUMULATIVE) if "points" in choice else make_budget()
    if "points" in choice:
        choice["project"] = ids(budget)[0]
    response = client_for(town_a).post(
        url(budget, "budgets_api:ballot"),
        {"choices": [choice]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {api_key_for(ParticipantFactory())}",
    )
    assert response.status_code == 400, response.content
    assert "illisible" in response.json()["detail"]
    assert not Ballot.objects.exists()
