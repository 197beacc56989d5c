"""pb_import / pb_results / pb_export on the real pabulib files of /work/shared/pabulib."""

import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django_tenants.utils import tenant_context

from participation.budgets import pabulib, selectors, tally
from participation.budgets.models import Ballot, BallotChoice, Budget, Project
from participation.models import Component, Space
from tests.conftest import TOWN_A

PABULIB = Path(settings.BASE_DIR).parent / "shared" / "pabulib"


def pabulib_files() -> list[Path]:
    files = sorted(PABULIB.glob("*.pb"))
    if not files:
        # A missing data set is a broken checkout, not a reason to skip.
        raise FileNotFoundError(f"aucun fichier .pb dans {PABULIB}")
    return files


FILES = pabulib_files()


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def pb_import(path: Path) -> int:
    return int(run("pb_import", str(path), "--town", TOWN_A).strip())


def pb_results(campaign: int, rule: str) -> dict:
    return json.loads(
        run("pb_results", "--town", TOWN_A, "--campaign", str(campaign), "--rule", rule, "--json")
    )


def budget_of(town_a, campaign: int) -> Budget:
    with tenant_context(town_a):
        return Budget.objects.select_related("component__space").get(component_id=campaign)


def test_the_data_set_is_there():
    assert len(FILES) >= 6, FILES


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_import_keeps_every_project_and_ballot_and_greedy_matches(town_a, path):
    instance = pabulib.parse(path.read_text(encoding="utf-8-sig"), source=path.name)
    campaign = pb_import(path)
    with tenant_context(town_a):
        component = Component.objects.select_related("space").get(pk=campaign)
        assert component.type_key == "budgets"
        assert component.space.kind == Space.Kind.BUDGET_CAMPAIGN
        budget = Budget.objects.get(component=component)
        assert budget.amount == instance.budget
        projects = {p.external_id: p for p in Project.objects.filter(budget=budget)}
        assert set(projects) == set(instance.projects)
        assert {pid: p.cost for pid, p in projects.items()} == instance.costs
        assert Ballot.objects.filter(budget=budget).count() == len(instance.votes)
        assert not Ballot.objects.filter(budget=budget, voter__isnull=False).exists()
        assert set(Ballot.objects.filter(budget=budget).values_list("voter_key", flat=True)) == {
            f"pb:{vote.voter_id}" for vote in instance.votes
        }
        assert BallotChoice.objects.filter(ballot__budget=budget).count() == sum(
            len(vote.projects) for vote in instance.votes
        )
        # The scores summed by the database are the pure tally's (and the file's own column).
        sql = {
            projects_by_pk: score
            for projects_by_pk, (_v, score) in selectors.project_scores(budget).items()
        }
        by_external = {pid: sql.get(p.pk, 0) for pid, p in projects.items()}
        assert by_external == tally.scores(instance)
        for pid, row in instance.projects.items():
            if row.fields.get("score"):
                assert by_external[pid] == int(float(row.fields["score"])), pid

    greedy = pb_results(campaign, "greedy")
    assert greedy["rule"] == "greedy"
    assert greedy["seconds"] >= 0
    expected = instance.selected
    if expected is None:  # no selected column: the pure rule on the parsed file
        expected = tally.greedy(instance.costs, tally.scores(instance), instance.budget)
    assert sorted(greedy["selected"]) == sorted(expected)

    mes = pb_results(campaign, "mes")
    assert mes["selected"] == tally.method_of_equal_shares(
        instance.costs, tally.approval_sets(instance), instance.budget
    )


