"""participation.budgets.pabulib on the real elections of /work/shared/pabulib and on small
malformed texts. Pure Python: no database."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from pabutools.election.pabulib import parse_pabulib_from_string

from participation.budgets.pabulib import (
    PabulibError,
    PabulibInstance,
    ProjectRow,
    VoteRow,
    parse,
    write,
)

# The shared data lives next to the repository (the worktree's parent): /work/shared/pabulib.
DATA_DIR = Path(settings.BASE_DIR).resolve().parent / "shared" / "pabulib"
EXPECTED_FILES = {
    "France_Toulouse_2019.pb",
    "France_Toulouse_2022_1_-_Capitole_Arnaud_Bernard_Carmes.pb",
    "France_Toulouse_2022_6_-_Saint-Cyprien.pb",
    "Poland_Krakow_2018_Czyzyny.pb",
    "Netherlands_Amsterdam_588.pb",
    "Canada_Stanford_Dataset_PB_Dieppe_2018_vote_approvals.pb",
}
# Parametrise on the expected names (not on a glob) so that a missing folder or file fails
# the tests instead of silently collecting nothing; test_data_folder also catches extra files.
PB_FILES = sorted(EXPECTED_FILES | {p.name for p in DATA_DIR.glob("*.pb")})


def load_text(name: str) -> str:
    path = DATA_DIR / name
    assert DATA_DIR.is_dir(), f"dossier de données pabulib introuvable : {DATA_DIR}"
    assert path.is_file(), f"fichier pabulib introuvable : {path}"
    return path.read_text(encoding="utf-8")


def load(name: str) -> PabulibInstance:
    return parse(load_text(name), source=name)


def test_data_folder():
    assert DATA_DIR.is_dir(), f"dossier de données pabulib introuvable : {DATA_DIR}"
    assert {p.name for p in DATA_DIR.glob("*.pb")} >= EXPECTED_FILES


def _section_rows(text: str, section: str) -> int:
    """Non-blank lines of a section, header excluded, counted without our parser."""
    lines = [line.strip() for line in text.lstrip("\ufeff").splitlines() if line.strip()]
    start = lines.index(section) + 2
    end = next(
        (i for i in range(start, len(lines)) if lines[i] in ("META", "PROJECTS", "VOTES")),
        len(lines),
    )
    return end - start


@pytest.mark.parametrize("name", PB_FILES)
def test_parse_keeps_every_project_and_ballot(name):
    text = load_text(name)
    instance = parse(text, source=name)
    assert len(instance.projects) == int(instance.meta["num_projects"])
    assert len(instance.votes) == int(instance.meta["num_votes"])
    assert len(instance.projects) == _section_rows(text, "PROJECTS")
    assert len(instance.votes) == _section_rows(text, "VOTES")
    assert instance.vote_type in ("approval", "ordinal", "cumulative", "scoring")
    assert instance.budget > 0
    assert instance.project_columns[:2] == ["project_id", "cost"]
    assert instance.vote_columns[:2] == ["voter_id", "vote"]
    # Every column is kept.
    for row in instance.projects.values():
        assert set(row.fields) == set(instance.project_columns) - {"project_id", "cost"}
    # The votes column is the number of ballots naming the project.
    counts = dict.fromkeys(instance.projects, 0)
    for vote in instance.votes:
        for pid in vote.projects:
            counts[pid] += 1
    assert {pid: int(row.fields["votes"]) for pid, row in instance.projects.items()} == counts


def test_parse_details_of_real_files():
    toulouse = load("France_Toulouse_2022_1_-_Capitole_Arnaud_Bernard_Carmes.pb")
    assert toulouse.meta["budget"] == "400000.0"
    assert toulouse.budget == 400_000
    assert toulouse.projects["13"].cost == 4000  # written 4000.0
    assert toulouse.projects["5"].fields["name"] == "Végétalisation de la place du Capitole"
    assert toulouse.votes[1] == VoteRow("1-22", ["6", "5"], None, {})
    assert toulouse.selected is None  # no selected column in these files

    cumulative = load("France_Toulouse_2019.pb")
    assert cumulative.vote_type == "cumulative"
    assert cumulative.votes[0] == VoteRow("0", ["15", "22", "25", "10"], [2, 2, 2, 1], {})

    krakow = load("Poland_Krakow_2018_Czyzyny.pb")
    assert krakow.votes[0] == VoteRow("3", ["6", "3", "5"], None, {"voting_method": "internet"})


@pytest.mark.parametrize("name", PB_FILES)
def test_write_round_trip_and_pabutools_reads_it(name):
    instance = load(name)
    text = write(instance)
    assert parse(text) == instance
    assert write(parse(text)) == text
    reference, profile = parse_pabulib_from_string(text)
    assert {p.name for p in reference} == set(instance.projects)
    assert {p.name: int(p.cost) for p in reference} == instance.costs
    assert reference.budget_limit == instance.budget
    assert len(profile) == len(instance.votes)
    for ballot, vote in zip(profile, instance.votes, strict=True):
        assert {p.name for p in ballot} == set(vote.projects)


def test_selected_property_and_quoted_fields():
    instance = PabulibInstance(
        meta={"description": 'Budget "test"; 2026', "budget": "100", "vote_type": "approval"},
        projects={
            "a": ProjectRow("a", 60, {"name": "Parc; jeux", "selected": "1"}),
            "b": ProjectRow("b", 50, {"name": "Banc", "selected": "0"}),
        },
        votes=[VoteRow("v1", ["a", "b"], None, {"age": "30"})],
        project_columns=["project_id", "cost", "name", "selected"],
        vote_columns=["voter_id", "vote", "age"],
    )
    text = write(instance)
    assert '"Parc; jeux"' in text
    again = parse(text)
    assert again == instance
    assert again.selected == ["a"]
    reference, _ = parse_pabulib_from_string(text)
    assert reference.meta["description"] == 'Budget "test"; 2026'


def test_tolerates_bom_crlf_spaces_quotes_and_trailing_column():
    text = (
        "\ufeffMETA\r\n"
        "key;value\r\n"
        "budget ; 1000.0 \r\n"
        "vote_type;cumulative\r\n"
        "\r\n"
        "PROJECTS\r\n"
        "project_id;cost;name;\r\n"
        '1;600;"Un parc; des arbres";\r\n'
        "2; 400.0 ;Banc;\r\n"
        "VOTES\r\n"
        "voter_id;vote;points;\r\n"
        "a;1, 2;3,1;\r\n"
        '"b";"2";"2";\r\n'
    )
    instance = parse(text)
    assert instance.budget == 1000
    assert instance.projects["1"] == ProjectRow("1", 600, {"name": "Un parc; des arbres"})
    assert instance.projects["2"].cost == 400
    assert instance.votes == [VoteRow("a", ["1", "2"], [3, 1], {}), VoteRow("b", ["2"], [2], {})]
    assert instance.project_columns == ["project_id", "cost", "name"]


GOOD = """META
key;value
budget;1000
vote_type;approval
PROJECTS
project_id;cost;name
1;600;Parc
2;400;Banc
VOTES
voter_id;vote
a;1,2
b;2
"""


def broken(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new, 1)


def test_good_sample_parses():
    assert len(parse(GOOD).votes) == 2


@pytest.mark.parametrize(
    ("text", "words", "line"),
    [
        (broken("META\nkey;value\n", ""), "section META manquante", 1),
        (broken("PROJECTS\n", ""), "section PROJECTS manquante", 8),
        (GOOD.split("VOTES")[0], "section VOTES manquante", 8),
        (broken("vote_type;approval", "vote_type;borda"), "type de vote inconnu « borda »", 4),
        (broken("vote_type;approval\n", ""), "vote_type manquant", 4),
        (broken("budget;1000\n", ""), "budget manquant", 4),
        (broken("b;2\n", "b;2,7\n"), "projet inconnu « 7 »", 12),
        (broken("2;400;Banc", "2;quatre cents;Banc"), "coût non numérique « quatre cents »", 8),
        (broken("2;400;Banc", "2;-400;Banc"), "coût négatif « -400 »", 8),
        (broken("2;400;Banc", "1;400;Banc"), "projet « 1 » en double", 8),
        (broken("b;2\n", "a;2\n"), "votant « a » en double", 12),
        (broken("a;1,2\n", "a;1,2,1\n"), "deux fois le projet « 1 »", 11),
        ("", "fichier vide", None),
        ("\n  \r\n", "fichier vide", None),
    ],
)
def test_malformed_files(text, words, line):
    with pytest.raises(PabulibError) as caught:
        parse(text, source="essai.pb")
    error = caught.value
    assert words in error.message
    assert error.line == line
    assert "essai.pb" in str(error)
    if line is not None:
        assert f"ligne {line}" in str(error)


CUMULATIVE = """META
key;value
budget;1000
vote_type;cumulative
PROJECTS
project_id;cost
1;600
2;400
VOTES
voter_id;vote;points
a;1,2;2,1
"""


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("a;1,2;2,1", "a;1,2;2", "1 points pour 2 projets"),
        ("a;1,2;2,1", "a;1,2;2,1.5", "points non entiers « 1.5 »"),
        ("a;1,2;2,1", "a;1,2;2,x", "points non entiers « x »"),
        ("a;1,2;2,1", "a;1,2;2,-1", "points négatifs « -1 »"),
    ],
)
def test_malformed_points(old, new, words):
    with pytest.raises(PabulibError) as caught:
        parse(CUMULATIVE.replace(old, new))
    assert words in caught.value.message
    assert caught.value.line == 11


def test_cumulative_needs_points_column():
    text = CUMULATIVE.replace("voter_id;vote;points", "voter_id;vote").replace(";2,1", "")
    with pytest.raises(PabulibError) as caught:
        parse(text)
    assert "colonne « points » manquante" in caught.value.message
    assert caught.value.line == 10
