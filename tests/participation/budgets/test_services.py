"""Budgets and projects, every bad ballot named in French, one ballot per voter, paper ballots,
census, results (greedy / MES), overrides and publication."""

import datetime
import re

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import ApplicationError, NotAllowed
from participation.budgets import data, demo, exports, selectors, services, statistics
from participation.budgets.models import (
    Ballot,
    BallotChoice,
    Budget,
    CensusEntry,
    PaperBallot,
    Project,
    ResultOverride,
)
from tests.factories import UserFactory
from tests.participation.budgets.conftest import CUMULATIVE, RANKED, ids
from tests.participation.factories import (
    ModeratorFactory,
    NeighbourhoodFactory,
    ParticipantFactory,
    PhaseFactory,
    ProfileFactory,
)


def cast(budget, choices, voter=None, **kwargs) -> str:
    return services.ballot_cast(
        voter=voter or ParticipantFactory(), budget=budget, choices=choices, **kwargs
    )


# Staff: budgets, projects, result rule


def test_staff_create_a_budget_and_projects(component, staff):
    budget = services.budget_create(
        actor=staff, component=component, title=" Quartier Nord ", amount=400_000
    )
    project = services.project_add(actor=staff, budget=budget, title="Bancs", cost=5_000)
    assert budget.title == "Quartier Nord"
    assert budget.ballot_rule == "approval" and budget.result_rule == "greedy"
    assert list(budget.projects.all()) == [project]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": " "}, "Titre : ce champ est obligatoire"),
        ({"amount": 0}, "L'enveloppe doit être un montant positif"),
        ({"ballot_rule": "borda"}, "Type de bulletin inconnu"),
        ({"result_rule": "lottery"}, "Règle de sélection inconnue"),
        ({"min_projects": 3, "max_projects": 2}, "maximum de projets \\(2\\) est inférieur"),
        ({"min_spend_percent": 120}, "de 0 à 100 %"),
        ({"ballot_rule": "cumulative"}, "points par projet et le total"),
    ],
)
def test_budget_create_refuses(component, staff, overrides, message):
    arguments = {"title": "Budget", "amount": 1000, **overrides}
    with pytest.raises(ApplicationError, match=message):
        services.budget_create(actor=staff, component=component, **arguments)
    assert not Budget.objects.exists()


def test_residents_cannot_manage_budgets(component, make_budget):
    citizen = ParticipantFactory()
    with pytest.raises(NotAllowed):
        services.budget_create(actor=citizen, component=component, title="B", amount=1)
    with pytest.raises(NotAllowed):
        services.project_add(actor=citizen, budget=make_budget(), title="P", cost=1)


def test_a_budget_only_goes_in_a_budgets_component(in_town_a, staff):
    from tests.participation.factories import ComponentFactory

    with pytest.raises(ApplicationError, match="pas un module de budget participatif"):
        services.budget_create(
            actor=staff, component=ComponentFactory(type_key="news"), title="B", amount=1
        )


def test_projects_are_frozen_once_the_vote_started(budget, staff):
    with pytest.raises(ApplicationError, match="la liste des projets ne change plus"):
        services.project_add(actor=staff, budget=budget, title="Tard", cost=1)


def test_project_add_refuses_a_negative_cost_and_a_repeated_external_id(make_budget, staff):
    budget = make_budget()
    with pytest.raises(ApplicationError, match="montant positif"):
        services.project_add(actor=staff, budget=budget, title="P", cost=-1)
    services.project_add(actor=staff, budget=budget, title="P", cost=1, external_id="7")
    with pytest.raises(ApplicationError, match="identifiant « 7 »"):
        services.project_add(actor=staff, budget=budget, title="Q", cost=1, external_id="7")