def test_the_ballot_rules_come_from_the_file(town_a):
    rules = {}
    for path in FILES:
        budget = budget_of(town_a, pb_import(path))
        rules[path.stem] = budget
    toulouse_2019 = rules["France_Toulouse_2019"]
    assert toulouse_2019.ballot_rule == Budget.BallotRule.CUMULATIVE
    assert (toulouse_2019.max_points_per_project, toulouse_2019.max_points) == (3, 7)
    capitole = rules["France_Toulouse_2022_1_-_Capitole_Arnaud_Bernard_Carmes"]
    assert capitole.ballot_rule == Budget.BallotRule.APPROVAL
    assert (capitole.min_projects, capitole.max_projects) == (1, 3)
    assert rules["Poland_Krakow_2018_Czyzyny"].ballot_rule == Budget.BallotRule.RANKED
    assert rules["Poland_Krakow_2018_Czyzyny"].max_projects == 3
    assert rules["Netherlands_Amsterdam_588"].ballot_rule == Budget.BallotRule.KNAPSACK


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_export_then_import_gives_the_same_results(town_a, tmp_path, path):
    campaign = pb_import(path)
    exported = tmp_path / "export.pb"
    run("pb_export", "--town", TOWN_A, "--campaign", str(campaign), "--output", str(exported))
    again = pabulib.parse(exported.read_text(encoding="utf-8"))
    original = pabulib.parse(path.read_text(encoding="utf-8-sig"))
    assert again.costs == original.costs
    assert [(v.voter_id, v.projects, v.points) for v in again.votes] == [
        (v.voter_id, v.projects, v.points) for v in original.votes
    ]
    assert again.vote_type == original.vote_type
    reimported = pb_import(exported)
    for rule in ("greedy", "mes"):
        assert pb_results(reimported, rule)["selected"] == pb_results(campaign, rule)["selected"]


def test_export_to_stdout_is_valid_pabulib(town_a):
    campaign = pb_import(FILES[0])
    text = run("pb_export", "--town", TOWN_A, "--campaign", str(campaign))
    assert pabulib.parse(text).meta["num_votes"] == str(
        len(pabulib.parse(FILES[0].read_text(encoding="utf-8-sig")).votes)
    )


def test_a_selected_column_is_matched(town_a, tmp_path):
    path = tmp_path / "selected.pb"
    path.write_text(
        "META\nkey;value\nbudget;100\nvote_type;approval\n"
        "PROJECTS\nproject_id;cost;name;selected\na;60;A;1\nb;50;B;0\nc;40;C;1\n"
        "VOTES\nvoter_id;vote\n1;a,b\n2;a,c\n3;b,a\n"
    )
    campaign = pb_import(path)
    assert sorted(pb_results(campaign, "greedy")["selected"]) == ["a", "c"]


MALFORMED = (
    "META\nkey;value\nbudget;1000\nvote_type;approval\n"
    "PROJECTS\nproject_id;cost;name\n1;500;Un\n2;cinq cents;Deux\n"
    "VOTES\nvoter_id;vote\nv1;1\n"
)


def test_a_malformed_file_imports_nothing_and_names_the_line(town_a, tmp_path):
    path = tmp_path / "bad.pb"
    path.write_text(MALFORMED)
    with tenant_context(town_a):
        before = (Space.objects.count(), Budget.objects.count(), Ballot.objects.count())
    with pytest.raises(CommandError, match="ligne 8") as raised:
        run("pb_import", str(path), "--town", TOWN_A)
    assert "cinq cents" in str(raised.value)
    with tenant_context(town_a):
        assert (Space.objects.count(), Budget.objects.count(), Ballot.objects.count()) == before


def test_a_failure_midway_rolls_everything_back(town_a, tmp_path, monkeypatch):
    from participation.budgets import importing

    def boom(*args, **kwargs):
        raise RuntimeError("disque plein")

    monkeypatch.setattr(importing.BallotChoice.objects, "bulk_create", boom)
    with tenant_context(town_a):
        before = (Space.objects.count(), Project.objects.count(), Ballot.objects.count())
    with pytest.raises(RuntimeError):
        run("pb_import", str(FILES[0]), "--town", TOWN_A)
    with tenant_context(town_a):
        assert (Space.objects.count(), Project.objects.count(), Ballot.objects.count()) == before


def test_unknown_town_and_campaign(town_a):
    with pytest.raises(CommandError, match="Collectivité inconnue"):
        run("pb_import", str(FILES[0]), "--town", "nulle-part")
    with pytest.raises(CommandError, match="Aucune campagne"):
        run("pb_results", "--town", TOWN_A, "--campaign", "999999", "--json")
    with pytest.raises(CommandError, match="Lecture impossible"):
        run("pb_import", "/nulle/part.pb", "--town", TOWN_A)
