"""participation.budgets.tally against the real elections and against pabutools (the reference
implementation). Pure Python: no database."""

from __future__ import annotations

import random
from collections import Counter

import numpy as np
import pytest
from pabutools.election import (
    AdditiveSatisfaction,
    ApprovalBallot,
    ApprovalProfile,
    Cost_Sat,
    Instance,
    Project,
)
from pabutools.election.pabulib import parse_pabulib_from_string
from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares

from participation.budgets import tally
from participation.budgets.pabulib import PabulibInstance, ProjectRow, parse, write

from .test_pabulib import PB_FILES, load_text

APPROVAL_FILES = [
    "France_Toulouse_2022_1_-_Capitole_Arnaud_Bernard_Carmes.pb",
    "France_Toulouse_2022_6_-_Saint-Cyprien.pb",
    "Netherlands_Amsterdam_588.pb",
    "Canada_Stanford_Dataset_PB_Dieppe_2018_vote_approvals.pb",
]
SCORED_FILES = ["France_Toulouse_2019.pb", "Poland_Krakow_2018_Czyzyny.pb"]


def both(name: str):
    """Our instance and pabutools' (instance, profile), each parsed once from the same text."""
    text = load_text(name)
    return parse(text, source=name), parse_pabulib_from_string(text)


def names(allocation) -> list[str]:
    return [project.name for project in allocation]


def score_sat_class(instance: PabulibInstance):
    """A pabutools satisfaction whose greedy "satisfaction per unit of cost" is our score:
    points (cumulative) or k - position (ordinal), times the cost."""
    k = int(instance.meta.get("max_length") or max(len(v.projects) for v in instance.votes))

    def func(_instance, _profile, ballot, project, _precomputed):
        if instance.vote_type == "ordinal":
            value = k - ballot.position(project) if project in ballot else 0
        else:
            value = ballot.get(project, 0)
        return value * project.cost

    class ScoreSat(AdditiveSatisfaction):
        def __init__(self, inst, profile, ballot):
            super().__init__(inst, profile, ballot, func)

    return ScoreSat


# ------------------------------------------------------------------------------------- scores


@pytest.mark.parametrize("name", SCORED_FILES)
def test_scores_reproduce_the_files_score_column(name):
    instance = parse(load_text(name))
    expected = {pid: int(row.fields["score"]) for pid, row in instance.projects.items()}
    assert tally.scores(instance) == expected


@pytest.mark.parametrize("name", PB_FILES)
def test_approval_scores_reproduce_the_votes_column(name):
    instance = parse(load_text(name))
    expected = {pid: int(row.fields["votes"]) for pid, row in instance.projects.items()}
    ballots = [vote.projects for vote in instance.votes]
    assert tally.scores(ballots, vote_type="approval", projects=instance.projects) == expected


def test_scores_from_ballots():
    assert tally.scores([["a", "b"], ["b"]], projects=["c"]) == {"c": 0, "a": 1, "b": 2}
    cumulative = tally.scores([["a", "b"], ["b"]], vote_type="cumulative", points=[[2, 1], [3]])
    assert cumulative == {"a": 2, "b": 4}
    # k = 3 (max_length): a ballot ranking only two projects still gives 3 then 2.
    ordinal = tally.scores([["a", "b", "c"], ["c", "a"]], vote_type="ordinal", max_length=3)
    assert ordinal == {"a": 3 + 2, "b": 2, "c": 1 + 3}
    assert tally.scores([["a"], ["b", "a"]], vote_type="ordinal") == {"a": 2 + 1, "b": 2}


# ------------------------------------------------------------------------------------- greedy


@pytest.mark.parametrize("name", APPROVAL_FILES)
def test_greedy_equals_pabutools_on_approval_files(name):
    instance, (reference, profile) = both(name)
    ours = tally.greedy(instance.costs, tally.scores(instance), instance.budget)
    # Cost_Sat: a project's satisfaction per unit of cost is its number of approvals.
    theirs = greedy_utilitarian_welfare(reference, profile, sat_class=Cost_Sat)
    assert ours == names(theirs)
    assert sum(instance.costs[pid] for pid in ours) <= instance.budget