def test_result_rule_changes_only_before_the_vote(make_budget, component, staff, time_machine):
    budget = make_budget()
    services.budget_set_result_rule(actor=staff, budget=budget, result_rule="mes")
    assert Budget.objects.get(pk=budget.pk).result_rule == "mes"
    PhaseFactory(component=component, kind="vote")  # started yesterday
    with pytest.raises(ApplicationError, match="la règle de sélection annoncée ne peut plus"):
        services.budget_set_result_rule(actor=staff, budget=budget, result_rule="greedy")
    assert Budget.objects.get(pk=budget.pk).result_rule == "mes"
    # Saving the same rule again is harmless.
    services.budget_set_result_rule(actor=staff, budget=budget, result_rule="mes")
    with pytest.raises(ApplicationError, match="Règle de sélection inconnue"):
        services.budget_set_result_rule(actor=staff, budget=budget, result_rule="x")


# Ballots: what a voter may send


def test_a_participant_votes_and_gets_a_receipt(budget):
    voter = ParticipantFactory()
    receipt = cast(budget, ids(budget)[:2], voter)
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", receipt)
    ballot = Ballot.objects.get(budget=budget)
    assert (ballot.voter, ballot.voter_key, ballot.source) == (voter, f"user:{voter.pk}", "online")
    assert ballot.receipt == receipt
    assert sorted(ballot.choices.values_list("project_id", flat=True)) == sorted(ids(budget)[:2])


def test_a_voter_changes_their_ballot_until_closing(budget, vote_phase, time_machine):
    voter = ParticipantFactory()
    first = cast(budget, ids(budget)[:1], voter)
    second = cast(budget, ids(budget)[2:4], voter)
    assert first != second
    ballot = Ballot.objects.get(budget=budget)
    assert ballot.receipt == second
    assert sorted(ballot.choices.values_list("project_id", flat=True)) == ids(budget)[2:4]
    assert services.ballot_of(voter, budget) == ballot
    time_machine.move_to(vote_phase.ends_at + datetime.timedelta(minutes=1), tick=False)
    with pytest.raises(NotAllowed, match="Le vote est clos depuis le"):
        cast(budget, ids(budget)[:1], voter)
    assert list(Ballot.objects.get(budget=budget).choices.values_list("project_id", flat=True))


def test_over_the_envelope_names_both_amounts(make_budget, vote_phase):
    budget = make_budget(
        ballot_rule="knapsack",
        max_projects=None,
        projects=[("A", 200_000), ("B", 150_000), ("C", 62_000)],
    )
    with pytest.raises(
        ApplicationError,
        match=re.escape(
            "Votre sélection coûte 412\xa0000\xa0€ pour une enveloppe de 400\xa0000\xa0€."
        ),
    ):
        cast(budget, ids(budget))
    assert not Ballot.objects.exists()
    cast(budget, ids(budget)[:2])


def test_knapsack_under_the_minimum_share(make_budget, vote_phase):
    budget = make_budget(
        ballot_rule="knapsack",
        max_projects=None,
        min_spend_percent=80,
        projects=[("A", 200_000), ("B", 150_000), ("C", 3_000)],
    )
    with pytest.raises(
        ApplicationError,
        match=re.escape(
            "Votre sélection coûte 203\xa0000\xa0€ : utilisez au moins 80 % de l'enveloppe, "
            "soit 320\xa0000\xa0€."
        ),
    ):
        cast(budget, [ids(budget)[0], ids(budget)[2]])
    cast(budget, ids(budget))


@pytest.mark.parametrize(
    ("pick", "message"),
    [
        ([], "Choisissez au moins un projet."),
        ([0, 1, 2, 3], "Vous pouvez choisir 3 projets au plus (4 choisis)."),
        ([0, 0], "Le projet « Végétaliser la place du Capitole » figure deux fois"),
        (["foreign"], "ne fait pas partie de ce budget."),
        ([987654321], "Le projet n° 987654321 ne fait pas partie de ce budget."),
        (["illisible"], "Ce bulletin contient une valeur illisible."),
    ],
)
def test_approval_validation(make_budget, budget, pick, message):
    other = make_budget(title="Autre budget")
    own, foreign = ids(budget), ids(other)[0]
    choices = [
        foreign
        if item == "foreign"
        else "x"
        if item == "illisible"
        else own[item]
        if item < 100
        else item
        for item in pick
    ]
    with pytest.raises(ApplicationError, match=re.escape(message)):
        cast(budget, choices)
    assert not Ballot.objects.exists()


