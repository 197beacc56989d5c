"""Results (greedy / MES, ranked and cumulative scores), overrides and publication; exports,
dashboard figures, GDPR data, the demo seed and the registry entry."""

import datetime

import pytest
from django.db import transaction

from core.errors import ApplicationError, NotAllowed
from participation.budgets import data, demo, exports, selectors, services, statistics
from participation.budgets.models import (
    Ballot,
    Budget,
    Project,
    ResultOverride,
)
from participation.hooks import results_published
from tests.participation.budgets.conftest import CUMULATIVE, RANKED, cast, ids
from tests.participation.factories import (
    ModeratorFactory,
    NeighbourhoodFactory,
    ParticipantFactory,
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

    results_published.connect(listener)
    try:
        with pytest.raises(ApplicationError, match="déjà publiés"), transaction.atomic():
            services.results_publish(actor=staff, budget=budget)
            services.results_publish(actor=staff, budget=budget)
        budget = Budget.objects.get(pk=budget.pk)
        budget.component = budget.component
        with django_capture_on_commit():
            services.results_publish(actor=staff, budget=budget)
    finally:
        results_published.disconnect(listener)
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