@pytest.mark.parametrize("name", SCORED_FILES)
def test_greedy_by_score_equals_pabutools_on_scored_files(name):
    instance, (reference, profile) = both(name)
    ours = tally.greedy(instance.costs, tally.scores(instance), instance.budget)
    theirs = greedy_utilitarian_welfare(reference, profile, sat_class=score_sat_class(instance))
    assert ours == names(theirs)


@pytest.mark.parametrize("name", PB_FILES)
def test_greedy_matches_the_selected_column_when_there_is_one(name):
    instance = parse(load_text(name))
    if instance.selected is None:  # none of the six files has one (see the report)
        return
    chosen = tally.greedy(instance.costs, tally.scores(instance), instance.budget)
    assert sorted(chosen) == sorted(instance.selected)


def test_greedy_known_selections():
    """The selections, written down: a change of rule shows up here first."""
    expected = {
        # by points; by number of ballots it would be 12, 14 and 24 instead of 26
        "France_Toulouse_2019.pb": ["4", "16", "13", "29", "5", "10", "30", "20", "1", "18",
                                    "7", "27", "6", "26"],
        "Poland_Krakow_2018_Czyzyny.pb": ["6", "1", "8", "2"],
    }  # fmt: skip
    for name, selection in expected.items():
        instance = parse(load_text(name))
        chosen = tally.greedy(instance.costs, tally.scores(instance), instance.budget)
        assert chosen == selection, name


def test_greedy_ties_use_string_order_like_pabutools():
    costs = {"9": 10, "10": 10, "2": 10}
    assert tally.greedy(costs, {"9": 1, "10": 1, "2": 1}, 20) == ["10", "2"]
    assert tally.greedy(costs, {"9": 2, "10": 1, "2": 1}, 20) == ["9", "10"]
    # skips what no longer fits, keeps going with cheaper projects
    assert tally.greedy({"a": 70, "b": 50, "c": 30}, {"a": 3, "b": 2, "c": 1}, 100) == ["a", "c"]
    # already selected projects come first and use the budget
    assert tally.greedy({"a": 70, "b": 50, "c": 30}, {"a": 3}, 100, selected=["b"]) == ["b", "c"]


# ---------------------------------------------------------------------------------------- MES


@pytest.mark.parametrize("name", PB_FILES)
def test_mes_equals_pabutools(name):
    """On approval files, and on the others with the approval sets derived from the ballots
    (pabutools' Cost_Sat only asks whether a project is in the ballot)."""
    instance, (reference, profile) = both(name)
    ours = tally.method_of_equal_shares(
        instance.costs, tally.approval_sets(instance), instance.budget
    )
    theirs = method_of_equal_shares(reference, profile, sat_class=Cost_Sat)
    assert ours == names(theirs)  # same projects, in the same order
    assert sum(instance.costs[pid] for pid in ours) <= instance.budget


@pytest.mark.parametrize("name", PB_FILES)
def test_mes_with_greedy_completion(name):
    instance = parse(load_text(name))
    costs, budget = instance.costs, instance.budget
    approvals = tally.approval_sets(instance)
    pure = tally.method_of_equal_shares(costs, approvals, budget)
    completed = tally.method_of_equal_shares(costs, approvals, budget, completion="greedy")
    assert completed[: len(pure)] == pure
    spent = sum(costs[pid] for pid in completed)
    assert spent <= budget
    # exhaustive: nothing left out still fits
    assert all(costs[pid] > budget - spent for pid in costs if pid not in completed)
    votes = tally.scores([vote.projects for vote in instance.votes], projects=costs)
    added = completed[len(pure) :]
    assert [votes[pid] for pid in added] == sorted((votes[pid] for pid in added), reverse=True)