def test_under_the_minimum(make_budget, vote_phase):
    budget = make_budget(min_projects=2, max_projects=3)
    with pytest.raises(ApplicationError, match=re.escape("au moins 2 projets (1 choisis)")):
        cast(budget, ids(budget)[:1])


@pytest.mark.parametrize(
    ("ranks", "message"),
    [
        ({0: 1, 1: 3}, "il manque le rang 2"),
        ({0: 2}, "il manque le rang 1"),
        ({0: 1, 1: 1}, "Le rang 1 est donné à plusieurs projets."),
        ({0: 1, 1: 2, 2: 3, 3: 4}, "Vous pouvez choisir 3 projets au plus (4 choisis)."),
        ({0: 0}, "Donnez un rang (1, 2, 3…) à chaque projet classé."),
    ],
)
def test_ranked_validation(make_budget, vote_phase, ranks, message):
    budget = make_budget(**RANKED)
    own = ids(budget)
    with pytest.raises(ApplicationError, match=re.escape(message)):
        cast(budget, [(own[index], rank) for index, rank in ranks.items()])
    assert not Ballot.objects.exists()


def test_ranked_ballot_is_stored_in_rank_order(make_budget, vote_phase):
    budget = make_budget(**RANKED)
    own = ids(budget)
    cast(budget, [(own[2], 2), (own[0], 1), (own[4], 3)])
    stored = list(BallotChoice.objects.order_by("rank").values_list("project_id", "rank"))
    assert stored == [(own[0], 1), (own[2], 2), (own[4], 3)]
    # A plain list of ids is ranked in its order.
    cast(budget, [own[1], own[3]])
    ballot = Ballot.objects.exclude(choices__project_id=own[0]).get()
    assert list(ballot.choices.values_list("project_id", "rank")) == [(own[1], 1), (own[3], 2)]


@pytest.mark.parametrize(
    ("points", "message"),
    [
        ({0: -1}, "Un nombre de points ne peut pas être négatif (projet « Végétaliser"),
        ({0: 4}, "3 points au plus par projet (4 pour « Végétaliser la place du Capitole »)."),
        ({0: 3, 1: 3, 2: 2}, "Vous disposez de 7 points au plus (8 attribués)."),
        ({0: 0}, "Choisissez au moins un projet."),
    ],
)
def test_cumulative_validation(make_budget, vote_phase, points, message):
    budget = make_budget(**CUMULATIVE)
    own = ids(budget)
    with pytest.raises(ApplicationError, match=re.escape(message)):
        cast(budget, [(own[index], value) for index, value in points.items()])
    assert not Ballot.objects.exists()


def test_cumulative_ballot_skips_zero_points(make_budget, vote_phase):
    budget = make_budget(**CUMULATIVE)
    own = ids(budget)
    cast(budget, [(own[0], 3), (own[1], 0), (own[2], 3), (own[3], 1)])
    stored = sorted(BallotChoice.objects.values_list("project_id", "points"))
    assert stored == [(own[0], 3), (own[2], 3), (own[3], 1)]


# Ballots: who may vote


def test_before_opening_names_the_date(budget, vote_phase, time_machine):
    time_machine.move_to(vote_phase.starts_at - datetime.timedelta(hours=1), tick=False)
    with pytest.raises(NotAllowed, match="Le vote n'est pas encore ouvert : il ouvrira le"):
        cast(budget, ids(budget)[:1])


def test_without_a_vote_phase(make_budget):
    with pytest.raises(NotAllowed, match="Ce budget n'est pas ouvert au vote"):
        cast(make_budget(), [1])


