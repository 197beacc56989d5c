"""The tallies' ballot reads and their cache: the compact query gives the same ballots as the
per-ballot read; results are served from the cache until a ballot changes, and change with the
very next ballot (cast, changed, deleted, on paper, in a secret budget's box)."""

from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from participation.budgets import ballot_box, importing, selectors, services
from participation.budgets.models import Ballot, BallotChoice, Budget, Project
from tests.participation.budgets.conftest import cast, ids
from tests.participation.factories import ModeratorFactory, ParticipantFactory

PABULIB = sorted((Path(settings.BASE_DIR).parent / "shared" / "pabulib").glob("*.pb"))
RULES = [Budget.ResultRule.GREEDY, Budget.ResultRule.MES]


def shown(budget: Budget, rule: str) -> dict[int, tuple[int, bool]]:
    """What the results page shows of each project: its votes and whether it is funded."""
    outcome = selectors.results(budget, rule=rule)
    return {row.id: (row.votes, row.selected) for row in outcome.projects}


def served_from_cache(budget: Budget, rule: str) -> bool:
    """Whether ``results`` read no ballot (only the projects with the ballots' version, and
    the town's decisions)."""
    with CaptureQueriesContext(connection) as queries:
        selectors.results(budget, rule=rule)
    read = " ".join(query["sql"] for query in queries.captured_queries)
    return "budgets_ballotchoice" not in read and "choices" not in read


def test_the_data_set_is_there():
    assert len(PABULIB) >= 6, PABULIB


@pytest.mark.parametrize("path", PABULIB, ids=[path.stem for path in PABULIB])
def test_the_supporters_query_gives_each_projects_ballots(in_town_a, path):
    component = importing.import_pabulib(path.read_text(encoding="utf-8-sig"), source=path.name)
    budget = importing.campaign_budget(component.pk)
    Ballot.objects.create(budget=budget, voter_key="pb:empty")  # a ballot naming nothing
    expected: dict[int, list[int]] = {pk: [] for pk in ids(budget)}
    for ballot_id, project_id in BallotChoice.objects.filter(ballot__budget=budget).values_list(
        "ballot_id", "project_id"
    ):
        expected[project_id].append(ballot_id)
    read = ballot_box.supporters(budget)
    assert {pk: sorted(ballots.tolist()) for pk, ballots in read.by_project.items()} == {
        pk: sorted(ballots) for pk, ballots in expected.items()
    }
    assert read.voters == Ballot.objects.filter(budget=budget).count()  # the empty one too
    assert read.weights is None


def test_the_supporters_of_a_secret_box(make_budget, vote_phase):
    budget = make_budget(secret_ballot=True)
    picks = [[0, 1], [1, 0], [2], [0, 1], [3, 4, 2]]
    for pick in picks:
        cast(budget, [ids(budget)[n] for n in pick])
    expected = Counter(tuple(sorted(ids(budget)[n] for n in pick)) for pick in picks)
    read = ballot_box.supporters(budget)
    rebuilt: Counter = Counter()
    for number, count in enumerate(read.weights.tolist()):
        named = [pk for pk, ballots in read.by_project.items() if number in ballots.tolist()]
        rebuilt[tuple(sorted(named))] += count
    assert rebuilt == expected
    assert read.voters == len(picks)
    assert set(read.by_project) == set(ids(budget))


@pytest.mark.parametrize("rule", RULES)
def test_results_change_with_the_very_next_ballot(make_budget, vote_phase, rule):
    """Costs 200,000, 150,000, 30,000, 3,000 and 62,000 for 200,000: each step's outcome
    below holds for greedy and for MES (completed greedily)."""
    budget = make_budget(amount=200_000, max_projects=2)
    first, second, third, fourth, _fifth = ids(budget)
    alice, bob = ParticipantFactory(), ParticipantFactory()
    cast(budget, [second, third], voter=alice)
    before = shown(budget, rule)
    assert served_from_cache(budget, rule)
    assert shown(budget, rule) == before

    cast(budget, [fourth], voter=bob)  # cast
    after_cast = shown(budget, rule)
    assert after_cast[fourth] == (1, True)
    assert after_cast[second][0] == 1
    assert served_from_cache(budget, rule)

    cast(budget, [first], voter=bob)  # changed
    after_change = shown(budget, rule)
    assert (after_change[fourth][0], after_change[first][0]) == (0, 1)

    Ballot.objects.filter(budget=budget, voter=alice).delete()  # deleted
    after_delete = shown(budget, rule)
    assert after_delete[first] == (1, True)
    assert after_delete[second] == after_delete[third] == (0, False)

    agent, other_agent = ModeratorFactory(), ModeratorFactory()
    paper = services.paper_ballot_enter(
        agent=agent, budget=budget, polling_station="Mairie annexe", choices=[third]
    )
    assert shown(budget, rule) == after_delete  # entered, not yet confirmed: not counted
    services.paper_ballot_retype(agent=other_agent, paper=paper, choices=[third])  # on paper
    assert shown(budget, rule)[third][0] == 1


