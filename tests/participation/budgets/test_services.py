"""Budgets and projects, and every bad ballot named in French: what a voter may send and who
may vote."""

import datetime
import re

import pytest
from django.utils import timezone

from core.errors import ApplicationError, NotAllowed
from participation.budgets import services
from participation.budgets.models import (
    Ballot,
    BallotChoice,
    Budget,
)
from tests.factories import UserFactory
from tests.participation.budgets.conftest import CUMULATIVE, RANKED, cast, ids
from tests.participation.factories import (
    NeighbourhoodFactory,
    ParticipantFactory,
    PhaseFactory,
    ProfileFactory,
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


def test_a_project_has_a_place_or_none_named_in_french(make_budget, staff):
    budget = make_budget()
    with pytest.raises(ApplicationError, match="Indiquez la latitude et la longitude"):
        services.project_add(actor=staff, budget=budget, title="P", cost=1, latitude="43,2")
    with pytest.raises(ApplicationError, match="La longitude va de -180 à 180 degrés"):
        services.project_add(
            actor=staff, budget=budget, title="P", cost=1, latitude="43.2", longitude="200"
        )
    project = services.project_add(
        actor=staff, budget=budget, title="P", cost=1, latitude="43,213", longitude="2.3491"
    )
    assert (str(project.latitude), str(project.longitude)) == ("43.213000", "2.349100")
    assert services.project_add(actor=staff, budget=budget, title="Q", cost=1).latitude is None


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