@pytest.mark.parametrize(
    ("user_factory", "message"),
    [
        (lambda: UserFactory(email_verified_at=None), "Confirmez d'abord votre adresse e-mail"),
        (lambda: UserFactory(), "Acceptez la charte de participation pour contribuer."),
        (lambda: ProfileFactory(charter_accepted_at=None).user, "Acceptez la charte"),
    ],
)
def test_contribution_refusals_are_named(budget, user_factory, message):
    with pytest.raises(NotAllowed, match=re.escape(message)):
        cast(budget, ids(budget)[:1], user_factory())


def test_a_neighbourhood_budget_is_for_its_residents(make_budget, vote_phase):
    nord, sud = NeighbourhoodFactory(name="Nord"), NeighbourhoodFactory(name="Sud")
    budget = make_budget(neighbourhood=nord)
    town_wide = make_budget(title="Toute la ville")
    outsider = ParticipantFactory()
    outsider.profile.neighbourhood = sud
    outsider.profile.save()
    with pytest.raises(NotAllowed, match="réservé aux habitants du quartier « Nord »"):
        cast(budget, ids(budget)[:1], outsider)
    without = ParticipantFactory()
    with pytest.raises(NotAllowed, match="indiquez votre quartier dans votre profil"):
        cast(budget, ids(budget)[:1], without)
    resident = ParticipantFactory()
    resident.profile.neighbourhood = nord
    resident.profile.save()
    cast(budget, ids(budget)[:1], resident)
    # Their own neighbourhood's budget and the town-wide one.
    cast(town_wide, ids(town_wide)[:1], resident)
    cast(town_wide, ids(town_wide)[:1], outsider)
    assert Ballot.objects.filter(voter=resident).count() == 2


def test_minimum_age(make_budget, vote_phase):
    budget = make_budget(min_age=16)
    this_year = timezone.localdate().year
    unknown = ParticipantFactory()
    with pytest.raises(NotAllowed, match="à partir de 16 ans : indiquez votre année"):
        cast(budget, ids(budget)[:1], unknown)
    young = ParticipantFactory()
    young.profile.birth_year = this_year - 15
    young.profile.save()
    with pytest.raises(NotAllowed, match=re.escape("Ce vote est ouvert à partir de 16 ans.")):
        cast(budget, ids(budget)[:1], young)
    old_enough = ParticipantFactory()
    old_enough.profile.birth_year = this_year - 16
    old_enough.profile.save()
    cast(budget, ids(budget)[:1], old_enough)


# Census


CENSUS_CSV = (
    "nom;prénom;date de naissance\n"
    "Dupont;Jean-Marc;1980-04-02\n"
    "N'Diaye;Aïssatou;12/11/1995\n"
    "\n"
    "Dupont;Jean-Marc;02/04/1980\n"  # the same person twice: stored once
)


def identity(last, first, birth):
    return services.CensusIdentity(last, first, datetime.date.fromisoformat(birth))


def test_census_upload_stores_salted_digests_only(make_budget, staff):
    budget = make_budget(census_required=True)
    other = make_budget(title="Autre", census_required=True)
    assert services.census_upload(actor=staff, budget=budget, text=CENSUS_CSV) == 2
    services.census_upload(actor=staff, budget=other, text=CENSUS_CSV)
    digests = set(CensusEntry.objects.filter(budget=budget).values_list("digest", flat=True))
    assert all(re.fullmatch(r"[0-9a-f]{64}", d) for d in digests)
    assert not digests & set(
        CensusEntry.objects.filter(budget=other).values_list("digest", flat=True)
    )
    assert not any("dupont" in d.lower() for d in digests)
    # Case, accents, hyphens and spaces do not matter.
    assert services.census_check(
        budget=budget, identity=identity(" DUPONT ", "jean marc", "1980-04-02")
    )
    assert (
        services.census_check(budget=budget, identity=identity("ndiaye", "Aissatou", "1995-11-12"))
        is False
    )
    assert services.census_check(
        budget=budget, identity=identity("n diaye", "aissatou", "1995-11-12")
    )
    assert not services.census_check(
        budget=budget, identity=identity("Dupont", "Jean", "1980-04-02")
    )
    # A new upload replaces the list.
    services.census_upload(actor=staff, budget=budget, text="Martin;Léa;2001-01-01\n")
    assert CensusEntry.objects.filter(budget=budget).count() == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Dupont;Jean;31/02/1980\n", "Ligne 1 : date de naissance illisible « 31/02/1980 »."),
        ("Dupont;Jean;1980-01-01\nMartin;Léa\n", "Ligne 2 : attendu nom ; prénom"),
        ("\n\n", "La liste est vide."),
    ],
)
def test_census_upload_refuses(make_budget, staff, text, message):
    budget = make_budget(census_required=True)
    with pytest.raises(ApplicationError, match=re.escape(message)):
        services.census_upload(actor=staff, budget=budget, text=text)
    assert not CensusEntry.objects.exists()