@pytest.mark.parametrize("rule", RULES)
def test_secret_results_change_with_the_very_next_ballot(make_budget, vote_phase, rule):
    budget = make_budget(amount=200_000, max_projects=2, secret_ballot=True)
    first, second, third, *_others = ids(budget)
    cast(budget, [second])
    before = shown(budget, rule)
    assert before[second] == (1, True)
    assert served_from_cache(budget, rule)

    cast(budget, [first])
    after_cast = shown(budget, rule)
    assert after_cast[first] == (1, True)
    assert after_cast[second] == (1, False)

    agent, other_agent = ModeratorFactory(), ModeratorFactory()
    paper = services.paper_ballot_enter(
        agent=agent, budget=budget, polling_station="Mairie annexe", choices=[third]
    )
    services.paper_ballot_retype(agent=other_agent, paper=paper, choices=[third])
    assert shown(budget, rule)[third][0] == 1
    assert served_from_cache(budget, rule)


def test_the_pb_results_path_is_cached_and_follows_the_ballots(make_budget, vote_phase):
    budget = make_budget(amount=200_000, max_projects=2)
    _first, second, _third, fourth, _fifth = ids(budget)
    cast(budget, [second])
    for rule in RULES:
        assert importing.campaign_results(budget, rule=rule).selected[0] == str(second)
        assert importing.campaign_results(budget, rule=rule).selected[0] == str(second)
    cast(budget, [fourth])
    cast(budget, [fourth])
    for rule in RULES:
        assert importing.campaign_results(budget, rule=rule).selected[0] == str(fourth)
    # A project's cost is part of what the cached selection depends on (QuerySet.update: no
    # signal, nothing told the cache).
    Project.objects.filter(pk=fourth).update(cost=budget.amount + 1)
    for rule in RULES:
        assert str(fourth) not in importing.campaign_results(budget, rule=rule).selected
    Project.objects.filter(pk=fourth).update(external_id="quatre", cost=1)
    for rule in RULES:
        assert importing.campaign_results(budget, rule=rule).selected[0] == "quatre"


def test_the_pb_results_path_asks_one_statement_when_nothing_changed(make_budget, vote_phase):
    budget = make_budget(amount=200_000, max_projects=2)
    cast(budget, [ids(budget)[1]])
    for rule in RULES:
        first = importing.campaign_results(budget, rule=rule).selected
        with CaptureQueriesContext(connection) as queries:
            assert importing.campaign_results(budget, rule=rule).selected == first
        assert len(queries.captured_queries) == 1


@pytest.mark.parametrize("enabled_before", [True, False])
@pytest.mark.parametrize("fails", [False, True])
def test_a_tally_runs_without_the_cyclic_collector_and_gives_it_back(
    make_budget, enabled_before, fails
):
    import gc

    budget = make_budget()
    seen = []

    def compute():
        seen.append(gc.isenabled())
        if fails:
            raise RuntimeError("tally failed")
        return "result"

    (gc.enable if enabled_before else gc.disable)()
    try:
        parts = ("collector", enabled_before, fails)
        if fails:
            with pytest.raises(RuntimeError):
                ballot_box.cached(budget, "0:0", parts, compute)
        else:
            assert ballot_box.cached(budget, "0:0", parts, compute) == "result"
        assert seen == [False]
        assert gc.isenabled() is enabled_before
    finally:
        gc.enable()


def test_the_binary_arrays_are_read_as_postgresql_sends_them(in_town_a):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array_send(ARRAY[]::int8[]), array_send(ARRAY[5, 2^40, -1]::int8[]), "
            "array_send(ARRAY[5, 6]::int4[])"
        )
        empty, three, small = (bytes(sent) for sent in cursor.fetchone())
    assert ballot_box._bigints(empty).tolist() == []
    assert ballot_box._bigints(three).tolist() == [5, 2**40, -1]
    with pytest.raises(ValueError, match="bigint"):
        ballot_box._bigints(small)


def test_mes_with_the_towns_decisions_reads_the_ballots_once(make_budget, vote_phase, staff):
    """Both selections (the rule alone, and with the town's decision) from one read."""
    budget = make_budget(result_rule=Budget.ResultRule.MES)
    first, second, *_rest = ids(budget)
    cast(budget, [first, second])
    services.result_override(
        actor=staff,
        budget=budget,
        project=Project.objects.get(pk=first),
        selected=False,
        reason="Le terrain n'est pas à la commune.",
    )
    with CaptureQueriesContext(connection) as queries:
        rows = {
            row.id: row for row in selectors.results(budget, rule=Budget.ResultRule.MES).projects
        }
    assert rows[first].computed and not rows[first].selected
    reads = [query for query in queries.captured_queries if "array_send" in query["sql"]]
    assert len(reads) == 1