def test_mes_by_hand():
    # 4 voters, budget 100: 25 each. "a" (cost 60) is approved by 3 voters: 20 each,
    # rho = 20/60 = 1/3. "b" (cost 40) by voters 3 and 4: 20 each, rho = 1/2. "a" first;
    # then voter 3 has 5 left and voter 4 has 25: b needs 40 > 30, so MES stops.
    approvals = [{"a"}, {"a"}, {"a", "b"}, {"b"}]
    costs = {"a": 60, "b": 40, "c": 10}
    assert tally.method_of_equal_shares(costs, approvals, 100) == ["a"]
    completed = tally.method_of_equal_shares(costs, approvals, 100, completion="greedy")
    assert completed == ["a", "b"]
    # nobody approves c: never selected by MES; nothing, with no voters
    assert tally.method_of_equal_shares(costs, [], 100) == []
    # a free project with support comes first
    assert tally.method_of_equal_shares({"z": 0, **costs}, [*approvals, {"z"}], 100)[0] == "z"
    with pytest.raises(ValueError, match="inconnu"):
        tally.method_of_equal_shares(costs, [{"x"}], 100)


def _random_election(rng: random.Random):
    n_projects = rng.randint(1, 8)
    ids = [str(rng.randint(1, 30)) for _ in range(n_projects)]
    ids = list(dict.fromkeys(ids))
    costs = {pid: rng.choice([1, 2, 3, 5, 10, 15, 20, 30]) * 1000 for pid in ids}
    budget = rng.randint(1, 60) * 1000
    approvals = [{pid for pid in ids if rng.random() < 0.4} for _ in range(rng.randint(0, 25))]
    return costs, approvals, budget


def _pabutools(costs, approvals, budget):
    projects = {pid: Project(pid, cost) for pid, cost in costs.items()}
    instance = Instance(projects.values(), budget_limit=budget)
    profile = ApprovalProfile([ApprovalBallot(projects[p] for p in ballot) for ballot in approvals])
    return instance, profile


def test_random_elections_equal_pabutools():
    """Small random elections, full of ties (equal costs, equal support): both rules select
    what pabutools selects, in the same order."""
    rng = random.Random(20260411)
    for _ in range(300):
        costs, approvals, budget = _random_election(rng)
        instance, profile = _pabutools(costs, approvals, budget)
        ours = tally.method_of_equal_shares(costs, approvals, budget)
        assert ours == names(method_of_equal_shares(instance, profile, sat_class=Cost_Sat)), (
            costs,
            approvals,
            budget,
        )
        votes = tally.scores(approvals, projects=costs)
        greedy = tally.greedy(costs, votes, budget)
        theirs = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
        assert greedy == names(theirs), (costs, approvals, budget)


def _passes(costs, approvals, budget):
    """(float pass or None if it declined, exact pass) on the election, ids as names."""
    merged = Counter(frozenset(ballot) for ballot in approvals)
    units = list(merged)
    supporters = [
        np.array([i for i, unit in enumerate(units) if pid in unit], np.int64) for pid in costs
    ]
    weights = np.array([merged[unit] for unit in units], np.int64)
    found = []
    for run in (tally._float_pass, tally._exact_pass):
        ballots = tally._Ballots(list(costs), supporters, weights)
        try:
            chosen = run(ballots, list(costs.values()), budget, merged.total())
        except tally._TooClose:
            found.append(None)
            continue
        found.append([ballots.projects[p] for p in chosen])
    return found


def test_both_passes_equal_pabutools_on_random_elections():
    """The exact pass always; the float pass whenever it decides, which must be most of these
    elections even though they are full of ties (those of equal support it breaks itself)."""
    rng = random.Random(20260411)
    decided = 0
    for _ in range(300):
        costs, approvals, budget = _random_election(rng)
        if not approvals:
            continue
        instance, profile = _pabutools(costs, approvals, budget)
        theirs = names(method_of_equal_shares(instance, profile, sat_class=Cost_Sat))
        fast, exact = _passes(costs, approvals, budget)
        assert exact == theirs, (costs, approvals, budget)
        if fast is not None:
            decided += 1
            assert fast == theirs, (costs, approvals, budget)
    assert decided >= 250


@pytest.mark.parametrize("name", PB_FILES)
def test_the_float_pass_decides_the_real_files(name):
    instance, (reference, profile) = both(name)
    fast, exact = _passes(instance.costs, tally.approval_sets(instance), instance.budget)
    theirs = names(method_of_equal_shares(reference, profile, sat_class=Cost_Sat))
    assert fast == exact == theirs