def test_a_census_budget_needs_a_listed_identity(make_budget, vote_phase, staff):
    budget = make_budget(census_required=True)
    services.census_upload(actor=staff, budget=budget, text=CENSUS_CSV)
    with pytest.raises(NotAllowed, match="indiquez vos nom, prénom et date de naissance"):
        cast(budget, ids(budget)[:1])
    with pytest.raises(NotAllowed, match="ne figurent pas sur la liste des votants"):
        cast(budget, ids(budget)[:1], census=identity("Durand", "Paul", "1970-01-01"))
    jean = ParticipantFactory()
    cast(budget, ids(budget)[:1], jean, census=identity("Dupont", "Jean-Marc", "1980-04-02"))
    cast(budget, ids(budget)[1:2], jean, census=identity("Dupont", "Jean-Marc", "1980-04-02"))
    # The same person with a second account: refused.
    with pytest.raises(ApplicationError, match="Une autre personne a déjà voté avec ces nom"):
        cast(budget, ids(budget)[:1], census=identity("DUPONT", "Jean Marc", "1980-04-02"))
    assert Ballot.objects.filter(budget=budget).count() == 1


# One ballot per voter


def test_the_database_keeps_one_ballot_per_voter(budget):
    voter = ParticipantFactory()
    Ballot.objects.create(budget=budget, voter=voter, voter_key="a")
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(budget=budget, voter=voter, voter_key="b")
    Ballot.objects.create(budget=budget, voter=None, voter_key="pb:1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(budget=budget, voter=None, voter_key="pb:1")


def test_a_constraint_violation_ends_with_one_clean_ballot(budget, monkeypatch):
    """If the locked lookup ever missed the existing ballot, the constraint refuses the second
    row and the submission is written over the first one."""
    voter = ParticipantFactory()
    cast(budget, ids(budget)[:1], voter)
    original = services._replace_ballot
    calls = []

    def racing(budget, written):
        calls.append(1)
        if len(calls) == 1:  # as if another request had not committed yet
            Ballot.objects.create(budget=budget, voter=written.voter, voter_key="other")
        return original(budget, written)

    monkeypatch.setattr(services, "_replace_ballot", racing)
    receipt = cast(budget, ids(budget)[1:3], voter)
    ballot = Ballot.objects.get(budget=budget)
    assert ballot.receipt == receipt
    assert sorted(ballot.choices.values_list("project_id", flat=True)) == ids(budget)[1:3]
    assert len(calls) == 2


# Paper ballots


def test_paper_ballots_count_once_confirmed_by_another_agent(budget):
    first, second = ModeratorFactory(), ModeratorFactory()
    paper = services.paper_ballot_enter(
        agent=first, budget=budget, polling_station="Mairie annexe", choices=ids(budget)[:2]
    )
    assert selectors.results(budget).ballots == 0
    with pytest.raises(ApplicationError, match="confirmé par un autre agent"):
        services.paper_ballot_confirm(agent=first, paper=paper)
    assert selectors.results(budget).ballots == 0
    ballot = services.paper_ballot_confirm(agent=second, paper=paper)
    assert (ballot.source, ballot.voter, ballot.voter_key) == ("paper", None, f"paper:{paper.pk}")
    paper.refresh_from_db()
    assert (paper.confirmed_by, paper.ballot) == (second, ballot)
    assert selectors.results(budget).ballots == 1
    with pytest.raises(ApplicationError, match="déjà confirmé"):
        services.paper_ballot_confirm(agent=ModeratorFactory(), paper=paper)
    assert selectors.results(budget).ballots == 1


def test_paper_ballots_are_checked_and_for_town_staff_only(budget, component):
    with pytest.raises(ApplicationError, match="3 projets au plus"):
        services.paper_ballot_enter(
            agent=ModeratorFactory(), budget=budget, polling_station="A", choices=ids(budget)[:4]
        )
    space_moderator = ParticipantFactory()
    component.space.moderators.add(space_moderator)
    with pytest.raises(NotAllowed):
        services.paper_ballot_enter(
            agent=space_moderator, budget=budget, polling_station="A", choices=ids(budget)[:1]
        )
    assert not PaperBallot.objects.exists()


def test_the_database_refuses_a_self_confirmed_paper_ballot(budget):
    agent = ModeratorFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        PaperBallot.objects.create(
            budget=budget, polling_station="A", entered_by=agent, confirmed_by=agent
        )


# Results


def _vote(budget, *picks):
    for pick in picks:
        cast(
            budget,
            [ids(budget)[n] if isinstance(n, int) else (ids(budget)[n[0]], n[1]) for n in pick],
        )


def test_greedy_results(budget):
    # Costs 200k, 150k, 30k, 3k, 62k; envelope 400k.
    _vote(budget, [0, 1, 4], [0, 1], [0, 1, 2], [1, 4], [4, 3])
    outcome = selectors.results(budget)
    scores = {row.id: (row.votes, row.score) for row in outcome.projects}
    own = ids(budget)
    assert [scores[pk] for pk in own] == [(3, 3), (4, 4), (1, 1), (1, 1), (3, 3)]
    titles = [row.title for row in outcome.selected]
    # 150k (4), 200k (3, proposed before the other 3), then 62k (3) no longer fits (412k);
    # 30k and 3k do.
    assert sorted(titles) == sorted(
        [
            "Voies vélos et piétons",
            "Végétaliser la place du Capitole",
            "Pénaliser les motards bruyants",
            "Planter des arbres comestibles",
        ]
    )
    assert outcome.spent == 383_000 and outcome.spent_percent == 96
    assert outcome.ballots == 5


def test_mes_results_with_greedy_completion(make_budget, vote_phase):
    budget = make_budget(
        result_rule="mes",
        max_projects=None,
        min_projects=1,
        projects=[("A", 300), ("B", 200), ("C", 100)],
        amount=300,
    )
    _vote(budget, [0], [0], [1, 2])
    outcome = selectors.results(budget)
    assert outcome.rule == "mes"
    greedy = selectors.results(budget, rule="greedy")
    assert [row.title for row in greedy.selected] == ["A"]
    # Each voter holds 100: only C is affordable by its supporters; greedy completion then
    # funds B with the 200 left (A, 300, no longer fits).
    assert sorted(row.title for row in outcome.selected) == ["B", "C"]
    assert outcome.spent == 300


def test_ranked_and_cumulative_scores(make_budget, vote_phase):
    ranked = make_budget(**RANKED)
    _vote(ranked, [(0, 1), (1, 2), (2, 3)], [(1, 1), (0, 2)])
    scores = {row.id: row.score for row in selectors.results(ranked).projects}
    own = ids(ranked)
    assert (scores[own[0]], scores[own[1]], scores[own[2]]) == (3 + 2, 2 + 3, 1)
    cumulative = make_budget(title="Points", **CUMULATIVE)
    _vote(cumulative, [(0, 3), (1, 2)], [(0, 1), (3, 3)])
    scores = {row.id: (row.votes, row.score) for row in selectors.results(cumulative).projects}
    own = ids(cumulative)
    assert (scores[own[0]], scores[own[1]], scores[own[3]]) == ((2, 4), (1, 2), (1, 3))


def test_override_is_recorded_and_shown(budget, vote_phase, staff, time_machine):
    _vote(budget, [0], [0], [1])
    winner, loser = ids(budget)[0], ids(budget)[4]
    assert not ResultOverride.objects.exists()
    with pytest.raises(ApplicationError, match="Motif : ce champ est obligatoire"):
        services.result_override(
            actor=staff,
            budget=budget,
            project=Project.objects.get(pk=winner),
            selected=False,
            reason=" ",
        )
    with pytest.raises(NotAllowed):
        services.result_override(
            actor=ModeratorFactory(),
            budget=budget,
            project=Project.objects.get(pk=winner),
            selected=False,
            reason="Non",
        )
    services.result_override(
        actor=staff,
        budget=budget,
        project=Project.objects.get(pk=winner),
        selected=False,
        reason="Le site est classé : l'Architecte des Bâtiments de France a refusé.",
    )
    override = ResultOverride.objects.get()
    assert (override.by, override.selected) == (staff, False)
    rows = {row.id: row for row in selectors.results(budget).projects}
    assert rows[winner].selected is False and rows[winner].computed is True
    assert rows[winner].override_reason.startswith("Le site est classé")
    services.result_override(
        actor=staff,
        budget=budget,
        project=Project.objects.get(pk=loser),
        selected=True,
        reason="Déjà financé par la métropole.",
    )
    assert {row.id: row for row in selectors.results(budget).projects}[loser].selected
    _, _, content = exports.budgets_results_csv(budget.component)
    assert "Le site est classé" in content.decode("utf-8-sig")


def test_a_winner_left_out_frees_its_cost_for_the_next(budget, staff):
    _vote(budget, [0], [0], [0], [1], [1], [4])
    before = {row.id: row for row in selectors.results(budget).projects}
    left_out, next_one = ids(budget)[0], ids(budget)[4]
    assert before[left_out].selected and not before[next_one].selected  # 62k no longer fit
    services.result_override(
        actor=staff,
        budget=budget,
        project=Project.objects.get(pk=left_out),
        selected=False,
        reason="Refus de l'Architecte des Bâtiments de France.",
    )
    after = {row.id: row for row in selectors.results(budget).projects}
    assert not after[left_out].selected and after[left_out].computed
    assert after[next_one].selected and not after[next_one].computed


def test_results_are_published_after_the_vote_only(budget, vote_phase, staff, time_machine):
    _vote(budget, [0, 1], [1])
    with pytest.raises(ApplicationError, match="une fois le vote clos"):
        services.results_publish(actor=staff, budget=budget)
    time_machine.move_to(vote_phase.ends_at + datetime.timedelta(hours=1), tick=False)
    with pytest.raises(NotAllowed):
        services.results_publish(actor=ModeratorFactory(), budget=budget)
    received = []

    def listener(sender, budget, selected_ids, **kwargs):
        received.append((budget.pk, selected_ids))

    services.results_published.connect(listener)
    try:
        with pytest.raises(ApplicationError, match="déjà publiés"), transaction.atomic():
            services.results_publish(actor=staff, budget=budget)
            services.results_publish(actor=staff, budget=budget)
        budget = Budget.objects.get(pk=budget.pk)
        budget.component = budget.component
        with django_capture_on_commit():
            services.results_publish(actor=staff, budget=budget)
    finally:
        services.results_published.disconnect(listener)
    budget.refresh_from_db()
    assert budget.results_published_at is not None
    assert received == [(budget.pk, budget.published_selection)]
    assert set(budget.published_selection) == set(selectors.results(budget).selected_ids)
    with pytest.raises(ApplicationError, match="ils ne changent plus"):
        services.result_override(
            actor=staff,
            budget=budget,
            project=Project.objects.get(pk=ids(budget)[0]),
            selected=False,
            reason="Trop tard",
        )


def test_published_results_reach_the_ideas_module(budget, vote_phase, staff, time_machine):
    """The ideas module's proposals put to the vote follow the published selection."""
    from participation.ideas import services as ideas_services

    calls = []
    original = ideas_services.proposals_follow_results

    def spy(**kwargs):
        calls.append(kwargs)
        return original(**kwargs)

    _vote(budget, [0], [0, 1])
    time_machine.move_to(vote_phase.ends_at + datetime.timedelta(hours=1), tick=False)
    ideas_services.proposals_follow_results = spy
    try:
        with django_capture_on_commit():
            services.results_publish(actor=staff, budget=budget)
    finally:
        ideas_services.proposals_follow_results = original
    budget.refresh_from_db()
    assert calls == [{"budget_id": budget.pk, "selected_project_ids": budget.published_selection}]


def django_capture_on_commit():
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


# Exports, dashboard, GDPR, demo, registry


def test_csv_export(budget):
    Project.objects.filter(pk=ids(budget)[0]).update(title="=HYPERLINK(1)")
    _vote(budget, [0], [0, 1])
    filename, content_type, content = exports.budgets_results_csv(budget.component)
    assert filename.endswith(".csv") and content_type.startswith("text/csv")
    lines = content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("budget;titre du budget;projet;titre;coût (€);bulletins;score")
    assert f"{budget.pk};Capitole;{ids(budget)[0]};'=HYPERLINK(1);200000;2;2;oui;" in lines


def test_statistics_contributions_and_personal_data(budget, component):
    voter = ParticipantFactory()
    receipt = cast(budget, ids(budget)[1:2], voter)
    _vote(budget, [0])
    assert statistics.budgets_statistics(component) == {
        "budgets": 1,
        "projects": 5,
        "ballots": 2,
        "voters": 2,
    }
    rows = list(data.budgets_contributions().filter(author_id=voter.pk))
    assert rows == [
        {
            "component_id": component.pk,
            "author_id": voter.pk,
            "created_at": Ballot.objects.get(voter=voter).created_at,
        }
    ]
    [personal] = data.budgets_personal_data(voter)
    assert personal["receipt"] == receipt
    assert personal["choices"] == [
        {"project": "Voies vélos et piétons", "rank": None, "points": None}
    ]


def test_ballots_of_a_deleted_account_still_count(budget):
    voter = ParticipantFactory()
    cast(budget, ids(budget)[:1], voter)
    voter.delete()
    assert selectors.results(budget).ballots == 1
    assert Ballot.objects.get().voter is None


def test_component_type_is_registered():
    from participation.registry import registry

    budgets = registry.get("budgets")
    assert [kind.key for kind in budgets.phase_kinds] == ["vote", "results"]
    assert budgets.phase_kind("vote").features == {"vote", "comment"}
    assert budgets.phase_kind("results").features == {"comment"}
    assert set(budgets.exports) == {"csv"}


def test_seed_demo_without_neighbourhoods_makes_one_town_wide_budget(component, media_root):
    demo.budgets_seed(component)
    budget = Budget.objects.get(component=component)
    assert budget.neighbourhood is None
    assert budget.projects.count() == 9
    assert not Ballot.objects.exists()


def test_seed_demo_gives_each_neighbourhood_10_000_euros_and_pictured_projects(
    component, media_root
):
    for name in ("Centre-ville", "Nord", "Sud"):
        NeighbourhoodFactory(name=name)
    demo.budgets_seed(component)
    budgets = list(Budget.objects.filter(component=component).order_by("position"))
    assert [(b.title, b.amount) for b in budgets] == [
        ("Quartier Centre-ville", 10_000),
        ("Quartier Nord", 10_000),
        ("Quartier Sud", 10_000),
    ]
    for budget in budgets:
        projects = list(budget.projects.select_related("image"))
        assert len(projects) == 3
        # Each project fits the envelope, not all of them: residents choose.
        assert all(p.cost < budget.amount for p in projects)
        assert sum(p.cost for p in projects) > budget.amount
        assert all(p.image.alt and p.image.widths == [480, 960, 1600] for p in projects)