def test_equal_support_ties_are_broken_by_id_in_the_float_pass():
    """b (cost 30) and a (cost 7) have three supporters each with money enough: rho = 1/3
    for both, exactly, though not always in floating point; a comes first by id."""
    costs = {"b": 30, "a": 7}
    approvals = [{"b"}, {"a", "b"}, {"a", "b"}, {"a"}]
    fast, exact = _passes(costs, approvals, 100)
    instance, profile = _pabutools(costs, approvals, 100)
    assert fast == exact == ["a", "b"]
    assert names(method_of_equal_shares(instance, profile, sat_class=Cost_Sat)) == ["a", "b"]


def test_a_cost_its_supporters_hold_exactly_goes_to_the_exact_pass():
    """c (60, three supporters of 25) first; then x (30) is supported by a voter left with 5
    and one with 25: exactly its cost, affordable, which floats cannot tell apart."""
    costs = {"c": 60, "x": 30}
    approvals = [{"c", "x"}, {"c"}, {"c"}, {"x"}]
    fast, exact = _passes(costs, approvals, 100)
    assert fast is None
    assert exact == ["c", "x"]
    assert tally.method_of_equal_shares(costs, approvals, 100) == ["c", "x"]
    instance, profile = _pabutools(costs, approvals, 100)
    assert names(method_of_equal_shares(instance, profile, sat_class=Cost_Sat)) == ["c", "x"]


def test_equal_shares_reads_ballot_ids_as_the_database_gives_them():
    """Any ballot ids (here sparse and large), n counting the ballots naming nothing."""
    costs = {"a": 60, "b": 40, "c": 10}
    supporters = {
        "a": np.array([10**12, 7, 90_000], np.int64),
        "b": np.array([90_000, 3], np.int64),
        "c": np.empty(0, np.int64),
    }
    assert tally.equal_shares(costs, supporters, 100, voters=4) == ["a"]
    assert tally.equal_shares(costs, supporters, 100, voters=4, completion="greedy") == [
        "a",
        "b",
    ]
    # two more voters naming nothing: shares of 100 / 6, a (60) is out of reach of its three
    assert tally.equal_shares(costs, supporters, 100, voters=6) == []
    assert (
        tally.method_of_equal_shares(costs, [{"a"}, {"a"}, {"a", "b"}, {"b"}, set(), set()], 100)
        == []
    )


def test_mes_is_exact():
    """Shares of 100/3 never become floats: three voters, each project costs exactly what
    its supporters hold."""
    approvals = [{"a"}, {"a"}, {"b"}]
    assert tally.method_of_equal_shares({"a": 67, "b": 33}, approvals, 100) == ["b"]
    chosen = tally.method_of_equal_shares({"a": 66, "b": 33}, approvals, 100)
    assert chosen == ["a", "b"]  # 2 x 100/3 >= 66 and 100/3 >= 33; a: 33/66 < b: 33/33


# ---------------------------------------------------------------------------- round trip


@pytest.mark.parametrize("name", PB_FILES)
def test_write_then_parse_gives_the_same_results(name):
    instance = parse(load_text(name))
    again = parse(write(instance))

    def results(data: PabulibInstance):
        scores = tally.scores(data)
        approvals = tally.approval_sets(data)
        return (
            scores,
            tally.greedy(data.costs, scores, data.budget),
            tally.method_of_equal_shares(data.costs, approvals, data.budget),
            tally.method_of_equal_shares(data.costs, approvals, data.budget, completion="greedy"),
        )

    assert results(again) == results(instance)


def test_selected_column_round_trip():
    """A file with a selected column (written from our greedy result) reads back with it."""
    instance = parse(load_text("France_Toulouse_2019.pb"))
    chosen = tally.greedy(instance.costs, tally.scores(instance), instance.budget)
    instance.project_columns.append("selected")
    instance.projects = {
        pid: ProjectRow(pid, row.cost, {**row.fields, "selected": str(int(pid in chosen))})
        for pid, row in instance.projects.items()
    }
    again = parse(write(instance))
    assert sorted(again.selected) == sorted(chosen)
    assert tally.greedy(again.costs, tally.scores(again), again.budget) == chosen
